package reports

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/spec"
)

func TestParseExpectations(t *testing.T) {
	good := "expectations:\n  - req: 7644-3.4.2.2-14\n    verdict: fail\n    reason: r\n    expires: 2030-01-02\n  - spec-regex: '^Deleting'\n    verdict: ERROR\n    reason: r\n"
	es, err := ParseExpectations([]byte(good))
	if err != nil || len(es) != 2 || es[0].Verdict != FAIL {
		t.Fatalf("good file: %v %+v", err, es)
	}
	for name, bad := range map[string]string{
		"empty":           "",
		"bad yaml":        "- req: [",
		"unknown key":     "- req: a\n  verdict: FAIL\n  reason: r\n  color: red\n",
		"two matchers":    "- req: a\n  spec: b\n  verdict: FAIL\n  reason: r\n",
		"no matcher":      "- verdict: FAIL\n  reason: r\n",
		"unknown verdict": "- req: a\n  verdict: PASS\n  reason: r\n",
		"no reason":       "- req: a\n  verdict: FAIL\n",
		"bad date":        "- req: a\n  verdict: FAIL\n  reason: r\n  expires: 2030-13-01\n",
		"bad regex":       "- spec-regex: '('\n  verdict: FAIL\n  reason: r\n",
	} {
		if _, err := ParseExpectations([]byte(bad)); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: err = %v; want one line", name, err)
		}
	}
}

func expectAll(t *testing.T, extra string) []Expectation {
	t.Helper()
	es, err := ParseExpectations([]byte(`
- req: 7644-3.4.2.2-14
  verdict: FAIL
  reason: filter parser rewrite
  link: https://tracker.example/1
- spec-regex: "^(Deleting|Paging) "
  verdict: ERROR
  reason: flaky staging
- req: 7644-4-02
  verdict: FAIL
  reason: thought broken
- req: 7644-9-99
  verdict: WARN
  reason: nothing has this id
` + extra))
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func TestEvaluateExpectations(t *testing.T) {
	doc := sampleDoc()
	if Evaluate(doc).Pass {
		t.Fatal("sample must fail without expectations")
	}
	doc.Metadata.Expectations = expectAll(t, "")
	s := Evaluate(doc)
	if !s.Pass || s.Conformant || s.Gate == nil {
		t.Fatalf("every FAIL and ERROR expected: pass %v conformant %v", s.Pass, s.Conformant)
	}
	if len(s.Gate.Expected) != 3 || len(s.Gate.UnexpectedPass) != 1 || len(s.Gate.Unmatched) != 1 || s.Totals[FAIL] != 1 {
		t.Errorf("gate = %+v (verdicts must stay)", s.Gate)
	}
	for _, f := range s.Findings {
		if f.Verdict != WARN {
			t.Errorf("an expected failure is still a finding: %+v", f)
		}
	}
	var out bytes.Buffer
	PrintSummary(&out, doc, s, Paths{}, TerminalOptions{})
	for _, want := range []string{"EXPECTED (3)", "filter parser rewrite", "UNEXPECTEDLY PASSING (1)", "matched no selected spec", "NO NEW FAILURES"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
	doc.Metadata.Strict = true
	if s := Evaluate(doc); s.Pass {
		t.Errorf("--strict with an unexpected pass (and open WARNs): pass %v, want 1", s.Pass)
	}
	doc.Metadata.Strict = false
	doc.Metadata.Expectations = expectAll(t, "- spec: \"Discovery advertises a documentationUri\"\n  verdict: WARN\n  reason: r\n  expires: 2020-01-01\n")
	if s := Evaluate(doc); s.Pass || len(s.Gate.Expired) != 1 {
		t.Errorf("expired entry: pass %v, gate %+v", s.Pass, s.Gate)
	}
}

func TestJUnitShowsExpectedAsSkipped(t *testing.T) {
	doc := sampleDoc()
	doc.Metadata.Expectations = expectAll(t, "")
	path := filepath.Join(t.TempDir(), "junit.xml")
	if err := WriteJUnit(path, doc, false); err != nil {
		t.Fatal(err)
	}
	suites := readJUnit(t, path)
	if suites.Failures != 0 || suites.Errors != 0 {
		t.Errorf("junit.xml: %d failures, %d errors; want none (every failure expected)", suites.Failures, suites.Errors)
	}
	c := caseByText(t, suites.TestSuites[0], "returns 400 invalidFilter for a malformed filter")
	if c.Skipped == nil || !strings.HasSuffix(c.Skipped.Message, "expected: filter parser rewrite") { // ginkgo prefixes "skipped - "
		t.Errorf("expected FAIL as junit: %+v", c.Skipped)
	}
	doc.Metadata.Expectations = expectAll(t, "- req: 7644-4-06\n  verdict: WARN\n  reason: r\n  expires: 2020-01-01\n")
	if err := WriteJUnit(path, doc, false); err != nil {
		t.Fatal(err)
	}
	if suites := readJUnit(t, path); suites.Failures+suites.Errors == 0 {
		t.Errorf("an expired entry fails the run, so junit.xml must fail too")
	}
}

func TestBaselineGate(t *testing.T) {
	base := sampleDoc()
	b := BaselineOf("base.json", base)
	doc := sampleDoc()
	doc.Metadata.Baseline = b
	s := Evaluate(doc)
	if !s.Pass || len(s.Gate.Unchanged) == 0 {
		t.Fatalf("same verdicts as the baseline: pass %v, gate %+v", s.Pass, s.Gate)
	}
	// A passing spec now fails: worse than the baseline.
	doc.Report.SpecReports[0] = mkSpec("Discovery", "ServiceProviderConfig returns 200 with its schema", spec.LevelMust,
		[]string{"7644-4-02"}, failed("now broken"))
	// A failing spec now passes: improved.
	doc.Report.SpecReports[1] = mkSpec("Filtering", "returns 400 invalidFilter for a malformed filter", spec.LevelMust,
		[]string{"7644-3.4.2.2-14"})
	s = Evaluate(doc)
	if s.Pass || s.New[FAIL] != 1 || len(s.Gate.Improved) != 1 {
		t.Errorf("regression and improvement: pass %v, new %v, gate %+v", s.Pass, s.New, s.Gate)
	}
	d := Diff("a", base, "b", doc)
	if len(d.NewlyFailing) != 1 || len(d.Fixed) != 1 || !d.Regressed() {
		t.Errorf("diff = %+v", d)
	}
	var md bytes.Buffer
	if err := d.WriteMarkdown(&md); err != nil || !strings.Contains(md.String(), "### Newly failing (1)") || !strings.Contains(md.String(), "### Fixed (1)") {
		t.Errorf("markdown: %v\n%s", err, md.String())
	}
}
