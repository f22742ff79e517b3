package reports

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"path/filepath"
	"strings"
)

// matrixFS holds matrix.html's template and stylesheet (inlined).
//
//go:embed template/matrix.html.tmpl template/matrix.css
var matrixFS embed.FS

// matrixTemplate renders matrix.html; like reportTemplate it is parsed once
// and never modified, and a parse failure is caught by the package tests.
var matrixTemplate = template.Must(template.New("matrix.html.tmpl").
	ParseFS(matrixFS, "template/matrix.html.tmpl", "template/matrix.css"))

// matrixView is what matrix.html shows; every string in it is plain text
// that the template escapes.
type matrixView struct {
	Servers     []matrixServerView
	Sections    []matrixSectionView
	FailedByAll []matrixRowView
	Legend      []matrixLegend
	Heads       []string // the verdict columns of the servers table
	Rows        int
	Cols        int // table columns: the requirement plus one per server
}

type matrixServerView struct {
	MatrixServer
	N          int
	Href       string // its report.html, relative to the matrix
	Verdict    string
	Class      string
	Counts     []matrixCount
	ShortTitle string // the header cell's tooltip
	Mark       string // the header cell's verdict: ✔, or ✘ and the FAIL count
}

type matrixCount struct {
	Head  string
	N     int
	Class string
}

type matrixSectionView struct {
	Title  string
	Anchor string
	Rows   []matrixRowView
}

type matrixRowView struct {
	Key, Summary, Level, LevelClass string
	Anchor                          string
	IsID, FailedByAll               bool
	// Bad: a server fails the requirement or could not be judged on it;
	// Differs: the servers' verdicts are not all the same.
	Bad, Differs bool
	Cells        []matrixCellView
}

type matrixCellView struct {
	Code, Class, Href, Title string
}

type matrixLegend struct{ Code, Label, Class string }

var matrixClass = map[Verdict]string{
	PASS: "p", FAIL: "f", WARN: "w", ERROR: "e", NotSupported: "ns", SKIPPED: "s", ExpectedFail: "xf", "": "na",
}

// WriteMatrixHTML writes the matrix as one self-contained HTML page (inline
// CSS, no script); links to each server's report.html are relative to
// outDir, the directory the page is written to.
func WriteMatrixHTML(w io.Writer, m Matrix, outDir string) error {
	if err := matrixTemplate.Execute(w, matrixViewOf(m, outDir)); err != nil {
		return fmt.Errorf("render matrix.html: %w", err)
	}
	return nil
}

// WriteMatrixHTMLFile writes matrix.html to path.
func WriteMatrixHTMLFile(path string, m Matrix) error {
	return writeFile(path, func(w io.Writer) error { return WriteMatrixHTML(w, m, filepath.Dir(path)) })
}

func matrixViewOf(m Matrix, outDir string) matrixView {
	v := matrixView{Rows: m.RowCount, Cols: len(m.Servers) + 1}
	for _, t := range matrixTotals {
		v.Heads = append(v.Heads, t.Head)
	}
	hrefs := make([]string, len(m.Servers))
	for i, s := range m.Servers {
		hrefs[i] = relLink(outDir, s.HTML)
		v.Servers = append(v.Servers, serverView(i, s, hrefs[i]))
	}
	for _, sec := range m.Sections {
		sv := matrixSectionView{Title: sec.Title, Anchor: stableAnchor("sec-", sec.Key)}
		for _, r := range sec.Rows {
			sv.Rows = append(sv.Rows, rowView(r, m.Servers, hrefs))
		}
		v.Sections = append(v.Sections, sv)
	}
	for _, r := range m.FailedByAll {
		v.FailedByAll = append(v.FailedByAll, rowView(r, m.Servers, hrefs))
	}
	for _, verdict := range append(append([]Verdict{}, matrixOrder...), "") {
		label := string(verdict)
		switch verdict {
		case ExpectedFail:
			label = "expected failure (--expect, --baseline)"
		case "":
			label = "no spec of the run cites it"
		}
		v.Legend = append(v.Legend, matrixLegend{Code: matrixCode(verdict), Label: label, Class: matrixClass[verdict]})
	}
	return v
}

func serverView(i int, s MatrixServer, href string) matrixServerView {
	sv := matrixServerView{MatrixServer: s, N: i + 1, Href: href, Verdict: conformance(s.Conformant), Class: "f"}
	if s.Conformant {
		sv.Class = "p"
	}
	for _, t := range matrixTotals {
		c := matrixCount{Head: t.Head, N: s.Totals[t.Verdict]}
		if c.N > 0 {
			c.Class = matrixClass[t.Verdict]
		}
		sv.Counts = append(sv.Counts, c)
	}
	sv.Mark = "✔"
	if !s.Conformant {
		sv.Mark = fmt.Sprintf("✘ %dF %dE", s.Totals[FAIL], s.Totals[ERROR])
	}
	sv.ShortTitle = fmt.Sprintf("%s\n%s · %d FAIL · %d WARN · %d ERROR · %s",
		s.Name, sv.Verdict, s.Totals[FAIL], s.Totals[WARN], s.Totals[ERROR], plural(s.Findings, "finding"))
	return sv
}

func rowView(r MatrixRow, servers []MatrixServer, hrefs []string) matrixRowView {
	rv := matrixRowView{Key: r.Key, Summary: r.Summary, IsID: r.IsID, FailedByAll: r.FailedByAll,
		Level: strings.ToUpper(levelName(r.Level)), LevelClass: string(r.Level), Anchor: stableAnchor("req-", r.Key)}
	for i, c := range r.Cells {
		cv := matrixCellView{Code: c.Code(), Class: matrixClass[c.Shown()], Title: cellTitle(servers[i].Name, c)}
		if c.Verdict != "" && hrefs[i] != "" && c.Anchor != "" {
			cv.Href = hrefs[i] + "#" + c.Anchor
		}
		switch c.Shown() {
		case FAIL, ERROR, WARN, ExpectedFail:
			rv.Bad = true
		}
		if c.Shown() != r.Cells[0].Shown() {
			rv.Differs = true
		}
		rv.Cells = append(rv.Cells, cv)
	}
	return rv
}

// cellTitle is a cell's tooltip: server, verdict, how many specs, and the
// message of the spec that gave the verdict.
func cellTitle(server string, c MatrixCell) string {
	if c.Verdict == "" {
		return server + ": no spec cites this"
	}
	t := fmt.Sprintf("%s: %s (%s)", server, c.Shown(), plural(c.Specs, "spec"))
	if c.Message != "" {
		t += "\n" + c.Message
	}
	return t
}

// relLink is a URL for target relative to dir, each path segment escaped;
// "" when target is "". A target on another volume gets a file: URL.
func relLink(dir, target string) string {
	if target == "" {
		return ""
	}
	absDir, err1 := filepath.Abs(dir)
	absTarget, err2 := filepath.Abs(target)
	rel, err3 := filepath.Rel(absDir, absTarget)
	if err1 != nil || err2 != nil || err3 != nil {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(absTarget)}).String()
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	if strings.Contains(parts[0], ":") { // not a scheme
		parts[0] = "./" + parts[0]
	}
	return strings.Join(parts, "/")
}
