package reports

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/scimconform/scimconform/internal/spec"
)

// worse merges a spec's cell into the cell so far: the worse verdict wins
// (the first spec on a tie); the specs are counted either way.
func worse(cur, c MatrixCell) MatrixCell {
	n := cur.Specs + 1
	if cur.Verdict == "" || matrixRank(c) < matrixRank(cur) {
		cur = c
	}
	cur.Specs = n
	return cur
}

// contribution is what one spec says about one row.
type contribution struct {
	key, section string
	isID         bool
	cell         MatrixCell
}

// contributions are the rows a spec speaks to and its verdict on each. A
// spec citing no requirement is a row of its own, keyed by its text. A
// spec's FAIL, ERROR or WARN is charged to the requirements it blames
// (blamedReqs, as report.html's failing requirements are); on the others
// it cites, a WARN spec passed, and a failed spec stopped before judging
// them (SKIPPED, saying so).
func contributions(r SpecResult) []contribution {
	cell := MatrixCell{Verdict: r.Verdict, Specs: 1, Expected: r.Excuse != "" && isProblem(r.Verdict),
		Message: cellMessage(r)}
	if len(r.Reqs) == 0 {
		sec := primarySection(r.Sections)
		if isSuiteNode(r) {
			sec = ""
		}
		return []contribution{{key: r.Name, section: matrixSection(sec), cell: cell}}
	}
	blamed := r.Reqs
	if isProblem(r.Verdict) {
		blamed = blamedReqs(r)
	}
	out := make([]contribution, 0, len(r.Reqs))
	for _, id := range r.Reqs {
		c := contribution{key: id, isID: true, cell: cell}
		if rfc, sec, err := spec.ParseReqID(id); err == nil {
			c.section = matrixSection(rfc + " " + sec)
		}
		if !slices.Contains(blamed, id) {
			c.cell = MatrixCell{Verdict: PASS, Specs: 1}
			if r.Verdict != WARN {
				c.cell.Verdict = SKIPPED
				c.cell.Message = capText("not judged: the spec failed on " + strings.Join(blamed, ", ") + " first")
			}
		}
		out = append(out, c)
	}
	return out
}

// cellMessage is the first line of what explains a spec's verdict.
func cellMessage(r SpecResult) string {
	msg := r.Message
	if r.Verdict == WARN && len(r.Warnings) > 0 && msg == "" {
		msg = r.Warnings[0]
	}
	if r.Verdict == PASS {
		msg = ""
	}
	if r.Excuse != "" && isProblem(r.Verdict) {
		if line := firstLine(msg); line != "" {
			msg = r.Excuse + " — " + line
		} else {
			msg = r.Excuse
		}
	}
	return capText(firstLine(msg))
}

func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(line); t != "" {
			return t
		}
	}
	return ""
}

// capText neutralises control characters and cuts s to maxCellMessage
// characters, marking the cut with "…".
func capText(s string) string {
	s = clean(strings.TrimSpace(s))
	if utf8.RuneCountInString(s) <= maxCellMessage {
		return s
	}
	return string([]rune(s)[:maxCellMessage-1]) + "…"
}

// MatrixNames are the column names: each input's Name, else
// DefaultMatrixName of its report, made unique by " #2", " #3", ... in
// input order.
func MatrixNames(inputs []MatrixInput) []string {
	names := make([]string, len(inputs))
	used := map[string]bool{}
	for i, in := range inputs {
		base := strings.TrimSpace(oneLineText(in.Name))
		if base == "" {
			base = DefaultMatrixName(in.Doc.Metadata)
		}
		name := base
		for n := 2; used[name]; n++ {
			name = fmt.Sprintf("%s #%d", base, n)
		}
		used[name] = true
		names[i] = name
	}
	return names
}

// DefaultMatrixName names a run by its target; a run against the embedded
// reference server is "reference server", with the faults it was started
// with.
func DefaultMatrixName(m Metadata) string {
	if m.Embedded {
		name := "reference server"
		if faults := stringsOf(m.Config["ref-faults"]); len(faults) > 0 {
			name += " (faults: " + strings.Join(faults, ", ") + ")"
		}
		return name
	}
	if t := oneLineText(m.Target); t != "" {
		return t
	}
	return "unnamed server"
}

// stringsOf reads a config list as report.json stores it ([]any once read
// back, []string before).
func stringsOf(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	default:
		return nil
	}
}
