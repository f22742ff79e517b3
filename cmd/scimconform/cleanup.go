package main

import (
	"context"
	"fmt"
	"io"

	"github.com/scimconform/scimconform/runner"
)

func cmdCleanup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := runner.NewFlagSet("cleanup", false)
	prefix := fs.Flags().String("prefix", "", "run prefix whose resources to delete")
	if code, ok := parseOrUsage(fs.Parse(args), "cleanup", stdout, stderr, printCleanupUsage); !ok {
		return code
	}
	cfg, err := loadConfig(fs)
	if err != nil {
		fail(stderr, err)
		return runner.ExitUsage
	}
	code, err := runner.Cleanup(ctx, cfg, *prefix, stdout)
	if err != nil {
		fail(stderr, fmt.Errorf("cleanup: %w", err))
	}
	return code
}

func printCleanupUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: scimconform cleanup --url BASE --prefix scimconform-XXXXXXXX [flags]

Deletes the Users and Groups an earlier run left on the target: the data
kept with --keep, or what the run reported as leaked. It lists /Users and
/Groups filtered by the run prefix (printed at the start of the run and
stored in report.json) and deletes a resource only when its name starts
with that prefix. The target must support filtering.

Exit codes: 0 nothing with the prefix is left, 1 some resource could not be
deleted, 2 usage, configuration or preflight error.

Example:
  SCIMCONFORM_TOKEN=... scimconform cleanup --url https://idp.example.com/scim/v2 --prefix scimconform-1a2b3c4d
`)
	printSettingsUsage(w, false, []extraFlag{{"prefix", "PREFIX", "the run prefix, scimconform-<8 hex digits>"}}, "Target", "Authentication", "Limits")
	fmt.Fprint(w, credentialsHelp)
}
