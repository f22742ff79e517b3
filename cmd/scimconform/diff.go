package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/runner"
)

// cmdDiff compares two report.json files: exit 0 when B has no new
// failure, 1 when it has, 2 on bad input.
func cmdDiff(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	md := fs.String("md", "", "also write the comparison as Markdown to FILE")
	// Flags may come before, between or after the two reports.
	files, err := parseInterleaved(fs, args)
	if err == nil && len(files) != 2 {
		err = fmt.Errorf("want two reports, A.json and B.json; got %d", len(files))
	}
	if code, ok := parseOrUsage(err, "diff", stdout, stderr, printDiffUsage); !ok {
		return code
	}
	var docs [2]reports.Document
	for i, f := range files {
		if docs[i], err = reports.ReadJSON(f); err != nil {
			fail(stderr, fmt.Errorf("diff: %w", err))
			return runner.ExitUsage
		}
	}
	d := reports.Diff(files[0], docs[0], files[1], docs[1])
	d.WriteText(stdout)
	if *md != "" {
		f, err := os.Create(*md)
		if err == nil {
			err = errors.Join(d.WriteMarkdown(f), f.Close())
		}
		if err != nil {
			fail(stderr, fmt.Errorf("diff: writing %s: %w", *md, err))
			return runner.ExitUsage
		}
		fmt.Fprintf(stdout, "wrote %s\n", *md)
	}
	return runner.DiffExitCode(d)
}

func printDiffUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: scimconform diff A.json B.json [--md FILE]

Compares two report.json files spec by spec (by full text) and finding by
finding: the specs B newly fails, the specs it fixed, the other verdict
changes, and the findings that appeared or went away.

Flags:
  --md FILE   also write the comparison as Markdown (e.g. a pull-request comment)

Exit codes: 0 B has no new failure, 1 B newly fails a spec (FAIL or ERROR;
WARN when B ran with --strict), 2 bad input.

Example:
  scimconform diff main/report.json pr/report.json --md diff.md
`)
}
