package reports

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/spec"
)

// junitConfig is how scimconform asks ginkgo for junit.xml: labels stay in the
// test case names (they carry the requirement ids) and timelines, which hold
// the HTTP transcripts, are kept for every spec that ran.
var junitConfig = reporters.JunitReportConfig{
	OmitTimelinesForSpecState: types.SpecStatePending,
}

// WriteJUnit writes junit.xml with ginkgo's JUnit reporter from a view of the
// report in which the verdicts of design.md §3 decide each test case's state,
// so a CI reading only junit.xml reaches the run's exit code:
//   - WARN: skipped with message "WARN: ..."; with strict, failed;
//   - ERROR: failed (or panicked, interrupted ...), message "ERROR: ...";
//   - NOT SUPPORTED and SKIPPED: skipped as ginkgo recorded them;
//   - a failure --expect or --baseline excuses: skipped, message "expected:
//     <reason>" or "baseline: ...";
//   - suite nodes (BeforeSuite ...) appear only when they failed.
//
// Each failing (and WARN) test case's message starts with the id of its
// finding ("[F3] FAIL: ..."), and the suite's SpecialSuiteFailureReason
// property says "N failing specs from M findings".
//
// Test cases are sorted by name. Their classname is scimconform.<area> (the
// spec's area label: scimconform.filter, scimconform.patch ...), so CI test
// views group them; each carries a "verdict" property with its scimconform
// verdict, and an "excuse" or "expectation" property where --expect or
// --baseline had a say (see junitExtras).
func WriteJUnit(path string, doc Document, strict bool) error {
	view, extras := junitView(doc, strict)
	if err := reporters.GenerateJUnitReportWithConfig(view, path, junitConfig); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := amendJUnit(path, extras); err != nil {
		return fmt.Errorf("junit.xml classnames: %w", err)
	}
	return nil
}

// junitView rewrites spec states and messages by verdict; see WriteJUnit.
// SuiteSucceeded is true exactly when no test case of the view fails, which
// is Evaluate's conformance rule under the given strictness. extras[i] is
// what amendJUnit adds to the i-th test case.
func junitView(doc Document, strict bool) (types.Report, []junitExtra) {
	view := doc.Report
	s := Evaluate(doc)
	finding := findingOf(s.Findings)
	excuse := excuses(s)
	unexpected := map[string]Excused{}
	if s.Gate != nil {
		for _, x := range s.Gate.UnexpectedPass {
			unexpected[x.Spec] = x
		}
	}
	type junitCase struct {
		sr    types.SpecReport
		extra junitExtra
	}
	var cases []junitCase
	for _, sr := range doc.Report.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			if sr.State.Is(types.SpecStateFailureStates) {
				if id := finding[junitKey(sr)]; id != "" {
					sr.Failure.Message = "[" + id + "] " + sr.Failure.Message
				}
				cases = append(cases, junitCase{sr, junitExtra{class: junitClassSuite, verdict: ERROR}})
			}
			continue
		}
		r := Result(sr)
		extra := junitExtra{class: junitClass(r.Labels), verdict: r.Verdict, excuse: excuse[r.Name]}
		if x, ok := unexpected[r.Name]; ok {
			extra.expectation = fmt.Sprintf("unexpectedly passing: expected %s (%s); remove the entry", x.Verdict, x.Reason)
		}
		cases = append(cases, junitCase{excused(junitSpec(sr, strict, finding[sr.FullText()]), excuse[sr.FullText()]), extra})
	}
	for _, sr := range gateCases(s, strict) {
		cases = append(cases, junitCase{sr, junitExtra{class: junitClassGate}})
	}
	sort.SliceStable(cases, func(i, j int) bool { return junitKey(cases[i].sr) < junitKey(cases[j].sr) })
	specs := make(types.SpecReports, len(cases))
	extras := make([]junitExtra, len(cases))
	for i, c := range cases {
		specs[i], extras[i] = c.sr, c.extra
	}
	view.SpecReports = specs
	view.SuitePath = "" // the working directory of the run: a local path
	view.SuiteSucceeded = true
	failing, findings := 0, map[string]bool{}
	for _, sr := range specs {
		if sr.State.Is(types.SpecStateFailureStates) {
			view.SuiteSucceeded = false
			failing++
			if id, _, ok := strings.Cut(strings.TrimPrefix(sr.Failure.Message, "["), "]"); ok && strings.HasPrefix(sr.Failure.Message, "[") {
				findings[id] = true
			}
		}
	}
	if failing > 0 {
		// ginkgo writes SpecialSuiteFailureReasons as the suite's
		// SpecialSuiteFailureReason property: why the suite failed.
		view.SpecialSuiteFailureReasons = append(append([]string(nil), view.SpecialSuiteFailureReasons...),
			fmt.Sprintf("%s from %s", plural(failing, "failing spec"), plural(len(findings), "finding")))
	}
	return view, extras
}

// junitSpec is one It spec as junit.xml shows it.
// A FAIL, ERROR or WARN message starts with its finding's id ("[F3] FAIL:
// ..."), which the suite's SpecialSuiteFailureReason property counts.
func junitSpec(sr types.SpecReport, strict bool, finding string) types.SpecReport {
	r := Result(sr)
	sr.ReportEntries = junitEntries(sr.ReportEntries, r)
	switch r.Verdict {
	case WARN:
		msg := "WARN: " + warnMessage(r)
		if strict {
			msg += " (a failure under --strict)"
			sr.State = types.SpecStateFailed
		} else {
			sr.State = types.SpecStateSkipped
		}
		sr.Failure.Message = msg
	case ERROR:
		if sr.State == types.SpecStateFailed {
			sr.Failure.Message = "ERROR: " + r.Message
		}
	case FAIL:
		sr.Failure.Message = "FAIL: " + r.Message
	}
	if finding != "" && (sr.State.Is(types.SpecStateFailureStates) || r.Verdict == WARN) {
		if sr.State == types.SpecStatePanicked {
			sr.Failure.ForwardedPanic = "[" + finding + "] " + sr.Failure.ForwardedPanic
		}
		sr.Failure.Message = "[" + finding + "] " + sr.Failure.Message
	}
	return sr
}

// warnMessage is the failure message of a failed SHOULD/MAY/interop spec, or
// the warnings of a passed one.
func warnMessage(r SpecResult) string {
	parts := append([]string(nil), r.Warnings...)
	if r.Message != "" {
		parts = append([]string{r.Message}, parts...)
	}
	return strings.Join(parts, "\n")
}

// junitKey is the name Evaluate sorts by.
func junitKey(sr types.SpecReport) string {
	if sr.LeafNodeType == types.NodeTypeIt {
		return sr.FullText()
	}
	return sr.LeafNodeType.String() + " " + sr.LeafNodeText
}

// junitEntries replaces the exchanges entry by one that renders as the
// readable transcript in system-err and as a short note in the test case's
// properties (ginkgo would otherwise repeat the whole transcript there as JSON;
// report.json and exchanges.har hold it in full).
func junitEntries(entries types.ReportEntries, r SpecResult) types.ReportEntries {
	out := make(types.ReportEntries, 0, len(entries))
	for _, e := range entries {
		if e.Name == spec.EntryExchanges {
			e.Value = types.WrapEntryValue(junitTranscript{text: r.Exchanges.String(), n: len(r.Exchanges)})
		}
		out = append(out, e)
	}
	return out
}

// junitTranscript is a spec's transcript as junit.xml shows it.
type junitTranscript struct {
	text string
	n    int
}

// String is the transcript text ginkgo prints in the timeline (system-err).
func (t junitTranscript) String() string { return t.text }

// MarshalJSON is the property value ginkgo writes for the entry.
func (t junitTranscript) MarshalJSON() ([]byte, error) {
	return json.Marshal(fmt.Sprintf("%d HTTP exchange(s): text in system-err, full record in report.json and exchanges.har", t.n))
}
