package reports

import (
	"fmt"
	"sort"
	"strings"

	"github.com/scimconform/scimconform/internal/spec"
)

// coverageOf counts, per catalog area, the server-side testable MUST/SHOULD
// requirements that have a spec in this report, and those that have a spec the
// run actually judged (PASS, FAIL, WARN or ERROR).
func coverageOf(s Summary, cat *spec.Catalog, catErr error) coverageView {
	if catErr != nil {
		return coverageView{Note: "The requirement catalog could not be loaded: " + catErr.Error()}
	}
	if cat == nil {
		return coverageView{Note: "No requirement catalog is available."}
	}
	inReport, judged := map[string]bool{}, map[string]bool{}
	for _, r := range s.Results {
		for _, id := range r.Reqs {
			inReport[id] = true
			switch r.Verdict {
			case PASS, FAIL, WARN, ERROR:
				judged[id] = true
			}
		}
	}
	all := cat.CoverageOf(inReport)
	run := cat.CoverageOf(judged)
	var v coverageView
	for i, c := range all {
		row := coverageRow{Area: c.Area, Total: c.Total, InReport: c.Covered, Judged: run[i].Covered,
			InReportPct: percent(c.Covered, c.Total), JudgedPct: percent(run[i].Covered, c.Total)}
		for _, u := range c.Uncovered {
			row.UncoveredIDs = append(row.UncoveredIDs, u.ID)
		}
		if c.Area == "all" {
			v.Total = row
			continue
		}
		v.Rows = append(v.Rows, row)
	}
	if v.Total.Total == 0 {
		v.Note = "The requirement catalog has no server-side testable MUST/SHOULD requirements."
	}
	return v
}

func percent(n, total int) int {
	if total == 0 {
		return 100
	}
	return n * 100 / total
}

// failingOf lists every requirement id with a FAIL, ERROR or WARN spec, worst
// verdict first, then by id. A spec that checks several requirements is
// charged to those its message names, when it names any (see blamedReqs).
func failingOf(s Summary, cat *spec.Catalog) []failingReq {
	byID := map[string]*failingReq{}
	for _, r := range s.Results {
		if r.Verdict != FAIL && r.Verdict != ERROR && r.Verdict != WARN {
			continue
		}
		for _, id := range blamedReqs(r) {
			f := byID[id]
			if f == nil {
				f = &failingReq{ID: id, Verdict: r.Verdict}
				if cat != nil {
					if req, ok := cat.Get(id); ok {
						f.Summary = req.Summary
					}
				}
				byID[id] = f
			}
			if verdictRank(r.Verdict) < verdictRank(f.Verdict) {
				f.Verdict = r.Verdict
			}
			f.Specs = append(f.Specs, r.Name)
		}
	}
	out := make([]failingReq, 0, len(byID))
	for _, f := range byID {
		f.Class = verdictClass[f.Verdict]
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Verdict != out[j].Verdict {
			return verdictRank(out[i].Verdict) < verdictRank(out[j].Verdict)
		}
		return naturalLess(idKey(out[i].ID), idKey(out[j].ID))
	})
	return out
}

// blamedReqs are the requirement ids a failed spec is charged to: the suites
// start a failure message with the id of the requirement it violates, so a
// spec labelled with several ids is charged only to those its message or
// warnings name; when they name none, to all of them.
func blamedReqs(r SpecResult) []string {
	if len(r.Reqs) < 2 {
		return r.Reqs
	}
	text := r.Message + "\n" + strings.Join(r.Warnings, "\n")
	var named []string
	for _, id := range r.Reqs {
		if containsID(text, id) {
			named = append(named, id)
		}
	}
	if len(named) == 0 {
		return r.Reqs
	}
	return named
}

// containsID reports whether id occurs in text as a whole token (so that
// 7644-3.3-1 does not match inside 7644-3.3-10).
func containsID(text, id string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], id)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(id)
		// An id ends with "-NN": a following '.' ends a sentence, not the id.
		if (start == 0 || !idByte(text[start-1]) && text[start-1] != '.') && (end == len(text) || !idByte(text[end])) {
			return true
		}
		i = start + 1
	}
}

func idByte(c byte) bool {
	return c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// idKey makes a requirement id sortable with naturalLess: 7644-3.4.2.2-04 →
// "7644 3.4.2.2.04".
func idKey(id string) string {
	rfc, sec, err := spec.ParseReqID(id)
	if err != nil {
		return id
	}
	return fmt.Sprintf("%s %s.%s", rfc, sec, id[len(rfc)+1+len(sec)+1:])
}
