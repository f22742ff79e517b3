package selftest_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/reports"
)

// TestParallelRunReportsWhatASerialRunReports runs the full suite against the
// embedded reference server twice with one seed, in one process and with
// the default worker processes: the reports hold the same specs in the same
// order with the same verdicts, the same test data, and the parallel run
// sends no more requests.
func TestParallelRunReportsWhatASerialRunReports(t *testing.T) {
	if testing.Short() {
		t.Skip("two full runs skipped in -short mode")
	}
	serial := selftest.Run(t, []string{"SCIMCONFORM_PARALLEL=1"}, "run", "--seed", "7")
	parallel := selftest.Run(t, []string{"SCIMCONFORM_PARALLEL=8"}, "run", "--seed", "7")
	for name, res := range map[string]selftest.Result{"serial": serial, "parallel": parallel} {
		if res.Doc == nil {
			t.Fatalf("%s run: no report.json; exit %d; stderr:\n%s", name, res.ExitCode, res.Stderr)
		}
	}
	if serial.ExitCode != 0 || parallel.ExitCode != 0 {
		t.Errorf("exit codes: serial %d, parallel %d", serial.ExitCode, parallel.ExitCode)
	}
	n := expectSameVerdicts(t, serial, parallel)
	if s, p := serial.Doc.Metadata.Cleanup, parallel.Doc.Metadata.Cleanup; s.Created != p.Created || len(p.Leaked) != 0 || len(p.Uncertain) != 0 {
		t.Errorf("test data: serial created %d, parallel created %d (leaked %v, uncertain %v)", s.Created, p.Created, p.Leaked, p.Uncertain)
	}
	sn, pn := harEntries(t, serial.Dir), harEntries(t, parallel.Dir)
	if pn > sn {
		t.Errorf("the parallel run sent %d requests, the serial run %d", pn, sn)
	}
	t.Logf("%d specs; requests: serial %d, parallel %d", n, sn, pn)
}

// TestParallelRunCatchesWhatASerialRunCatches runs the full suite against a
// reference server with faults of several kinds switched on (a query, a
// timestamp wait, a journey, tenant isolation, a create header) once in one
// process and once with the default workers: the same specs fail, and
// nothing else differs.
func TestParallelRunCatchesWhatASerialRunCatches(t *testing.T) {
	if testing.Short() {
		t.Skip("two full runs skipped in -short mode")
	}
	faults := []string{"filter-co-as-sw", "write-lastmodified-frozen", "leaver-still-group-member", "tenant-leak-read", "create-no-location"}
	url, env, args := selftest.RefserverWithTenant(t, faults...)
	run := func(parallel string) selftest.Result {
		res := selftest.Run(t, append([]string{"SCIMCONFORM_PARALLEL=" + parallel}, env...), append([]string{"run", "--url", url, "--seed", "11"}, args...)...)
		if res.Doc == nil {
			t.Fatalf("--parallel %s: no report.json; exit %d; stderr:\n%s", parallel, res.ExitCode, res.Stderr)
		}
		return res
	}
	serial, parallel := run("1"), run("8")
	if serial.ExitCode != parallel.ExitCode {
		t.Errorf("exit codes: serial %d, parallel %d", serial.ExitCode, parallel.ExitCode)
	}
	if bad := serial.NotPassing(); len(bad) < len(faults) {
		t.Errorf("the serial run has %d specs not passing for %d faults:\n%s", len(bad), len(faults), strings.Join(bad, "\n"))
	}
	expectSameVerdicts(t, serial, parallel)
}

// expectSameVerdicts fails unless both runs report the same specs in the
// same order with the same verdicts; it returns how many.
func expectSameVerdicts(t *testing.T, serial, parallel selftest.Result) int {
	t.Helper()
	a, b := specVerdicts(*serial.Doc), specVerdicts(*parallel.Doc)
	if len(a) != len(b) {
		t.Fatalf("serial run reports %d specs, parallel %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("spec %d differs: serial %q, parallel %q", i, a[i], b[i])
		}
	}
	return len(a)
}

// specVerdicts lists "full text: verdict" in report order.
func specVerdicts(doc reports.Document) []string {
	var out []string
	for _, r := range reports.Evaluate(doc).Results {
		out = append(out, fmt.Sprintf("%s: %s", r.Name, r.Verdict))
	}
	return out
}

// harEntries counts the exchanges of a run's exchanges.har and checks that
// their numbers are unique.
func harEntries(t *testing.T, dir string) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, reports.FileHAR))
	if err != nil {
		t.Fatal(err)
	}
	var har struct {
		Log struct {
			Entries []struct {
				Seq int `json:"_seq"`
			} `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(data, &har); err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, e := range har.Log.Entries {
		if seen[e.Seq] {
			t.Errorf("exchange number %d appears twice in exchanges.har", e.Seq)
		}
		seen[e.Seq] = true
	}
	return len(har.Log.Entries)
}
