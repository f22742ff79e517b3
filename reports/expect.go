package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"
	"go.yaml.in/yaml/v3"
)

// Expectation is one entry of an --expect file: a known FAIL, ERROR or WARN
// of the target, matched by requirement id, by full spec text or by a
// regular expression over full spec texts. A spec it expects does not fail
// the run; the reports show it apart from new failures.
type Expectation struct {
	Req       string  `yaml:"req" json:"req,omitempty"`
	Spec      string  `yaml:"spec" json:"spec,omitempty"`
	SpecRegex string  `yaml:"spec-regex" json:"specRegex,omitempty"`
	Verdict   Verdict `yaml:"verdict" json:"verdict"`
	Reason    string  `yaml:"reason" json:"reason"`
	Link      string  `yaml:"link" json:"link,omitempty"`
	// Expires is a date (YYYY-MM-DD); from the day after, the entry fails
	// the run until it is renewed or removed.
	Expires string `yaml:"expires" json:"expires,omitempty"`
	// Matched are the selected specs the entry matched and their outcome;
	// Evaluate fills it in (report.json stores it).
	Matched []ExpectMatch `yaml:"-" json:"matched"`

	re *regexp.Regexp
}

// ExpectMatch is one spec an expectation matched.
type ExpectMatch struct {
	Spec    string  `json:"spec"`
	Verdict Verdict `json:"verdict"` // the spec's verdict in this run
	Outcome string  `json:"outcome"` // one of the Outcome* constants
}

// Outcomes of an expectation on one spec.
const (
	OutcomeExpected   = "expected"             // the expected verdict: excused
	OutcomeUnexpected = "unexpectedly passing" // the spec passes now
	OutcomeDiffers    = "verdict differs"      // another problem verdict: judged normally
	OutcomeNotRun     = "did not run"          // NOT SUPPORTED or SKIPPED
)

// Label is how the entry names its specs: "req 7644-3.4.2.2-04".
func (e Expectation) Label() string {
	switch {
	case e.Req != "":
		return "req " + e.Req
	case e.Spec != "":
		return fmt.Sprintf("spec %q", e.Spec)
	default:
		return fmt.Sprintf("spec-regex %q", e.SpecRegex)
	}
}

// matches reports whether the entry names r.
func (e *Expectation) matches(r SpecResult) bool {
	switch {
	case e.Req != "":
		return slices.Contains(r.Reqs, e.Req)
	case e.Spec != "":
		return r.Name == e.Spec
	default:
		if e.re == nil {
			re, err := regexp.Compile(e.SpecRegex)
			if err != nil {
				return false
			}
			e.re = re
		}
		return e.re.MatchString(r.Name)
	}
}

// expired reports whether the entry's date lies before today's (in UTC).
func (e Expectation) expired(now time.Time) bool {
	if e.Expires == "" {
		return false
	}
	d, err := time.Parse(time.DateOnly, e.Expires)
	if err != nil {
		return false
	}
	today, _ := time.Parse(time.DateOnly, now.UTC().Format(time.DateOnly))
	return d.Before(today)
}

// expectFile is the YAML layout of an --expect file: a list of entries, or a
// mapping with the list under "expectations".
type expectFile struct {
	Expectations []Expectation `yaml:"expectations"`
}

// LoadExpectations reads and checks an --expect file. Every error names the
// file and, where it can, the entry.
func LoadExpectations(path string) ([]Expectation, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("expect: cannot read %s: %w", path, err)
	}
	es, err := ParseExpectations(data)
	if err != nil {
		return nil, fmt.Errorf("expect: %s: %w", path, err)
	}
	return es, nil
}

// ParseExpectations parses and checks the YAML of an --expect file.
func ParseExpectations(data []byte) ([]Expectation, error) {
	var list []Expectation
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, errors.New("the file is empty; want a list of entries (req or spec, verdict, reason)")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if trimmed[0] == '-' || trimmed[0] == '[' {
		err := dec.Decode(&list)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("bad YAML: %s", oneLineText(err.Error()))
		}
	} else {
		var f expectFile
		if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("bad YAML: %s", oneLineText(err.Error()))
		}
		list = f.Expectations
	}
	if len(list) == 0 {
		return nil, errors.New("no entries; want a list of entries (req or spec, verdict, reason)")
	}
	for i := range list {
		if err := list[i].check(); err != nil {
			return nil, fmt.Errorf("entry %d: %w", i+1, err)
		}
	}
	return list, nil
}

// check validates one entry and normalises its verdict.
func (e *Expectation) check() error {
	n := 0
	for _, s := range []string{e.Req, e.Spec, e.SpecRegex} {
		if strings.TrimSpace(s) != "" {
			n++
		}
	}
	if n != 1 {
		return errors.New("give exactly one of req, spec and spec-regex")
	}
	e.Req, e.Spec = strings.TrimSpace(e.Req), strings.TrimSpace(e.Spec)
	if e.SpecRegex != "" {
		re, err := regexp.Compile(e.SpecRegex)
		if err != nil {
			return fmt.Errorf("spec-regex: %s", oneLineText(err.Error()))
		}
		e.re = re
	}
	switch v := Verdict(strings.ToUpper(strings.TrimSpace(string(e.Verdict)))); v {
	case FAIL, WARN, ERROR:
		e.Verdict = v
	case "":
		return fmt.Errorf("%s: verdict is missing (FAIL, WARN or ERROR)", e.Label())
	default:
		return fmt.Errorf("%s: unknown verdict %q (want FAIL, WARN or ERROR)", e.Label(), string(e.Verdict))
	}
	if strings.TrimSpace(e.Reason) == "" {
		return fmt.Errorf("%s: reason is required", e.Label())
	}
	if e.Expires != "" {
		if _, err := time.Parse(time.DateOnly, e.Expires); err != nil {
			return fmt.Errorf("%s: expires %q is not a date (YYYY-MM-DD)", e.Label(), e.Expires)
		}
	}
	return nil
}

// Baseline is the verdicts of an earlier report.json (--baseline): only a
// verdict worse than the baseline's for the same spec fails the run.
type Baseline struct {
	// Path is the report.json the baseline came from.
	Path string `json:"path"`
	// Started is when the baseline run started.
	Started time.Time `json:"started"`
	// Verdicts are the baseline's FAIL, ERROR and WARN verdicts by full
	// spec text; a spec not listed passed, was not selected or is new.
	Verdicts map[string]Verdict `json:"verdicts"`
}

// LoadBaseline reads a report.json as a baseline.
func LoadBaseline(path string) (*Baseline, error) {
	doc, err := ReadJSON(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	return BaselineOf(path, doc), nil
}

// BaselineOf takes the raw problem verdicts of doc (its own expectations and
// baseline are not applied).
func BaselineOf(path string, doc Document) *Baseline {
	doc.Metadata.Expectations, doc.Metadata.Baseline = nil, nil
	b := &Baseline{Path: path, Started: doc.Metadata.Started, Verdicts: map[string]Verdict{}}
	for _, r := range Evaluate(doc).Results {
		if isProblem(r.Verdict) {
			b.Verdicts[r.Name] = r.Verdict
		}
	}
	return b
}

// severity orders verdicts for the baseline: a higher one is worse.
func severity(v Verdict) int {
	switch v {
	case FAIL, ERROR:
		return 2
	case WARN:
		return 1
	}
	return 0
}

// Gate is how the expectations and the baseline judged the run.
type Gate struct {
	// Expectations are the --expect entries with what each matched.
	Expectations []Expectation `json:"expectations,omitempty"`
	// Expected are the specs an expectation excused.
	Expected []Excused `json:"expected,omitempty"`
	// UnexpectedPass are specs an expectation expected to fail that pass.
	UnexpectedPass []Excused `json:"unexpectedPass,omitempty"`
	// Expired are the entries whose date has passed; each fails the run.
	Expired []Expectation `json:"expired,omitempty"`
	// Unmatched are the entries that matched no selected spec.
	Unmatched []Expectation `json:"unmatched,omitempty"`
	// Baseline is the report compared against ("" without --baseline).
	Baseline string `json:"baseline,omitempty"`
	// Unchanged are failures no worse than the baseline's (excused),
	// Improved specs better than the baseline's, Regressed worse ones.
	Unchanged, Improved, Regressed []Change `json:"-"`
}

// Excused is one spec an expectation covered.
type Excused struct {
	Spec    string  `json:"spec"`
	Verdict Verdict `json:"verdict"`
	Reason  string  `json:"reason"`
	Link    string  `json:"link,omitempty"`
}

// Change is one spec whose verdict differs from (or equals) the baseline's.
type Change struct {
	Spec     string  `json:"spec"`
	From, To Verdict `json:"-"`
}

// failing reports whether v makes the run fail.
func failing(v Verdict, strict bool) bool {
	return v == FAIL || v == ERROR || (strict && v == WARN)
}

// applyGate marks the results expectations and the baseline excuse, fills
// s.Gate and returns the number of entries that expired. selected says which
// results the selection kept.
func applyGate(s *Summary, m Metadata, selected func(SpecResult) bool) {
	if m.Expectations == nil && m.Baseline == nil {
		return
	}
	g := &Gate{}
	now := m.Started
	if now.IsZero() {
		now = time.Now()
	}
	es := make([]Expectation, len(m.Expectations))
	copy(es, m.Expectations)
	for i := range es {
		es[i].Matched = []ExpectMatch{}
	}
	if m.Baseline != nil {
		g.Baseline = m.Baseline.Path
	}
	for i := range s.Results {
		r := &s.Results[i]
		if isSuiteNode(*r) || !selected(*r) {
			continue
		}
		excused := false
		for j := range es {
			e := &es[j]
			if !e.matches(*r) {
				continue
			}
			outcome := OutcomeDiffers
			switch {
			case r.Verdict == e.Verdict:
				outcome = OutcomeExpected
				if !excused {
					excused = true
					r.Excuse = "expected: " + e.Reason
					g.Expected = append(g.Expected, Excused{Spec: r.Name, Verdict: r.Verdict, Reason: e.Reason, Link: e.Link})
				}
			case r.Verdict == PASS:
				outcome = OutcomeUnexpected
				g.UnexpectedPass = append(g.UnexpectedPass, Excused{Spec: r.Name, Verdict: e.Verdict, Reason: e.Reason, Link: e.Link})
			case r.Verdict == NotSupported || r.Verdict == SKIPPED:
				outcome = OutcomeNotRun
			}
			e.Matched = append(e.Matched, ExpectMatch{Spec: r.Name, Verdict: r.Verdict, Outcome: outcome})
		}
		if m.Baseline == nil || excused {
			continue
		}
		base, known := m.Baseline.Verdicts[r.Name]
		if !known {
			continue
		}
		c := Change{Spec: r.Name, From: base, To: r.Verdict}
		switch now, was := severity(r.Verdict), severity(base); {
		case now < was:
			g.Improved = append(g.Improved, c)
		case now > was:
			g.Regressed = append(g.Regressed, c)
		default:
			g.Unchanged = append(g.Unchanged, c)
			if isProblem(r.Verdict) {
				r.Excuse = "baseline: " + string(base) + " in " + m.Baseline.Path
			}
		}
	}
	for _, e := range es {
		if e.expired(now) {
			g.Expired = append(g.Expired, e)
		}
		if len(e.Matched) == 0 {
			g.Unmatched = append(g.Unmatched, e)
		}
	}
	// A spec counted unexpectedly passing is listed once.
	g.UnexpectedPass = dedupExcused(g.UnexpectedPass)
	g.Expectations = es
	s.Gate = g
}

func dedupExcused(xs []Excused) []Excused {
	seen := map[string]bool{}
	out := xs[:0]
	for _, x := range xs {
		if !seen[x.Spec] {
			seen[x.Spec] = true
			out = append(out, x)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Spec < out[j].Spec })
	return out
}

// excuses maps the full text of every excused result to its excuse.
func excuses(s Summary) map[string]string {
	m := map[string]string{}
	for _, r := range s.Results {
		if r.Excuse != "" {
			m[r.Name] = r.Excuse
		}
	}
	return m
}

// excused turns an excused spec of junit.xml into a skipped test case whose
// message is the excuse ("expected: <reason>"), so CI stays green exactly
// when the exit code is 0.
func excused(sr types.SpecReport, excuse string) types.SpecReport {
	if excuse == "" {
		return sr
	}
	sr.State = types.SpecStateSkipped
	sr.Failure.Message = excuse
	sr.Failure.ForwardedPanic = ""
	return sr
}

// gateCases are the junit.xml test cases of what the gate itself fails the
// run for: an expired expectation, and under --strict a spec an expectation
// expected to fail that passes.
func gateCases(s Summary, strict bool) types.SpecReports {
	g := s.Gate
	if g == nil {
		return nil
	}
	var out types.SpecReports
	add := func(text, msg string) {
		out = append(out, types.SpecReport{
			ContainerHierarchyTexts: []string{"scimconform expectations"}, LeafNodeType: types.NodeTypeIt,
			LeafNodeText: text, State: types.SpecStateFailed, Failure: types.Failure{Message: msg},
		})
	}
	for _, e := range g.Expired {
		add(e.Label()+" expired", ExpiredLine(e))
	}
	if strict {
		for _, x := range g.UnexpectedPass {
			add(x.Spec+" (unexpectedly passing)", fmt.Sprintf("unexpectedly passing under --strict: expected %s (%s); remove the entry", x.Verdict, x.Reason))
		}
	}
	return out
}

// ExpiredLine is the one line that says an expectation expired.
func ExpiredLine(e Expectation) string {
	return fmt.Sprintf("expectation %s (%s: %s) expired on %s: renew or remove it", e.Label(), e.Verdict, e.Reason, e.Expires)
}
