package reports

import (
	"fmt"
	"strings"
)

// open counts the results of verdict v no expectation or baseline excused.
func (s Summary) open(v Verdict) int {
	if s.New == nil {
		return s.Totals[v]
	}
	return s.New[v]
}

// summaryGateLines bounds each list of writeGate; report.json and
// report.html list every entry.
const summaryGateLines = 20

// writeGate lists, apart from the new failures, what --expect and
// --baseline made of the run: expected failures with their reasons,
// unexpectedly passing specs, expired and unmatched entries, and the
// comparison with the baseline.
func writeGate(b *strings.Builder, pal palette, s Summary, strict bool) {
	g := s.Gate
	if g == nil {
		return
	}
	list := func(head string, lines []string) {
		if len(lines) == 0 {
			return
		}
		fmt.Fprintf(b, "\n%s\n", head)
		for i, l := range lines {
			if i == summaryGateLines {
				fmt.Fprintf(b, "  %s\n", pal.dim.Sprintf("… and %d more (report.html lists every one)", len(lines)-i))
				break
			}
			fmt.Fprintf(b, "  %s\n", clean(l))
		}
	}
	var lines []string
	for _, x := range g.Expected {
		l := fmt.Sprintf("%-5s %s — %s", x.Verdict, x.Spec, x.Reason)
		if x.Link != "" {
			l += " (" + x.Link + ")"
		}
		lines = append(lines, l)
	}
	list(pal.dim.Sprintf("EXPECTED (%d): known failures --expect lists; they do not fail the run:", len(g.Expected)), lines)
	lines = nil
	for _, x := range g.UnexpectedPass {
		lines = append(lines, fmt.Sprintf("PASS  %s — expected %s: %s; remove the entry", x.Spec, x.Verdict, x.Reason))
	}
	list(pal.warn.Sprintf("UNEXPECTEDLY PASSING (%d)%s:", len(g.UnexpectedPass), map[bool]string{true: ", each fails the run under --strict", false: ""}[strict]), lines)
	lines = nil
	for _, e := range g.Expired {
		lines = append(lines, ExpiredLine(e))
	}
	list(pal.fail.Sprintf("EXPIRED (%d): each fails the run:", len(g.Expired)), lines)
	lines = nil
	for _, e := range g.Unmatched {
		lines = append(lines, fmt.Sprintf("note: expectation %s (%s) matched no selected spec", e.Label(), e.Verdict))
	}
	list(pal.dim.Sprintf("Unmatched expectations (%d):", len(g.Unmatched)), lines)
	if g.Baseline == "" {
		return
	}
	changes := func(cs []Change) []string {
		var out []string
		for _, c := range cs {
			out = append(out, fmt.Sprintf("%s → %s  %s", c.From, c.To, c.Spec))
		}
		return out
	}
	fmt.Fprintf(b, "\n%s %d unchanged failure(s), %d improved, %d worse than %s\n", pal.bold.Sprint("Baseline:"),
		len(g.Unchanged), len(g.Improved), len(g.Regressed), clean(g.Baseline))
	list(pal.fail.Sprint("Worse than the baseline (these fail the run):"), changes(g.Regressed))
	list(pal.good.Sprint("Improved since the baseline:"), changes(g.Improved))
	list(pal.dim.Sprint("Unchanged since the baseline (they do not fail the run):"), changes(g.Unchanged))
}

// gateLine is the last line of a summary under --expect or --baseline.
func gateLine(pal palette, doc Document, s Summary) string {
	g := s.Gate
	open := failingCounts(doc, s.New, "new ")
	if n := len(g.Expired); n > 0 {
		open = append(open, plural(n, "expired expectation"))
	}
	if n := len(g.UnexpectedPass); doc.Metadata.Strict && n > 0 {
		open = append(open, fmt.Sprintf("%s under --strict", plural(n, "unexpectedly passing spec")))
	}
	var known []string
	if n := len(g.Expected); n > 0 {
		known = append(known, fmt.Sprintf("%d expected", n))
	}
	unchanged := 0
	for _, r := range s.Results {
		if strings.HasPrefix(r.Excuse, "baseline: ") {
			unchanged++
		}
	}
	if unchanged > 0 {
		known = append(known, fmt.Sprintf("%d as in the baseline", unchanged))
	}
	knownText := ""
	if len(known) > 0 {
		knownText = "; known: " + strings.Join(known, ", ")
	}
	switch {
	case len(open) > 0:
		return pal.bad.Sprintf("NOT CONFORMANT (%s)%s", strings.Join(open, ", "), knownText)
	case s.Conformant:
		return pal.good.Sprint("CONFORMANT")
	default:
		return pal.good.Sprintf("NO NEW FAILURES (not conformant%s): exit 0", knownText)
	}
}

// gateGroup is one list of the report.html expectations section.
type gateGroup struct {
	Title string
	Lines []string
}

// gateGroups are the lists of the report.html expectations section.
func gateGroups(s Summary, strict bool) []gateGroup {
	g := s.Gate
	if g == nil {
		return nil
	}
	var out []gateGroup
	add := func(title string, lines []string) {
		if len(lines) > 0 {
			out = append(out, gateGroup{title, lines})
		}
	}
	var lines []string
	for _, x := range g.Expected {
		l := fmt.Sprintf("%s %s — expected: %s", x.Verdict, x.Spec, x.Reason)
		if x.Link != "" {
			l += " (" + x.Link + ")"
		}
		lines = append(lines, l)
	}
	add("Expected failures (do not fail the run)", lines)
	lines = nil
	for _, x := range g.UnexpectedPass {
		lines = append(lines, fmt.Sprintf("%s — expected %s: %s", x.Spec, x.Verdict, x.Reason))
	}
	title := "Unexpectedly passing (remove the entries)"
	if strict {
		title = "Unexpectedly passing (each fails the run under --strict)"
	}
	add(title, lines)
	lines = nil
	for _, e := range g.Expired {
		lines = append(lines, ExpiredLine(e))
	}
	add("Expired expectations (each fails the run)", lines)
	lines = nil
	for _, e := range g.Unmatched {
		lines = append(lines, fmt.Sprintf("%s (%s: %s)", e.Label(), e.Verdict, e.Reason))
	}
	add("Expectations that matched no selected spec", lines)
	changes := func(cs []Change) []string {
		var out []string
		for _, c := range cs {
			out = append(out, fmt.Sprintf("%s → %s  %s", c.From, c.To, c.Spec))
		}
		return out
	}
	add("Worse than the baseline "+g.Baseline+" (fail the run)", changes(g.Regressed))
	add("Improved since the baseline "+g.Baseline, changes(g.Improved))
	add("Unchanged since the baseline "+g.Baseline+" (do not fail the run)", changes(g.Unchanged))
	return out
}
