package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/runner"
)

// nameFlags collects --name FILE=NAME, repeatable.
type nameFlags map[string]string

func (n nameFlags) String() string { return "" }

func (n nameFlags) Set(v string) error {
	file, name, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(file) == "" || strings.TrimSpace(name) == "" {
		return fmt.Errorf("want FILE=NAME, got %q", v)
	}
	n[samePath(file)] = name
	return nil
}

// samePath is the absolute form of a path, so that ./a/report.json and
// a/report.json name the same report.
func samePath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}

// cmdMatrix tables many report.json files side by side: exit 0 when the
// matrix was written, 2 on bad input. The verdicts of the servers do not
// change the exit code: use run or diff to gate on them.
func cmdMatrix(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("matrix", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	htmlOut := fs.String("html", "", "write the matrix as a self-contained HTML page to FILE")
	mdOut := fs.String("md", "", "write the matrix as Markdown to FILE")
	names := nameFlags{}
	fs.Var(names, "name", "name the column of report FILE: FILE=NAME (repeatable)")
	files, err := parseInterleaved(fs, args)
	if err == nil && len(files) == 0 {
		err = errors.New("want at least one report.json")
	}
	if code, ok := parseOrUsage(err, "matrix", stdout, stderr, printMatrixUsage); !ok {
		return code
	}
	inputs, err := matrixInputs(files, names)
	if err != nil {
		fail(stderr, fmt.Errorf("matrix: %w", err))
		return runner.ExitUsage
	}
	cat, _ := spec.LoadCatalog() // without it, rows lack summaries; the embedded catalog is tested
	m := reports.BuildMatrix(inputs, cat)
	if err := m.WriteText(stdout); err != nil {
		fail(stderr, fmt.Errorf("matrix: %w", err))
		return runner.ExitUsage
	}
	outputs := []struct {
		path  string
		write func(string, reports.Matrix) error
	}{{*htmlOut, reports.WriteMatrixHTMLFile}, {*mdOut, reports.WriteMatrixMarkdownFile}}
	for _, o := range outputs {
		if o.path == "" {
			continue
		}
		if err := o.write(o.path, m); err != nil {
			fail(stderr, fmt.Errorf("matrix: %w", err))
			return runner.ExitUsage
		}
		fmt.Fprintf(stdout, "wrote %s\n", o.path)
	}
	return 0
}

// parseInterleaved parses fs's flags wherever they stand among the
// positional arguments, which it returns.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return files, nil
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
}

// matrixInputs reads every report (a report.json, or a run's --out
// directory holding one) and finds the report.html beside it. Every --name
// must name one of the files.
func matrixInputs(files []string, names nameFlags) ([]reports.MatrixInput, error) {
	used := map[string]bool{}
	inputs := make([]reports.MatrixInput, 0, len(files))
	for _, f := range files {
		path := f
		if st, err := os.Stat(f); err == nil && st.IsDir() {
			path = filepath.Join(f, reports.FileJSON)
		}
		doc, err := reports.ReadJSON(path)
		if err != nil {
			return nil, err
		}
		in := reports.MatrixInput{Path: path, Doc: doc}
		for _, key := range []string{samePath(f), samePath(path)} {
			if name, ok := names[key]; ok {
				in.Name, used[key] = name, true
			}
		}
		if html := filepath.Join(filepath.Dir(path), reports.FileHTML); isFile(html) {
			in.HTML = html
		}
		inputs = append(inputs, in)
	}
	for file := range names {
		if !used[file] {
			return nil, fmt.Errorf("--name %s=...: not one of the reports given", file)
		}
	}
	return inputs, nil
}

func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

func printMatrixUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: scimconform matrix R1.json R2.json ... [--html FILE] [--md FILE] [--name R1.json=NAME ...]

Tables many runs side by side for an interop event: one row per requirement,
grouped by RFC section, one column per server, one verdict per cell (the
worst over the specs citing the requirement in that run). Each cell links to
its spec in the report.html beside the report.json. Requirements every server
fails stand out: they may be an ambiguous rule rather than a bug of each.
A report may also be given as the run's --out directory.

Prints each server's totals and the requirements every server fails.

Flags:
  --html FILE          also write the matrix as one self-contained HTML page
  --md FILE            also write the matrix as GitHub-flavoured Markdown
  --name FILE=NAME     name the column of report FILE (default: the report's
                       target, or "reference server"), repeatable

Exit codes: 0 the matrix was written, 2 bad input (a missing or invalid
report, an unknown --name file, an unwritable output).

Example:
  scimconform matrix acme/report.json globex/report.json --html matrix.html \
    --name acme/report.json=Acme --name globex/report.json=Globex
`)
}
