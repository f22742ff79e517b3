package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/spec"
)

// The POST .search suite: RFC 7644 §3.4.3 at the server root and per
// resource type. .search support is not itself a MUST
// (docs/interpretations.md#i15): where POST .search answers 501 (or 404/405
// everywhere) the specs end as NOT SUPPORTED, and one spec judges how that
// absence is reported.
// SearchRequest bodies follow the RFC: attributes as an array of strings,
// startIndex and count as JSON numbers. Every spec that sends a filter
// also carries 7644-3.4.3-10, which the filter of a SearchRequest must obey.
var _ = DescribeSCIM("POST .search", spec.Area("search-post"), ReadsQuerySet, spec.Requires(spec.FeatureSearch, spec.FeatureFilter, spec.FeatureUsers), spec.Mutating, func(env *Env) {
	Context("on a resource type endpoint", func() { describeSearchType(env) })
	Context("at the server root", func() { describeSearchRoot(env) })
	Context("with SearchRequest parameters", func() { describeSearchParams(env) })
})

// describeSearchType declares the specs of /Users/.search and /Groups/.search.
func describeSearchType(env *Env) {
	// 7644-3.4.3-02, 7644-3.4.3-10: POST /Users/.search is a query: 200 and a ListResponse of the matches.
	It("answers POST /Users/.search as a query with the matching Users", spec.Req("7644-3.4.3-02", "7644-3.4.3-10"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		path := env.Endpoint("User") + "/.search"
		body := lqSearchBody("filter", qs.Scoped(""))
		resp := lqPostBody(ctx, env, path, body)
		if lqSearchUnsupported(resp.Status) {
			searchJudgeAbsence(ctx, env, path, resp.Status)
			return
		}
		Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf("%s: POST %s with a SearchRequest is a query; answer 200 OK with a ListResponse, as for GET (RFC 7644 §3.4.3)",
			cite("7644-3.4.3-02"), path)))
		l := lqParse(resp, "POST "+path, "7644-3.4.3-02")
		failProblems(fmt.Sprintf("%s, %s: POST %s with filter %s must return exactly the %d data-set users:",
			cite("7644-3.4.3-02"), cite("7644-3.4.3-10"), path, qs.Scoped(""), len(qs.Users)), lqKeyProblems(qs.Keys(l.Resources), qs.UserKeys(), nil))
	})

	// 7644-3.4.3-02, 7644-3.4.3-10: the result of a SearchRequest equals that of the equivalent GET.
	It("returns the same Users as the equivalent GET", spec.Req("7644-3.4.3-02", "7644-3.4.3-10"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		f := qs.Scoped(`title co "Engineer" or active eq false`)
		_, viaGet := lqFetchAll(ctx, env, env.Endpoint("User"), url.Values{"filter": {f}}, "7644-3.4.3-02")
		path := env.Endpoint("User") + "/.search"
		l := lqSearch(ctx, env, path, lqSearchBody("filter", f, "count", 100), "7644-3.4.3-02")
		failProblems(fmt.Sprintf("%s, %s: POST %s with filter %s must return the same resources as GET %s?filter=... (%s):",
			cite("7644-3.4.3-02"), cite("7644-3.4.3-10"), path, f, env.Endpoint("User"), lqShowKeys(qs.Keys(viaGet))),
			lqKeyProblems(qs.Keys(l.Resources), qs.Keys(viaGet), nil))
	})

	// 7644-3.4.3-02, 7644-3.4.2-09, 7644-3.4.3-10: a SearchRequest is never a create, even when its filter matches nothing.
	It("never creates a resource", spec.Req("7644-3.4.3-02", "7644-3.4.2-09", "7644-3.4.3-10"), spec.MUST, func(ctx SpecContext) {
		searchNeverCreates(ctx, env)
	})

	// 7644-3.4.3-02, 7644-3.4.3-10: POST /Groups/.search returns the matching Groups.
	It("answers POST /Groups/.search with the matching Groups", spec.Requires(spec.FeatureGroups),
		spec.Req("7644-3.4.3-02", "7644-3.4.3-10"), spec.MUST, func(ctx SpecContext) {
			qs := LoadQuerySet(ctx, env)
			path := env.Endpoint("Group") + "/.search"
			l := lqSearch(ctx, env, path, lqSearchBody("filter", qs.ScopedGroups("")), "7644-3.4.3-02")
			failProblems(fmt.Sprintf("%s, %s: POST %s with filter %s must return exactly the %d data-set groups:",
				cite("7644-3.4.3-02"), cite("7644-3.4.3-10"), path, qs.ScopedGroups(""), len(qs.Groups)),
				lqKeyProblems(qs.Keys(l.Resources), qs.GroupKeys(), nil))
		})
}

// searchJudgeAbsence judges a resource-type .search that answered 501, 404
// or 405. 501 is how RFC 7644 §3.12 reports an unsupported operation: NOT
// SUPPORTED. 404/405 while the server-root .search works breaks §3.4.3
// (a valid endpoint plus /.search is a query); 404/405 with no .search
// anywhere is accepted with a WARN asking for 501.
func searchJudgeAbsence(ctx context.Context, env *Env, path string, status int) {
	GinkgoHelper()
	if status == http.StatusNotImplemented {
		Skip(fmt.Sprintf("%sPOST %s answered 501 Not Implemented: .search is optional (%s)", spec.SkipUnsupportedPrefix, path, interpretation(15)))
	}
	root := lqPostBody(ctx, env, "/.search", lqSearchBody("filter", "id eq \"scimconform-no-such-id\""))
	if root.Status == http.StatusOK {
		Fail(fmt.Sprintf("%s: POST %s answered %s, yet POST /.search works: the server supports .search, so /.search after a valid endpoint must be processed as a query (RFC 7644 §3.4.3).",
			cite("7644-3.4.3-02"), path, lqStatus(status)))
	}
	env.Warn("POST %s answered %s and POST /.search %s: .search is optional (%s), but report an unsupported operation with 501 Not Implemented (RFC 7644 §3.12)",
		path, lqStatus(status), lqStatus(root.Status), interpretation(15))
}

// searchNeverCreates sends a SearchRequest for a userName nobody has and
// checks that the answer is an empty ListResponse and that no User with
// that name exists afterwards.
func searchNeverCreates(ctx context.Context, env *Env) {
	GinkgoHelper()
	qs := LoadQuerySet(ctx, env)
	path := env.Endpoint("User")
	name := env.Name("search-never")
	f := "userName eq " + lqQuote(name)
	before := lqGet(ctx, env, path, url.Values{"filter": {qs.Scoped("")}}, "7644-3.4.3-02")
	l := lqSearch(ctx, env, path+"/.search", lqSearchBody("filter", f), "7644-3.4.3-02")
	after := lqGet(ctx, env, path, url.Values{"filter": {f}}, "7644-3.4.3-02")
	// Only a User with exactly this name is the POST's doing: a server that
	// ignores the filter lists others, which are neither judged nor touched.
	var made []string
	for _, r := range after.Resources {
		id, _ := memberString(r, "id")
		if got, _ := memberString(r, "userName"); id != "" && strings.EqualFold(got, name) {
			made = append(made, id)
			env.ClaimExisting(ctx, path, id, map[string]any{"userName": name})
		}
	}
	Expect(made).To(BeEmpty(), "%s: POST %s/.search with filter %s created a User (GET %s?filter=%s now finds it): /.search marks the POST as a query, never a create.",
		cite("7644-3.4.3-02"), path, f, path, f)
	again := lqGet(ctx, env, path, url.Values{"filter": {qs.Scoped("")}}, "7644-3.4.3-02")
	failProblems(fmt.Sprintf("%s: the data set must be unchanged by a POST .search (before: %s):", cite("7644-3.4.3-02"), lqShowKeys(qs.Keys(before.Resources))),
		lqKeyProblems(qs.Keys(again.Resources), qs.Keys(before.Resources), nil))
	Expect((!l.TotalResults.Present || l.TotalResults.Value == 0) && len(l.Resources) == 0).To(BeTrue(),
		"%s: POST %s/.search with filter %s matches nothing: answer 200 with \"totalResults\": 0 and no resources; got totalResults %s and %d resources.",
		cite("7644-3.4.2-09"), path, f, pagingShowNumber(l.TotalResults), len(l.Resources))
}
