package selftest_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/reports"

	// The tests run the built binary; linking the runner (and with it every
	// suite) makes go test's result cache notice changes to the harness.
	_ "github.com/scimconform/scimconform/runner"
)

// The two proofs of design.md §9, run against the embedded reference server
// through the built binary: the full suite passes on the correct server, and
// every fault switch makes the spec of the requirement it breaks fail, and no
// unrelated spec.

func TestFullRunIsConformantOnReferenceServer(t *testing.T) {
	if testing.Short() {
		t.Skip("full run skipped in -short mode")
	}
	url, env, args := selftest.RefserverWithTenant(t)
	res := selftest.Run(t, env, append([]string{"run", "--url", url}, args...)...)
	if res.Doc == nil {
		t.Fatalf("no report.json; exit %d; stderr:\n%s", res.ExitCode, res.Stderr)
	}
	bad := notPassing(res)
	if res.ExitCode != 0 || len(bad) > 0 {
		t.Fatalf("the correct reference server must be reported conformant: exit %d, %d specs not passing:\n%s",
			res.ExitCode, len(bad), strings.Join(bad, "\n"))
	}
	if countVerdict(res, reports.PASS) == 0 {
		t.Fatalf("no spec passed: the run did not test anything")
	}
}

func TestEveryFaultIsCaughtByItsSpec(t *testing.T) {
	if testing.Short() {
		t.Skip("fault matrix skipped in -short mode")
	}
	faults := refserver.AllFaults()
	if len(faults) < 40 {
		t.Errorf("the reference server has %d fault switches; the project needs at least 40", len(faults))
	}
	for _, f := range faults {
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			url, env, args := selftest.RefserverWithTenant(t, f.Name)
			res := selftest.Run(t, env, append([]string{"run", "--url", url}, args...)...)
			if res.Doc == nil {
				t.Fatalf("no report.json; exit %d; stderr:\n%s", res.ExitCode, res.Stderr)
			}
			allowed := map[string]bool{f.Req: true}
			for _, r := range f.Related {
				allowed[r] = true
			}
			caught, unrelated := classify(res, allowed)
			if len(caught) == 0 {
				t.Errorf("fault %s (breaks %s: %s) is not caught: no spec labelled req:%s (or a related id) failed",
					f.Name, f.Req, f.Summary, f.Req)
			}
			if len(unrelated) > 0 {
				t.Errorf("fault %s (breaks %s) also failed specs of other requirements:\n%s",
					f.Name, f.Req, strings.Join(unrelated, "\n"))
			}
		})
	}
}

// classify splits the not-passing specs into those labelled with an allowed
// requirement and the others.
func classify(res selftest.Result, allowed map[string]bool) (caught, unrelated []string) {
	for _, r := range reports.Evaluate(*res.Doc).Results {
		if !failing(r.Verdict) {
			continue
		}
		related := false
		for _, id := range r.Reqs {
			if allowed[id] {
				related = true
			}
		}
		line := describe(r)
		if related {
			caught = append(caught, line)
		} else {
			unrelated = append(unrelated, line)
		}
	}
	sort.Strings(unrelated)
	return caught, unrelated
}

func notPassing(res selftest.Result) []string {
	var out []string
	for _, r := range reports.Evaluate(*res.Doc).Results {
		if failing(r.Verdict) {
			out = append(out, describe(r))
		}
	}
	return out
}

func countVerdict(res selftest.Result, v reports.Verdict) int {
	return reports.Evaluate(*res.Doc).Totals[v]
}

func failing(v reports.Verdict) bool {
	return v == reports.FAIL || v == reports.WARN || v == reports.ERROR
}

func describe(r reports.SpecResult) string {
	msg := r.Message
	if msg == "" && len(r.Warnings) > 0 {
		msg = r.Warnings[0]
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return "  " + string(r.Verdict) + " [" + strings.Join(r.Reqs, ",") + "] " + r.Name + ": " + msg
}

// TestFeatureOverrideGatesSpecs proves the capability gate works in a real run
// (preview, then run, in one process): with PATCH switched off, every PATCH
// spec is NOT SUPPORTED and none of them talks to the server.
func TestFeatureOverrideGatesSpecs(t *testing.T) {
	url, token := selftest.Refserver(t)
	res := selftest.Run(t, []string{"SCIMCONFORM_TOKEN=" + token}, "run", "--url", url,
		"--feature", "patch=off", "--label-filter", "area:patch && feature:patch")
	if res.Doc == nil {
		t.Fatalf("no report.json; exit %d; stderr:\n%s", res.ExitCode, res.Stderr)
	}
	results := reports.Evaluate(*res.Doc).Results
	if len(results) == 0 {
		t.Fatal("no PATCH spec in the report")
	}
	for _, r := range results {
		if r.Verdict != reports.NotSupported && r.Verdict != reports.SKIPPED {
			t.Errorf("%s: verdict %s with patch=off, want NOT SUPPORTED", r.Name, r.Verdict)
		}
		if len(r.Exchanges) > 0 {
			t.Errorf("%s: %d HTTP exchanges although the spec is gated off", r.Name, len(r.Exchanges))
		}
	}
	if reports.Evaluate(*res.Doc).Totals[reports.NotSupported] == 0 {
		t.Error("no spec reported NOT SUPPORTED")
	}
}
