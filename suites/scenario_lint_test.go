package suites_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/spec"
)

// TestJourneysDeclareTheirSteps: every scenario spec has a plan of named
// steps whose requirements are exactly its req: labels (so --req selects a
// journey by any step's requirement, Also included), step names are unique within a
// journey, and no other spec has a plan.
func TestJourneysDeclareTheirSteps(t *testing.T) {
	specs := previewTree()
	journeys := 0
	for _, s := range specs {
		info := spec.ParseLabels(s.Labels)
		plan, ok := tree.env.JourneyPlan(s.Leaf)
		if !info.Scenario {
			if ok {
				t.Errorf("%q has steps but no %s label", s.Text, spec.LabelScenario)
			}
			continue
		}
		journeys++
		if !ok || len(plan) < 2 {
			t.Errorf("journey %q has %d steps; a journey has a plan of at least two", s.Text, len(plan))
			continue
		}
		if !info.Mutating {
			t.Errorf("journey %q is not labelled mutating", s.Text)
		}
		reqs, names := map[string]bool{}, map[string]bool{}
		for _, st := range plan {
			if strings.TrimSpace(st.Name) == "" || names[st.Name] {
				t.Errorf("journey %q: step name %q is empty or repeated", s.Text, st.Name)
			}
			names[st.Name] = true
			reqs[st.Req] = true
			for _, id := range st.Also {
				reqs[id] = true
			}
		}
		var want []string
		for id := range reqs {
			want = append(want, id)
		}
		sort.Strings(want)
		if strings.Join(want, " ") != strings.Join(info.Reqs, " ") {
			t.Errorf("journey %q: req labels %v, steps' requirements %v", s.Text, info.Reqs, want)
		}
	}
	if journeys < 13 {
		t.Errorf("%d journeys in the tree; issue 14 lists thirteen", journeys)
	}
}
