package selftest_test

import (
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/reports"

	// The tests run the built binary; linking the runner (and with it every
	// suite) makes go test's result cache notice changes to the harness.
	_ "github.com/scimconform/scimconform/runner"
)

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
