package suites

import (
	"fmt"
	"net/http"
	"net/url"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/fixtures"
	"github.com/scimconform/scimconform/fixtures/dataset"
	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The list-response suite: the ListResponse members and query endpoints of
// RFC 7644 §3.4.2 and §3.4.2.1, over the shared query data set. The specs
// only read, but the first one may create the data set: the container is
// mutating.
var _ = DescribeSCIM("List responses", spec.Area("list-query"), spec.Requires(spec.FeatureFilter, spec.FeatureUsers), spec.Mutating, func(env *Env) {
	Context("of a query over the data set", func() { describeListResponse(env) })
	Context("of queries at the server root", func() { describeListRoot(env) })
})

// describeListResponse declares the specs of the ListResponse message.
func describeListResponse(env *Env) {
	// 7644-3.4.2-03, 7644-3.4.2-04: the answer is a ListResponse: its schema URN, totalResults and typed members.
	It("conforms to the ListResponse wire format", spec.Req("7644-3.4.2-03", "7644-3.4.2-04"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		q := url.Values{"filter": {qs.Scoped("")}}
		resp := env.Get(ctx, env.Endpoint("User"), q)
		Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf("%s: GET %s is a valid query; answer 200 OK with a ListResponse",
			cite("7644-3.4.2-03"), lqShow(env.Endpoint("User"), q))))
		Expect(resp).To(matchers.MatchJSONSchema(fixtures.SchemaListResponse),
			"%s, %s: a query answer is a ListResponse: \"schemas\" lists %s, \"totalResults\" is a non-negative integer, \"Resources\" an array of objects; fix each violation listed.",
			cite("7644-3.4.2-03"), cite("7644-3.4.2-04"), scim.MessageListResponse)
	})

	// 7644-3.4.2-04: totalResults is the number of matching resources.
	It("reports totalResults equal to the number of matching resources", spec.Req("7644-3.4.2-04"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		q := url.Values{"filter": {qs.Scoped("")}}
		l := lqGet(ctx, env, env.Endpoint("User"), q, "7644-3.4.2-04")
		Expect(l.TotalResults.Present && l.TotalResults.Value == len(qs.Users)).To(BeTrue(),
			"%s: the filter of GET %s matches exactly the %d data-set users, so \"totalResults\" must be %d; got %s.",
			cite("7644-3.4.2-04"), lqShow(env.Endpoint("User"), q), len(qs.Users), len(qs.Users), pagingShowNumber(l.TotalResults))
	})

	// 7644-3.4.2-06: a non-zero total comes with the Resources.
	It("returns the matching resources in Resources when totalResults is non-zero", spec.Req("7644-3.4.2-06"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		q := url.Values{"filter": {qs.Scoped("")}}
		l := lqGet(ctx, env, env.Endpoint("User"), q, "7644-3.4.2-06")
		Expect(l.Resources).NotTo(BeEmpty(), "%s: GET %s matches %d users (totalResults %s) and asks for no page size, so \"Resources\" must hold them (or a first page of them).",
			cite("7644-3.4.2-06"), lqShow(env.Endpoint("User"), q), len(qs.Users), pagingShowNumber(l.TotalResults))
		failProblems(fmt.Sprintf("%s: the Resources of GET %s must be data-set users, each once:", cite("7644-3.4.2-06"), lqShow(env.Endpoint("User"), q)),
			lqKeyProblems(qs.Keys(l.Resources), nil, qs.UserKeys()))
	})

	// 7644-3.4.2-09, 7644-3.4.2-04: a query matching nothing is a success with totalResults 0.
	It("answers a query that matches nothing with 200 and totalResults 0", spec.Req("7644-3.4.2-09", "7644-3.4.2-04"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		q := url.Values{"filter": {fmt.Sprintf("userName eq %s", lqQuote(qs.Prefix+"-nobody"))}}
		l := lqGet(ctx, env, env.Endpoint("User"), q, "7644-3.4.2-09")
		Expect(l.TotalResults.Present && l.TotalResults.Value == 0).To(BeTrue(), "%s: GET %s matches no resource, so the answer is 200 with \"totalResults\": 0; got %s.",
			cite("7644-3.4.2-09"), lqShow(env.Endpoint("User"), q), pagingShowNumber(l.TotalResults))
		Expect(l.Resources).To(BeEmpty(), "%s: GET %s matches no resource but returned some.", cite("7644-3.4.2-09"), lqShow(env.Endpoint("User"), q))
	})

	// 7644-3.4.2-02: an unknown query parameter is ignored, not rejected.
	It("ignores a query parameter it does not recognise", spec.Req("7644-3.4.2-02"), spec.SHOULD, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		q := url.Values{"filter": {qs.Scoped("")}, "scimconformUnknownParameter": {"1"}}
		resp := env.Get(ctx, env.Endpoint("User"), q)
		Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf("%s: GET %s carries a parameter SCIM does not define; ignore it (for versioning compatibility) and answer the query",
			cite("7644-3.4.2-02"), lqShow(env.Endpoint("User"), q))))
		l := lqParse(resp, "GET "+lqShow(env.Endpoint("User"), q), "7644-3.4.2-02")
		failProblems(fmt.Sprintf("%s: GET %s must answer as if the unknown parameter were absent:", cite("7644-3.4.2-02"), lqShow(env.Endpoint("User"), q)),
			lqKeyProblems(qs.Keys(l.Resources), qs.UserKeys(), nil))
	})
}

// describeListRoot declares the spec of a query at the server root.
func describeListRoot(env *Env) {
	// 7644-3.4.2.1-02, 7644-3.4.2.1-05: a root query covers every resource type, subject to the filter.
	It("includes Users and Groups in a filtered query at the server root", spec.Requires(spec.FeatureGroups),
		spec.Req("7644-3.4.2.1-02", "7644-3.4.2.1-05"), spec.MUST, func(ctx SpecContext) {
			qs := LoadQuerySet(ctx, env)
			f := listRootFilter(qs)
			q := url.Values{"filter": {f}, "count": {"100"}}
			resp := env.Get(ctx, "/", q)
			if resp.Status == http.StatusNotImplemented || resp.Status == http.StatusNotFound || resp.Status == http.StatusMethodNotAllowed {
				Skip(fmt.Sprintf("%sGET / answered %s: queries at the server root are optional (RFC 7644 §3.4.2.1)", spec.SkipUnsupportedPrefix, lqStatus(resp.Status)))
			}
			Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf("%s: GET %s is a query at the server root; answer it with 200 OK and a ListResponse",
				cite("7644-3.4.2.1-02"), lqShow("/", q))))
			l := lqParse(resp, "GET "+lqShow("/", q), "7644-3.4.2.1-02")
			failProblems(fmt.Sprintf("%s, %s: GET %s must return every User and Group of the data set (a root query covers all resource types, filtered per resource type):",
				cite("7644-3.4.2.1-02"), cite("7644-3.4.2.1-05"), lqShow("/", q)), lqKeyProblems(qs.Keys(l.Resources), listAllKeys(qs), nil))
		})
}

// listRootFilter selects the data set's Users (by userName) and Groups (by
// displayName) in one filter; an attribute a resource type lacks matches
// nothing there (RFC 7644 §3.4.2.1).
func listRootFilter(qs *QuerySet) string {
	GinkgoHelper()
	qs.RequireScope(dataset.ResourceUser, "")
	if qs.mode() != ScopeGrouped { // the server refuses parentheses or "and"; "or" binds the two alike
		return fmt.Sprintf("userName sw %s or displayName sw %s", lqQuote(qs.Prefix+"-"), lqQuote(qs.Prefix+"-"))
	}
	return fmt.Sprintf("(userName sw %s) or (displayName sw %s)", lqQuote(qs.Prefix+"-"), lqQuote(qs.Prefix+"-"))
}

// listAllKeys lists every User and Group key of the data set.
func listAllKeys(qs *QuerySet) []string {
	return append(qs.UserKeys(), qs.GroupKeys()...)
}
