// Package suites holds every scimconform spec, one file per RFC area. Specs are
// declared with DescribeSCIM and reach everything they use through *Env; the
// runner builds the ginkgo tree once per process with Build.
package suites

import (
	"context"
	"fmt"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// registration is one DescribeSCIM call waiting for Build.
type registration struct {
	text string
	args []any
	body func(env *Env)
}

// registry is the only package-level state of the suites: the DescribeSCIM
// calls made by `var _ = DescribeSCIM(...)` declarations. It is written during
// package initialisation and only read afterwards.
var registry []registration

// DescribeSCIM registers a top-level container of specs. args are ginkgo
// decorators (labels such as spec.Area("filter"), spec.Requires(...),
// spec.Mutating); the last argument is the body, which declares specs and
// receives the run's *Env. It returns true so it can be used in a var
// declaration.
func DescribeSCIM(text string, args ...any) bool {
	if len(args) == 0 {
		panic(fmt.Sprintf("DescribeSCIM(%q): missing body", text))
	}
	body, ok := args[len(args)-1].(func(env *Env))
	if !ok {
		panic(fmt.Sprintf("DescribeSCIM(%q): last argument must be func(env *Env)", text))
	}
	registry = append(registry, registration{text: text, args: args[:len(args)-1], body: body})
	return true
}

// Build declares the whole spec tree for env: every registered container,
// each opening with the capability gate and the transcript hook. It must be
// called once per process before ginkgo's RunSpecs or PreviewSpecs.
//
// The hooks live inside each container rather than at the top level: ginkgo
// drops top-level setup nodes when PreviewSpecs runs before RunSpecs in the
// same process, which the runner does to detect an empty selection.
func Build(env *Env) {
	for _, r := range registry {
		body := r.body
		args := append(walkOrder(env, r.args), func() {
			BeforeEach(func(ctx SpecContext) { beforeSpec(ctx, env) })
			body(env)
		})
		Describe(r.text, args...)
	}
}

// ReadsQuerySet marks a DescribeSCIM container whose specs read the shared
// query data set (LoadQuerySet); a nested container does the same with
// querySetWalk. It only orders the walks of a parallel run's workers
// (walkOrder); a container without it still works, only a parallel run may
// then wait for the set where it could run other specs.
var ReadsQuerySet = readsQuerySet{}

type readsQuerySet struct{}

// Slow marks a spec that takes seconds whatever the server's speed (it
// waits out the server's timestamp resolution) or sends many requests
// one after another. Specs of higher priority come first in ginkgo's order
// of a walk, so a parallel run's workers start the slow specs early instead
// of ending the run with them; in a serial run it moves the spec's
// top-level container to the front, which changes nothing else.
var Slow = SpecPriority(1)

// Alone marks a spec or container that must run alone in a parallel run
// (ginkgo's Serial): the run process runs it before the workers start on
// the rest. Its priority puts it first in that process's walk, so the
// workers start as soon as it has run; like Slow, it also moves its
// top-level container to the front of a serial run. Ginkgo unrolls the
// slice.
var Alone = []any{Serial, SpecPriority(priorityAlone)}

// Priorities of a walk (Alone, walkOrder).
const (
	// priorityAlone: the specs that run alone come first.
	priorityAlone = 3
	// priorityBuildQuerySet: the first worker walks the query containers
	// first, so the set is built at once while the others run the rest.
	priorityBuildQuerySet = 2
	// priorityReadQuerySet: every other worker walks them last, by when
	// the set exists.
	priorityReadQuerySet = -1
)

// walkOrder returns a container's decorators for this process: in a worker
// of a parallel run (which walks the tree with RandomizeAllSpecs, so that
// priorities order single specs), a container marked ReadsQuerySet gets the
// priority that builds the shared query data set early in worker 1 and
// reads it late in the others. The marker itself is never a ginkgo
// decorator.
func walkOrder(env *Env, args []any) []any {
	out := make([]any, 0, len(args)+1)
	reads := false
	for _, a := range args {
		if _, ok := a.(readsQuerySet); ok {
			reads = true
			continue
		}
		out = append(out, a)
	}
	if reads {
		out = append(out, querySetWalk(env)...)
	}
	return out
}

// querySetWalk is the decorator of a container reading the shared query
// data set in this process: none in a serial run and the parent, else the
// worker's priority (walkOrder). Ginkgo unrolls the slice.
func querySetWalk(env *Env) []any {
	switch env.Worker {
	case 0:
		return nil
	case 1:
		return []any{SpecPriority(priorityBuildQuerySet)}
	default:
		return []any{SpecPriority(priorityReadQuerySet)}
	}
}

// beforeSpec leaves the spec to another process of a parallel run when that
// one claimed it, gates it on the target's capabilities and starts its
// transcript, attached to the spec when it ends.
func beforeSpec(ctx context.Context, env *Env) {
	report := CurrentSpecReport()
	claim(ctx, env, report)
	gate(env, report.Labels())
	if env.Recorder != nil {
		env.Recorder.StartSpec(report.FullText())
		DeferCleanup(func() { attachExchanges(env) })
	}
}

// gate skips a spec whose feature needs the target does not meet.
func gate(env *Env, labels []string) {
	info := spec.ParseLabels(labels)
	for _, f := range info.Features {
		if !env.Caps.Has(f) {
			Skip(spec.SkipUnsupportedPrefix + unsupportedReason(env, f))
		}
	}
	for _, f := range info.Absent {
		if env.Caps.Has(f) {
			Skip(fmt.Sprintf("not applicable: %s is available, this spec checks how its absence is reported", f))
		}
	}
}

func unsupportedReason(env *Env, f spec.Feature) string {
	if env.Caps == nil {
		return string(f) + " (no capabilities known)"
	}
	cp, ok := env.Caps.Get(f)
	if !ok {
		return string(f) + " is not advertised"
	}
	if cp.Detail != "" && !cp.Enabled {
		return fmt.Sprintf("%s is off (%s: %s)", f, cp.Source, cp.Detail)
	}
	return fmt.Sprintf("%s is off (%s)", f, cp.Source)
}

func attachExchanges(env *Env) {
	xs := env.Recorder.EndSpec()
	if len(xs) == 0 {
		return
	}
	t := scim.Transcript(xs)
	if env.Transcript != nil {
		t = env.Transcript(CurrentSpecReport(), t)
	}
	AddReportEntry(spec.EntryExchanges, t, ReportEntryVisibilityFailureOrVerbose)
}

// Registered returns the texts of the registered containers (for tests).
func Registered() []string {
	out := make([]string, 0, len(registry))
	for _, r := range registry {
		out = append(out, r.text)
	}
	return out
}
