package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/runner"
)

func cmdList(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := runner.NewFlagSet("list", true)
	format := fs.Flags().String("format", "text", "output format: text, json or markdown")
	coverage := fs.Flags().Bool("coverage", false, "print requirement coverage per area")
	if code, ok := parseOrUsage(fs.Parse(args), "list", stdout, stderr, printListUsage); !ok {
		return code
	}
	if *format != "text" && *format != "json" && *format != "markdown" {
		fail(stderr, fmt.Errorf("list: --format %q: want text, json or markdown", *format))
		return runner.ExitUsage
	}
	cfg, err := loadConfig(fs)
	if err != nil {
		fail(stderr, err)
		return runner.ExitUsage
	}
	all, err := runner.List(cfg)
	if err != nil {
		fail(stderr, err)
		return runner.ExitUsage
	}
	specs := runner.Selected(all)
	sort.SliceStable(specs, func(i, j int) bool { return specs[i].Text < specs[j].Text })
	var cov []spec.Coverage
	if *coverage {
		if cov, err = runner.Coverage(specs); err != nil {
			fail(stderr, err)
			return runner.ExitUsage
		}
	}
	if err := printList(stdout, *format, specs, cov, *coverage); err != nil {
		fail(stderr, err)
		return runner.ExitUsage
	}
	if len(specs) == 0 && !*coverage {
		fail(stderr, errors.New("no spec matches the selection"))
		return runner.ExitUsage
	}
	return 0
}

func printList(w io.Writer, format string, specs []runner.SpecInfo, cov []spec.Coverage, withCov bool) error {
	switch format {
	case "json":
		out := struct {
			Specs    []runner.SpecInfo `json:"specs"`
			Coverage []spec.Coverage   `json:"coverage,omitempty"`
		}{Specs: append([]runner.SpecInfo{}, specs...), Coverage: cov}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "markdown":
		printMarkdown(w, specs, cov, withCov)
	default:
		printText(w, specs, cov, withCov)
	}
	return nil
}

func printText(w io.Writer, specs []runner.SpecInfo, cov []spec.Coverage, withCov bool) {
	for _, s := range specs {
		fmt.Fprintf(w, "%-6s [%s] %s (%s) %s\n", s.Level, strings.Join(s.Reqs, " "), s.Text, sectionText(s.Sections), s.Location)
	}
	fmt.Fprintf(w, "%d specs\n", len(specs))
	if !withCov {
		return
	}
	fmt.Fprintln(w, "\nRequirement coverage (catalog requirements binding the server, testable, MUST/SHOULD):")
	fmt.Fprintf(w, "  %-18s %8s %6s %8s\n", "area", "covered", "total", "percent")
	for _, c := range cov {
		fmt.Fprintf(w, "  %-18s %8d %6d %7.1f%%\n", c.Area, c.Covered, c.Total, c.Percent())
	}
	if len(cov) == 0 {
		return
	}
	all := cov[len(cov)-1]
	if len(all.Uncovered) > 0 {
		fmt.Fprintf(w, "\nUncovered (%d):\n", len(all.Uncovered))
		for _, r := range all.Uncovered {
			fmt.Fprintf(w, "  %-20s %-14s %-9s %s\n", r.ID, r.Area, r.Keyword, r.Summary)
		}
	}
}

func printMarkdown(w io.Writer, specs []runner.SpecInfo, cov []spec.Coverage, withCov bool) {
	fmt.Fprintln(w, "| Requirement | Section | Level | Spec | Source |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, s := range specs {
		fmt.Fprintf(w, "| %s | %s | %s | %s | `%s` |\n", strings.Join(s.Reqs, ", "), sectionText(s.Sections), s.Level, mdEscape(s.Text), s.Location)
	}
	fmt.Fprintf(w, "\n%d specs\n", len(specs))
	if !withCov {
		return
	}
	fmt.Fprintln(w, "\n| Area | Covered | Total | Percent |")
	fmt.Fprintln(w, "|---|---:|---:|---:|")
	for _, c := range cov {
		fmt.Fprintf(w, "| %s | %d | %d | %.1f%% |\n", c.Area, c.Covered, c.Total, c.Percent())
	}
	if len(cov) > 0 && len(cov[len(cov)-1].Uncovered) > 0 {
		fmt.Fprintln(w, "\n| Uncovered requirement | Area | Keyword | Summary |")
		fmt.Fprintln(w, "|---|---|---|---|")
		for _, r := range cov[len(cov)-1].Uncovered {
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", r.ID, r.Area, r.Keyword, mdEscape(r.Summary))
		}
	}
}

// sectionText turns label sections ("7644 3.4.2") into "RFC 7644 §3.4.2",
// comma-separated in the order of the RFCs.
func sectionText(sections []string) string {
	sorted := append([]string(nil), sections...)
	sort.Slice(sorted, func(i, j int) bool { return sectionLess(sorted[i], sorted[j]) })
	out := make([]string, 0, len(sorted))
	for _, s := range sorted {
		rfc, sec, _ := strings.Cut(s, " ")
		out = append(out, "RFC "+rfc+" §"+sec)
	}
	return strings.Join(out, ", ")
}

// sectionLess orders "7644 3.3" before "7644 3.12": numeric parts compare as
// numbers.
func sectionLess(a, b string) bool {
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '.' })
	}
	pa, pb := split(a), split(b)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		switch {
		case ea == nil && eb == nil && na != nb:
			return na < nb
		case (ea != nil || eb != nil) && pa[i] != pb[i]:
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func printListUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: scimconform list [--format text|json|markdown] [--coverage] [selection flags]

Lists the specs a selection keeps, with requirement ids, RFC sections and
levels, without any network access. With --coverage it also prints, per area
and overall, how many of the catalog's server-side, testable MUST/SHOULD
requirements have at least one selected spec, and lists the uncovered ones.

Examples:
  scimconform list
  scimconform list --section 7644/3.5.2 --level must
  scimconform list --read-only --format markdown
  scimconform list --coverage --format json
`)
	printSettingsUsage(w, true, []extraFlag{
		{"format", "FORMAT", "output format: text (default), json or markdown"},
		{"coverage", "", "print requirement coverage per area and the uncovered requirements"},
	})
}
