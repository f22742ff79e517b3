package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/scimconform/scimconform/runner"
)

// extraFlag is a subcommand flag that is not a configuration setting.
type extraFlag struct{ name, arg, usage string }

// printSettingsUsage prints the settings of a subcommand grouped like the
// README table, each with its environment variable and config key; only the
// named groups when groups are given.
func printSettingsUsage(w io.Writer, selectionOnly bool, extra []extraFlag, groups ...string) {
	fmt.Fprintln(w, "\nFlags (each also settable as config key or environment variable; flags win):")
	fmt.Fprintf(w, "  %-30s %s\n", "--config FILE", "YAML config file (default ./"+runner.DefaultConfigFile+" if present; env "+runner.EnvConfig+")")
	for _, f := range extra {
		fmt.Fprintf(w, "  %-30s %s\n", "--"+f.name+argSuffix(f.arg), f.usage)
	}
	for _, g := range runner.Groups {
		if len(groups) > 0 && !slices.Contains(groups, g) {
			continue
		}
		var lines []string
		for _, s := range runner.Settings {
			if s.Group != g || s.Hidden || (selectionOnly && !s.Selection) {
				continue
			}
			name := "--" + s.Flag
			if s.Alias != "" {
				name = "-" + s.Alias + ", " + name
			}
			lines = append(lines, fmt.Sprintf("  %-30s %s", name+argSuffix(s.Arg), s.Usage))
			meta := "env " + s.Env + ", key " + s.Key
			if s.Default != "" {
				meta += ", default " + s.Default
			}
			lines = append(lines, fmt.Sprintf("  %-30s   (%s)", "", meta))
		}
		if len(lines) > 0 {
			fmt.Fprintf(w, "\n%s:\n%s\n", g, strings.Join(lines, "\n"))
		}
	}
}

func argSuffix(arg string) string {
	if arg == "" {
		return ""
	}
	return " " + arg
}

const credentialsHelp = `
Credentials (never flags, never in the config file):
  SCIMCONFORM_TOKEN                 bearer token (or --token-file FILE)
  SCIMCONFORM_USER, SCIMCONFORM_PASSWORD
                                    HTTP basic credentials
  SCIMCONFORM_OAUTH2_CLIENT_SECRET  OAuth2 client secret (with --oauth2-token-url, --oauth2-client-id)
  SCIMCONFORM_AUTH_HEADER           a credential header 'Name: value' (e.g. an API key)
`

const exitCodesHelp = `
Exit codes: 0 conformant, 1 not conformant (a MUST failed; a SHOULD too with --strict),
2 usage, configuration or preflight error, or a selection that matches no spec.
`
