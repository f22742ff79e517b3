package suites

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Answers to a successful PATCH (RFC 7644 §3.5.2; docs/interpretations.md#i14: 200
// with the resource or 204) and the meta a change moves.

func describePatchResponses(env *Env) {
	// 7644-3.5.2-17: success is 200 with the entire resource as stored, or 204 without a body.
	It("answers 200 with the entire resource as stored, or 204 without a body", spec.Req("7644-3.5.2-17"), spec.MUST, func(ctx SpecContext) {
		a := patchTextAttr(env)
		u := patchCreateUser(ctx, env, map[string]any{a: "Before"})
		resp := patchOK(ctx, env, u, "7644-3.5.2-17", fmt.Sprintf("a replace of %q", a), Op("replace", a, "Patchy"))
		stored := patchRead(ctx, env, u)
		if resp.Status == http.StatusNoContent {
			env.Info("the server answers a successful PATCH with 204 No Content (%s)", interpretation(14))
			if len(strings.TrimSpace(string(resp.Body))) > 0 {
				Fail(fmt.Sprintf("%s: a 204 No Content answer carries a %d-byte body; 204 has no content (send 200 to return the resource).",
					cite("7644-3.5.2-17"), len(resp.Body)))
			}
			return
		}
		env.Info("the server answers a successful PATCH with 200 and a body (%s)", interpretation(14))
		body := decodeObject(resp, "the 200 PATCH response body", "7644-3.5.2-17")
		if id, _ := memberString(body, "id"); id != u.ID {
			Fail(fmt.Sprintf("%s: the 200 PATCH response carries id %q, not the patched resource's id %q; a 200 answer holds the entire resource.",
				cite("7644-3.5.2-17"), id, u.ID))
		}
		// id is compared above; a GET that omits it is the read suite's finding.
		failProblems(cite("7644-3.5.2-17")+": the 200 PATCH response must be the entire resource as stored, but it differs from a GET right after it (response → GET):",
			patchDiff(patchWithout(body, "id"), patchWithout(stored, "id")))
	})

	// 7644-3.5.2-18: a PATCH with the attributes parameter answers 200 with a body.
	It("answers 200 with a body when the request carries the attributes parameter", spec.Req("7644-3.5.2-18"), spec.MUST, func(ctx SpecContext) {
		a := patchTextAttr(env)
		u := patchCreateUser(ctx, env, map[string]any{a: "Before"})
		resp := patchWithAttributes(ctx, env, u, a)
		if resp.Status != http.StatusOK {
			Fail(fmt.Sprintf("%s: a successful PATCH with ?attributes=%s must answer 200 with the resource, got %s%s.",
				cite("7644-3.5.2-18"), a, patchStatus(resp.Status), patchErrorNote(resp)))
		}
		decodeObject(resp, "the 200 PATCH response body", "7644-3.5.2-18")
		patchExpectText(patchRead(ctx, env, u), "", a, "Patchy", "7644-3.5.2-18", fmt.Sprintf("a replace of %q sent with ?attributes=%s", a, a))
	})

	// 7644-3.5.2-17, 7644-3.4.2.5-02, 7644-3.9-02: the attributes parameter selects what the PATCH response returns.
	It("returns the requested attributes and leaves out the others when the request carries the attributes parameter",
		spec.Req("7644-3.5.2-17", "7644-3.4.2.5-02", "7644-3.9-02"), spec.MUST, func(ctx SpecContext) {
			attrs := patchTextAttrs(env, 2)
			a, other := attrs[0], attrs[1]
			u := patchCreateUser(ctx, env, map[string]any{a: "Before", other: "Engineer"})
			resp := patchWithAttributes(ctx, env, u, a)
			if resp.Status != http.StatusOK {
				Skip(fmt.Sprintf("not applicable: the PATCH answered %s, so there is no body to inspect; the spec for 7644-3.5.2-18 reports it", patchStatus(resp.Status)))
			}
			body := decodeObject(resp, "the 200 PATCH response body", "7644-3.5.2-17")
			var problems []string
			if !patchSameText(patchValue(body, "", a), "Patchy") {
				problems = append(problems, fmt.Sprintf("%s is %s, want \"Patchy\" (requested and just set)", a, patchShow(patchValue(body, "", a))))
			}
			for _, name := range []string{other, "emails", "name"} {
				if v := patchValue(body, "", name); v != nil && !patchReturnedAlways(env, name) {
					problems = append(problems, fmt.Sprintf("%s is returned (%s) although only %s was requested", name, patchShow(v), a))
				}
			}
			failProblems(cite("7644-3.5.2-17")+": a PATCH response is subject to the attributes parameter (RFC 7644 §3.9): return the requested attributes plus those returned always, and no others:", problems)
			patchExpectText(patchRead(ctx, env, u), "", a, "Patchy", "7644-3.5.2-17", fmt.Sprintf("a replace of %q sent with ?attributes=%s", a, a))
		})

}

func describePatchMeta(env *Env) {
	// 7644-3.14-03: a change moves meta.lastModified and, where the resource carries one, meta.version.
	It("advances meta.lastModified and meta.version when a PATCH changes the resource", spec.Req("7644-3.14-03"), spec.MAY, Slow, func(ctx SpecContext) {
		a := patchTextAttr(env)
		u := patchCreateUser(ctx, env, map[string]any{a: "Before"})
		before := patchRead(ctx, env, u)
		was, hasTime, wasVersion := patchMeta(before)
		if !hasTime && wasVersion == "" {
			Skip("not applicable: the User carries neither meta.lastModified nor meta.version")
		}
		patchSleep(ctx, patchNoOpWait)
		patchOK(ctx, env, u, "7644-3.14-03", fmt.Sprintf("a replace of %q", a), Op("replace", a, "Patchy"))
		now, _, nowVersion := patchMeta(patchRead(ctx, env, u))
		var problems []string
		if hasTime && !now.After(was) {
			problems = append(problems, fmt.Sprintf("meta.lastModified stayed %s (now %s); it is the time of the latest change",
				was.Format(time.RFC3339Nano), now.Format(time.RFC3339Nano)))
		}
		if wasVersion != "" && nowVersion == wasVersion {
			problems = append(problems, fmt.Sprintf("meta.version stayed %q; a new state needs a new version, or clients that send If-Match or If-None-Match miss the change", wasVersion))
		}
		failProblems(cite("7644-3.14-03")+": a PATCH that changed the resource must show in its meta:", problems)
	})
}

// patchWithAttributes replaces attr with "Patchy" in a PATCH carrying
// ?attributes=attr.
func patchWithAttributes(ctx SpecContext, env *Env, r Resource, attr string) *scim.Response {
	GinkgoHelper()
	return env.Do(ctx, scim.Request{Method: http.MethodPatch, Path: r.Path(), Query: url.Values{"attributes": {attr}},
		Body: PatchOp(Op("replace", attr, "Patchy"))})
}
