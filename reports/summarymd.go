package reports

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// SummaryMarkdownMax bounds the Markdown summary in bytes. GitHub accepts at
// most 1 MiB per step summary; this stays far below, and lists that do not
// fit end with a "… N more" line pointing at report.html.
const SummaryMarkdownMax = 64 << 10

// Bounds of the Markdown summary's lists (report.html lists everything).
const (
	// mdMaxRows is how many rows one table or list shows.
	mdMaxRows = 50
	// mdTailReserve is kept free for the lines after the lists (test data,
	// reports, notes).
	mdTailReserve = 4 << 10
	// mdCellChars caps one server-supplied cell.
	mdCellChars = 300
)

// WriteSummaryMarkdown writes the short Markdown summary of a run that CI
// shows (GitHub's $GITHUB_STEP_SUMMARY, a GitLab merge-request note): the
// verdict line exactly as the terminal's (CONFORMANT, NOT CONFORMANT (...),
// or under --expect / --baseline what is still open), what ran against
// what, the level × verdict counts, the findings that fail the run and the
// warnings (requirement, cause, number of specs), what --expect and
// --baseline made of the run, the test-data cleanup and the report paths.
// Server-supplied text is escaped (mdCell), and the whole stays under
// SummaryMarkdownMax bytes.
func WriteSummaryMarkdown(w io.Writer, doc Document, s Summary, paths Paths) error {
	m := &mdBudget{limit: SummaryMarkdownMax - mdTailReserve}
	f := factsOf(doc, s)
	writeMDHead(m, doc, s, f)
	writeMDCounts(m, f)
	writeMDFindings(m, s)
	writeMDGate(m, s, doc.Metadata.Strict)
	m.limit = SummaryMarkdownMax
	writeMDTail(m, doc, paths)
	_, err := io.WriteString(w, m.b.String())
	return err
}

// WriteSummaryMarkdownFile writes WriteSummaryMarkdown into path.
func WriteSummaryMarkdownFile(path string, doc Document, s Summary, paths Paths) error {
	return writeFile(path, func(w io.Writer) error { return WriteSummaryMarkdown(w, doc, s, paths) })
}

// mdBudget is the summary being written and the byte budget of its lists.
type mdBudget struct {
	b     strings.Builder
	limit int
}

func (m *mdBudget) printf(format string, args ...any) { fmt.Fprintf(&m.b, format, args...) }

// rows writes up to mdMaxRows rows while they fit the budget, then one
// "… N more <noun>" line.
func (m *mdBudget) rows(rows []string, noun string) {
	for i, r := range rows {
		if i == mdMaxRows || m.b.Len()+len(r)+1 > m.limit {
			m.printf("\n… %s more %s: report.html lists every one.\n", strconv.Itoa(len(rows)-i), noun)
			return
		}
		m.b.WriteString(r)
		m.b.WriteString("\n")
	}
}

// mdText is server-supplied text for a cell or list item: escaped and capped.
func mdText(s string) string { return mdCell(cutLine(oneLineText(s), mdCellChars)) }

// writeMDHead writes the verdict heading and what ran against what.
func writeMDHead(m *mdBudget, doc Document, s Summary, f runFacts) {
	line := verdictLine(newPalette(false), doc, s)
	mark := "✅"
	switch {
	case !s.Pass:
		mark = "❌"
	case !s.Conformant:
		mark = "⚠️"
	}
	m.printf("### %s scimconform: %s\n\n", mark, mdCell(line))
	md := doc.Metadata
	n := f.ran()
	target := mdCell(md.Target)
	if md.Embedded {
		target += " (the embedded reference server)"
	}
	m.printf("Ran %d specs against %s in %s · seed %d · scimconform %s", n, target, humanDuration(runTime(doc)), md.Seed, mdCell(md.Version))
	if md.Strict {
		m.printf(" · `--strict`")
	}
	m.printf("  \n")
	if f.LeftOut > 0 {
		m.printf("%s left out by the selection (not counted below).  \n", plural(f.LeftOut, "more spec"))
	}
	if f.Stopped != "" || f.NotRun > 0 {
		m.printf("**Run stopped early**")
		if f.Stopped != "" {
			m.printf(": %s", mdText(f.Stopped))
		}
		if f.NotRun > 0 {
			m.printf("; %s did not run (SKIPPED)", plural(f.NotRun, "selected spec"))
		}
		m.printf(".\n")
	}
	m.printf("\n")
}

// writeMDCounts writes the level × verdict table of the selected specs
// (the terminal's table: empty verdict columns left out).
func writeMDCounts(m *mdBudget, f runFacts) {
	var cols []Verdict
	for _, v := range Verdicts {
		if f.Totals[v] > 0 {
			cols = append(cols, v)
		}
	}
	m.printf("| level |")
	for _, v := range cols {
		m.printf(" %s |", v)
	}
	m.printf(" all |\n|---|%s---:|\n", strings.Repeat("---:|", len(cols)))
	row := func(name string, counts map[Verdict]int) {
		m.printf("| %s |", name)
		all := 0
		for _, v := range cols {
			all += counts[v]
			m.printf(" %d |", counts[v])
		}
		m.printf(" %d |\n", all)
	}
	for _, l := range levelsOf(f.Counts) {
		row(levelName(l), f.Counts[l])
	}
	row("**total**", f.Totals)
}

// writeMDFindings writes the findings still open: those that fail the run
// (FAIL, ERROR; "new" under --expect or --baseline), then the warnings.
func writeMDFindings(m *mdBudget, s Summary) {
	var fails, warns []Finding
	for _, f := range s.Findings {
		if f.Verdict == WARN {
			warns = append(warns, f)
		} else {
			fails = append(fails, f)
		}
	}
	title := "Failures"
	if s.Gate != nil {
		title = "New failures"
	}
	table := func(title, noun string, fs []Finding) {
		if len(fs) == 0 {
			return
		}
		m.printf("\n#### %s: %s from %s\n\n", title, plural(specsIn(fs), noun), plural(len(fs), "finding"))
		m.printf("| | verdict | requirement | cause | specs |\n|---|---|---|---|---:|\n")
		rows := make([]string, 0, len(fs))
		for _, f := range fs {
			rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s | %d |", f.ID, mdFindingVerdict(f), mdReqs(f.Reqs), mdText(f.Summary), len(f.Specs)))
		}
		m.rows(rows, "findings")
	}
	table(title, "failing spec", fails)
	table("Warnings", "warning spec", warns)
}

// mdFindingVerdict is "FAIL" or "FAIL (MUST)".
func mdFindingVerdict(f Finding) string {
	if f.Level == "" {
		return string(f.Verdict)
	}
	return fmt.Sprintf("%s (%s)", f.Verdict, strings.ToUpper(string(f.Level)))
}

// mdReqs lists up to summaryFindingReqs requirement ids with their sections.
func mdReqs(ids []string) string {
	if len(ids) == 0 {
		return "-"
	}
	shown, more := ids, ""
	if len(ids) > summaryFindingReqs {
		shown, more = ids[:summaryFindingReqs], fmt.Sprintf(" +%d", len(ids)-summaryFindingReqs)
	}
	return mdCell(strings.Join(shown, " ")+more) + " (" + mdCell(sectionsText(sectionsOfIDs(ids))) + ")"
}

// writeMDGate writes what --expect and --baseline made of the run, one list
// per group of report.html's expectations section.
func writeMDGate(m *mdBudget, s Summary, strict bool) {
	for _, g := range gateGroups(s, strict) {
		m.printf("\n#### %s (%d)\n\n", mdCell(g.Title), len(g.Lines))
		rows := make([]string, 0, len(g.Lines))
		for _, l := range g.Lines {
			rows = append(rows, "- "+mdText(l))
		}
		m.rows(rows, "entries")
	}
}

// writeMDTail writes the test-data line and the report paths.
func writeMDTail(m *mdBudget, doc Document, paths Paths) {
	md := doc.Metadata
	m.printf("\n**Test data:** %s", mdText(cleanupCounts(md)))
	if n := len(md.Cleanup.Leaked); n > 0 {
		m.printf(" (**%s left on the target**, named in report.html; every name starts with %s)", plural(n, "resource"), mdCode(md.Prefix))
	}
	m.printf("\n")
	var parts []string
	for _, it := range []struct{ name, path string }{{"JUnit", paths.JUnit}, {"JSON", paths.JSON}, {"HTML", paths.HTML}, {"HAR", paths.HAR}} {
		if it.path != "" {
			parts = append(parts, it.name+" "+mdCode(it.path))
		}
	}
	if len(parts) > 0 {
		m.printf("\n**Reports:** %s\n", strings.Join(parts, " · "))
	}
}
