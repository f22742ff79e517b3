package selftest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/reports"
)

// --expect and --baseline against the embedded reference server: the
// create-no-location fault makes the specs of 7644-3.3-09 FAIL; the specs
// of 7644-3.3-07 pass on it (create-returns-200 breaks them).

const (
	noLocationReq = "7644-3.3-09"
	returns200Req = "7644-3.3-07"
)

func writeExpect(t *testing.T, yaml string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "expect.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func junitOf(t *testing.T, res selftest.Result) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(res.Dir, reports.FileJUnit))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestExpectedFailureDoesNotFailTheRun(t *testing.T) {
	exp := writeExpect(t, `
- req: 7644-3.3-09
  verdict: FAIL
  reason: Location header lands in release 4.2
  link: https://tracker.example/SCIM-12
  expires: 2999-12-31
- spec: "No spec has this text"
  verdict: WARN
  reason: left over
`)
	res := selftest.Run(t, nil, "run", "--ref-fault", "create-no-location", "--req", noLocationReq, "--expect", exp)
	if res.ExitCode != 0 || res.Doc == nil {
		t.Fatalf("exit %d, want 0 (every failure expected)\nstdout:\n%s\nstderr:\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	if res.CountVerdict(reports.FAIL) == 0 {
		t.Fatalf("the fault made no spec FAIL: the verdict itself must stay FAIL")
	}
	for _, want := range []string{"EXPECTED (", "Location header lands in release 4.2", "NO NEW FAILURES",
		`note: expectation spec "No spec has this text" (WARN) matched no selected spec`} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, res.Stdout)
		}
	}
	es := res.Doc.Metadata.Expectations
	if len(es) != 2 || len(es[0].Matched) == 0 || es[0].Matched[0].Outcome != reports.OutcomeExpected || len(es[1].Matched) != 0 {
		t.Errorf("report.json expectations = %+v; want the first matched as expected, the second unmatched", es)
	}
	s := reports.Evaluate(*res.Doc)
	if !s.Pass || s.Gate == nil || len(s.Gate.Expected) != res.CountVerdict(reports.FAIL) {
		t.Errorf("report.json re-evaluated: pass %v, gate %+v", s.Pass, s.Gate)
	}
	junit := junitOf(t, res)
	if !strings.Contains(junit, `failures="0"`) || !strings.Contains(junit, "expected: Location header lands in release 4.2") {
		t.Errorf("junit.xml must show expected failures as skipped with 'expected: <reason>'")
	}
}

func TestUnexpectedPassFailsOnlyUnderStrict(t *testing.T) {
	exp := writeExpect(t, "- req: 7644-3.3-07\n  verdict: FAIL\n  reason: thought broken\n")
	res := selftest.Run(t, nil, "run", "--ref-fault", "create-no-location", "--req", returns200Req, "--level", "must", "--expect", exp,
		"--focus", "answers 201 Created for a new User")
	if res.ExitCode != 0 || !strings.Contains(res.Stdout, "UNEXPECTEDLY PASSING (1)") {
		t.Fatalf("without --strict: exit %d, want 0 and the spec reported unexpectedly passing\n%s\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	res = selftest.Run(t, nil, "run", "--ref-fault", "create-no-location", "--req", returns200Req, "--level", "must", "--expect", exp,
		"--focus", "answers 201 Created for a new User", "--strict")
	if res.ExitCode != 1 || !strings.Contains(res.Stdout, "unexpectedly passing spec under --strict") {
		t.Fatalf("with --strict: exit %d, want 1\n%s\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	if junit := junitOf(t, res); strings.Contains(junit, `failures="0"`) {
		t.Errorf("junit.xml must fail when the exit code does")
	}
}

func TestExpiredExpectationFailsTheRun(t *testing.T) {
	exp := writeExpect(t, "- req: 7644-3.3-09\n  verdict: FAIL\n  reason: was due long ago\n  expires: 2020-01-31\n")
	res := selftest.Run(t, nil, "run", "--ref-fault", "create-no-location", "--req", noLocationReq, "--expect", exp)
	if res.ExitCode != 1 || !strings.Contains(res.Stdout, "expired on 2020-01-31") {
		t.Fatalf("exit %d, want 1 with the expired entry named\n%s\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
}

func TestBadExpectAndBaselineAreUsageErrors(t *testing.T) {
	for name, yaml := range map[string]string{
		"bad yaml":        "- req: [\n",
		"unknown verdict": "- req: 7644-3.3-09\n  verdict: BROKEN\n  reason: r\n",
		"no reason":       "- req: 7644-3.3-09\n  verdict: FAIL\n",
		"bad date":        "- req: 7644-3.3-09\n  verdict: FAIL\n  reason: r\n  expires: 31.12.2026\n",
	} {
		res := selftest.Run(t, nil, "run", "--req", noLocationReq, "--expect", writeExpect(t, yaml))
		if res.ExitCode != 2 || strings.Count(strings.TrimSpace(res.Stderr), "\n") != 0 || !strings.Contains(res.Stderr, "expect:") {
			t.Errorf("%s: exit %d, stderr %q; want 2 and one line", name, res.ExitCode, res.Stderr)
		}
	}
	res := selftest.Run(t, nil, "run", "--req", noLocationReq, "--baseline", filepath.Join(t.TempDir(), "missing.json"))
	if res.ExitCode != 2 || !strings.Contains(res.Stderr, "baseline:") {
		t.Errorf("missing baseline: exit %d, stderr %q; want 2", res.ExitCode, res.Stderr)
	}
}

func TestBaselineGatesOnlyWorseVerdicts(t *testing.T) {
	sel := []string{"--req", noLocationReq, "--req", returns200Req}
	base := selftest.Run(t, nil, append([]string{"run", "--ref-fault", "create-no-location"}, sel...)...)
	if base.ExitCode != 1 || base.Doc == nil {
		t.Fatalf("baseline run: exit %d, want 1\n%s", base.ExitCode, base.Stderr)
	}
	baseline := filepath.Join(base.Dir, reports.FileJSON)
	same := selftest.Run(t, nil, append([]string{"run", "--ref-fault", "create-no-location", "--baseline", baseline}, sel...)...)
	if same.ExitCode != 0 || !strings.Contains(same.Stdout, "as in the baseline") {
		t.Fatalf("same fault against its baseline: exit %d, want 0\n%s\n%s", same.ExitCode, same.Stdout, same.Stderr)
	}
	other := selftest.Run(t, nil, append([]string{"run", "--ref-fault", "create-returns-200", "--baseline", baseline}, sel...)...)
	if other.ExitCode != 1 || !strings.Contains(other.Stdout, "Improved since the baseline") {
		t.Fatalf("another fault against the baseline: exit %d, want 1 and the fixed specs reported improved\n%s\n%s",
			other.ExitCode, other.Stdout, other.Stderr)
	}
}

func TestDiffOfCleanAndFaultyReports(t *testing.T) {
	clean := selftest.Run(t, nil, "run", "--req", noLocationReq)
	faulty := selftest.Run(t, nil, "run", "--ref-fault", "create-no-location", "--req", noLocationReq)
	if clean.ExitCode != 0 || faulty.ExitCode != 1 {
		t.Fatalf("runs: exit %d and %d, want 0 and 1", clean.ExitCode, faulty.ExitCode)
	}
	a, b := filepath.Join(clean.Dir, reports.FileJSON), filepath.Join(faulty.Dir, reports.FileJSON)
	md := filepath.Join(t.TempDir(), "diff.md")
	res := selftest.Run(t, nil, "diff", a, b, "--md", md)
	if res.ExitCode != 1 || !strings.Contains(res.Stdout, "Newly failing (") || !strings.Contains(res.Stdout, "PASS") {
		t.Fatalf("diff clean→faulty: exit %d, want 1\n%s\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	data, err := os.ReadFile(md)
	if err != nil || !strings.Contains(string(data), "### Newly failing") {
		t.Errorf("diff.md: %v\n%s", err, data)
	}
	res = selftest.Run(t, nil, "diff", b, a)
	if res.ExitCode != 0 || !strings.Contains(res.Stdout, "Fixed (") || !strings.Contains(res.Stdout, "NO NEW FAILURES") {
		t.Errorf("diff faulty→clean: exit %d, want 0 with the specs fixed\n%s", res.ExitCode, res.Stdout)
	}
	if res := selftest.Run(t, nil, "diff", a); res.ExitCode != 2 {
		t.Errorf("diff with one report: exit %d, want 2", res.ExitCode)
	}
	if res := selftest.Run(t, nil, "diff", a, md); res.ExitCode != 2 {
		t.Errorf("diff with a Markdown file as report: exit %d, want 2", res.ExitCode)
	}
}
