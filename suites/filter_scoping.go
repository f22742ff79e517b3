package suites

import (
	"context"
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/fixtures/dataset"
	"github.com/scimconform/scimconform/internal/spec"
)

// The rules behind the harness's own scoping (issue 11): every query of the
// query suites is restricted to the data set with (scope) and (X). A server
// that refuses that form but accepts its parts breaks the grammar's "and"
// or its grouping parentheses; these two specs report that once, and the
// run's scoping probe (query_scope.go) makes every other query spec judge
// its own operator without the refused form.
func describeFilterScoping(env *Env) {
	// 7644-3.4.2.2-17, -07: "and" joins two expressions the server accepts.
	It("accepts two accepted expressions joined by and", spec.Req("7644-3.4.2.2-17", "7644-3.4.2.2-07"), spec.MUST, func(ctx SpecContext) {
		qs, scope := filterScopeAccepted(ctx, env)
		r := filterGet(ctx, env, dataset.ResourceUser, scope+" and "+scope)
		filterExpectAccepted(qs, r, scope, "7644-3.4.2.2-07", `"and"`)
	})

	// 7644-3.4.2.2-17, -08: parentheses group an expression the server accepts.
	It("accepts accepted expressions in grouping parentheses", spec.Req("7644-3.4.2.2-17", "7644-3.4.2.2-08"), spec.MUST, func(ctx SpecContext) {
		qs, scope := filterScopeAccepted(ctx, env)
		r := filterGet(ctx, env, dataset.ResourceUser, "("+scope+")")
		filterExpectAccepted(qs, r, scope, "7644-3.4.2.2-08", "grouping parentheses")
		if and := filterGet(ctx, env, dataset.ResourceUser, scope+" and "+scope); and.Resp.Status == http.StatusOK {
			r = filterGet(ctx, env, dataset.ResourceUser, "("+scope+") and ("+scope+")")
			filterExpectAccepted(qs, r, scope, "7644-3.4.2.2-08", "grouping parentheses around the operands of \"and\"")
		}
	})
}

// filterScopeAccepted returns the data set and its User scope filter,
// which the server must accept on its own for the specs above to judge
// anything (SKIPPED otherwise: no query scope).
func filterScopeAccepted(ctx context.Context, env *Env) (*QuerySet, string) {
	GinkgoHelper()
	qs := LoadQuerySet(ctx, env)
	qs.RequireScope(dataset.ResourceUser, "")
	return qs, qs.scopeFor(dataset.ResourceUser)
}

// filterExpectAccepted fails unless r, a filter built from scope with
// construct, was answered 200.
func filterExpectAccepted(qs *QuerySet, r filterResult, scope, req, construct string) {
	GinkgoHelper()
	if r.Resp.Status == http.StatusOK {
		return
	}
	Fail(fmt.Sprintf("%s, %s: the server accepts the filter %s but refuses %s, which only adds %s: it answered %s. %s\n"+
		"The filter grammar of RFC 7644 §3.4.2.2 includes %s; parse it. (The harness scopes its other queries without it from here on (%s), so their verdicts are about their own operators.)",
		cite("7644-3.4.2.2-17"), cite(req), scope, r.Sent, construct, statusLine(r.Resp.Status), coreErrorNote(r.Resp), construct, qs.mode()))
}
