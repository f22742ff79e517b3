package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/runner"
)

// ciRun is one run of the built binary the way a CI job makes it: in its
// own working directory, reports into the relative directory out, with
// --summary-md and an --expect file, against the embedded server broken by
// two faults (so there are new failures, expected failures, findings and
// code locations in every artifact).
type ciRun struct {
	cwd, out string
	exit     int
	doc      reports.Document
}

// ciExpect expects the failures of the sort-ignored fault.
const ciExpect = `expectations:
  - req: 7644-3.4.2.3-03
    verdict: FAIL
    reason: sorting lands in release 2 | see <the tracker>
    link: https://tracker.example/SCIM-1
`

func runLikeCI(t *testing.T) ciRun {
	t.Helper()
	bin := selftest.Binary(t)
	r := ciRun{cwd: t.TempDir()}
	r.out = filepath.Join(r.cwd, "out")
	if err := os.WriteFile(filepath.Join(r.cwd, "expect.yaml"), []byte(ciExpect), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "run", "--section", "7644/3.4.2", "--ref-fault", "filter-co-as-sw", "--ref-fault", "sort-ignored",
		"--expect", "expect.yaml", "--out", "out", "--summary-md", "out/summary.md")
	cmd.Dir = r.cwd
	cmd.Env = append(cleanEnvForSim(), "NO_COLOR=1") // no SCIMCONFORM_* of the developer
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.exit = exit.ExitCode()
	case err != nil:
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	if r.exit != runner.ExitNotConformant {
		t.Fatalf("exit %d, want 1 (filter-co-as-sw is not expected)\n%s", r.exit, stderr.String())
	}
	doc, err := reports.ReadJSON(filepath.Join(r.out, reports.FileJSON))
	if err != nil {
		t.Fatal(err)
	}
	r.doc = doc
	return r
}

// TestCIArtifactsHoldNoLocalPath: no artifact of a run (junit.xml,
// report.json, report.html, exchanges.har, the Markdown summary) names the
// checkout that built the binary, $HOME (the module cache lives there) or
// the run's working directory; code locations are module-relative.
func TestCIArtifactsHoldNoLocalPath(t *testing.T) {
	t.Parallel()
	r := runLikeCI(t)
	_, self, _, _ := runtime.Caller(0)
	checkout := filepath.Dir(filepath.Dir(filepath.Dir(self)))
	local := map[string]string{"the checkout": checkout, "the working directory": r.cwd}
	if home, _ := os.UserHomeDir(); len(home) > 1 {
		local["$HOME"] = home
	}
	sawLocation := false
	for _, name := range []string{reports.FileJUnit, reports.FileJSON, reports.FileHTML, reports.FileHAR, "summary.md"} {
		data := readFile(t, filepath.Join(r.out, name))
		for what, path := range local {
			if i := strings.Index(data, path); i >= 0 {
				t.Errorf("%s holds %s (%s): …%s…", name, what, path, data[max(0, i-80):min(len(data), i+len(path)+80)])
			}
		}
		sawLocation = sawLocation || strings.Contains(data, "suites/filter")
	}
	if !sawLocation {
		t.Error("no artifact names a module-relative location like suites/filter*.go: were the locations dropped?")
	}
}

// TestCIJUnitReadByARealConsumer feeds junit.xml to python3-junitparser, a
// JUnit reader CI tools use, and checks that what it reads agrees with
// report.json: the number of test cases, failures, skips and passes, and
// one classname per area. Skipped when the consumer is not installed.
func TestCIJUnitReadByARealConsumer(t *testing.T) {
	t.Parallel()
	python := junitConsumer(t)
	r := runLikeCI(t)
	out, err := exec.Command(python, "-c", junitparserScript, filepath.Join(r.out, reports.FileJUnit)).CombinedOutput()
	if err != nil {
		t.Fatalf("junitparser could not read junit.xml: %v\n%s", err, out)
	}
	var got junitCounts
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("junitparser output: %v\n%s", err, out)
	}
	want := expectedJUnitCounts(r.doc)
	t.Logf("junitparser: %d tests, %d failed, %d skipped (%d expected failures), %d passed; classes %v",
		got.Tests, got.Failed, got.Skipped, got.ExpectedSkips, got.Passed, got.Classes)
	if got.Tests != want.Tests || got.Failed != want.Failed || got.Skipped != want.Skipped || got.Passed != want.Passed {
		t.Errorf("junitparser reads tests %d, failed %d, skipped %d, passed %d; report.json says %d, %d, %d, %d",
			got.Tests, got.Failed, got.Skipped, got.Passed, want.Tests, want.Failed, want.Skipped, want.Passed)
	}
	if got.SuiteTests != got.Tests || got.SuiteFailures != got.Failed || got.SuiteSkipped != got.Skipped {
		t.Errorf("the testsuite attributes (%d tests, %d failures+errors, %d skipped) disagree with its test cases",
			got.SuiteTests, got.SuiteFailures, got.SuiteSkipped)
	}
	for _, class := range []string{"scimconform.filter", "scimconform.sort"} {
		if got.Classes[class] == 0 {
			t.Errorf("no test case of class %s; classes: %v", class, got.Classes)
		}
	}
	if n := got.Classes["scimconform"]; n > 0 {
		t.Errorf("%d test cases still carry the suite's name as classname", n)
	}
	if got.ExpectedSkips == 0 {
		t.Error("no expected failure is read as skipped with 'expected: <reason>'")
	}
}

// junitCounts is what the consumer script prints.
type junitCounts struct {
	Tests, Failed, Skipped, Passed          int
	SuiteTests, SuiteFailures, SuiteSkipped int
	ExpectedSkips                           int `json:"expected_skips"`
	Classes                                 map[string]int
}

// expectedJUnitCounts derives junit.xml's counts from report.json, by the
// mapping README's JUnit table documents.
func expectedJUnitCounts(doc reports.Document) junitCounts {
	s := reports.Evaluate(doc)
	var c junitCounts
	strict := doc.Metadata.Strict
	for _, res := range s.Results { // specs the selection left out are skipped test cases too
		c.Tests++
		switch {
		case res.Excuse != "":
			c.Skipped++
		case res.Verdict == reports.FAIL || res.Verdict == reports.ERROR || (res.Verdict == reports.WARN && strict):
			c.Failed++
		case res.Verdict == reports.PASS:
			c.Passed++
		default: // WARN, NOT SUPPORTED, SKIPPED
			c.Skipped++
		}
	}
	if g := s.Gate; g != nil {
		n := len(g.Expired)
		if strict {
			n += len(g.UnexpectedPass)
		}
		c.Tests += n
		c.Failed += n
	}
	return c
}

// junitConsumer finds a python3 that can import junitparser, or skips.
func junitConsumer(t *testing.T) string {
	t.Helper()
	for _, python := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(python, "-c", "import junitparser").Run() == nil {
			return python
		}
	}
	t.Skip("JUnit consumer absent: install python3-junitparser (Debian/Ubuntu: apt-get install python3-junitparser; elsewhere: pip install junitparser) to check junit.xml with it")
	return ""
}

// junitparserScript reads junit.xml with junitparser and prints its counts.
const junitparserScript = `
import json, sys
from collections import Counter
from junitparser import JUnitXml, Failure, Error, Skipped
xml = JUnitXml.fromfile(sys.argv[1])
c = {"tests": 0, "failed": 0, "skipped": 0, "passed": 0, "expected_skips": 0,
     "suitetests": 0, "suitefailures": 0, "suiteskipped": 0}
classes = Counter()
for suite in xml:
    c["suitetests"] += suite.tests
    c["suitefailures"] += suite.failures + suite.errors
    c["suiteskipped"] += suite.skipped
    for case in suite:
        c["tests"] += 1
        classes[case.classname] += 1
        kinds = [type(r) for r in case.result]
        if Failure in kinds or Error in kinds:
            c["failed"] += 1
        elif Skipped in kinds:
            c["skipped"] += 1
            if any("expected: " in (r.message or "") for r in case.result):
                c["expected_skips"] += 1
        else:
            c["passed"] += 1
c["classes"] = classes
print(json.dumps(c))
`
