package faultmatrix_test

import (
	"os"
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

func TestMain(m *testing.M) { os.Exit(selftest.Main(m)) }

// matrixParallel runs the matrix as users run the harness: with the
// default worker processes (8), unless SCIMCONFORM_PARALLEL says otherwise
// (SCIMCONFORM_PARALLEL=1 runs it serially). The serial runner is held to
// the same verdicts by the self-tests of internal/selftest/parallel_test.go.
func matrixParallel() string {
	if v := os.Getenv("SCIMCONFORM_PARALLEL"); v != "" {
		return "SCIMCONFORM_PARALLEL=" + v
	}
	return "SCIMCONFORM_PARALLEL=8"
}

// The two proofs of design.md §9, run against the embedded reference server
// through the built binary: the full suite passes on the correct server, and
// every fault switch makes the spec of the requirement it breaks fail, and no
// unrelated spec.

func TestFullRunIsConformantOnReferenceServer(t *testing.T) {
	if testing.Short() {
		t.Skip("full run skipped in -short mode")
	}
	url, env, args := selftest.RefserverWithTenant(t)
	env = append(env, matrixParallel())
	res := selftest.Run(t, env, append([]string{"run", "--url", url}, args...)...)
	if res.Doc == nil {
		t.Fatalf("no report.json; exit %d; stderr:\n%s", res.ExitCode, res.Stderr)
	}
	bad := res.NotPassing()
	if res.ExitCode != 0 || len(bad) > 0 {
		t.Fatalf("the correct reference server must be reported conformant: exit %d, %d specs not passing:\n%s",
			res.ExitCode, len(bad), strings.Join(bad, "\n"))
	}
	if res.CountVerdict(reports.PASS) == 0 {
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
			env = append(env, matrixParallel())
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
		if !selftest.Failing(r.Verdict) {
			continue
		}
		related := false
		for _, id := range r.Reqs {
			if allowed[id] {
				related = true
			}
		}
		line := selftest.Describe(r)
		if related {
			caught = append(caught, line)
		} else {
			unrelated = append(unrelated, line)
		}
	}
	sort.Strings(unrelated)
	return caught, unrelated
}
