package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

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
var _ = DescribeSCIM("List responses", spec.Area("list-query"), ReadsQuerySet, spec.Requires(spec.FeatureFilter, spec.FeatureUsers), spec.Mutating, func(env *Env) {
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

	// 7643-3-02, 7643-3-03: every resource in a query answer carries schemas, naming at least its base schema.
	It("carries schemas with the base schema in every listed User and Group", spec.Req("7643-3-02", "7643-3-03"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		var problems []string
		q := url.Values{"filter": {qs.Scoped("")}}
		l := lqGet(ctx, env, env.Endpoint("User"), q, "7643-3-02")
		problems = append(problems, listSchemasProblems(env, dataset.ResourceUser, "GET "+lqShow(env.Endpoint("User"), q), l.Resources, false)...)
		if env.Caps.Has(spec.FeatureGroups) && len(qs.Groups) > 0 {
			q = url.Values{"filter": {qs.ScopedGroups("")}}
			l = lqGet(ctx, env, env.Endpoint("Group"), q, "7643-3-02")
			problems = append(problems, listSchemasProblems(env, dataset.ResourceGroup, "GET "+lqShow(env.Endpoint("Group"), q), l.Resources, false)...)
		}
		failProblems(fmt.Sprintf("%s, %s: every resource representation, including each one in a ListResponse, has \"schemas\": a non-empty array of URIs that lists its base schema:",
			cite("7643-3-02"), cite("7643-3-03")), problems)
	})

	// 7644-3.4.2-02: unknown query parameters on User and Group queries are ignored: same status, same resources, same total.
	It("ignores a query parameter it does not recognise", spec.Req("7644-3.4.2-02"), spec.SHOULD, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		problems := listUnknownParamProblems(ctx, env, qs, env.Endpoint("User"), qs.Scoped(""))
		if env.Caps.Has(spec.FeatureGroups) && len(qs.Groups) > 0 {
			problems = append(problems, listUnknownParamProblems(ctx, env, qs, env.Endpoint("Group"), qs.ScopedGroups(""))...)
		}
		failProblems(fmt.Sprintf("%s: a query carrying parameters SCIM does not define must be answered as if they were absent (ignore them, for versioning compatibility):",
			cite("7644-3.4.2-02")), problems)
	})
}

// listUnknownParamProblems sends the scoped query of path with and without
// two unknown parameters and compares the answers: status, resources (as a
// set) and totalResults.
func listUnknownParamProblems(ctx context.Context, env *Env, qs *QuerySet, path, filter string) []string {
	GinkgoHelper()
	plain := url.Values{"filter": {filter}}
	base := lqGet(ctx, env, path, plain, "7644-3.4.2-02")
	q := url.Values{"filter": {filter}, "scimconformUnknownParameter": {"1"}, "x-scimconform-future": {"a,b"}}
	resp := env.Get(ctx, path, q)
	what := "GET " + lqShow(path, q)
	if resp.Status != http.StatusOK {
		return []string{fmt.Sprintf("%s answered %s where the same query without the unknown parameters answers 200. %s", what, statusLine(resp.Status), coreErrorNote(resp))}
	}
	l := lqParse(resp, what, "7644-3.4.2-02")
	problems := prefixAll(what+": ", lqKeyProblems(qs.Keys(l.Resources), qs.Keys(base.Resources), nil))
	if base.TotalResults != l.TotalResults {
		problems = append(problems, fmt.Sprintf("%s reports totalResults %s where the same query without the unknown parameters reports %s",
			what, pagingShowNumber(l.TotalResults), pagingShowNumber(base.TotalResults)))
	}
	return problems
}

// listSchemasProblems checks every listed resource with reprSchemasProblems.
func listSchemasProblems(env *Env, rt, what string, resources []map[string]any, withID bool) []string {
	var problems []string
	for i, r := range resources {
		problems = append(problems, reprSchemasProblems(env, rt, fmt.Sprintf("%s: Resources[%d]", what, i), r, withID)...)
	}
	return problems
}

// reprSchemasProblems checks that a representation of resource type rt
// holds "schemas", a non-empty array of strings listing the base schema
// (as /ResourceTypes publishes it), and, with withID, a non-empty "id".
func reprSchemasProblems(env *Env, rt, label string, r map[string]any, withID bool) []string {
	base := scim.SchemaUser
	if rt == dataset.ResourceGroup {
		base = scim.SchemaGroup
	}
	if view, ok := coreSchemaView(env, rt); ok {
		base = view.RT.Schema
	}
	var problems []string
	if id, _ := memberString(r, "id"); id != "" {
		label += " (id " + id + ")"
	} else if withID {
		problems = append(problems, label+" has no non-empty \"id\"")
	}
	raw, present := member(r, "schemas")
	list, isList := raw.([]any)
	switch {
	case !present:
		return append(problems, label+" has no \"schemas\"")
	case !isList || len(list) == 0:
		return append(problems, fmt.Sprintf("%s has \"schemas\": %s, want a non-empty array of URIs", label, quoteJSON(raw)))
	}
	found := false
	for _, v := range list {
		str, isStr := v.(string)
		if !isStr {
			problems = append(problems, fmt.Sprintf("%s: \"schemas\" holds %s, want URI strings", label, quoteJSON(v)))
		}
		found = found || strings.EqualFold(str, base)
	}
	if !found {
		problems = append(problems, fmt.Sprintf("%s: \"schemas\" %s does not list the base schema %s", label, quoteJSON(raw), base))
	}
	return problems
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
