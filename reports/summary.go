package reports

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/scimconform/scimconform/internal/spec"
)

// summaryMessageLines bounds each problem's message in the terminal summary.
const summaryMessageLines = 3

// PrintSummary prints the end-of-run summary: a table of spec counts per level
// and verdict, every FAIL, ERROR and WARN with its requirement ids, section and
// the first lines of its message, the cleanup outcome, the report paths and,
// last, "CONFORMANT" or "NOT CONFORMANT (n FAIL, m ERROR)".
func PrintSummary(w io.Writer, doc Document, s Summary, paths Paths, opts TerminalOptions) {
	pal := newPalette(opts.Color)
	var b strings.Builder
	b.WriteString("\n")
	writeRunLine(&b, pal, doc, s)
	writeCountTable(&b, pal, s)
	writeProblems(&b, pal, s)
	writeCleanup(&b, pal, doc.Metadata)
	for _, n := range doc.Metadata.Notes {
		fmt.Fprintf(&b, "%s %s\n", pal.dim.Sprint("note:"), clean(n))
	}
	writePaths(&b, paths)
	b.WriteString("\n")
	b.WriteString(verdictLine(pal, doc, s))
	b.WriteString("\n")
	_, _ = io.WriteString(w, b.String())
}

// writeRunLine says what ran against what.
func writeRunLine(b *strings.Builder, pal palette, doc Document, s Summary) {
	m := doc.Metadata
	n := 0
	for _, r := range s.Results {
		if r.Verdict != SKIPPED {
			n++
		}
	}
	target := clean(m.Target)
	if m.Embedded {
		target += " (embedded reference server)"
	}
	fmt.Fprintf(b, "%s\n\n", pal.bold.Sprintf("Ran %d specs against %s in %s (seed %d)", n, target, humanDuration(runTime(doc)), m.Seed))
}

// writeCountTable writes the level × verdict table; empty verdict columns and
// level rows are left out, the total row is always there.
func writeCountTable(b *strings.Builder, pal palette, s Summary) {
	var cols []Verdict
	for _, v := range Verdicts {
		if s.Totals[v] > 0 {
			cols = append(cols, v)
		}
	}
	type row struct {
		name   string
		counts map[Verdict]int
	}
	var rows []row
	for _, l := range summaryLevels(s) {
		rows = append(rows, row{levelName(l), s.Counts[l]})
	}
	rows = append(rows, row{"total", s.Totals})
	const first = 8
	widths := make([]int, len(cols))
	fmt.Fprintf(b, "%s", pal.bold.Sprint(pad("Specs", first)))
	for i, v := range cols {
		widths[i] = max(len(v), 5)
		fmt.Fprintf(b, "  %s", pal.verdict(v).Sprint(padLeft(string(v), widths[i])))
	}
	fmt.Fprintf(b, "  %s\n", pal.bold.Sprint("all"))
	for _, r := range rows {
		fmt.Fprintf(b, "%s", pad(r.name, first))
		all := 0
		for i, v := range cols {
			n := r.counts[v]
			all += n
			cell := padLeft(strconv.Itoa(n), widths[i])
			if n > 0 && v != PASS {
				cell = pal.verdict(v).Sprint(cell)
			}
			fmt.Fprintf(b, "  %s", cell)
		}
		fmt.Fprintf(b, "  %s\n", strconv.Itoa(all))
	}
}

// summaryLevels lists the levels present in the counts, strictest first.
func summaryLevels(s Summary) []spec.Level {
	var out []spec.Level
	for l := range s.Counts {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rank() < out[j].Rank() })
	return out
}

func levelName(l spec.Level) string {
	if l == "" {
		return "(none)"
	}
	return string(l)
}

// writeProblems lists FAIL, then ERROR, then WARN results.
func writeProblems(b *strings.Builder, pal palette, s Summary) {
	for _, v := range []Verdict{FAIL, ERROR, WARN} {
		first := true
		for _, r := range s.Results {
			if r.Verdict != v {
				continue
			}
			if first {
				fmt.Fprintf(b, "\n%s\n", pal.verdict(v).Sprintf("%s (%d)", v, s.Totals[v]))
				first = false
			}
			writeProblem(b, pal, r)
		}
	}
}

func writeProblem(b *strings.Builder, pal palette, r SpecResult) {
	ids := strings.Join(r.Reqs, " ")
	if ids == "" {
		ids = "-"
	}
	fmt.Fprintf(b, "  %s %s %s\n", pal.verdict(r.Verdict).Sprint(pad(string(r.Verdict), 5)), ids,
		pal.dim.Sprint(sectionsText(r.Sections)))
	fmt.Fprintf(b, "        %s\n", clean(r.Name))
	msg := r.Message
	if msg == "" && len(r.Warnings) > 0 {
		msg = strings.Join(r.Warnings, "\n")
	}
	if msg != "" {
		head, more := firstLines(clean(msg), summaryMessageLines)
		fmt.Fprintln(b, indent(head, "        "))
		if more > 0 {
			fmt.Fprintln(b, pal.dim.Sprintf("        ... %d more line(s) in report.html", more))
		}
	}
}

// sectionsText renders "7644 3.4.2.2" labels as "RFC 7644 §3.4.2.2".
func sectionsText(sections []string) string {
	parts := make([]string, 0, len(sections))
	for _, s := range sections {
		parts = append(parts, sectionTitle(s))
	}
	return strings.Join(parts, ", ")
}

// sectionTitle renders one "7644 3.4.2.2" as "RFC 7644 §3.4.2.2".
func sectionTitle(s string) string {
	rfc, sec, ok := strings.Cut(s, " ")
	if !ok {
		return "RFC " + s
	}
	return "RFC " + rfc + " §" + sec
}

func writeCleanup(b *strings.Builder, pal palette, m Metadata) {
	c := m.Cleanup
	fmt.Fprintf(b, "\n%s %d created, %d swept by the final sweep, %d leaked", pal.bold.Sprint("Test data:"),
		c.Created, len(c.Swept), len(c.Leaked))
	if c.Kept {
		fmt.Fprintf(b, "; kept on the target (--keep), prefix %s", clean(m.Prefix))
	}
	b.WriteString("\n")
	for _, l := range c.Leaked {
		fmt.Fprintf(b, "  %s %s\n", pal.fail.Sprint("leaked:"), clean(l))
	}
}

func writePaths(b *strings.Builder, p Paths) {
	items := []struct{ name, path string }{{"JUnit", p.JUnit}, {"JSON", p.JSON}, {"HTML", p.HTML}, {"HAR", p.HAR}}
	header := false
	for _, it := range items {
		if it.path == "" {
			continue
		}
		if !header {
			b.WriteString("\nReports:\n")
			header = true
		}
		fmt.Fprintf(b, "  %-5s %s\n", it.name, it.path)
	}
}

// verdictLine is the last line of the summary.
func verdictLine(pal palette, doc Document, s Summary) string {
	if s.Conformant {
		return pal.good.Sprint("CONFORMANT")
	}
	text := fmt.Sprintf("NOT CONFORMANT (%d FAIL, %d ERROR", s.Totals[FAIL], s.Totals[ERROR])
	if doc.Metadata.Strict && s.Totals[WARN] > 0 {
		text += fmt.Sprintf(", %d WARN under --strict", s.Totals[WARN])
	}
	return pal.bad.Sprint(text + ")")
}

// runTime is the wall time of the run: metadata times when known, else ginkgo's.
func runTime(doc Document) time.Duration {
	m := doc.Metadata
	if !m.Started.IsZero() && m.Finished.After(m.Started) {
		return m.Finished.Sub(m.Started)
	}
	return doc.Report.RunTime
}
