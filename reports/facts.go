package reports

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/spec"
)

// runFacts are what the terminal summary and report.html say about a run
// beyond the verdicts: which specs the selection left out (counted apart, not
// as SKIPPED), which selected specs never ran and why, and the reasons of the
// NOT SUPPORTED and SKIPPED specs, grouped.
type runFacts struct {
	// Counts and Totals count the selected specs only.
	Counts map[spec.Level]map[Verdict]int
	Totals map[Verdict]int
	// LeftOut counts the specs the selection (label filter, focus) excluded.
	LeftOut int
	// NotRun counts selected specs that never started: the run was
	// interrupted, timed out or stopped by --fail-fast.
	NotRun int
	// Stopped says why the run ended early ("" when it did not).
	Stopped string
	// Unsupported and Inapplicable group the messages of NOT SUPPORTED and
	// of SKIPPED-with-a-reason specs, most frequent first.
	Unsupported, Inapplicable []reasonCount
}

// reasonCount is one skip reason and how many specs gave it.
type reasonCount struct {
	Reason string
	N      int
}

// factsOf derives the run facts from a document and its evaluation.
func factsOf(doc Document, s Summary) runFacts {
	f := runFacts{Counts: map[spec.Level]map[Verdict]int{}, Totals: map[Verdict]int{}}
	sel := selectionOf(doc.Report.SuiteConfig, doc.Report.SuiteDescription)
	leftOut := map[string]bool{}
	for _, sr := range doc.Report.SpecReports {
		if sr.LeafNodeType == types.NodeTypeIt && sr.State == types.SpecStateSkipped &&
			sr.Failure.Message == "" && !sel.keeps(sr) {
			leftOut[sr.FullText()] = true
		}
	}
	unsupported, inapplicable := map[string]int{}, map[string]int{}
	for _, r := range s.Results {
		if r.Verdict == SKIPPED && r.Message == "" && leftOut[r.Name] {
			f.LeftOut++
			continue
		}
		if !isSuiteNode(r) { // suite nodes count in the totals only
			if f.Counts[r.Level] == nil {
				f.Counts[r.Level] = map[Verdict]int{}
			}
			f.Counts[r.Level][r.Verdict]++
		}
		f.Totals[r.Verdict]++
		switch {
		case r.Verdict == NotSupported:
			unsupported[strings.TrimPrefix(r.Message, spec.SkipUnsupportedPrefix)]++
		case r.Verdict == SKIPPED && spec.SkipTyped(r.Message):
			// One line per cause; the rest of the message is the spec's own detail.
			reason, _, _ := strings.Cut(r.Message, "\n")
			inapplicable[reason]++
		case r.Verdict == SKIPPED && r.Message != "":
			inapplicable[r.Message]++
		case r.Verdict == SKIPPED:
			f.NotRun++
		}
	}
	f.Unsupported, f.Inapplicable = sortedReasons(unsupported), sortedReasons(inapplicable)
	f.Stopped = stoppedReason(doc.Report, f.NotRun)
	return f
}

// isSuiteNode reports a failed suite-level node (BeforeSuite, ...) that
// Evaluate turned into an ERROR result: it has no labels and no container.
func isSuiteNode(r SpecResult) bool {
	return r.Verdict == ERROR && len(r.Labels) == 0 && r.Level == "" && len(r.Reqs) == 0 && r.Container == ""
}

// stoppedReason explains why selected specs did not run.
func stoppedReason(r types.Report, notRun int) string {
	var reasons []string
	for _, reason := range r.SpecialSuiteFailureReasons {
		reason = oneLineText(reason)
		if strings.Contains(reason, "Timeout") && r.SuiteConfig.Timeout > 0 {
			reason = fmt.Sprintf("the run exceeded its total timeout (--timeout %s)", r.SuiteConfig.Timeout)
		}
		reasons = append(reasons, reason)
	}
	if len(reasons) == 0 && notRun > 0 && r.SuiteConfig.FailFast {
		reasons = append(reasons, "--fail-fast stopped the run after the first failure")
	}
	return strings.Join(reasons, "; ")
}

func sortedReasons(m map[string]int) []reasonCount {
	out := make([]reasonCount, 0, len(m))
	for reason, n := range m {
		out = append(out, reasonCount{Reason: reason, N: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}

// oneLineText joins the lines of s with "; ".
func oneLineText(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}

// specSelection re-applies a run's label filter and focus to a spec, the way
// ginkgo applied them, to tell specs the selection left out from selected
// specs that never ran: ginkgo reports both as skipped without a message.
type specSelection struct {
	label       func([]string) bool
	focus       *regexp.Regexp
	description string
}

func selectionOf(sc types.SuiteConfig, description string) specSelection {
	sel := specSelection{description: description}
	if sc.LabelFilter != "" {
		if f, err := types.ParseLabelFilter(sc.LabelFilter); err == nil {
			sel.label = f
		}
	}
	if len(sc.FocusStrings) > 0 {
		if re, err := regexp.Compile(strings.Join(sc.FocusStrings, "|")); err == nil {
			sel.focus = re
		}
	}
	return sel
}

// keeps reports whether the selection keeps the spec.
func (s specSelection) keeps(sr types.SpecReport) bool {
	if s.label != nil && !s.label(sr.Labels()) {
		return false
	}
	if s.focus != nil && !s.focus.MatchString(s.description+" "+sr.FullText()) {
		return false
	}
	return true
}

// keepsText is keeps for a result: its full text and labels.
func (s specSelection) keepsText(name string, labels []string) bool {
	if s.label != nil && !s.label(labels) {
		return false
	}
	if s.focus != nil && !s.focus.MatchString(s.description+" "+name) {
		return false
	}
	return true
}

// ran counts the selected specs that ran: every verdict but SKIPPED.
func (f runFacts) ran() int {
	n := 0
	for v, c := range f.Totals {
		if v != SKIPPED {
			n += c
		}
	}
	return n
}
