package selftest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/reports"
)

func specReport(text string, state types.SpecState, labels ...string) types.SpecReport {
	return types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeText: text, State: state, LeafNodeLabels: labels}
}

func TestVerdictsAndFailedReqs(t *testing.T) {
	doc := &reports.Document{Report: types.Report{SpecReports: types.SpecReports{
		specReport("passes", types.SpecStatePassed, "req:7644-4-01", "level:must"),
		specReport("fails must", types.SpecStateFailed, "req:7644-4-02", "req:7643-5-02", "level:must"),
		specReport("fails should", types.SpecStateFailed, "req:7644-4-02", "level:should"),
		specReport("skipped", types.SpecStateSkipped, "req:7644-4-03", "level:must"),
	}}}
	res := Result{Doc: doc}
	v := res.Verdicts()
	if v["passes"] != reports.PASS || v["fails must"] != reports.FAIL || v["fails should"] != reports.WARN || v["skipped"] != reports.SKIPPED {
		t.Errorf("verdicts: %v", v)
	}
	if got := strings.Join(res.FailedReqs(), ","); got != "7643-5-02,7644-4-02" {
		t.Errorf("FailedReqs = %s", got)
	}
	if (Result{}).FailedReqs() != nil || len((Result{}).Verdicts()) != 0 {
		t.Error("a result without report.json has no verdicts")
	}
}

func TestFlagHelpers(t *testing.T) {
	args := []string{"run", "--url", "http://x", "--out=/tmp/a", "-v"}
	if !hasFlag(args, "out") || hasFlag(args, "seed") || !hasFlag([]string{"-out", "d"}, "out") {
		t.Error("hasFlag")
	}
	if flagValue(args, "out") != "/tmp/a" || flagValue(args, "url") != "http://x" || flagValue(args, "seed") != "" {
		t.Error("flagValue")
	}
}

// TestCleanEnvDropsHarnessVariables: the parent's SCIMCONFORM_* settings and
// NO_COLOR do not reach the harness runs, except SCIMCONFORM_PARALLEL, which
// cleanEnv sets on purpose (DefaultParallel unless the parent chose one).
func TestCleanEnvDropsHarnessVariables(t *testing.T) {
	t.Setenv("SCIMCONFORM_TOKEN", "parent-token")
	t.Setenv("NO_COLOR", "")
	parallel := 0
	for _, kv := range cleanEnv() {
		if v, ok := strings.CutPrefix(kv, "SCIMCONFORM_PARALLEL="); ok {
			parallel++
			if v == "" {
				t.Errorf("cleanEnv sets an empty %s", kv)
			}
			continue
		}
		if strings.HasPrefix(kv, "SCIMCONFORM_") || strings.HasPrefix(kv, "NO_COLOR=") {
			t.Errorf("cleanEnv keeps %s", kv)
		}
	}
	if parallel != 1 {
		t.Errorf("cleanEnv sets SCIMCONFORM_PARALLEL %d times, want once", parallel)
	}
}

func TestModuleRoot(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "scimconform", "main.go")); err != nil {
		t.Errorf("module root %s has no cmd/scimconform: %v", root, err)
	}
}
