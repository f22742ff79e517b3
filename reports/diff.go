package reports

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// DiffResult compares two reports spec by spec (matched by full text) and
// finding by finding (matched by grouping key).
type DiffResult struct {
	A, B string // the reports' names
	// Fixed specs had a FAIL, ERROR or WARN in A and pass in B.
	Fixed []Change
	// NewlyFailing specs fail in B (FAIL or ERROR; WARN under B's --strict)
	// and did not fail in A, or were not in A.
	NewlyFailing []Change
	// Changed are the other specs whose verdict differs.
	Changed []Change
	// NewFindings and FixedFindings are findings of B not in A and of A
	// not in B.
	NewFindings, FixedFindings []Finding
}

// Diff compares report a with report b.
func Diff(aName string, a Document, bName string, b Document) DiffResult {
	d := DiffResult{A: aName, B: bName}
	sa, sb := Evaluate(a), Evaluate(b)
	before := map[string]Verdict{}
	for _, r := range sa.Results {
		before[r.Name] = r.Verdict
	}
	strict := b.Metadata.Strict
	for _, r := range sb.Results {
		was, known := before[r.Name]
		c := Change{Spec: r.Name, From: was, To: r.Verdict}
		if !known {
			c.From = "(new)"
		}
		switch {
		case failing(r.Verdict, strict) && (!known || !failing(was, strict)):
			d.NewlyFailing = append(d.NewlyFailing, c)
		case known && isProblem(was) && r.Verdict == PASS:
			d.Fixed = append(d.Fixed, c)
		case known && was != r.Verdict:
			d.Changed = append(d.Changed, c)
		}
	}
	keys := func(fs []Finding) map[string]bool {
		m := map[string]bool{}
		for _, f := range fs {
			m[f.Key] = true
		}
		return m
	}
	ka, kb := keys(sa.Findings), keys(sb.Findings)
	for _, f := range sb.Findings {
		if !ka[f.Key] {
			d.NewFindings = append(d.NewFindings, f)
		}
	}
	for _, f := range sa.Findings {
		if !kb[f.Key] {
			d.FixedFindings = append(d.FixedFindings, f)
		}
	}
	for _, cs := range [][]Change{d.Fixed, d.NewlyFailing, d.Changed} {
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].Spec < cs[j].Spec })
	}
	return d
}

// Regressed reports whether B has a failure A did not have.
func (d DiffResult) Regressed() bool { return len(d.NewlyFailing) > 0 }

// WriteText writes the comparison for the terminal.
func (d DiffResult) WriteText(w io.Writer) {
	var b strings.Builder
	fmt.Fprintf(&b, "Comparing %s (A) with %s (B)\n", clean(d.A), clean(d.B))
	section := func(title string, cs []Change) {
		fmt.Fprintf(&b, "\n%s (%d)\n", title, len(cs))
		for _, c := range cs {
			fmt.Fprintf(&b, "  %-13s → %-13s %s\n", c.From, c.To, clean(c.Spec))
		}
	}
	section("Newly failing", d.NewlyFailing)
	section("Fixed", d.Fixed)
	section("Changed", d.Changed)
	findings := func(title string, fs []Finding) {
		if len(fs) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s (%d)\n", title, len(fs))
		for _, f := range fs {
			fmt.Fprintf(&b, "  %-3s %-5s %s (%s)\n", f.ID, f.Verdict, clean(f.Summary), plural(len(f.Specs), "spec"))
		}
	}
	findings("New findings in B", d.NewFindings)
	findings("Findings of A gone in B", d.FixedFindings)
	if !d.Regressed() {
		b.WriteString("\nNO NEW FAILURES\n")
	} else {
		fmt.Fprintf(&b, "\nNEW FAILURES: %d\n", len(d.NewlyFailing))
	}
	_, _ = io.WriteString(w, b.String())
}

// WriteMarkdown writes the comparison as Markdown (a pull-request comment).
func (d DiffResult) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## scimconform: %s → %s\n\n", mdCode(d.A), mdCode(d.B))
	if !d.Regressed() {
		b.WriteString("**No new failures.**\n")
	} else {
		fmt.Fprintf(&b, "**%s.**\n", plural(len(d.NewlyFailing), "new failure"))
	}
	fmt.Fprintf(&b, "\n| | specs |\n|---|---:|\n| newly failing | %d |\n| fixed | %d |\n| changed | %d |\n",
		len(d.NewlyFailing), len(d.Fixed), len(d.Changed))
	section := func(title string, cs []Change) {
		if len(cs) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n### %s (%d)\n\n| before | after | spec |\n|---|---|---|\n", title, len(cs))
		for _, c := range cs {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", c.From, c.To, mdCell(c.Spec))
		}
	}
	section("Newly failing", d.NewlyFailing)
	section("Fixed", d.Fixed)
	section("Changed", d.Changed)
	findings := func(title string, fs []Finding) {
		if len(fs) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n### %s (%d)\n\n| id | verdict | what | specs |\n|---|---|---|---:|\n", title, len(fs))
		for _, f := range fs {
			fmt.Fprintf(&b, "| %s | %s | %s | %d |\n", f.ID, f.Verdict, mdCell(f.Summary), len(f.Specs))
		}
	}
	findings("New findings", d.NewFindings)
	findings("Findings gone", d.FixedFindings)
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscaper neutralises what Markdown (GitHub's and GitLab's) would act on
// in server-supplied text: backslash escapes, emphasis, links and images,
// strikethrough, table cell separators, raw HTML and entities.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "~", `\~`,
	"&", "&amp;", "<", "&lt;", ">", "&gt;", "`", "'")

// mdCell makes s safe as Markdown text on one line: inside a table cell, a
// list item or a paragraph.
func mdCell(s string) string {
	return mdEscaper.Replace(oneLineText(clean(s)))
}

// mdCode is s as an inline code span (not for table cells: a pipe in it
// would still split the cell).
func mdCode(s string) string { return "`" + strings.ReplaceAll(oneLineText(clean(s)), "`", "'") + "`" }
