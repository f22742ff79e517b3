package runner

import (
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/reports"
)

func TestMarkStoppedMakesAnIncompleteRunNotConformant(t *testing.T) {
	passed := types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeText: "passes", State: types.SpecStatePassed,
		LeafNodeLabels: []string{"level:must", "req:7644-4-02"}}
	notRun := types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeText: "never ran", State: types.SpecStateSkipped,
		LeafNodeLabels: []string{"level:must", "req:7644-4-03"}}
	r := types.Report{SpecReports: types.SpecReports{passed, notRun}}

	if got := markStopped(r); len(got.SpecReports) != 2 || !reports.Evaluate(reports.Document{Report: got}).Pass {
		t.Fatal("a complete run is left alone")
	}
	// Ctrl-C between two specs: no spec was interrupted, one never ran.
	r.SpecialSuiteFailureReasons = []string{"Interrupted by User"}
	got := markStopped(r)
	s := reports.Evaluate(reports.Document{Report: got})
	if ExitCode(s) != ExitNotConformant || s.Totals[reports.ERROR] != 1 {
		t.Fatalf("an interrupted run must not be conformant: exit %d, totals %v", ExitCode(s), s.Totals)
	}
	if last := got.SpecReports[len(got.SpecReports)-1]; !strings.Contains(last.Failure.Message, "Interrupted by User") {
		t.Errorf("the stop node should give the reason: %q", last.Failure.Message)
	}
	if len(r.SpecReports) != 2 {
		t.Error("markStopped modified its argument's spec list")
	}
	// A spec cut short by the interruption is already an ERROR: no extra node.
	r.SpecReports[0].State = types.SpecStateInterrupted
	if got := markStopped(r); len(got.SpecReports) != 2 {
		t.Error("an interrupted spec already makes the run not conformant")
	}
}
