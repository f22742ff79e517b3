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
		args := append(append([]any{}, r.args...), func() {
			BeforeEach(func(ctx SpecContext) { beforeSpec(ctx, env) })
			body(env)
		})
		Describe(r.text, args...)
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
	AddReportEntry(spec.EntryExchanges, scim.Transcript(xs), ReportEntryVisibilityFailureOrVerbose)
}

// Registered returns the texts of the registered containers (for tests).
func Registered() []string {
	out := make([]string, 0, len(registry))
	for _, r := range registry {
		out = append(out, r.text)
	}
	return out
}
