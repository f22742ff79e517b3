package runner

import (
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/suites"
)

func specAt(text string, state types.SpecState, msg string) types.SpecReport {
	return types.SpecReport{LeafNodeType: types.NodeTypeIt, ContainerHierarchyTexts: []string{"Area"}, LeafNodeText: text,
		State: state, Failure: types.Failure{Message: msg}}
}

// mergedStates lists "text=state" of a merged report's specs, in order.
func mergedStates(merged types.Report) string {
	var got []string
	for _, sr := range merged.SpecReports {
		got = append(got, sr.LeafNodeText+"="+sr.State.String())
	}
	return strings.Join(got, ",")
}

func TestMergeKeepsTheParentsOrderAndTakesEachSpecFromItsWorker(t *testing.T) {
	co := newCoordinator(false, scim.NewBudget(0, 0), nil)
	parent := types.Report{SuiteSucceeded: true, SpecReports: types.SpecReports{
		specAt("a", types.SpecStateSkipped, suites.SkipElsewhere),
		specAt("serial", types.SpecStatePassed, ""),
		specAt("filtered out", types.SpecStateSkipped, ""),
		specAt("b", types.SpecStateSkipped, suites.SkipElsewhere),
	}}
	for key, w := range map[string]int{"Area a": 1, "Area b": 2} {
		co.claim(w, key, false)
	}
	co.reports["Area b"] = specAt("b", types.SpecStateFailed, "b failed")
	co.reports["Area a"] = specAt("a", types.SpecStatePassed, "")
	merged, notes := mergeReports(parent, co, nil, false)
	got := mergedStates(merged)
	if got != "a=passed,serial=passed,filtered out=skipped,b=failed" || len(notes) != 0 {
		t.Errorf("merged %v, notes %v", got, notes)
	}
	if merged.SuiteSucceeded {
		t.Error("a merged report with a failed spec succeeded")
	}
}

func TestMergeTakesAWorkersSpecTheInterruptedParentDidNotReach(t *testing.T) {
	co := newCoordinator(false, scim.NewBudget(0, 0), nil)
	serial := specAt("serial", types.SpecStatePassed, "")
	serial.IsSerial = true
	parent := types.Report{SpecReports: types.SpecReports{
		serial,
		specAt("a", types.SpecStateSkipped, suites.SkipElsewhere),
		specAt("b", types.SpecStateSkipped, ""), // the parent's walk was interrupted before b
		specAt("c", types.SpecStateSkipped, ""), // and c, which no worker ran either
	}}
	co.claim(1, "Area a", false)
	co.claim(2, "Area b", false)
	co.reports["Area a"] = specAt("a", types.SpecStatePassed, "")
	co.reports["Area b"] = specAt("b", types.SpecStateFailed, "b failed")
	merged, notes := mergeReports(parent, co, nil, true)
	if got := mergedStates(merged); got != "serial=passed,a=passed,b=failed,c=skipped" || len(notes) != 0 {
		t.Errorf("merged %v, notes %v: want b from its worker, c not run, no internal error", got, notes)
	}
}

func TestMergeAccountsForEverySpecNoWorkerReported(t *testing.T) {
	parent := types.Report{SpecReports: types.SpecReports{specAt("a", types.SpecStateSkipped, suites.SkipElsewhere)}}
	cases := []struct {
		name      string
		owner     int
		crashed   map[int]string
		stopped   bool
		wantState types.SpecState
		wantMsg   string
	}{
		{"its worker crashed while running it", 1, map[int]string{1: "worker 1 exited (signal: killed)"}, false, types.SpecStateAborted, "worker 1 exited (signal: killed) while running it"},
		{"no process claimed it after a crash", 0, map[int]string{2: "worker 2 exited"}, false, types.SpecStateAborted, "no process ran it after worker 2 exited"},
		{"the run stopped early", 0, nil, true, types.SpecStateSkipped, ""},
		{"nothing explains it", 0, nil, false, types.SpecStateAborted, "internal error: no process of the parallel run ran this spec"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			co := newCoordinator(false, scim.NewBudget(0, 0), nil)
			if c.owner > 0 {
				co.claim(c.owner, "Area a", false)
			}
			merged, _ := mergeReports(parent, co, c.crashed, c.stopped)
			sr := merged.SpecReports[0]
			if sr.State != c.wantState || !strings.Contains(sr.Failure.Message, c.wantMsg) || (c.wantMsg == "" && sr.Failure.Message != "") {
				t.Errorf("state %v message %q", sr.State, sr.Failure.Message)
			}
		})
	}
}

func TestMergeNamesEveryCrashAndNeverPassesARunThatLostAWorker(t *testing.T) {
	crashed := map[int]string{2: "worker 2 exited without reporting its result (signal: killed)"}
	cases := []struct {
		name      string
		reported  bool // a live worker reported the spec: the crash hit between specs
		wantExtra bool // a suite-level ERROR names the crash
	}{
		{"the crashed worker was running a spec", false, false},
		{"the crash came between two specs", true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			co := newCoordinator(false, scim.NewBudget(0, 0), nil)
			parent := types.Report{SuiteSucceeded: true, SpecReports: types.SpecReports{specAt("a", types.SpecStateSkipped, suites.SkipElsewhere)}}
			if c.reported {
				co.claim(1, "Area a", false)
				co.reports["Area a"] = specAt("a", types.SpecStatePassed, "")
			} else {
				co.claim(2, "Area a", false)
			}
			merged, notes := mergeReports(parent, co, crashed, false)
			if len(notes) != 1 || !strings.Contains(notes[0], crashed[2]) || strings.Contains(notes[0], "\n") {
				t.Errorf("notes %q: want one line naming the crash", notes)
			}
			if merged.SuiteSucceeded {
				t.Error("a run that lost a worker succeeded")
			}
			if got := len(merged.SpecReports) == 2; got != c.wantExtra {
				t.Fatalf("%d reports, want a suite-level ERROR: %v", len(merged.SpecReports), c.wantExtra)
			}
			last := merged.SpecReports[len(merged.SpecReports)-1]
			if !last.State.Is(types.SpecStateFailureStates) || !strings.Contains(last.Failure.Message, "worker 2") {
				t.Errorf("last report %v %q: want an ERROR naming worker 2", last.State, last.Failure.Message)
			}
		})
	}
}

func TestMergeNotesReportsOfSpecsNotLeftToWorkers(t *testing.T) {
	co := newCoordinator(false, scim.NewBudget(0, 0), nil)
	co.reports["Area stray"] = specAt("stray", types.SpecStatePassed, "")
	_, notes := mergeReports(types.Report{}, co, nil, false)
	if len(notes) != 1 || !strings.Contains(notes[0], "internal error") {
		t.Errorf("notes %v", notes)
	}
}

func TestRenumberGivesTheMergedTranscriptOneNumberingEverywhere(t *testing.T) {
	xs := scim.Transcript{{Seq: 2_000_001}, {Seq: 2_000_002}}
	report := types.Report{SpecReports: types.SpecReports{{ReportEntries: types.ReportEntries{
		{Name: spec.EntryExchanges, Value: types.WrapEntryValue(xs)}}}}}
	all := []scim.Exchange{{Seq: 1}, {Seq: 2_000_001}, {Seq: 1_000_001}, {Seq: 2_000_002}}
	renumber(&report, all)
	for i, x := range all {
		if x.Seq != i+1 {
			t.Errorf("exchange %d numbered %d", i, x.Seq)
		}
	}
	got := report.SpecReports[0].ReportEntries[0].Value.GetRawValue().(scim.Transcript)
	if got[0].Seq != 2 || got[1].Seq != 4 {
		t.Errorf("the spec's transcript is numbered %d, %d; want 2, 4", got[0].Seq, got[1].Seq)
	}
}
