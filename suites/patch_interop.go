package suites

import (
	"context"
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Interop probes: PATCH shapes the big identity providers send that the
// RFC does not define (docs/interpretations.md I2, I12; erratum 8097). A
// probe never fails: it reports whether the shape was applied or refused
// (INFO), and warns only where a client would be misled: the server said
// success but did something else, or failed with a server error.

// patchProbeResult says what a probe saw.
type patchProbeResult int

const (
	patchProbeApplied patchProbeResult = iota // 2xx and the intended change is there
	patchProbeRefused                         // a 4xx answer: the client knows it failed
	patchProbeMisled                          // 2xx without the intended change, or 5xx
)

// patchProbe sends ops, then classifies the outcome with applied, which
// reads the resource back and says whether the intended change holds (and,
// if not, what it found). shape names the request shape in the report.
func patchProbe(ctx context.Context, env *Env, r Resource, shape string, applied func(doc map[string]any) (bool, string), ops ...map[string]any) patchProbeResult {
	GinkgoHelper()
	before := patchRead(ctx, env, r)
	resp := env.Patch(ctx, r.Path(), ops...)
	after := patchRead(ctx, env, r)
	if resp.Status >= 300 {
		patchProbeStatus(env, shape, resp)
		if diff := patchDiff(before, after); len(diff) > 0 {
			env.Warn("%s: the request failed but the resource changed (%s); a failed PATCH must change nothing (RFC 7644 §3.5.2)", shape, diff[0])
			return patchProbeMisled
		}
		if resp.Status >= http.StatusInternalServerError {
			return patchProbeMisled
		}
		return patchProbeRefused
	}
	ok, found := applied(after)
	if ok {
		env.Info("%s: accepted (%s) and applied", shape, patchStatus(resp.Status))
		return patchProbeApplied
	}
	env.Warn("%s: the server answered %s but did not make the intended change (%s); a client is told it succeeded when it did not. Apply the shape or refuse it with 400.",
		shape, patchStatus(resp.Status), found)
	return patchProbeMisled
}

// patchHolds returns an applied check: the attribute at urn/path reads want.
func patchHolds(urn, path, want string) func(map[string]any) (bool, string) {
	return func(doc map[string]any) (bool, string) {
		got := patchValue(doc, urn, path)
		return patchSameText(got, want), fmt.Sprintf("%s is %s", patchAttrName(urn, path), patchShow(got))
	}
}

func describePatchInterop(env *Env) {
	// 7644-3.5.2-04 (docs/interpretations.md#i12): op values in another case, as Entra sends them.
	It("reports how it handles the op name Replace in another letter case", spec.Req("7644-3.5.2-04"), spec.MAY, spec.Interop, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, map[string]any{"displayName": "Before"})
		patchProbe(ctx, env, u, `{"op": "Replace", "path": "displayName"} (`+interpretation(12)+`)`, patchHolds("", "displayName", "Probe Replace"),
			Op("Replace", "displayName", "Probe Replace"))
	})

	// 7644-3.5.2.3-01 (docs/interpretations.md#i12): no-path values whose members are dotted sub-attribute paths.
	It("reports how it handles a no-path value with a dotted sub-attribute key", spec.Req("7644-3.5.2.3-01"), spec.MAY, spec.Interop, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		res := patchProbe(ctx, env, u, `{"op": "replace", "value": {"name.givenName": ...}} (`+interpretation(12)+`)`, patchHolds("", "name.givenName", "Dotted"),
			Op("replace", "", map[string]any{"name.givenName": "Dotted"}))
		if res == patchProbeApplied {
			return
		}
		if v, ok := member(patchRead(ctx, env, u), "name.givenName"); ok {
			env.Warn(`the server stored a literal attribute "name.givenName" (%s) instead of setting name.givenName`, patchShow(v))
		}
	})

	// 7644-3.5.2-12 (docs/interpretations.md#i12): no-path values whose members are URN-qualified attribute names.
	It("reports how it handles a no-path value with a URN-qualified key", spec.Req("7644-3.5.2-12"), spec.MAY, spec.Interop,
		spec.Requires(spec.FeatureEnterpriseUser), func(ctx SpecContext) {
			u := patchCreateUser(ctx, env, map[string]any{scim.SchemaEnterpriseUser: map[string]any{"department": "Before"}})
			key := scim.SchemaEnterpriseUser + ":department"
			patchProbe(ctx, env, u, `{"op": "replace", "value": {"`+key+`": ...}} (`+interpretation(12)+`)`, patchHolds(scim.SchemaEnterpriseUser, "department", "Probe"),
				Op("replace", "", map[string]any{key: "Probe"}))
		})

	// 7644-3.5.2-06 (docs/interpretations.md#i12): Boolean values sent as the strings "True"/"False".
	It("reports how it handles a Boolean sent as the string False", spec.Req("7644-3.5.2-06"), spec.MAY, spec.Interop, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, map[string]any{"active": true})
		patchProbe(ctx, env, u, `{"op": "replace", "path": "active", "value": "False"} (`+interpretation(12)+`)`, func(doc map[string]any) (bool, string) {
			v := patchValue(doc, "", "active")
			if s, isString := v.(string); isString {
				return false, fmt.Sprintf("active now holds the string %q, not a Boolean; convert it or refuse it", s)
			}
			return v == false, fmt.Sprintf("active is %s", patchShow(v))
		}, Op("replace", "active", "False"))
	})

	// 7644-3.5.2.1-02 (erratum 8097): an add whose value filter matches nothing, expected by Entra to create the value.
	It("reports how it handles an add whose value filter matches nothing", spec.Req("7644-3.5.2.1-02"), spec.MAY, spec.Interop, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		home := patchEmail(u.Name, "home")
		patchProbe(ctx, env, u, `erratum 8097 {"op": "add", "path": "emails[type eq \"home\"].value"}`, func(doc map[string]any) (bool, string) {
			sel := patchWithSub(patchValues(doc, "emails"), "type", "home")
			if len(sel) == 1 && len(patchWithSub(sel, "value", home)) == 1 {
				return true, ""
			}
			return false, fmt.Sprintf("the home emails are %s", quoteJSON(sel))
		}, Op("add", `emails[type eq "home"].value`, home))
	})
}

func describePatchInteropGroups(env *Env) {
	// 7644-3.5.2.2-02 (docs/interpretations.md#i2): remove of "members" with a value array naming the members to drop.
	It("reports how it handles a members remove carrying a value array", spec.Req("7644-3.5.2.2-02"), spec.MAY, spec.Interop, func(ctx SpecContext) {
		a, b, c := patchCreateUser(ctx, env, nil), patchCreateUser(ctx, env, nil), patchCreateUser(ctx, env, nil)
		g := patchGroupWith(ctx, env, []string{a.ID, b.ID, c.ID})
		resp := env.Patch(ctx, g.Path(), Op("remove", "members", patchMemberValues(a.ID)))
		shape := `{"op": "remove", "path": "members", "value": [{"value": id}]} (` + interpretation(2) + `)`
		got := patchMemberIDs(patchRead(ctx, env, g))
		if resp.Status >= 300 {
			patchProbeStatus(env, shape, resp)
			if len(got) != 3 {
				env.Warn("%s: the request failed but the Group now holds %d of its 3 members; a failed PATCH must change nothing (RFC 7644 §3.5.2)", shape, len(got))
			}
			return
		}
		switch {
		case len(got) == 2 && got[a.ID] == 0:
			env.Info("%s: accepted (%s); only the listed member was removed", shape, patchStatus(resp.Status))
		case len(got) == 0:
			env.Warn("%s: the server removed ALL members (the letter of RFC 7644 §3.5.2.2 ignores the value); Entra and others send this shape to remove one member, so every other membership is lost. Remove only the listed members, or refuse the shape with 400.", shape)
		case got[a.ID] > 0:
			env.Warn("%s: the server answered %s but the listed member is still in the Group (%d of 3 members left); a client is told the member was removed when it was not. Remove it, or refuse the shape with 400.",
				shape, patchStatus(resp.Status), len(got))
		default:
			env.Warn("%s: the server answered %s, removed the listed member and also others (%d of 3 members left); remove only the listed members.",
				shape, patchStatus(resp.Status), len(got))
		}
	})
}

// patchProbeStatus reports a probe answered with an error status.
func patchProbeStatus(env *Env, shape string, resp *scim.Response) {
	if resp.Status >= http.StatusInternalServerError {
		env.Warn("%s: the server failed with %s%s; answer 400 (refusing the shape) or apply it", shape, patchStatus(resp.Status), patchErrorNote(resp))
		return
	}
	env.Info("%s: refused with %s%s; clients that send this shape (e.g. Microsoft Entra ID) will see errors", shape, patchStatus(resp.Status), patchErrorNote(resp))
}
