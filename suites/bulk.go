package suites

import (
	"context"
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/fixtures"
	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/spec"
)

// The Bulk suite: RFC 7644 §3.7, when the server advertises bulk.supported.
// Every resource a bulk request creates is tracked from the response at
// once; every effect is verified by reading the resources back. Operations
// that must fail delete or patch a User that does not exist, so that they
// fail the same way on any server and change nothing.
var _ = DescribeSCIM("Bulk", spec.Area("bulk"), spec.Requires(spec.FeatureBulk), func(env *Env) {
	Context("processing operations", spec.Mutating, spec.Requires(spec.FeatureUsers), func() { describeBulkProcessing(env) })
	Context("operation results", spec.Mutating, spec.Requires(spec.FeatureUsers), func() {
		describeBulkResults(env)
		describeBulkResultIdentity(env)
	})
	Context("bulkId references", spec.Mutating, spec.Requires(spec.FeatureUsers), func() {
		describeBulkReferences(env)
		describeBulkCircular(env)
	})
	Context("order and versions", spec.Mutating, spec.Requires(spec.FeatureUsers), func() { describeBulkSequence(env) })
	Context("errors", spec.Mutating, spec.Requires(spec.FeatureUsers), func() { describeBulkErrors(env) })
	Context("limits", func() { describeBulkLimits(env) })
})

func describeBulkProcessing(env *Env) {
	// 7644-3.7-12, 7644-3.7.3-01: a bulk job of valid operations is performed and answered 200 with one result each.
	It("performs POST, PUT, PATCH and DELETE operations of one request and answers 200 with a result for each",
		spec.Req("7644-3.7-12", "7644-3.7.3-01"), spec.MUST, func(ctx SpecContext) {
			mix := newBulkMix(ctx, env)
			reply := bulkSend(ctx, env, mix.ops, bulkNoLimit, "7644-3.7-12")
			Expect(reply.Resp).To(matchers.HaveStatus(http.StatusOK,
				cite("7644-3.7-12")+": a bulk request whose operations were processed must be answered 200 OK, whatever the results of the single operations"))
			Expect(reply.Resp).To(matchers.MatchJSONSchema(fixtures.SchemaBulkResponse),
				"%s: the body must be a BulkResponse listing each operation's method and status", cite("7644-3.7.3-01"))
			Expect(reply.Results).To(HaveLen(len(mix.ops)), "%s: the request held %d operations and none failed, so the response must report %d results; it reports %d.",
				cite("7644-3.7.3-01"), len(mix.ops), len(mix.ops), len(reply.Results))
			mix.expectEffects(ctx, env, reply, "7644-3.7-12")
		})

	// 7644-3.7-13, 7644-3.7.3-01: without failOnErrors, operations after a failed one still run.
	It("keeps performing operations after failed ones when failOnErrors is absent", spec.Req("7644-3.7-13", "7644-3.7.3-01"), spec.MUST, func(ctx SpecContext) {
		a, b := bulkUser(ctx, env, "bulk-cont-a"), bulkUser(ctx, env, "bulk-cont-b")
		ops := []bulkOp{
			{Method: http.MethodDelete, Path: bulkMissingPath(env)},
			{Method: http.MethodPut, Path: a.Path, Data: bulkUserData(a.UserName, a.UserName+" after error 1")},
			{Method: http.MethodDelete, Path: bulkMissingPath(env)},
			{Method: http.MethodPut, Path: b.Path, Data: bulkUserData(b.UserName, b.UserName+" after error 2")},
		}
		reply := bulkSend(ctx, env, ops, bulkNoLimit, "7644-3.7-13")
		etagExpectDisplayName(ctx, env, a, a.UserName+" after error 1", "7644-3.7-13", "a bulk PUT following a failed operation")
		etagExpectDisplayName(ctx, env, b, b.UserName+" after error 2", "7644-3.7-13", "a bulk PUT following two failed operations")
		Expect(reply.Results).To(HaveLen(len(ops)), "%s: all %d operations were processed (two failed, two succeeded), so the response must report %d results; it reports %d.",
			cite("7644-3.7.3-01"), len(ops), len(ops), len(reply.Results))
	})

	// 7644-3.7-14: with failOnErrors N the server stops after the Nth error and runs nothing after it.
	It("stops after failOnErrors errors and performs none of the later operations", spec.Req("7644-3.7-14"), spec.MAY, func(ctx SpecContext) {
		done1, done2 := bulkUser(ctx, env, "bulk-foe-done1"), bulkUser(ctx, env, "bulk-foe-done2")
		later, kept := bulkUser(ctx, env, "bulk-foe-later"), bulkUser(ctx, env, "bulk-foe-kept")
		ops := []bulkOp{
			{Method: http.MethodPut, Path: done1.Path, Data: bulkUserData(done1.UserName, done1.UserName+" v2")},
			{Method: http.MethodDelete, Path: bulkMissingPath(env)},
			{Method: http.MethodPut, Path: done2.Path, Data: bulkUserData(done2.UserName, done2.UserName+" v2")},
			{Method: http.MethodDelete, Path: bulkMissingPath(env)},
			{Method: http.MethodPut, Path: later.Path, Data: bulkUserData(later.UserName, later.UserName+" must not happen")},
			{Method: http.MethodDelete, Path: kept.Path},
		}
		reply := bulkSend(ctx, env, ops, 2, "7644-3.7-14")
		etagExpectDisplayName(ctx, env, done1, done1.UserName+" v2", "7644-3.7-14", "a bulk PUT before the first error")
		etagExpectDisplayName(ctx, env, done2, done2.UserName+" v2", "7644-3.7-14", "a bulk PUT between the first and the second error")
		etagExpectUnchanged(ctx, env, later, "7644-3.7-14", "a bulk request with failOnErrors 2 whose second error came before this PUT")
		etagExpectUnchanged(ctx, env, kept, "7644-3.7-14", "a bulk request with failOnErrors 2 whose second error came before this DELETE")
		for i := 4; i < len(ops); i++ {
			if r := reply.Matched[i]; r.ok() {
				Fail(fmt.Sprintf("%s: operation %d (%s %s) comes after the second failed operation of a request with failOnErrors 2, yet it is reported with status %d; stop processing once failOnErrors errors occurred.",
					cite("7644-3.7-14"), i, ops[i].Method, ops[i].Path, r.Code))
			}
		}
	})
}

// bulkMix is one request with a valid operation of each method, on Users
// created for the spec, and what each operation must achieve.
type bulkMix struct {
	ops                  []bulkOp
	newName              string
	put, patch, del      *etagFixture
	putValue, patchValue string
}

// newBulkMix creates the Users a mixed request works on and builds it. The
// PATCH operation is left out when the server does not advertise PATCH.
func newBulkMix(ctx context.Context, env *Env) *bulkMix {
	GinkgoHelper()
	m := &bulkMix{newName: env.Name("bulk-new")}
	m.put = bulkUser(ctx, env, "bulk-put")
	m.putValue = m.put.UserName + " replaced in bulk"
	m.ops = append(m.ops,
		bulkOp{Method: http.MethodPost, Path: env.Endpoint("User"), BulkID: "created", Data: bulkUserData(m.newName, m.newName+" created in bulk")},
		bulkOp{Method: http.MethodPut, Path: m.put.Path, Data: bulkUserData(m.put.UserName, m.putValue)})
	if env.Caps.Has(spec.FeaturePatch) {
		m.patch = bulkUser(ctx, env, "bulk-patch")
		m.patchValue = m.patch.UserName + " patched in bulk"
		m.ops = append(m.ops, bulkOp{Method: http.MethodPatch, Path: m.patch.Path, Data: PatchOp(Op("replace", "displayName", m.patchValue))})
	}
	m.del = bulkUser(ctx, env, "bulk-delete")
	m.ops = append(m.ops, bulkOp{Method: http.MethodDelete, Path: m.del.Path})
	return m
}

// expectEffects reads every resource back: the create exists with its
// data, the replace and the modify are stored, the delete took effect.
func (m *bulkMix) expectEffects(ctx context.Context, env *Env, reply *bulkReply, req string) {
	GinkgoHelper()
	id := bulkCreatedID(reply, m.ops, "created", req)
	created := &etagFixture{Path: env.Endpoint("User") + "/" + id, UserName: m.newName}
	_, obj := etagRead(ctx, env, created, cite(req)+": the User created by the bulk POST must be readable")
	got, _ := memberString(obj, "userName")
	Expect(got).To(Equal(m.newName), "%s: the bulk POST created %s with userName %q, want %q.", cite(req), created.Path, got, m.newName)
	etagExpectDisplayName(ctx, env, m.put, m.putValue, req, "the bulk PUT")
	if m.patch != nil {
		etagExpectDisplayName(ctx, env, m.patch, m.patchValue, req, "the bulk PATCH")
	}
	bulkExpectDeleted(ctx, env, m.del.Path, req)
}

// bulkExpectDeleted checks that a bulk DELETE removed path. When the server
// keeps even directly deleted resources readable (judged by the delete
// specs), the bulk DELETE cannot be verified and the spec says so.
func bulkExpectDeleted(ctx context.Context, env *Env, path, req string) {
	GinkgoHelper()
	if env.Get(ctx, path, nil).Status == http.StatusNotFound {
		return
	}
	control := bulkUser(ctx, env, "bulk-delete-control")
	env.Delete(ctx, control.Path)
	if env.Get(ctx, control.Path, nil).Status != http.StatusNotFound {
		env.Info("a User deleted directly stays readable on this server too, so the effect of the bulk DELETE cannot be verified (the delete specs report it)")
		return
	}
	Fail(fmt.Sprintf("%s: after the bulk DELETE of %s a GET still finds it, while a directly deleted User is gone; perform each bulk operation as the same single request would be.",
		cite(req), path))
}

// bulkUser creates and tracks a User for a bulk spec.
func bulkUser(ctx context.Context, env *Env, part string) *etagFixture {
	GinkgoHelper()
	f, _ := etagCreateUser(ctx, env, part)
	return f
}
