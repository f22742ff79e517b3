package spec_test

import (
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/spec"
)

var plan = []spec.Step{
	{Name: "creates the joiner", Req: "7644-3.3-07"},
	{Name: "reads the joiner back", Req: "7644-3.3-09"},
	{Name: "finds the joiner by externalId", Req: "7644-3.4.2.2-04"},
}

func outcomes(steps []spec.StepResult) string {
	parts := make([]string, len(steps))
	for i, s := range steps {
		parts[i] = string(s.Outcome)
	}
	return strings.Join(parts, ",")
}

func TestStepOutcomes(t *testing.T) {
	cases := []struct {
		name string
		done map[int]bool
		end  spec.JourneyEnd
		want string
	}{
		{"all passed", map[int]bool{0: true, 1: true, 2: true}, spec.EndPassed, "passed,passed,passed"},
		{"second failed", map[int]bool{0: true}, spec.EndFailed, "passed,failed,not run"},
		{"first stopped", nil, spec.EndSkipped, "stopped,not run,not run"},
		{"last failed", map[int]bool{0: true, 1: true}, spec.EndFailed, "passed,passed,failed"},
	}
	for _, tc := range cases {
		got := spec.StepOutcomes(plan, tc.done, tc.end, "expected 200\nmore")
		if outcomes(got) != tc.want {
			t.Errorf("%s: outcomes %s, want %s", tc.name, outcomes(got), tc.want)
		}
	}
	got := spec.StepOutcomes(plan, map[int]bool{0: true}, spec.EndFailed, "expected 200\nmore")
	if got[1].Reason != "expected 200" {
		t.Errorf("failed step reason %q, want the message's first line", got[1].Reason)
	}
	if !strings.Contains(got[2].Reason, "step 2 (reads the joiner back) failed") {
		t.Errorf("not-run reason %q does not name the failed step", got[2].Reason)
	}
	b, ok := spec.BrokenStep(got)
	if !ok || b.N != 2 || b.Title(len(plan)) != `step 2 of 3 "reads the joiner back" (7644-3.3-09)` {
		t.Errorf("BrokenStep = %+v, %v; title %q", b, ok, b.Title(len(plan)))
	}
	if _, ok := spec.BrokenStep(spec.StepOutcomes(plan, map[int]bool{0: true, 1: true, 2: true}, spec.EndPassed, "")); ok {
		t.Error("BrokenStep found a broken step in a passed journey")
	}
}

func TestProfiles(t *testing.T) {
	cases := map[string]string{"": "", "all": "", "Spec": "!profile:scenario", "scenario": "profile:scenario"}
	for in, want := range cases {
		p, err := spec.ParseProfile(in)
		if err != nil || p.LabelFilter() != want {
			t.Errorf("ParseProfile(%q) = %q, %v; filter %q, want %q", in, p, err, p.LabelFilter(), want)
		}
	}
	if _, err := spec.ParseProfile("journeys"); err == nil {
		t.Error("ParseProfile accepted an unknown profile")
	}
}
