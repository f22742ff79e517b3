package suites

import (
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The delete suite: RFC 7644 §3.6. Specs other than the 204 one accept any
// 2xx for the DELETE itself and judge what follows.
var _ = DescribeSCIM("Delete", spec.Area("delete"), spec.Mutating, func(env *Env) {
	Context("DELETE /Users/{id}", spec.Requires(spec.FeatureUsers), func() { describeDeleteUser(env) })
	Context("DELETE /Groups/{id}", spec.Requires(spec.FeatureGroups), func() { describeDeleteGroup(env) })
})

func describeDeleteUser(env *Env) {
	// 7644-3.6-05: a successful DELETE answers 204 No Content.
	It("answers 204 No Content to the DELETE of a User", spec.Req("7644-3.6-05"), spec.MUST, func(ctx SpecContext) {
		_, _, id := coreMustCreate(ctx, env, coreUser, coreUserBody(env, "delete"))
		resp := env.Delete(ctx, corePath(env, coreUser, id))
		Expect(resp).To(matchers.HaveStatus(http.StatusNoContent, cite("7644-3.6-05")+": a successful DELETE answers 204 No Content (no body)"))
	})

	// 7644-3.6-01, 7644-3.2-04: after DELETE every operation on the id gets 404; PUT does not bring it back.
	It("answers 404 to GET, PUT, PATCH and DELETE of a deleted User", spec.Req("7644-3.6-01", "7644-3.2-04", "7644-3.12-01"), spec.MUST,
		func(ctx SpecContext) {
			body := coreUserBody(env, "deleted")
			_, _, id := coreMustCreate(ctx, env, coreUser, body)
			coreDelete(ctx, env, coreUser, id)
			expectGone(ctx, env, coreUser, id, body)
		})

	// 7644-3.6-02: a deleted User no longer shows up in query results.
	It("leaves a deleted User out of query results", spec.Req("7644-3.6-02"), spec.MUST, spec.Requires(spec.FeatureFilter), func(ctx SpecContext) {
		gone, kept := coreUserBody(env, "unlisted"), coreUserBody(env, "listed")
		_, _, goneID := coreMustCreate(ctx, env, coreUser, gone)
		coreMustCreate(ctx, env, coreUser, kept)
		coreDelete(ctx, env, coreUser, goneID)
		q := coreUserNameFilter(gone["userName"].(string), kept["userName"].(string))
		resp := env.Get(ctx, env.Endpoint(coreUser), q)
		Expect(resp).To(matchers.HaveStatus(http.StatusOK, cite("7644-3.6-02")+": a query by userName for a deleted and a live User must succeed"))
		items, err := listResources(resp)
		Expect(err).NotTo(HaveOccurred(), "%s: the query answer is not a readable ListResponse", cite("7644-3.6-02"))
		names := map[string]bool{}
		for _, it := range items {
			n, _ := memberString(it, "userName")
			names[n] = true
		}
		if !names[kept["userName"].(string)] {
			Skip(fmt.Sprintf("the query %s did not return the live User %s, so the filter cannot tell whether the deleted one is gone (the filter suite reports it)",
				q.Get("filter"), kept["userName"]))
		}
		Expect(names).NotTo(HaveKey(gone["userName"]), "%s: the User %s was deleted, yet the query %s still returns it; drop deleted resources from every query",
			cite("7644-3.6-02"), gone["userName"], q.Get("filter"))
	})

	// 7644-3.6-03, 7644-3.6-04: the userName of a deleted User can be used again.
	It("accepts a new User with the userName of a deleted one", spec.Req("7644-3.6-03", "7644-3.6-04"), spec.SHOULD, func(ctx SpecContext) {
		first := coreUserBody(env, "reuse")
		_, _, id := coreMustCreate(ctx, env, coreUser, first)
		coreDelete(ctx, env, coreUser, id)
		second := coreUserBody(env, "reuse-again")
		second["userName"] = first["userName"]
		resp, _ := coreCreate(ctx, env, coreUser, second)
		Expect(coreIsSuccess(resp.Status)).To(BeTrue(), "%s: the User holding userName %q was deleted, so a new User may take it; the create got %s. %s",
			cite("7644-3.6-04"), first["userName"], coreStatus(resp.Status), coreErrorNote(resp))
	})
}

func describeDeleteGroup(env *Env) {
	// 7644-3.6-05, 7644-3.6-01: a Group DELETE answers 204 and the Group is gone.
	It("answers 204 No Content to the DELETE of a Group and 404 to a GET afterwards", spec.Req("7644-3.6-05", "7644-3.6-01", "7644-3.12-01"),
		spec.MUST, func(ctx SpecContext) {
			_, _, gid := coreMustCreate(ctx, env, coreGroup, coreGroupBody(env, "delete-group"))
			p := corePath(env, coreGroup, gid)
			resp := env.Delete(ctx, p)
			Expect(resp).To(matchers.HaveStatus(http.StatusNoContent, cite("7644-3.6-05")+": a successful DELETE answers 204 No Content (no body)"))
			coreExpectError(env.Get(ctx, p, nil), http.StatusNotFound, "", cite("7644-3.6-01")+": the Group was deleted, so GET "+p+" must answer 404 Not Found")
		})
}

// expectGone checks that every operation on a deleted resource gets 404.
func expectGone(ctx SpecContext, env *Env, rtName, id string, body map[string]any) {
	GinkgoHelper()
	p := corePath(env, rtName, id)
	why := func(op string) string {
		return fmt.Sprintf("%s: %s was deleted, so %s %s must answer 404 Not Found", cite("7644-3.6-01"), p, op, p)
	}
	coreExpectError(env.Get(ctx, p, nil), http.StatusNotFound, "", why("GET"))
	put := env.Put(ctx, p, body)
	if coreIsSuccess(put.Status) {
		env.Claim(ctx, env.Endpoint(rtName), body, put)
	}
	coreExpectError(put, http.StatusNotFound, "", why("PUT")+" (PUT never creates, RFC 7644 §3.2)")
	if env.Caps.Has(spec.FeaturePatch) {
		patch := env.Patch(ctx, p, Op("replace", "displayName", "patched after delete"))
		coreExpectError(patch, http.StatusNotFound, "", why("PATCH"))
	}
	coreExpectError(env.Do(ctx, scim.Request{Method: http.MethodDelete, Path: p}), http.StatusNotFound, "", why("DELETE"))
}
