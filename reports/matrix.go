package reports

import (
	"sort"
	"strings"

	"github.com/scimconform/scimconform/internal/spec"
)

// MatrixInput is one server's report.json for the interop matrix.
type MatrixInput struct {
	// Path is the file the report was read from.
	Path string
	// Name names the server's column; "" takes DefaultMatrixName.
	Name string
	// HTML is the path of the report.html beside the report.json, "" when
	// there is none (the cells then link nowhere).
	HTML string
	Doc  Document
}

// Matrix is many runs side by side: one row per requirement, one column per
// server, one verdict per cell. It is a pure function of its inputs.
type Matrix struct {
	Servers  []MatrixServer
	Sections []MatrixSection
	// FailedByAll are the rows every server fails (only with two servers
	// or more): likely an ambiguous rule rather than a bug of each server.
	FailedByAll []MatrixRow
	// RowCount is the number of rows over all sections.
	RowCount int
}

// MatrixServer is one column: the run's totals and whether it conforms.
type MatrixServer struct {
	Name   string
	Target string
	Path   string // report.json
	HTML   string // report.html beside it, or ""
	// Totals counts the specs by verdict, as the run's own summary does.
	Totals map[Verdict]int
	// Expected counts the FAIL, ERROR and WARN specs excused by --expect
	// or --baseline.
	Expected   int
	Findings   int
	Conformant bool
}

// MatrixSection is the rows of one RFC section and its subsections, e.g.
// RFC 7644 §3.4 (with §3.4.1, §3.4.2.2, ...).
type MatrixSection struct {
	Key   string // "7644 3.4"; "" for specs without a section
	Title string // "RFC 7644 §3.4", or "Other"
	Rows  []MatrixRow
}

// MatrixRow is one requirement (or one spec citing none) across servers.
type MatrixRow struct {
	// Key is the requirement id, or the spec's full text when it cites
	// no requirement (IsID false).
	Key     string
	IsID    bool
	Summary string // the catalog's one-line summary, "" when unknown
	// Level is the requirement's level (from the catalog; else the
	// strictest level of the specs citing it).
	Level spec.Level
	// Cells holds one cell per server, in server order.
	Cells       []MatrixCell
	FailedByAll bool
}

// MatrixCell is one server's verdict on one requirement.
type MatrixCell struct {
	// Verdict is the worst verdict over the server's specs citing the
	// requirement ("" when none does).
	Verdict Verdict
	// Expected: that verdict is a failure --expect or --baseline excused.
	Expected bool
	// Specs counts the server's specs citing the requirement.
	Specs int
	// Spec and Anchor name the spec that gave the verdict and its anchor
	// in the server's report.html.
	Spec, Anchor string
	// Message is the first line of that spec's failure, warning, excuse
	// or skip reason, capped at maxCellMessage characters.
	Message string
}

// ExpectedFail is how the matrix shows a failure --expect or --baseline
// excused; the report's verdict itself is unchanged.
const ExpectedFail Verdict = "expected-FAIL"

// maxCellMessage caps a cell's message (the tooltip of a cell).
const maxCellMessage = 200

// matrixOrder ranks cell verdicts from worst to best.
var matrixOrder = []Verdict{FAIL, ERROR, WARN, ExpectedFail, PASS, NotSupported, SKIPPED}

// Shown is the cell's verdict as the matrix shows it: ExpectedFail for an
// excused failure, "" when no spec cites the requirement.
func (c MatrixCell) Shown() Verdict {
	if c.Expected {
		return ExpectedFail
	}
	return c.Verdict
}

// Failed reports whether the server fails the requirement: FAIL or WARN,
// excused or not. An ERROR is the harness's, not the server's.
func (c MatrixCell) Failed() bool { return c.Verdict == FAIL || c.Verdict == WARN }

// Code is the short code of the cell: P, F, W, E, NS, S, XF, or "—".
func (c MatrixCell) Code() string { return matrixCode(c.Shown()) }

func matrixCode(v Verdict) string {
	switch v {
	case PASS:
		return "P"
	case FAIL:
		return "F"
	case WARN:
		return "W"
	case ERROR:
		return "E"
	case NotSupported:
		return "NS"
	case SKIPPED:
		return "S"
	case ExpectedFail:
		return "XF"
	default:
		return "—"
	}
}

func matrixRank(c MatrixCell) int {
	for i, v := range matrixOrder {
		if v == c.Shown() {
			return i
		}
	}
	return len(matrixOrder)
}

// BuildMatrix tables the inputs: rows grouped by RFC section in RFC order,
// one column per input named by MatrixNames. cat gives requirement levels
// and summaries; it may be nil.
func BuildMatrix(inputs []MatrixInput, cat *spec.Catalog) Matrix {
	var m Matrix
	rows := map[string]*MatrixRow{}
	sectionOf := map[string]string{}
	for i, name := range MatrixNames(inputs) {
		in := inputs[i]
		s := Evaluate(in.Doc)
		m.Servers = append(m.Servers, serverOf(name, in, s))
		anchors := specAnchors(s)
		for _, r := range s.Results {
			for _, c := range contributions(r) {
				row := rows[c.key]
				if row == nil {
					row = &MatrixRow{Key: c.key, IsID: c.isID, Cells: make([]MatrixCell, len(inputs))}
					rows[c.key], sectionOf[c.key] = row, c.section
				}
				if l := r.Level; l != "" && (row.Level == "" || l.Rank() < row.Level.Rank()) {
					row.Level = l
				}
				c.cell.Spec = r.Name
				if r.Verdict != SKIPPED { // report.html does not list skipped specs
					c.cell.Anchor = anchors[r.Name]
				}
				row.Cells[i] = worse(row.Cells[i], c.cell)
			}
		}
	}
	for _, row := range rows {
		describeRow(row, cat)
		row.FailedByAll = len(inputs) >= 2 && failedByAll(row.Cells)
	}
	m.Sections = groupRows(rows, sectionOf)
	for _, sec := range m.Sections {
		m.RowCount += len(sec.Rows)
		for _, row := range sec.Rows {
			if row.FailedByAll {
				m.FailedByAll = append(m.FailedByAll, row)
			}
		}
	}
	return m
}

func serverOf(name string, in MatrixInput, s Summary) MatrixServer {
	srv := MatrixServer{Name: name, Target: in.Doc.Metadata.Target, Path: in.Path, HTML: in.HTML,
		Totals: s.Totals, Findings: len(s.Findings), Conformant: s.Conformant}
	for _, r := range s.Results {
		if r.Excuse != "" {
			srv.Expected++
		}
	}
	return srv
}

func failedByAll(cells []MatrixCell) bool {
	for _, c := range cells {
		if !c.Failed() {
			return false
		}
	}
	return len(cells) > 0
}

// describeRow sets a requirement row's summary and level from the catalog.
func describeRow(row *MatrixRow, cat *spec.Catalog) {
	if !row.IsID || cat == nil {
		return
	}
	if req, ok := cat.Get(row.Key); ok {
		row.Summary = req.Summary
		row.Level = req.Level()
	}
}

// groupRows sorts the rows into sections: RFC 7643, 7644, 9865 in natural
// section order, "Other" last; requirement ids in natural order within a
// section, spec texts after them.
func groupRows(rows map[string]*MatrixRow, sectionOf map[string]string) []MatrixSection {
	bySection := map[string][]MatrixRow{}
	for key, row := range rows {
		bySection[sectionOf[key]] = append(bySection[sectionOf[key]], *row)
	}
	keys := make([]string, 0, len(bySection))
	for k := range bySection {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if (keys[i] == "") != (keys[j] == "") {
			return keys[j] == ""
		}
		return naturalLess(keys[i], keys[j])
	})
	out := make([]MatrixSection, 0, len(keys))
	for _, k := range keys {
		sec := MatrixSection{Key: k, Title: "Other", Rows: bySection[k]}
		if k != "" {
			sec.Title = sectionTitle(k)
		}
		sort.Slice(sec.Rows, func(i, j int) bool { return rowLess(sec.Rows[i], sec.Rows[j]) })
		out = append(out, sec)
	}
	return out
}

func rowLess(a, b MatrixRow) bool {
	if a.IsID != b.IsID {
		return a.IsID
	}
	if a.IsID {
		return idLess(a.Key, b.Key)
	}
	return a.Key < b.Key
}

// idLess orders requirement ids by RFC, then section (a section before its
// subsections), then number: 7644-3.7-03 < 7644-3.7-12 < 7644-3.7.3-01.
func idLess(a, b string) bool {
	ra, sa, errA := spec.ParseReqID(a)
	rb, sb, errB := spec.ParseReqID(b)
	if errA != nil || errB != nil {
		return a < b
	}
	if x, y := ra+" "+sa, rb+" "+sb; x != y {
		return naturalLess(x, y)
	}
	return naturalLess(a[len(ra)+len(sa)+2:], b[len(rb)+len(sb)+2:])
}

// matrixSection is the group of a "7644 3.4.2.2" section in the matrix:
// its first two levels, "7644 3.4" (finer groups would leave most of them
// with a row or two; the row's id still names the whole section).
func matrixSection(section string) string {
	rfc, sec, ok := strings.Cut(section, " ")
	if !ok {
		return section
	}
	parts := strings.SplitN(sec, ".", 3)
	return rfc + " " + strings.Join(parts[:min(len(parts), 2)], ".")
}
