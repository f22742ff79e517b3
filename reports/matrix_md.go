package reports

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// WriteMatrixMarkdown writes the matrix as GitHub-flavoured Markdown: the
// servers with their totals, the requirements every server fails, then one
// table per RFC section. Links to each server's report.html are relative to
// outDir, the directory the file is written to.
func WriteMatrixMarkdown(w io.Writer, m Matrix, outDir string) error {
	var b strings.Builder
	hrefs := make([]string, len(m.Servers))
	for i, s := range m.Servers {
		hrefs[i] = relLink(outDir, s.HTML)
	}
	fmt.Fprintf(&b, "# SCIM interop matrix\n\n%s × %s (RFC 7643, 7644, 9865). One verdict per cell: the worst over "+
		"the specs citing the requirement in that server's run; a cell links to that spec in the server's report.html.\n",
		plural(len(m.Servers), "server"), plural(m.RowCount, "requirement"))
	writeMDServers(&b, m.Servers, hrefs)
	b.WriteString("\nLegend:")
	for _, v := range matrixOrder {
		fmt.Fprintf(&b, " **%s** %s ·", matrixCode(v), v)
	}
	b.WriteString(" **—** no spec of the run cites it · ⚑ failed by every server\n")
	writeMDFailedByAll(&b, m)
	b.WriteString("\n## Requirements\n")
	for _, sec := range m.Sections {
		fmt.Fprintf(&b, "\n### %s\n\n| requirement | level |", mdCell(sec.Title))
		for i := range m.Servers {
			fmt.Fprintf(&b, " #%d |", i+1)
		}
		b.WriteString("\n|---|---|" + strings.Repeat(":-:|", len(m.Servers)) + "\n")
		for _, r := range sec.Rows {
			writeMDRow(&b, r, hrefs)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMatrixMarkdownFile writes matrix.md to path.
func WriteMatrixMarkdownFile(path string, m Matrix) error {
	return writeFile(path, func(w io.Writer) error { return WriteMatrixMarkdown(w, m, filepath.Dir(path)) })
}

func writeMDServers(b *strings.Builder, servers []MatrixServer, hrefs []string) {
	b.WriteString("\n## Servers\n\n| # | server | verdict |")
	for _, t := range matrixTotals {
		fmt.Fprintf(b, " %s |", t.Head)
	}
	b.WriteString(" XF | findings | evidence |\n|---:|---|---|" + strings.Repeat("---:|", len(matrixTotals)+2) + "---|\n")
	for i, s := range servers {
		fmt.Fprintf(b, "| %d | %s | %s |", i+1, mdCell(s.Name), conformance(s.Conformant))
		for _, t := range matrixTotals {
			fmt.Fprintf(b, " %d |", s.Totals[t.Verdict])
		}
		evidence := "—"
		if hrefs[i] != "" {
			evidence = "[report.html](" + hrefs[i] + ")"
		}
		fmt.Fprintf(b, " %d | %d | %s |\n", s.Expected, s.Findings, evidence)
	}
	b.WriteString("\nXF counts the failures excused by `--expect` or `--baseline` (also counted under their verdict).\n")
}

func writeMDFailedByAll(b *strings.Builder, m Matrix) {
	b.WriteString("\n## Failed by every server — possibly an ambiguous rule\n\n")
	switch {
	case len(m.Servers) < 2:
		b.WriteString("Only one server: nothing to compare.\n")
	case len(m.FailedByAll) == 0:
		b.WriteString("None: no requirement is failed by every server.\n")
	default:
		for _, r := range m.FailedByAll {
			fmt.Fprintf(b, "- ⚑ %s %s — %s\n", mdKey(r), strings.ToUpper(levelName(r.Level)), mdCell(r.Summary))
		}
	}
}

func writeMDRow(b *strings.Builder, r MatrixRow, hrefs []string) {
	flag := ""
	if r.FailedByAll {
		flag = "⚑ "
	}
	key := flag + mdKey(r)
	if r.Summary != "" {
		key += " " + mdCell(r.Summary)
	}
	fmt.Fprintf(b, "| %s | %s |", key, strings.ToUpper(levelName(r.Level)))
	for i, c := range r.Cells {
		cell := c.Code()
		if c.Verdict != "" && hrefs[i] != "" && c.Anchor != "" {
			cell = "[" + cell + "](" + hrefs[i] + "#" + c.Anchor + mdTitle(c) + ")"
		}
		fmt.Fprintf(b, " %s |", cell)
	}
	b.WriteString("\n")
}

// mdKey is a row's key: a requirement id as code, a spec's text as text.
func mdKey(r MatrixRow) string {
	if r.IsID {
		return strings.ReplaceAll(mdCode(oneLineText(r.Key)), "|", `\|`)
	}
	return mdCell(r.Key)
}

// mdTitle is the link title (tooltip) of a cell that did not pass: its
// message, escaped for a title inside a table cell.
func mdTitle(c MatrixCell) string {
	if c.Message == "" || c.Shown() == PASS {
		return ""
	}
	// mdCell escapes backslashes already; a quote ends the title.
	return ` "` + strings.ReplaceAll(mdCell(c.Message), `"`, `\"`) + `"`
}
