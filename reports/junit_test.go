package reports

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
)

func readJUnit(t *testing.T, path string) reporters.JUnitTestSuites {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var suites reporters.JUnitTestSuites
	if err := xml.Unmarshal(data, &suites); err != nil {
		t.Fatalf("junit.xml does not parse as XML: %v", err)
	}
	if len(suites.TestSuites) != 1 {
		t.Fatalf("want 1 testsuite, got %d", len(suites.TestSuites))
	}
	return suites
}

// caseByText finds the test case whose name contains text.
func caseByText(t *testing.T, s reporters.JUnitTestSuite, text string) reporters.JUnitTestCase {
	t.Helper()
	for _, c := range s.TestCases {
		if strings.Contains(c.Name, text) {
			return c
		}
	}
	t.Fatalf("no test case contains %q", text)
	return reporters.JUnitTestCase{}
}

func TestJUnitVerdicts(t *testing.T) {
	for _, strict := range []bool{false, true} {
		name := map[bool]string{false: "lenient", true: "strict"}[strict]
		t.Run(name, func(t *testing.T) {
			doc := sampleDoc()
			path := filepath.Join(t.TempDir(), "junit.xml")
			if err := WriteJUnit(path, doc, strict); err != nil {
				t.Fatal(err)
			}
			suites := readJUnit(t, path)
			suite := suites.TestSuites[0]
			doc.Metadata.Strict = strict
			s := Evaluate(doc)

			// Counts agree with Evaluate.
			wantFailOrErr := s.Totals[FAIL] + s.Totals[ERROR]
			wantSkipped := s.Totals[NotSupported] + s.Totals[SKIPPED]
			if strict {
				wantFailOrErr += s.Totals[WARN]
			} else {
				wantSkipped += s.Totals[WARN]
			}
			if got := suite.Failures + suite.Errors; got != wantFailOrErr {
				t.Errorf("failures+errors = %d, want %d", got, wantFailOrErr)
			}
			if suite.Skipped != wantSkipped {
				t.Errorf("skipped = %d, want %d", suite.Skipped, wantSkipped)
			}
			if suite.Tests != len(s.Results) {
				t.Errorf("tests = %d, want %d", suite.Tests, len(s.Results))
			}
			if got := suite.Properties.WithName("SuiteSucceeded"); got != "false" {
				t.Errorf("SuiteSucceeded = %q, want false (FAIL and ERROR present)", got)
			}

			// WARN: skipped with "WARN: " or failed under strict.
			for _, text := range []string{"advertises a documentationUri", "accepts attribute names case-insensitively", "rejects an invalid cursor"} {
				c := caseByText(t, suite, text)
				switch {
				case strict && (c.Failure == nil || !strings.Contains(c.Failure.Message, "WARN: ")):
					t.Errorf("%s: strict WARN must be a failure with a WARN message, got %+v", text, c)
				case !strict && (c.Skipped == nil || !strings.Contains(c.Skipped.Message, "WARN: ")):
					t.Errorf("%s: WARN must be skipped with a WARN message, got %+v", text, c)
				}
			}
			if c := caseByText(t, suite, "accepts attribute names"); !strings.Contains(junitMessage(c), "different case") {
				t.Errorf("passed-with-warning spec must carry its warning, got %q", junitMessage(c))
			}
			// FAIL and ERROR stay failures; NOT SUPPORTED stays skipped.
			// Each message starts with its finding's id.
			if c := caseByText(t, suite, "malformed filter"); c.Failure == nil || !strings.HasPrefix(c.Failure.Message, "[F1] FAIL: ") {
				t.Errorf("FAIL spec: %+v", c.Failure)
			}
			if c := caseByText(t, suite, "returns 404 after delete"); c.Failure == nil || !strings.HasPrefix(c.Failure.Message, "[F3] ERROR: ") {
				t.Errorf("ERROR spec: %+v", c.Failure)
			}
			if c := caseByText(t, suite, "startIndex 1 by default"); c.Error == nil || !strings.HasPrefix(c.Error.Message, "[F2] ") {
				t.Errorf("panicked spec: %+v", c.Error)
			}
			if c := caseByText(t, suite, "accepts attribute names"); !strings.Contains(junitMessage(c), "[W1] WARN: ") {
				t.Errorf("WARN spec: %q", junitMessage(c))
			}
			// The suite says how many failing specs come from how many findings.
			wantReason := "3 failing specs from 3 findings"
			if strict {
				wantReason = "6 failing specs from 6 findings"
			}
			if got := suiteProperty(suite, "SpecialSuiteFailureReason"); got != wantReason {
				t.Errorf("SpecialSuiteFailureReason = %q, want %q", got, wantReason)
			}
			if c := caseByText(t, suite, "startIndex 1 by default"); c.Error == nil || c.Error.Type != "panicked" {
				t.Errorf("panicked spec must be a junit error, got %+v", c)
			}
			if c := caseByText(t, suite, "applies operations atomically"); c.Skipped == nil || !strings.Contains(c.Skipped.Message, "unsupported: ") {
				t.Errorf("NOT SUPPORTED spec: %+v", c.Skipped)
			}
			// The transcript is in system-err.
			if c := caseByText(t, suite, "malformed filter"); !strings.Contains(c.SystemErr, "/Users?filter=userName+eq") {
				t.Errorf("transcript missing from system-err: %q", c.SystemErr)
			}
			// Sorted by name.
			names := make([]string, 0, len(suite.TestCases))
			for _, c := range suite.TestCases {
				names = append(names, strings.TrimPrefix(c.Name, "[It] "))
			}
			if !sort.StringsAreSorted(names) {
				t.Errorf("test cases are not sorted: %q", names)
			}
		})
	}
}

func junitMessage(c reporters.JUnitTestCase) string {
	switch {
	case c.Failure != nil:
		return c.Failure.Message
	case c.Skipped != nil:
		return c.Skipped.Message
	case c.Error != nil:
		return c.Error.Message
	}
	return ""
}

func TestJUnitAgreesWithGate(t *testing.T) {
	doc := sampleDoc()
	// Keep only PASS, SHOULD-failed (WARN) and NOT SUPPORTED specs: conformant
	// unless strict.
	keep := map[string]bool{"ServiceProviderConfig returns 200 with its schema": true,
		"advertises a documentationUri": true, "applies operations atomically": true}
	var specs types.SpecReports
	for _, sr := range doc.Report.SpecReports {
		if keep[sr.LeafNodeText] {
			specs = append(specs, sr)
		}
	}
	doc.Report.SpecReports = specs
	for _, strict := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "junit.xml")
		if err := WriteJUnit(path, doc, strict); err != nil {
			t.Fatal(err)
		}
		suites := readJUnit(t, path)
		bad := suites.Failures + suites.Errors
		doc.Metadata.Strict = strict
		pass := Evaluate(doc).Pass
		if (bad > 0) == pass {
			t.Errorf("strict=%v: junit has %d failures/errors but the run passes: %v", strict, bad, pass)
		}
		want := map[bool]string{false: "true", true: "false"}[strict]
		if got := suites.TestSuites[0].Properties.WithName("SuiteSucceeded"); got != want {
			t.Errorf("strict=%v: SuiteSucceeded = %s, want %s", strict, got, want)
		}
	}
}

func TestJUnitSuiteNodes(t *testing.T) {
	doc := sampleDoc()
	doc.Report.SpecReports = append(doc.Report.SpecReports,
		types.SpecReport{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed},
		types.SpecReport{LeafNodeType: types.NodeTypeAfterSuite, LeafNodeText: "sweep", State: types.SpecStateFailed,
			Failure: types.Failure{Message: "sweep failed"}})
	path := filepath.Join(t.TempDir(), "junit.xml")
	if err := WriteJUnit(path, doc, false); err != nil {
		t.Fatal(err)
	}
	suite := readJUnit(t, path).TestSuites[0]
	if suite.Tests != len(sampleSpecs())+1 {
		t.Errorf("tests = %d: a passed BeforeSuite must be left out, a failed AfterSuite kept", suite.Tests)
	}
	if c := caseByText(t, suite, "AfterSuite"); c.Failure == nil {
		t.Errorf("failed AfterSuite must be a failure: %+v", c)
	}
}

func TestWriteJUnitBadPath(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteJUnit(filepath.Join(blocker, "junit.xml"), sampleDoc(), false); err == nil {
		t.Fatal("want an error when the directory cannot be created")
	}
}

func suiteProperty(suite reporters.JUnitTestSuite, name string) string {
	for _, p := range suite.Properties.Properties {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

// TestJUnitClassnamesGroupByArea: each test case's classname is
// scimconform.<area> of its innermost area label, the gate's own cases and
// failed suite nodes have their own classes, and every spec carries its
// verdict (and its excuse or contradicted expectation) as properties.
func TestJUnitClassnamesGroupByArea(t *testing.T) {
	doc := sampleDoc()
	for i, sr := range doc.Report.SpecReports {
		switch sr.LeafNodeText {
		case "returns 400 invalidFilter for a malformed filter":
			doc.Report.SpecReports[i].ContainerHierarchyLabels = [][]string{{"area:filter"}}
		case "returns 404 after delete":
			doc.Report.SpecReports[i].ContainerHierarchyLabels = [][]string{{"area:etag"}, {"area:delete"}}
		case "publishes the core User schema":
			doc.Report.SpecReports[i].ContainerHierarchyLabels = nil
		}
	}
	doc.Report.SpecReports = append(doc.Report.SpecReports, types.SpecReport{LeafNodeType: types.NodeTypeAfterSuite,
		LeafNodeText: "sweep", State: types.SpecStateFailed, Failure: types.Failure{Message: "sweep failed"}})
	doc.Metadata.Expectations = expectAll(t, "- req: 7644-3.10-01\n  verdict: WARN\n  reason: case echo\n  expires: 2001-01-01\n")
	doc.Metadata.Strict = true
	path := filepath.Join(t.TempDir(), "junit.xml")
	if err := WriteJUnit(path, doc, true); err != nil {
		t.Fatal(err)
	}
	suite := readJUnit(t, path).TestSuites[0]
	if suite.Package != "" {
		t.Errorf("package = %q, want empty (it was the run's working directory)", suite.Package)
	}
	props := func(c reporters.JUnitTestCase) map[string]string {
		m := map[string]string{}
		if c.Properties != nil {
			for _, p := range c.Properties.Properties {
				m[p.Name] = p.Value
			}
		}
		return m
	}
	for _, tc := range []struct{ text, class, verdict, prop, value string }{
		{"malformed filter", "scimconform.filter", "FAIL", "excuse", "expected: filter parser rewrite"},
		{"returns 404 after delete", "scimconform.delete", "ERROR", "excuse", "expected: flaky staging"},
		{"publishes the core User schema", "scimconform.other", "SKIPPED", "", ""},
		{"advertises a documentationUri", "scimconform.test", "WARN", "", ""},
		{"ServiceProviderConfig returns 200", "scimconform.test", "PASS", "expectation", "unexpectedly passing: expected FAIL (thought broken); remove the entry"},
		{"AfterSuite", "scimconform.suite", "ERROR", "", ""},
		{"req 7644-3.10-01 expired", "scimconform.expectations", "", "", ""},
		{"(unexpectedly passing)", "scimconform.expectations", "", "", ""},
	} {
		c := caseByText(t, suite, tc.text)
		p := props(c)
		if c.Classname != tc.class || p["verdict"] != tc.verdict {
			t.Errorf("%s: classname %q verdict %q, want %q %q", tc.text, c.Classname, p["verdict"], tc.class, tc.verdict)
		}
		if tc.prop != "" && p[tc.prop] != tc.value {
			t.Errorf("%s: property %s = %q, want %q", tc.text, tc.prop, p[tc.prop], tc.value)
		}
	}
	if c := caseByText(t, suite, "malformed filter"); c.Skipped == nil || !strings.Contains(c.Skipped.Message, "expected: filter parser rewrite") {
		t.Errorf("an expected FAIL must be skipped with its reason: %+v", c)
	}
	if c := caseByText(t, suite, "malformed filter"); !strings.Contains(c.SystemErr, "/Users?filter=userName+eq") {
		t.Error("the rewrite lost the transcript in system-err")
	}
}
