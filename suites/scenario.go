package suites

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/spec"
)

// Scenarios (profile:scenario, issue 14 §1) are end-to-end provisioning
// journeys: one ginkgo spec per journey, so that a journey is judged (and
// one day scheduled) as one unit, made of named steps that each rely on one
// requirement. The steps are data declared with the spec, so `scimconform
// list` shows them without running anything; the journey records its plan
// and every completed step as report entries (spec.EntryJourney,
// spec.EntryStepDone), and the reports derive from them which step broke the
// journey and which did not run (spec.StepOutcomes).

// Every journey, in the order of issue 14 §1. They are mutating specs of
// their own profile; each declares its capability needs.
var _ = DescribeSCIM("Scenarios", spec.Scenario, func(env *Env) {
	declareJourney(env, joinerJourney())
	declareJourney(env, moverJourney())
	declareJourney(env, leaverJourney())
	declareJourney(env, passwordResetJourney())
	declareJourney(env, rightsTransferJourney())
	declareJourney(env, jitJourney())
	declareJourney(env, reconciliationJourney())
	declareJourney(env, freshnessJourney())
	declareJourney(env, authorityJourney())
	declareJourney(env, onboardingJourney())
	declareJourney(env, disclosureJourney())
	declareJourney(env, lostUpdateJourney())
	declareJourney(env, groupDeprovisionJourney())
})

// scenarioStep is one named step of a journey over the journey's state S.
// Do judges the step with the usual means (Expect, Fail, FailHarness, Skip);
// a failure or skip ends the journey there.
type scenarioStep[S any] struct {
	Name string
	// Req is the requirement id the step relies on.
	Req string
	// Also are further requirements its requests rely on (a create's 201,
	// a SCIM error body, totalResults), whose violation can break the step:
	// the journey's labels include them.
	Also []string
	Do   func(ctx SpecContext, env *Env, s *S)
}

// journey is one end-to-end scenario.
type journey[S any] struct {
	// Text is the spec text: the journey's name and what it proves.
	Text string
	// Needs are the capabilities without which the journey cannot run at all
	// (it is NOT SUPPORTED, naming them). A capability with a fallback the
	// use case allows (Bulk for onboarding) is checked by the steps instead.
	Needs []spec.Feature
	// Level is the journey's level (MUST when empty); the lint checks it is
	// no stricter than its steps' requirements.
	Level Labels
	Steps []scenarioStep[S]
}

// declareJourney declares j as one spec labelled with the union of its
// steps' requirements (so --req and --section select it), the scenario
// profile, mutating and its needs; it records the plan for listings.
func declareJourney[S any](env *Env, j journey[S]) {
	plan := make([]spec.Step, len(j.Steps))
	var reqs []string
	for i, st := range j.Steps {
		plan[i] = spec.Step{Name: st.Name, Req: st.Req, Also: st.Also}
		reqs = append(append(reqs, st.Req), st.Also...)
	}
	env.recordPlan(j.Text, plan)
	level := j.Level
	if level == nil {
		level = spec.MUST
	}
	It(j.Text, Offset(1), spec.Req(reqs...), level, spec.Scenario, spec.Mutating, spec.Requires(j.Needs...), Slow, func(ctx SpecContext) {
		AddReportEntry(spec.EntryJourney, plan, ReportEntryVisibilityNever)
		state := new(S)
		for i, st := range j.Steps {
			By(fmt.Sprintf("step %d of %d: %s (%s)", i+1, len(j.Steps), st.Name, st.Req))
			st.Do(ctx, env, state)
			AddReportEntry(spec.EntryStepDone, spec.StepDone{Index: i}, ReportEntryVisibilityNever)
		}
	})
}

// recordPlan keeps a journey's steps for listings. The tree may be
// declared more than once in a process (a preview, then the run), so a
// journey records the same plan again; two journeys sharing a text are
// caught by the lint's duplicate-text check.
func (e *Env) recordPlan(text string, plan []spec.Step) {
	if e.plans == nil {
		e.plans = map[string][]spec.Step{}
	}
	e.plans[text] = plan
}

// JourneyPlan returns the steps of the journey whose spec text (the It
// text, without containers) is text; ok is false for any other spec. It is
// filled once the tree has been declared (Build, then ginkgo's tree walk).
func (e *Env) JourneyPlan(text string) (plan []spec.Step, ok bool) {
	plan, ok = e.plans[text]
	return plan, ok
}

// scenarioNeedAttr ends the journey NOT SUPPORTED unless the server's
// /Schemas declare attribute path of resource type rt as writable: path is
// a core attribute ("active", "password") or URN:attribute of an extension
// ("urn:...:enterprise:2.0:User:department"). why says what the journey
// needs it for.
func scenarioNeedAttr(env *Env, rt, path, why string) {
	GinkgoHelper()
	view, ok := coreSchemaView(env, rt)
	if !ok {
		Skip(fmt.Sprintf("%s/Schemas does not publish the %s schema, so the journey cannot tell whether %s exists (%s)", spec.SkipUnsupportedPrefix, rt, path, why))
	}
	schema, attr := view.Base, path
	if i := strings.LastIndex(path, ":"); i > 0 {
		ext := view.extension(path[:i])
		if ext == nil {
			Skip(fmt.Sprintf("%sthe %s resource type does not declare the extension %s, so it has no %s (%s)", spec.SkipUnsupportedPrefix, rt, path[:i], path[i+1:], why))
		}
		schema, attr = *ext, path[i+1:]
	}
	a, ok := schema.Attribute(attr)
	if !ok {
		Skip(fmt.Sprintf("%sthe %s schema %s does not declare %s (%s)", spec.SkipUnsupportedPrefix, rt, schema.ID, attr, why))
	}
	if coreIs(a.Mutability, "readOnly") {
		Skip(fmt.Sprintf("%sthe %s schema declares %s readOnly, so a client cannot set it (%s)", spec.SkipUnsupportedPrefix, rt, attr, why))
	}
}
