package reports

import (
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/spec"
)

var journeyPlan = []spec.Step{
	{Name: "creates the leaver", Req: "7644-3.3-07"},
	{Name: "deletes the leaver", Req: "7644-3.6-05"},
	{Name: "no longer finds the leaver in its group", Req: "7644-3.6-02"},
}

// journeySpec is a scenario spec whose first `done` steps completed.
func journeySpec(done int, opts ...specOpt) types.SpecReport {
	all := []specOpt{labels(spec.LabelScenario), entry(spec.EntryJourney, journeyPlan)}
	for i := range done {
		all = append(all, entry(spec.EntryStepDone, spec.StepDone{Index: i}))
	}
	return mkSpec("Scenarios", "leaver leaves", spec.LevelMust, []string{"7644-3.3-07", "7644-3.6-05", "7644-3.6-02"}, append(all, opts...)...)
}

func TestJourneyStepsInResult(t *testing.T) {
	r := Result(journeySpec(2, failed("the group still lists the leaver")))
	if r.Verdict != FAIL || len(r.Steps) != 3 {
		t.Fatalf("verdict %s, %d steps; want FAIL with 3 steps", r.Verdict, len(r.Steps))
	}
	if want := `step 3 of 3 "no longer finds the leaver in its group" (7644-3.6-02) failed: the group still lists the leaver`; r.Message != want {
		t.Errorf("message %q, want %q", r.Message, want)
	}
	r = Result(journeySpec(1, failed("DELETE answered 500")))
	if r.Steps[1].Outcome != spec.StepFailed || r.Steps[2].Outcome != spec.StepNotRun || !strings.Contains(r.Message, "1 later step(s) not run") {
		t.Errorf("steps %+v, message %q: want step 2 failed and step 3 not run", r.Steps, r.Message)
	}
	r = Result(journeySpec(0, skipped(spec.SkipUnsupportedPrefix+"bulk is off")))
	if r.Verdict != NotSupported || r.Message != spec.SkipUnsupportedPrefix+"bulk is off" || r.Steps[0].Outcome != spec.StepStopped {
		t.Errorf("stopped journey: verdict %s, message %q, steps %+v", r.Verdict, r.Message, r.Steps)
	}
	r = Result(journeySpec(3))
	if r.Verdict != PASS || r.Steps[2].Outcome != spec.StepPassed || r.Message != "" {
		t.Errorf("passed journey: verdict %s, message %q, steps %+v", r.Verdict, r.Message, r.Steps)
	}
}

func TestJourneyStepsInJUnitAndHTML(t *testing.T) {
	doc := sampleDoc()
	doc.Report.SpecReports = append(doc.Report.SpecReports, journeySpec(1, failed("DELETE answered 500 "+xss)))
	view, _ := junitView(doc, false)
	found := false
	for _, sr := range view.SpecReports {
		if strings.HasSuffix(sr.FullText(), "leaver leaves") {
			found = true
			if !strings.Contains(sr.Failure.Message, `FAIL: step 2 of 3 "deletes the leaver" (7644-3.6-05) failed`) {
				t.Errorf("junit message %q does not name the failed step", sr.Failure.Message)
			}
		}
	}
	if !found {
		t.Fatal("the journey is missing from junit.xml")
	}
	out := renderSample(t, doc)
	for _, want := range []string{`<ol class="steps">`, `<li class="step fail"><span class="soutcome">failed</span> deletes the leaver <code>7644-3.6-05</code>`,
		`<li class="step skip"><span class="soutcome">not run</span> no longer finds the leaver in its group`} {
		if !strings.Contains(out, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Contains(out, xss) {
		t.Error("report.html holds the failure message unescaped")
	}
}
