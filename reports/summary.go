package reports

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/scimconform/scimconform/internal/spec"
)

// summaryMessageLines bounds each problem's message in the terminal summary.
const summaryMessageLines = 6

// summaryKeptLines bounds the resources --keep left that the summary names.
const summaryKeptLines = 5

// KeptNotePrefix starts each report note naming a resource --keep left.
const KeptNotePrefix = "kept (--keep): "

// PrintSummary prints the end-of-run summary: what ran against what, a table
// of spec counts per level and verdict (specs the selection left out are
// counted apart), why the run stopped early if it did, the reasons of NOT
// SUPPORTED and SKIPPED specs grouped, every FAIL, ERROR and WARN with its
// requirement ids, section and the first lines of its message, the cleanup
// outcome, the report paths and, last, "CONFORMANT" or "NOT CONFORMANT (...)".
func PrintSummary(w io.Writer, doc Document, s Summary, paths Paths, opts TerminalOptions) {
	pal := newPalette(opts.Color)
	f := factsOf(doc, s)
	var b strings.Builder
	b.WriteString("\n")
	writeRunLine(&b, pal, doc, f)
	writeCountTable(&b, pal, f)
	writeSkipReasons(&b, pal, f, opts.Verbose)
	writeProblems(&b, pal, s)
	writeGate(&b, pal, s, doc.Metadata.Strict)
	writeCleanup(&b, pal, doc.Metadata)
	writeNotes(&b, pal, doc.Metadata.Notes)
	writePaths(&b, paths)
	b.WriteString("\n")
	b.WriteString(verdictLine(pal, doc, s))
	b.WriteString("\n")
	_, _ = io.WriteString(w, b.String())
}

// writeRunLine says what ran against what, what the selection left out and
// why the run stopped early.
func writeRunLine(b *strings.Builder, pal palette, doc Document, f runFacts) {
	m := doc.Metadata
	n := f.ran()
	target := clean(m.Target)
	if m.Embedded {
		target += " (embedded reference server)"
	}
	fmt.Fprintf(b, "%s\n", pal.bold.Sprintf("Ran %d specs against %s in %s (seed %d)", n, target, humanDuration(runTime(doc)), m.Seed))
	if f.LeftOut > 0 {
		fmt.Fprintf(b, "%s\n", pal.dim.Sprintf("%s left out by the selection (not counted below)", plural(f.LeftOut, "more spec")))
	}
	if f.Stopped != "" || f.NotRun > 0 {
		msg := "Run stopped early"
		if f.Stopped != "" {
			msg += ": " + clean(f.Stopped)
		}
		if f.NotRun > 0 {
			msg += fmt.Sprintf("; %s did not run (SKIPPED)", plural(f.NotRun, "selected spec"))
		}
		fmt.Fprintf(b, "%s\n", pal.errc.Sprint(msg))
	}
	b.WriteString("\n")
}

// writeCountTable writes the level × verdict table of the selected specs;
// empty verdict columns and level rows are left out, the total row is always
// there.
func writeCountTable(b *strings.Builder, pal palette, f runFacts) {
	var cols []Verdict
	for _, v := range Verdicts {
		if f.Totals[v] > 0 {
			cols = append(cols, v)
		}
	}
	type row struct {
		name   string
		counts map[Verdict]int
	}
	var rows []row
	for _, l := range levelsOf(f.Counts) {
		rows = append(rows, row{levelName(l), f.Counts[l]})
	}
	rows = append(rows, row{"total", f.Totals})
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

// writeSkipReasons groups NOT SUPPORTED and SKIPPED specs by their reason:
// one line per reason instead of one per spec (-v printed every spec).
func writeSkipReasons(b *strings.Builder, pal palette, f runFacts, verbose bool) {
	hint := " by reason (-v lists every spec)"
	if verbose {
		hint = " by reason"
	}
	groups := []struct {
		v       Verdict
		reasons []reasonCount
	}{{NotSupported, f.Unsupported}, {SKIPPED, f.Inapplicable}}
	for _, g := range groups {
		if len(g.reasons) == 0 {
			continue
		}
		total := 0
		for _, r := range g.reasons {
			total += r.N
		}
		fmt.Fprintf(b, "\n%s%s\n", pal.verdict(g.v).Sprintf("%s (%d)", g.v, total), pal.dim.Sprint(hint+":"))
		for _, r := range g.reasons {
			fmt.Fprintf(b, "  %5d  %s\n", r.N, clean(oneLineText(r.Reason)))
		}
	}
}

// plural writes "1 spec", "2 specs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// levelsOf lists the levels present in counts, strictest first.
func levelsOf(counts map[spec.Level]map[Verdict]int) []spec.Level {
	var out []spec.Level
	for l := range counts {
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

// Bounds of the findings recap (report.html and report.json list everything).
const (
	// summaryFindingSpecs is how many spec names a finding lists.
	summaryFindingSpecs = 10
	// summaryFindingReqs is how many requirement ids a finding names.
	summaryFindingReqs = 6
)

// writeProblems is the failure recap: "N failing specs from M findings"
// (FAIL and ERROR), each finding once with its evidence and its specs, then
// the WARN specs and their findings the same way.
func writeProblems(b *strings.Builder, pal palette, s Summary) {
	var fails, warns []Finding
	for _, f := range s.Findings {
		if f.Verdict == WARN {
			warns = append(warns, f)
		} else {
			fails = append(fails, f)
		}
	}
	if len(fails) > 0 {
		var parts []string
		for _, v := range []Verdict{FAIL, ERROR} {
			if n := s.open(v); n > 0 {
				parts = append(parts, pal.verdict(v).Sprintf("%s (%d)", v, n))
			}
		}
		fmt.Fprintf(b, "\n%s: %s\n", strings.Join(parts, ", "),
			pal.bold.Sprintf("%s from %s", plural(specsIn(fails), "failing spec"), plural(len(fails), "finding")))
		for _, f := range fails {
			writeFinding(b, pal, f)
		}
	}
	if len(warns) > 0 {
		fmt.Fprintf(b, "\n%s: %s\n", pal.warn.Sprintf("%s (%d)", WARN, s.open(WARN)),
			pal.bold.Sprintf("%s from %s", plural(specsIn(warns), "warning spec"), plural(len(warns), "finding")))
		for _, f := range warns {
			writeFinding(b, pal, f)
		}
	}
}

func specsIn(fs []Finding) int {
	n := 0
	for _, f := range fs {
		n += len(f.Specs)
	}
	return n
}

// writeFinding writes one finding: id, verdict, level, requirement ids and
// sections, how many specs; what is wrong; the evidence (the first lines of
// one spec's message and its failing exchange); the specs it affected.
func writeFinding(b *strings.Builder, pal palette, f Finding) {
	ids := f.Reqs
	more := ""
	if len(ids) > summaryFindingReqs {
		more = fmt.Sprintf(" +%d", len(ids)-summaryFindingReqs)
		ids = ids[:summaryFindingReqs]
	}
	idText := strings.Join(ids, " ") + more
	if idText == "" {
		idText = "-"
	}
	level := ""
	if f.Level != "" {
		level = strings.ToUpper(string(f.Level)) + " "
	}
	fmt.Fprintf(b, "\n  %s %s %s%s %s %s\n", pal.bold.Sprint(pad(f.ID, 3)), pal.verdict(f.Verdict).Sprint(pad(string(f.Verdict), 5)),
		level, idText, pal.dim.Sprint(sectionsText(sectionsOfIDs(f.Reqs))), pal.dim.Sprintf("(%s)", plural(len(f.Specs), "spec")))
	const in = "        "
	fmt.Fprintf(b, "%s%s\n", in, pal.bold.Sprint(clean(capLine(f.Summary, findingLineChars))))
	msg := clean(f.Message)
	if f.Basis == BasisMessage { // the summary is the message's first line
		if first, _ := firstLines(msg, 1); capLine(first, findingLineChars) == f.Summary {
			msg = strings.Join(strings.Split(msg, "\n")[1:], "\n")
		}
	}
	if strings.TrimSpace(msg) != "" {
		head, hidden := firstLines(msg, summaryMessageLines)
		if hidden == 1 { // the hint would take the line it hides
			head, hidden = strings.TrimRight(msg, "\n"), 0
		}
		fmt.Fprintln(b, indent(head, in)) // lines capped by shownMessage
		if hidden > 0 {
			fmt.Fprintln(b, pal.dim.Sprintf("%s... %d more line(s) in report.html", in, hidden))
		}
	}
	if f.Exchange != "" {
		fmt.Fprintf(b, "%s%s %s\n", in, pal.dim.Sprint("exchange:"), clean(f.Exchange))
	}
	if len(f.Specs) == 1 {
		fmt.Fprintf(b, "%s%s %s\n", in, pal.dim.Sprint("spec:"), clean(f.Specs[0]))
		return
	}
	fmt.Fprintf(b, "%s%s\n", in, pal.dim.Sprint("specs:"))
	for i, name := range f.Specs {
		if i == summaryFindingSpecs {
			fmt.Fprintf(b, "%s  %s\n", in, pal.dim.Sprintf("… and %d more (report.html lists every spec)", len(f.Specs)-i))
			break
		}
		fmt.Fprintf(b, "%s  - %s\n", in, clean(name))
	}
}

// sectionsText renders "7644 3.4.2.2" labels as "RFC 7644 §3.4.2.2".
func sectionsText(sections []string) string {
	sorted := append([]string(nil), sections...)
	sort.Slice(sorted, func(i, j int) bool { return naturalLess(sorted[i], sorted[j]) })
	parts := make([]string, 0, len(sorted))
	for _, s := range sorted {
		parts = append(parts, sectionTitle(s))
	}
	return strings.Join(parts, ", ")
}

// sectionsOfIDs are the distinct "7644 3.3" sections of requirement ids.
func sectionsOfIDs(ids []string) []string {
	var out []string
	for _, id := range ids {
		rfc, sec, err := spec.ParseReqID(id)
		if s := rfc + " " + sec; err == nil && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// sectionTitle renders one "7644 3.4.2.2" as "RFC 7644 §3.4.2.2".
func sectionTitle(s string) string {
	rfc, sec, ok := strings.Cut(s, " ")
	if !ok {
		return "RFC " + s
	}
	return "RFC " + rfc + " §" + sec
}

// cleanupCounts says what became of the run's test data in one line:
// "28 created, 16 deleted by the final sweep, 0 leaked".
func cleanupCounts(m Metadata) string {
	c := m.Cleanup
	s := fmt.Sprintf("%d created, %d deleted by the final sweep, %d leaked", c.Created, len(c.Swept), len(c.Leaked))
	if n := len(c.Uncertain); n > 0 {
		s += fmt.Sprintf(", %d uncertain", n)
	}
	if c.Kept {
		s += "; kept on the target (--keep): every name starts with " + m.Prefix
	}
	return s
}

func writeCleanup(b *strings.Builder, pal palette, m Metadata) {
	c := m.Cleanup
	fmt.Fprintf(b, "\n%s %s\n", pal.bold.Sprint("Test data:"), clean(cleanupCounts(m)))
	writeLimited(b, pal.fail.Sprint("leaked:"), c.Leaked)
	writeLimited(b, pal.warn.Sprint("uncertain:"), c.Uncertain)
	writeLimited(b, pal.warn.Sprint("not the run's:"), c.Disowned)
	var kept []string
	for _, n := range m.Notes {
		if strings.HasPrefix(n, KeptNotePrefix) {
			kept = append(kept, strings.TrimPrefix(n, KeptNotePrefix))
		}
	}
	if (c.Kept || len(c.Leaked) > 0 || len(c.Uncertain) > 0) && !m.Embedded && m.Prefix != "" {
		fmt.Fprintf(b, "  %s scimconform cleanup --url %s --prefix %s\n", pal.dim.Sprint("to delete what is left:"), clean(m.Target), clean(m.Prefix))
	}
	for i, k := range kept {
		if i == summaryKeptLines {
			fmt.Fprintf(b, "  %s\n", pal.dim.Sprintf("... %s listed in report.json and report.html", plural(len(kept)-i, "more kept resource")))
			break
		}
		fmt.Fprintf(b, "  %s %s\n", pal.warn.Sprint("kept:"), clean(k))
	}
}

// summaryCleanupLines bounds each list of writeCleanup; report.json and
// report.html list every entry.
const summaryCleanupLines = 10

// writeLimited prints up to summaryCleanupLines of lines, each after label.
func writeLimited(b *strings.Builder, label string, lines []string) {
	for i, l := range lines {
		if i == summaryCleanupLines {
			fmt.Fprintf(b, "  ... %d more, listed in report.json and report.html\n", len(lines)-i)
			return
		}
		fmt.Fprintf(b, "  %s %s\n", label, clean(l))
	}
}

// writeNotes prints the run's notes, except the kept resources (listed by
// writeCleanup).
func writeNotes(b *strings.Builder, pal palette, notes []string) {
	for _, n := range notes {
		if !strings.HasPrefix(n, KeptNotePrefix) {
			fmt.Fprintf(b, "%s %s\n", pal.dim.Sprint("note:"), clean(n))
		}
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

// verdictLine is the last line of the summary. With --expect or --baseline
// it says how the run's exit code follows from what is still open.
func verdictLine(pal palette, doc Document, s Summary) string {
	if s.Gate != nil {
		return gateLine(pal, doc, s)
	}
	if s.Conformant {
		return pal.good.Sprint("CONFORMANT")
	}
	return pal.bad.Sprintf("NOT CONFORMANT (%s)", strings.Join(failingCounts(doc, s.Totals, ""), ", "))
}

// failingCounts renders the counts that make a run not conformant: "2 FAIL",
// "1 ERROR" and, under --strict, "3 WARN under --strict" (with qualifier,
// e.g. "new ", before each verdict).
func failingCounts(doc Document, counts map[Verdict]int, qualifier string) []string {
	var parts []string
	for _, v := range []Verdict{FAIL, ERROR} {
		if n := counts[v]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s%s", n, qualifier, v))
		}
	}
	if doc.Metadata.Strict && counts[WARN] > 0 {
		parts = append(parts, fmt.Sprintf("%d %sWARN under --strict", counts[WARN], qualifier))
	}
	return parts
}

// runTime is the wall time of the run: metadata times when known, else ginkgo's.
func runTime(doc Document) time.Duration {
	m := doc.Metadata
	if !m.Started.IsZero() && m.Finished.After(m.Started) {
		return m.Finished.Sub(m.Started)
	}
	return doc.Report.RunTime
}
