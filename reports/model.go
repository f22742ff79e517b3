// Package reports turns a finished run (ginkgo's report plus scimconform's run
// metadata) into verdicts and artifacts: junit.xml (ginkgo's reporters),
// report.json, report.html, exchanges.har and the terminal summary. Every
// function here is a pure function of its inputs.
package reports

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Metadata is what scimconform adds to ginkgo's report.
type Metadata struct {
	Tool     string    `json:"tool"`
	Version  string    `json:"version"`
	Target   string    `json:"target"`   // base URL (redacted)
	Embedded bool      `json:"embedded"` // the embedded reference server was the target
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Seed     int64     `json:"seed"`
	Prefix   string    `json:"prefix"` // run prefix of every created name
	Strict   bool      `json:"strict"` // WARN counts as not conformant
	// Config is the effective configuration with secrets redacted.
	Config map[string]any `json:"config,omitempty"`
	// Capabilities are the target's features with their source.
	Capabilities []caps.Capability `json:"capabilities,omitempty"`
	Limits       caps.Limits       `json:"limits"`
	Cleanup      Cleanup           `json:"cleanup"`
	// Notes are run-level observations (retries, sweep results, ...).
	Notes []string `json:"notes,omitempty"`
	// Findings group the failing specs by cause (see Findings). WriteJSON
	// computes them from the report; readers recompute them, so a
	// re-rendered report never depends on a stored grouping.
	Findings []Finding `json:"findings,omitempty"`
	// Expectations are the entries of --expect; WriteJSON stores what each
	// matched. Evaluate excuses the failures they expect.
	Expectations []Expectation `json:"expectations,omitempty"`
	// Baseline holds the verdicts of --baseline's report; Evaluate excuses
	// failures no worse than the baseline's.
	Baseline *Baseline `json:"baseline,omitempty"`
}

// Cleanup is the test-data outcome of a run.
type Cleanup struct {
	Created int  `json:"created"`
	Kept    bool `json:"kept"` // --keep: nothing was deleted on purpose
	// Swept are resources with the run prefix that the final sweep found and deleted.
	Swept []string `json:"swept,omitempty"`
	// Leaked are resources that could not be deleted and were confirmed
	// still on the target afterwards, each once.
	Leaked []string `json:"leaked,omitempty"`
	// Uncertain are outcomes the run could not see: creates without a
	// readable answer that no prefix listing settled, and deletes whose
	// result a read could not confirm. The cleanup command settles them.
	Uncertain []string `json:"uncertain,omitempty"`
	// Disowned are resources a server named in answer to a create that the
	// run could not prove it made: it never wrote to them.
	Disowned []string `json:"disowned,omitempty"`
}

// Document is report.json: run metadata plus ginkgo's report, verbatim.
type Document struct {
	Metadata Metadata     `json:"scimconform"`
	Report   types.Report `json:"ginkgo"`
}

// Verdict is the outcome of one spec (design.md §3).
type Verdict string

// The verdicts.
const (
	PASS         Verdict = "PASS"
	FAIL         Verdict = "FAIL"
	WARN         Verdict = "WARN"
	NotSupported Verdict = "NOT SUPPORTED"
	SKIPPED      Verdict = "SKIPPED"
	ERROR        Verdict = "ERROR"
)

// Verdicts lists the verdicts in display order.
var Verdicts = []Verdict{FAIL, ERROR, WARN, PASS, NotSupported, SKIPPED}

// SpecResult is one spec as the reports show it.
type SpecResult struct {
	Name      string          `json:"name"`      // full text
	Container string          `json:"container"` // top-level Describe
	Verdict   Verdict         `json:"verdict"`
	Level     spec.Level      `json:"level"`
	Reqs      []string        `json:"reqs"`
	Sections  []string        `json:"sections"`
	Message   string          `json:"message,omitempty"`  // failure or skip reason
	Location  string          `json:"location,omitempty"` // file:line of the failure
	Warnings  []string        `json:"warnings,omitempty"`
	Infos     []string        `json:"infos,omitempty"`
	Exchanges scim.Transcript `json:"exchanges,omitempty"`
	Duration  time.Duration   `json:"duration"`
	Labels    []string        `json:"labels"`
	// Cause is the cause the spec named (its last spec.EntryCause entry).
	Cause *spec.Cause `json:"cause,omitempty"`
	// FailedAt is when the spec failed, or for a passed spec when it
	// recorded its first warning (zero when neither); see failingExchange.
	FailedAt time.Time `json:"-"`
	// Finding is the id of the finding the result belongs to (F1, W2; ""
	// unless FAIL, ERROR or WARN); Evaluate sets it.
	Finding string `json:"finding,omitempty"`
	// Excuse says why a FAIL, ERROR or WARN does not fail the run:
	// "expected: <reason>" (--expect) or "baseline: FAIL in <file>"
	// (--baseline). The verdict itself is unchanged.
	Excuse string `json:"excuse,omitempty"`
}

// Summary is the verdict of a whole run.
type Summary struct {
	Results []SpecResult `json:"results"`
	// Counts[level][verdict] counts specs.
	Counts map[spec.Level]map[Verdict]int `json:"counts"`
	// Totals[verdict] counts specs over all levels.
	Totals map[Verdict]int `json:"totals"`
	// Findings group the FAIL, ERROR and WARN results by cause (Findings).
	Findings []Finding `json:"findings"`
	// Conformant: no FAIL or ERROR (nor WARN under --strict), excused or not.
	Conformant bool `json:"conformant"`
	// Gate is what --expect and --baseline made of the run (nil without).
	Gate *Gate `json:"gate,omitempty"`
	// New counts the FAIL, ERROR and WARN results no expectation or
	// baseline excused, by verdict.
	New map[Verdict]int `json:"new"`
	// Pass: the run passes its gate — no new FAIL or ERROR (nor WARN under
	// --strict), no expired expectation (nor unexpected pass under
	// --strict). The runner turns it into the exit code.
	Pass bool `json:"pass"`
}

// Evaluate computes every spec's verdict and whether the run passes. Suite-level
// nodes (BeforeSuite, ReportAfterSuite...) that failed count as ERROR.
func Evaluate(doc Document) Summary {
	s := Summary{Counts: map[spec.Level]map[Verdict]int{}, Totals: map[Verdict]int{}}
	for _, sr := range doc.Report.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			if sr.State.Is(types.SpecStateFailureStates) {
				r := SpecResult{Name: sr.LeafNodeType.String() + " " + sr.LeafNodeText, Verdict: ERROR, Message: sr.Failure.Message,
					FailedAt: sr.Failure.TimelineLocation.Time}
				s.Results = append(s.Results, r)
				s.Totals[ERROR]++
			}
			continue
		}
		r := Result(sr)
		s.Results = append(s.Results, r)
		if s.Counts[r.Level] == nil {
			s.Counts[r.Level] = map[Verdict]int{}
		}
		s.Counts[r.Level][r.Verdict]++
		s.Totals[r.Verdict]++
	}
	sort.SliceStable(s.Results, func(i, j int) bool { return s.Results[i].Name < s.Results[j].Name })
	sel := selectionOf(doc.Report.SuiteConfig, doc.Report.SuiteDescription)
	applyGate(&s, doc.Metadata, func(r SpecResult) bool {
		return !(r.Verdict == SKIPPED && r.Message == "" && !sel.keepsText(r.Name, r.Labels))
	})
	open := s.Results
	if s.Gate != nil { // findings group what is still open
		open = nil
		for _, r := range s.Results {
			if r.Excuse == "" {
				open = append(open, r)
			}
		}
	}
	s.Findings = Findings(open, doc.Metadata.Target)
	ids := findingOf(s.Findings)
	s.New = map[Verdict]int{}
	for i := range s.Results {
		r := &s.Results[i]
		if r.Excuse == "" {
			r.Finding = ids[r.Name]
			if isProblem(r.Verdict) {
				s.New[r.Verdict]++
			}
		}
	}
	strict := doc.Metadata.Strict
	s.Conformant = s.Totals[FAIL] == 0 && s.Totals[ERROR] == 0 && (!strict || s.Totals[WARN] == 0)
	pass := s.New[FAIL] == 0 && s.New[ERROR] == 0 && (!strict || s.New[WARN] == 0)
	if g := s.Gate; g != nil && (len(g.Expired) > 0 || (strict && len(g.UnexpectedPass) > 0)) {
		pass = false
	}
	s.Pass = pass
	return s
}

// Result converts one ginkgo spec report.
func Result(sr types.SpecReport) SpecResult {
	info := spec.ParseLabels(sr.Labels())
	r := SpecResult{
		Name: sr.FullText(), Level: info.Level(), Reqs: info.Reqs, Sections: info.Sections,
		Duration: sr.RunTime, Labels: sr.Labels(),
	}
	if len(sr.ContainerHierarchyTexts) > 0 {
		r.Container = sr.ContainerHierarchyTexts[0]
	}
	harnessError := false
	var warnedAt time.Time
	for _, e := range sr.ReportEntries {
		switch e.Name {
		case spec.EntryWarning:
			if len(r.Warnings) == 0 {
				warnedAt = e.Time
			}
			r.Warnings = append(r.Warnings, entryString(e))
		case spec.EntryCause:
			var c spec.Cause
			if json.Unmarshal(entryJSON(e), &c) == nil && c.Key != "" {
				r.Cause = &c
			}
		case spec.EntryInfo:
			r.Infos = append(r.Infos, entryString(e))
		case spec.EntryError:
			harnessError = true
		case spec.EntryExchanges:
			var xs scim.Transcript
			if json.Unmarshal(entryJSON(e), &xs) == nil {
				r.Exchanges = append(r.Exchanges, xs...)
			}
		}
	}
	r.Message = sr.Failure.Message
	if sr.Failure.Location.FileName != "" {
		r.Location = sr.Failure.Location.String()
	}
	r.Verdict = verdictOf(sr, info, harnessError, len(r.Warnings) > 0)
	r.FailedAt = sr.Failure.TimelineLocation.Time
	if r.Verdict == WARN && sr.State == types.SpecStatePassed {
		r.FailedAt = warnedAt
	}
	if !isProblem(r.Verdict) {
		r.Cause = nil
	}
	return r
}

func verdictOf(sr types.SpecReport, info spec.LabelInfo, harnessError, warned bool) Verdict {
	switch sr.State {
	case types.SpecStatePassed:
		if warned {
			return WARN
		}
		return PASS
	case types.SpecStateSkipped:
		if strings.HasPrefix(sr.Failure.Message, spec.SkipUnsupportedPrefix) {
			return NotSupported
		}
		return SKIPPED
	case types.SpecStatePending:
		return SKIPPED
	case types.SpecStateFailed:
		switch {
		case harnessError:
			return ERROR
		case info.Level() == spec.LevelMust && !info.Interop:
			return FAIL
		default:
			return WARN
		}
	default: // panicked, interrupted, aborted, timed out
		return ERROR
	}
}

// entryJSON is the JSON of a report entry's value: AsJSON when the report was
// read back from report.json, the marshalled raw value on a live report.
func entryJSON(e types.ReportEntry) []byte {
	if e.Value.AsJSON != "" {
		return []byte(e.Value.AsJSON)
	}
	data, err := json.Marshal(e.Value.GetRawValue())
	if err != nil {
		return nil
	}
	return data
}

func entryString(e types.ReportEntry) string {
	var s string
	if json.Unmarshal(entryJSON(e), &s) == nil {
		return s
	}
	return e.Value.String()
}
