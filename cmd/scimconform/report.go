package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime"

	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/runner"
)

func cmdReport(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	jsonPath := fs.String("json", filepath.Join(runner.DefaultOut, reports.FileJSON), "report.json to read")
	htmlPath := fs.String("html", "", "HTML file to write (default: report.html next to --json)")
	err := fs.Parse(args)
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if code, ok := parseOrUsage(err, "report", stdout, stderr, printReportUsage); !ok {
		return code
	}
	out := *htmlPath
	if out == "" {
		out = filepath.Join(filepath.Dir(*jsonPath), reports.FileHTML)
	}
	doc, err := reports.ReadJSON(*jsonPath)
	if err != nil {
		fail(stderr, fmt.Errorf("report: %w", err))
		return runner.ExitUsage
	}
	if err := reports.WriteHTMLFile(out, doc); err != nil {
		fail(stderr, fmt.Errorf("report: %w", err))
		return runner.ExitUsage
	}
	fmt.Fprintf(stdout, "wrote %s\n", out)
	return 0
}

func printReportUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: scimconform report [--json DIR/report.json] [--html OUT.html]

Re-renders the self-contained HTML report from a report.json, offline: the
JSON report is the canonical artifact of a run.

Flags:
  --json FILE   report.json to read (default ./scimconform-report/report.json)
  --html FILE   HTML file to write (default: report.html next to --json)

Example:
  scimconform report --json ci-artifacts/report.json --html /tmp/scim.html
`)
}

func cmdVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	usage := func(w io.Writer) { fmt.Fprintln(w, "Usage: scimconform version\n\nPrints the harness version.") }
	if code, ok := parseOrUsage(err, "version", stdout, stderr, usage); !ok {
		return code
	}
	fmt.Fprintf(stdout, "scimconform %s (%s %s/%s)\n", runner.Version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return 0
}
