package suites

import (
	"context"
	"fmt"
	"net/http"
	"strings"

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
		// One plain eq query per User: the verdict must not depend on
		// whether the server supports "or" (RFC 7644 §3.4.2.2 lets it refuse).
		if !deleteQueryFinds(ctx, env, kept["userName"].(string)) {
			Skip(fmt.Sprintf("the query userName eq %q did not return the live User, so the filter cannot tell whether the deleted one is gone (the filter suite reports it)",
				kept["userName"]))
		}
		Expect(deleteQueryFinds(ctx, env, gone["userName"].(string))).To(BeFalse(),
			"%s: the User %s was deleted, yet the query userName eq %q still returns it; drop deleted resources from every query",
			cite("7644-3.6-02"), gone["userName"], gone["userName"])
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

// deleteQueryFinds reports whether GET /Users?filter=userName eq "name"
// returns a User with that userName.
func deleteQueryFinds(ctx context.Context, env *Env, name string) bool {
	GinkgoHelper()
	q := coreUserNameFilter(name)
	resp := env.Get(ctx, env.Endpoint(coreUser), q)
	if resp.Status == http.StatusNotFound {
		// A query matching nothing must answer 200 with an empty list
		// (7644-3.4.2-09, judged by the list specs); here it only tells
		// that no such User is listed.
		env.Info("GET %s?filter=%s answered 404; an empty result is 200 with totalResults 0 (the ListResponse specs judge it)", env.Endpoint(coreUser), q.Get("filter"))
		return false
	}
	Expect(resp).To(matchers.HaveStatus(http.StatusOK, cite("7644-3.6-02")+": a query by userName must succeed"))
	items, err := listResources(resp)
	Expect(err).NotTo(HaveOccurred(), "%s: the query answer is not a readable ListResponse", cite("7644-3.6-02"))
	for _, it := range items {
		if n, _ := memberString(it, "userName"); strings.EqualFold(n, name) {
			return true
		}
	}
	return false
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
