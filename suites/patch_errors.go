package suites

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/spec"
)

// Rejected PATCH requests (RFC 7644 §3.5.2, §3.12 Table 9) and atomicity.
// Each error spec also reads the resource back: a rejected request changes
// nothing.

// patchUnknownAttr is an attribute name no SCIM schema defines.
const patchUnknownAttr = "scimconformNoSuchAttribute"

// patchWrongType is an operation whose value has the wrong JSON type for
// its attribute: a number for the complex attribute "name". No reading of
// the RFC lets a server accept it, and no request shape is nearer to valid.
func patchWrongType() map[string]any { return Op("replace", "name", 42) }

func describePatchErrors(env *Env) {
	// 7644-3.5.2-05: remove needs a path; without one the answer is 400 noTarget.
	It("answers 400 noTarget to a remove without a path and changes nothing", spec.Req("7644-3.5.2-05"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, map[string]any{patchTextAttr(env): "Patchy"})
		before := patchRead(ctx, env, u)
		resp := env.Patch(ctx, u.Path(), Op("remove", "", nil))
		patchExpectError(env, resp, patchWantError{status: 400, scimType: "noTarget", strict: true, req: "7644-3.5.2-05",
			fix: "A remove must name its target with a path; reject one without it with 400 and scimType noTarget (RFC 7644 §3.5.2.2)."})
		patchExpectUnchanged(before, patchRead(ctx, env, u), "7644-3.5.2-05", "a rejected remove without a path")
	})

	// 7644-3.5.2-16, 7644-3.5.2-15: an op other than add, remove or replace fails with 400 and changes nothing.
	It("answers 400 to an operation whose op is not add, remove or replace and changes nothing", spec.Req("7644-3.5.2-16", "7644-3.5.2-15"), spec.MUST,
		func(ctx SpecContext) {
			a := patchTextAttr(env)
			u := patchCreateUser(ctx, env, map[string]any{a: "Before"})
			before := patchRead(ctx, env, u)
			resp := env.Patch(ctx, u.Path(), Op("replace", a, "After"), Op("merge", a, "Merged"))
			patchExpectError(env, resp, patchWantError{status: 400, scimType: "invalidSyntax", alsoOK: []string{"invalidValue"}, req: "7644-3.5.2-16",
				fix: "An operation's op is add, remove or replace (RFC 7644 §3.5.2); refuse any other with 400 (scimType invalidSyntax) and apply none of the request's operations."})
			patchExpectUnchanged(before, patchRead(ctx, env, u), "7644-3.5.2-15", `a PATCH whose second operation has op "merge"`)
		})

	// 7644-3.5.2-09: a path naming no attribute of the resource type is rejected with 400 invalidPath.
	It("answers 400 invalidPath to a path naming no attribute of the resource type", spec.Req("7644-3.5.2-09", "7644-3.5.2-06"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		before := patchRead(ctx, env, u)
		resp := env.Patch(ctx, u.Path(), Op("replace", patchUnknownAttr, "x"))
		patchExpectError(env, resp, patchWantError{status: 400, scimType: "invalidPath", alsoOK: []string{"noTarget"}, req: "7644-3.5.2-09",
			fix: "An operation on an attribute the schema does not define must fail instead of being ignored silently."})
		patchExpectUnchanged(before, patchRead(ctx, env, u), "7644-3.5.2-09", "a rejected operation on an unknown attribute")
	})

	// 7644-3.5.2-09: a malformed path is rejected with 400 invalidPath.
	It("answers 400 invalidPath to a malformed path", spec.Req("7644-3.5.2-09"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		before := patchRead(ctx, env, u)
		resp := env.Patch(ctx, u.Path(), Op("replace", `emails[type eq "work"`, patchEmail(u.Name, "new")))
		patchExpectError(env, resp, patchWantError{status: 400, scimType: "invalidPath", alsoOK: []string{"invalidFilter"}, req: "7644-3.5.2-09",
			fix: "A path that does not follow Figure 7 of RFC 7644 §3.5.2 (here a value filter without its closing bracket) must be rejected."})
		patchExpectUnchanged(before, patchRead(ctx, env, u), "7644-3.5.2-09", "a rejected operation with a malformed path")
	})

	// 7644-3.5.2-09, 7644-3.5.2-06: a value of the wrong type is rejected with 400 invalidValue.
	It("answers 400 invalidValue to a value of the wrong JSON type", spec.Req("7644-3.5.2-09", "7644-3.5.2-06"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		before := patchRead(ctx, env, u)
		resp := env.Patch(ctx, u.Path(), patchWrongType())
		patchExpectError(env, resp, patchWantError{status: 400, scimType: "invalidValue", req: "7644-3.5.2-09",
			fix: `A value must match the attribute's type: "name" is complex, so the number 42 is not a value of it.`})
		patchExpectUnchanged(before, patchRead(ctx, env, u), "7644-3.5.2-09", "a rejected operation with a wrongly typed value")
	})

	// 7644-3.5.2-16, 7644-3.12-01: a failed PATCH answers with a SCIM error JSON body.
	It("answers a failed PATCH with a SCIM error body", spec.Req("7644-3.5.2-16", "7644-3.12-01"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		before := patchRead(ctx, env, u)
		resp := env.Patch(ctx, u.Path(), patchWrongType())
		if resp.Status < 400 {
			Skip(fmt.Sprintf("not applicable: the server accepted a wrongly typed value (%s), so there is no failure to inspect; the invalidValue spec reports it",
				patchStatus(resp.Status)))
		}
		expectSCIMError(resp, matchers.HaveSCIMError(resp.Status, ""),
			"%s: a failed PATCH must carry a JSON error body as RFC 7644 §3.12 defines (schemas with the Error URN, status repeating the HTTP status).",
			cite("7644-3.5.2-16"))
		patchExpectUnchanged(before, patchRead(ctx, env, u), "7644-3.5.2-16", "a failed PATCH")
	})
}

func describePatchAtomicity(env *Env) {
	// 7644-3.5.2-14, 7644-3.5.2-15: when a later operation fails, the earlier ones take no effect.
	It("leaves the resource unchanged when a later operation of the request fails", spec.Req("7644-3.5.2-14", "7644-3.5.2-15"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, map[string]any{"displayName": "Before"})
		failing := []struct {
			what string
			op   map[string]any
		}{
			{"a wrongly typed value", patchWrongType()},
			{"an unknown attribute", Op("replace", patchUnknownAttr, "x")},
			{"a value filter matching nothing", Op("replace", `emails[type eq "other"].value`, patchEmail(u.Name, "other"))},
		}
		for i, f := range failing {
			before := patchRead(ctx, env, u)
			tag := fmt.Sprintf("Atomic%d", i)
			resp := env.Patch(ctx, u.Path(),
				Op("replace", "displayName", tag),
				Op("add", patchTextAttr(env), tag),
				Op("add", "emails", []any{map[string]any{"value": patchEmail(u.Name, tag), "type": "home"}}),
				Op("remove", "name.familyName", nil),
				f.op)
			if resp.Status < 300 {
				env.Info("the server accepted a request ending with %s (%s), so it cannot show atomicity with it; trying another failure", f.what, patchStatus(resp.Status))
				continue
			}
			after := patchRead(ctx, env, u)
			patchExpectUnchanged(before, after, "7644-3.5.2-15",
				fmt.Sprintf("a PATCH whose last operation fails (%s, answered %s)", f.what, patchStatus(resp.Status)))
			patchWarnMetaMoved(env, before, after)
			return
		}
		Skip("not applicable: the server accepted every invalid operation tried, so atomicity cannot be observed; the error specs report them")
	})
}

// patchWarnMetaMoved warns when a request that changed no data still moved
// meta.lastModified or meta.version: the resource was not fully restored,
// and clients holding its ETag will see a spurious 412.
func patchWarnMetaMoved(env *Env, before, after map[string]any) {
	wasTime, _, wasVersion := patchMeta(before)
	nowTime, _, nowVersion := patchMeta(after)
	if !wasTime.Equal(nowTime) || wasVersion != nowVersion {
		env.Warn("%s: the failed PATCH left the data unchanged but moved meta (lastModified %s → %s, version %q → %q); restore the resource as it was",
			cite("7644-3.5.2-15"), wasTime.Format(time.RFC3339Nano), nowTime.Format(time.RFC3339Nano), wasVersion, nowVersion)
	}
}
