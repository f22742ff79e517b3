package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/runner"
)

// These tests check what a run does to the target and writes, end to end:
// the artifacts agree with each other and with the exit code, the HAR holds
// every exchange, selection flags select, and test data is named, swept,
// kept and reported as README promises.

// harFile is the part of exchanges.har the tests read.
type harFile struct {
	Log struct {
		Version string `json:"version"`
		Creator struct {
			Name string `json:"name"`
		} `json:"creator"`
		Entries []struct {
			Request struct {
				Method   string `json:"method"`
				URL      string `json:"url"`
				PostData *struct {
					Text string `json:"text"`
				} `json:"postData"`
			} `json:"request"`
			Response struct {
				Status int `json:"status"`
			} `json:"response"`
			Seq  int    `json:"_seq"`
			Spec string `json:"_spec"`
		} `json:"entries"`
	} `json:"log"`
}

func readHAR(t *testing.T, dir string) harFile {
	t.Helper()
	var h harFile
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, reports.FileHAR))), &h); err != nil {
		t.Fatalf("exchanges.har is not JSON: %v", err)
	}
	return h
}

// junitFailures reads the failures and errors counts of junit.xml.
func junitFailures(t *testing.T, dir string) int {
	t.Helper()
	var suites struct {
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
		Tests    int `xml:"tests,attr"`
	}
	if err := xml.Unmarshal([]byte(readFile(t, filepath.Join(dir, reports.FileJUnit))), &suites); err != nil {
		t.Fatalf("junit.xml: %v", err)
	}
	if suites.Tests == 0 {
		t.Fatal("junit.xml has no test case")
	}
	return suites.Failures + suites.Errors
}

func TestRunArtifactsHoldEveryExchangeAndTheMetadata(t *testing.T) {
	t.Parallel()
	// --transcripts all: the prefix check reads the bodies of passing creates.
	res := selftest.Run(t, nil, "run", "--section", "7644/3.3", "--seed", "99", "--transcripts", "all")
	if res.ExitCode != 0 || res.Doc == nil {
		t.Fatalf("exit %d\n%s\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	if n := junitFailures(t, res.Dir); n != 0 {
		t.Errorf("exit 0 but junit.xml counts %d failures", n)
	}
	m := res.Doc.Metadata
	if m.Version == "" || m.Seed != 99 || !strings.HasPrefix(m.Prefix, "scimconform-") || len(m.Capabilities) == 0 {
		t.Errorf("metadata: version %q seed %d prefix %q, %d capabilities", m.Version, m.Seed, m.Prefix, len(m.Capabilities))
	}
	for _, c := range m.Capabilities {
		if c.Source == "" {
			t.Errorf("capability %s has no source", c.Feature)
		}
	}
	if m.Config["auth"] == nil || m.Config["sections"] == nil {
		t.Errorf("the effective configuration is missing: %v", m.Config)
	}

	h := readHAR(t, res.Dir)
	if h.Log.Version != "1.2" || h.Log.Creator.Name != "scimconform" || len(h.Log.Entries) < 4 {
		t.Fatalf("HAR: version %q creator %q, %d entries", h.Log.Version, h.Log.Creator.Name, len(h.Log.Entries))
	}
	// Preflight first, without a spec; then the specs' exchanges; then the
	// final sweep's listing of this run's prefix, without a spec.
	for i, path := range []string{"/ServiceProviderConfig", "/ResourceTypes", "/Schemas"} {
		e := h.Log.Entries[i]
		if e.Request.Method != http.MethodGet || !strings.HasSuffix(e.Request.URL, path) || e.Spec != "" {
			t.Errorf("HAR entry %d is %s %s (spec %q), want the preflight GET %s", i, e.Request.Method, e.Request.URL, e.Spec, path)
		}
	}
	last := h.Log.Entries[len(h.Log.Entries)-1]
	if u, _ := url.QueryUnescape(last.Request.URL); last.Spec != "" || !strings.Contains(u, `sw "`+m.Prefix+`"`) {
		t.Errorf("the last HAR entry should be the sweep's listing of the prefix, got %s %s", last.Request.Method, u)
	}
	inSpecs := 0
	for _, r := range reports.Evaluate(*res.Doc).Results {
		inSpecs += len(r.Exchanges)
	}
	withSpec := 0
	for i, e := range h.Log.Entries {
		if e.Seq != i+1 {
			t.Fatalf("HAR entry %d has _seq %d: exchanges are missing or out of order", i, e.Seq)
		}
		if e.Spec != "" {
			withSpec++
		}
	}
	if withSpec != inSpecs {
		t.Errorf("the HAR holds %d spec exchanges, the specs recorded %d", withSpec, inSpecs)
	}
	assertCreatesCarryPrefix(t, h, m.Prefix)
}

// assertCreatesCarryPrefix checks every successful POST to /Users or
// /Groups names the resource with the run prefix.
func assertCreatesCarryPrefix(t *testing.T, h harFile, prefix string) {
	t.Helper()
	creates := 0
	for _, e := range h.Log.Entries {
		r := e.Request
		if r.Method != http.MethodPost || e.Response.Status >= 300 || r.PostData == nil ||
			!(strings.HasSuffix(r.URL, "/Users") || strings.HasSuffix(r.URL, "/Groups")) {
			continue
		}
		var body struct {
			UserName    string `json:"userName"`
			DisplayName string `json:"displayName"`
		}
		if err := json.Unmarshal([]byte(r.PostData.Text), &body); err != nil {
			t.Errorf("POST %s body: %v", r.URL, err)
			continue
		}
		name := body.UserName
		if strings.HasSuffix(r.URL, "/Groups") {
			name = body.DisplayName
		}
		creates++
		if !strings.HasPrefix(name, prefix) {
			t.Errorf("%s created %q without the run prefix %s", e.Spec, name, prefix)
		}
	}
	if creates == 0 {
		t.Error("the run created nothing: the prefix check checked nothing")
	}
}

// shouldFault is the first fault switch that breaks a SHOULD requirement.
func shouldFault(t *testing.T) (name, req string) {
	t.Helper()
	cat, err := spec.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range refserver.AllFaults() {
		if r, ok := cat.Get(f.Req); ok && r.Keyword == "SHOULD" {
			return f.Name, f.Req
		}
	}
	t.Fatal("no fault switch breaks a SHOULD requirement")
	return "", ""
}

func TestJUnitAgreesWithExitCodeWithAndWithoutStrict(t *testing.T) {
	t.Parallel()
	name, req := shouldFault(t)
	for _, strict := range []bool{false, true} {
		args := []string{"run", "--ref-fault", name, "--req", req}
		want := runner.ExitConformant
		if strict {
			args, want = append(args, "--strict"), runner.ExitNotConformant
		}
		res := selftest.Run(t, nil, args...)
		if res.Doc == nil || countVerdicts(res, reports.WARN) == 0 {
			t.Fatalf("strict=%v: fault %s should give a WARN on %s: exit %d\n%s", strict, name, req, res.ExitCode, res.Stdout)
		}
		if res.ExitCode != want {
			t.Errorf("strict=%v: exit %d, want %d", strict, res.ExitCode, want)
		}
		if failures := junitFailures(t, res.Dir); (failures == 0) != (res.ExitCode == 0) {
			t.Errorf("strict=%v: exit %d but junit.xml counts %d failures", strict, res.ExitCode, failures)
		}
	}
}

func countVerdicts(res selftest.Result, v reports.Verdict) int {
	n := 0
	for _, got := range res.Verdicts() {
		if got == v {
			n++
		}
	}
	return n
}

func TestReadOnlyRunWritesNothing(t *testing.T) {
	t.Parallel()
	res := selftest.Run(t, nil, "run", "--read-only")
	if res.ExitCode != 0 || res.Doc == nil {
		t.Fatalf("exit %d\n%s", res.ExitCode, res.Stderr)
	}
	if c := res.Doc.Metadata.Cleanup; c.Created != 0 || len(c.Swept) != 0 {
		t.Errorf("a read-only run created %d and swept %d resources", c.Created, len(c.Swept))
	}
	if !strings.Contains(res.Stdout, "Test data: 0 created") {
		t.Errorf("the summary should say nothing was created:\n%s", res.Stdout)
	}
	for _, r := range reports.Evaluate(*res.Doc).Results {
		if r.Verdict == reports.SKIPPED {
			continue // left out by the selection
		}
		for _, l := range r.Labels {
			if l == spec.LabelMutating {
				t.Errorf("a mutating spec is in a read-only run: %s", r.Name)
			}
		}
	}
	for _, e := range readHAR(t, res.Dir).Log.Entries {
		m := e.Request.Method
		if m == http.MethodGet || (m == http.MethodPost && strings.HasSuffix(e.Request.URL, "/.search")) {
			continue
		}
		t.Errorf("a read-only run sent %s %s (%s)", m, e.Request.URL, e.Spec)
	}
}

// listed runs `list --format json` with the selection flags.
func listed(t *testing.T, flags ...string) []struct {
	Text     string   `json:"text"`
	Reqs     []string `json:"reqs"`
	Sections []string `json:"sections"`
	Level    string   `json:"level"`
	Labels   []string `json:"labels"`
} {
	t.Helper()
	res := selftest.Run(t, nil, append([]string{"list", "--format", "json"}, flags...)...)
	if res.ExitCode != 0 {
		t.Fatalf("list %v: exit %d: %s", flags, res.ExitCode, res.Stderr)
	}
	var out struct {
		Specs []struct {
			Text     string   `json:"text"`
			Reqs     []string `json:"reqs"`
			Sections []string `json:"sections"`
			Level    string   `json:"level"`
			Labels   []string `json:"labels"`
		} `json:"specs"`
	}
	if err := json.Unmarshal([]byte(res.Stdout), &out); err != nil || len(out.Specs) == 0 {
		t.Fatalf("list %v: %d specs, %v", flags, len(out.Specs), err)
	}
	return out.Specs
}

func TestSelectionFlagsSelect(t *testing.T) {
	t.Parallel()
	all := len(listed(t))
	has := func(list []string, ok func(string) bool) bool {
		for _, s := range list {
			if ok(s) {
				return true
			}
		}
		return false
	}
	focus := regexp.MustCompile(`Discovery.*Schemas`)
	cases := []struct {
		flags []string
		keep  func(text string, reqs, sections, labels []string, level string) bool
	}{
		{[]string{"--label-filter", "area:filter"}, func(_ string, _, _, labels []string, _ string) bool {
			return has(labels, func(l string) bool { return l == "area:filter" })
		}},
		{[]string{"--section", "7644/3.5.2"}, func(_ string, _, sections, _ []string, _ string) bool {
			return has(sections, func(s string) bool { return s == "7644 3.5.2" || strings.HasPrefix(s, "7644 3.5.2.") })
		}},
		{[]string{"--level", "must,should"}, func(_ string, _, _, _ []string, level string) bool { return level == "must" || level == "should" }},
		{[]string{"--req", "7644-3.4.2.2-04"}, func(_ string, reqs, _, _ []string, _ string) bool {
			return has(reqs, func(r string) bool { return r == "7644-3.4.2.2-04" })
		}},
		{[]string{"--read-only"}, func(_ string, _, _, labels []string, _ string) bool {
			return !has(labels, func(l string) bool { return l == spec.LabelMutating })
		}},
		{[]string{"--focus", focus.String()}, func(text string, _, _, _ []string, _ string) bool { return focus.MatchString(text) }},
	}
	for _, c := range cases {
		specs := listed(t, c.flags...)
		if len(specs) >= all {
			t.Errorf("%v keeps all %d specs", c.flags, all)
		}
		for _, s := range specs {
			if !c.keep(s.Text, s.Reqs, s.Sections, s.Labels, s.Level) {
				t.Errorf("%v keeps %q (reqs %v, sections %v, level %s)", c.flags, s.Text, s.Reqs, s.Sections, s.Level)
			}
		}
	}
	// A run selects what list shows.
	want := len(listed(t, "--section", "7644/4"))
	res := selftest.Run(t, nil, "run", "--section", "7644/4")
	if !strings.Contains(res.Stdout, fmt.Sprintf(": %d specs selected,", want)) {
		t.Errorf("run --section 7644/4 should select the %d specs list shows:\n%s", want, firstLine(res.Stdout))
	}
}

// specLines are the verdict lines of a run's progress, without durations.
func specLines(out string) []string {
	dur := regexp.MustCompile(` \([^()]*\)$`)
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "PASS ") || strings.HasPrefix(l, "FAIL ") || strings.HasPrefix(l, "WARN ") {
			lines = append(lines, dur.ReplaceAllString(l, ""))
		}
	}
	return lines
}

func TestSeedRepeatsTheOrder(t *testing.T) {
	t.Parallel()
	args := []string{"run", "--level", "may", "--read-only", "--seed", "7"}
	a, b := selftest.Run(t, nil, args...), selftest.Run(t, nil, args...)
	la, lb := specLines(a.Stdout), specLines(b.Stdout)
	if len(la) < 2 || strings.Join(la, "\n") != strings.Join(lb, "\n") {
		t.Errorf("the same seed gave two orders:\n%s\n---\n%s", strings.Join(la, "\n"), strings.Join(lb, "\n"))
	}
	if a.Doc == nil || a.Doc.Metadata.Seed != 7 || !strings.Contains(a.Stdout, "seed 7") {
		t.Error("the seed is not reported")
	}
}

func TestFailFastStopsAtTheFirstFailure(t *testing.T) {
	t.Parallel()
	res := selftest.Run(t, nil, "run", "--ref-fault", "create-no-location", "--section", "7644/3.3", "--fail-fast")
	if res.ExitCode != runner.ExitNotConformant || res.Doc == nil {
		t.Fatalf("exit %d\n%s", res.ExitCode, res.Stderr)
	}
	if n := countVerdicts(res, reports.FAIL); n != 1 {
		t.Errorf("--fail-fast: %d FAIL, want exactly 1 (the fault fails two specs)", n)
	}
	if !strings.Contains(res.Stdout, "--fail-fast stopped the run after the first failure") {
		t.Errorf("the summary does not say why specs did not run:\n%s", res.Stdout)
	}
}

func TestVerbosePrintsExchanges(t *testing.T) {
	t.Parallel()
	res := selftest.Run(t, nil, "run", "--req", "7644-4-02", "-v")
	if res.ExitCode != 0 || !strings.Contains(res.Stdout, "> GET http://127.0.0.1:") || !strings.Contains(res.Stdout, "< 200 OK") {
		t.Errorf("-v must print the exchanges of passing specs too:\n%s", res.Stdout)
	}
	quiet := selftest.Run(t, nil, "run", "--req", "7644-4-02")
	if strings.Contains(quiet.Stdout, "> GET") {
		t.Error("without -v no exchange is printed")
	}
}

func TestTotalTimeoutStopsTheRunAndReports(t *testing.T) {
	t.Parallel()
	start := time.Now()
	res := selftest.Run(t, nil, "run", "--timeout", "1s")
	if took := time.Since(start); took > time.Minute {
		t.Errorf("a run with --timeout 1s took %s", took)
	}
	if res.ExitCode != runner.ExitNotConformant || res.Doc == nil {
		t.Fatalf("exit %d, report %v\n%s\n%s", res.ExitCode, res.Doc != nil, res.Stdout, res.Stderr)
	}
	if !strings.Contains(res.Stdout, "the run exceeded its total timeout (--timeout 1s)") {
		t.Errorf("the summary does not name the timeout:\n%s", res.Stdout)
	}
}
