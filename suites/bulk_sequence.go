package suites

import (
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/spec"
)

// Order and preconditions of bulk operations (RFC 7644 §3.7): operations on
// one resource take effect in request order, and an operation's version
// acts as its If-Match.

func describeBulkSequence(env *Env) {
	// 7644-3.7-18: two writes of one resource in a request end in the state the request order gives.
	It("applies two PUTs of the same User in request order", spec.Req("7644-3.7-18"), spec.MUST, func(ctx SpecContext) {
		f := bulkUser(ctx, env, "bulk-order")
		ops := []bulkOp{
			{Method: http.MethodPut, Path: f.Path, Data: bulkUserData(f.UserName, f.UserName+" first")},
			{Method: http.MethodPut, Path: f.Path, Data: bulkUserData(f.UserName, f.UserName+" second")},
		}
		reply := bulkSend(ctx, env, ops, bulkNoLimit, "7644-3.7-18")
		for i := range ops {
			if r := bulkExpectResult(reply, ops, i, "7644-3.7-18"); !r.ok() {
				Fail(fmt.Sprintf("%s: PUT %d of %s in the bulk request reports status %d; both replaces are valid and must succeed.", cite("7644-3.7-18"), i, f.Path, r.Code))
			}
		}
		etagExpectDisplayName(ctx, env, f, f.UserName+" second", "7644-3.7-18",
			"two bulk PUTs of the same User (an optimised order must keep the client's intent: the later PUT wins)")
	})

	// 7644-3.7-05, 7644-3.14-04: an operation's version is its precondition: current runs, stale gets 412.
	It("performs a bulk PUT whose version is current and refuses one whose version is stale with 412",
		spec.Req("7644-3.7-05", "7644-3.14-02", "7644-3.14-04"), spec.MAY, spec.Requires(spec.FeatureETag), func(ctx SpecContext) {
			current, stale := bulkUser(ctx, env, "bulk-version-current"), bulkUser(ctx, env, "bulk-version-stale")
			currentTag := etagTag(ctx, env, current, "7644-3.7-05")
			staleTag := etagTag(ctx, env, stale, "7644-3.7-05")
			if etagModify(ctx, env, stale, stale.UserName+" v2") == staleTag {
				Fail(fmt.Sprintf("%s: a PUT changed %s but its entity tag stayed %s, so no stale version exists; give every modification a new tag.", cite("7644-3.14-04"), stale.Path, staleTag))
			}
			ops := []bulkOp{
				{Method: http.MethodPut, Path: current.Path, Version: currentTag, Data: bulkUserData(current.UserName, current.UserName+" v2")},
				{Method: http.MethodPut, Path: stale.Path, Version: staleTag, Data: bulkUserData(stale.UserName, stale.UserName+" lost update")},
			}
			reply := bulkSend(ctx, env, ops, bulkNoLimit, "7644-3.7-05")
			first, second := bulkExpectResult(reply, ops, 0, "7644-3.7-05"), bulkExpectResult(reply, ops, 1, "7644-3.7-05")
			Expect(first.ok()).To(BeTrue(), "%s: the bulk PUT of %s carries version %s, the current entity tag, yet reports status %d; a current version must let the operation run.",
				cite("7644-3.7-05"), current.Path, currentTag, first.Code)
			Expect(second.Code).To(Equal(http.StatusPreconditionFailed), "%s: the bulk PUT of %s carries version %s, replaced since; like If-Match on a single PUT it must fail with 412, got status %d.",
				cite("7644-3.7-05"), stale.Path, staleTag, second.Code)
			etagExpectDisplayName(ctx, env, current, current.UserName+" v2", "7644-3.7-05", "a bulk PUT with the current version")
			etagExpectUnchanged(ctx, env, stale, "7644-3.7-05", "a bulk PUT refused for its stale version")
		})
}
