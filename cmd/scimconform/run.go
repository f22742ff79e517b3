package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/scimconform/scimconform/runner"
)

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := runner.NewFlagSet("run", false)
	if code, ok := parseOrUsage(fs.Parse(args), "run", stdout, stderr, printRunUsage); !ok {
		return code
	}
	cfg, err := loadConfig(fs)
	if err != nil {
		fail(stderr, err)
		return runner.ExitUsage
	}
	code, err := runner.Run(ctx, cfg, stdout, stderr)
	if err != nil {
		fail(stderr, err)
	}
	return code
}

// loadConfig resolves the configuration of a parsed flag set from the process
// environment and working directory.
func loadConfig(fs *runner.FlagSet) (runner.Config, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return runner.Config{}, fmt.Errorf("working directory: %w", err)
	}
	return fs.Config(os.LookupEnv, cwd)
}

func printRunUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: scimconform run [--url BASE] [flags]

Runs the selected conformance specs against the SCIM service provider at BASE
and writes junit.xml, report.json, report.html and exchanges.har into --out.
Without --url it starts the embedded reference server and runs against it.

Preflight reads /ServiceProviderConfig, /ResourceTypes and /Schemas first; an
unreachable target or rejected credentials stop the run with exit code 2.
Every resource the run creates carries the run prefix and is deleted at the
end unless --keep is given.

Examples:
  scimconform run
  SCIMCONFORM_TOKEN=$(cat token) scimconform run --url https://idp.example.com/scim/v2
  scimconform run --url https://idp.example.com/scim/v2 --token-file token --read-only
  scimconform run --section 7644/3.4.2 --level must,should --strict
  scimconform run --req 7644-3.4.2.2-04 -v
  scimconform run --feature bulk=off --header 'X-Tenant: acme'
`)
	printSettingsUsage(w, false, nil)
	fmt.Fprint(w, credentialsHelp)
	fmt.Fprint(w, exitCodesHelp)
}
