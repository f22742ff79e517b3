package suites

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/fixtures/dataset"
	"github.com/scimconform/scimconform/internal/spec"
)

// The sort suite: RFC 7644 §3.4.2.3 over the Users of the shared query data
// set. Expected orders are the hand-written key lists of
// fixtures/dataset/queries/sort.json; dateTime orders are judged against
// the creation batches of the data set and the timestamps the server
// returns. Every query is scoped to the data set with a filter, so the
// suite needs filtering too. The specs only read, but the first one may
// create the data set: the container is mutating.
var _ = DescribeSCIM("Sorting", spec.Area("sort"), ReadsQuerySet, spec.Requires(spec.FeatureSort, spec.FeatureFilter, spec.FeatureUsers), spec.Mutating, func(env *Env) {
	Context("by a string sub-attribute", func() { describeSortOrder(env) })
	Context("by attributes of different case sensitivity", func() { describeSortCase(env) })
	Context("by dateTime attributes", func() { describeSortDates(env) })
	Context("combined with a filter and paging", func() { describeSortFiltered(env) })
})

// describeSortOrder declares the specs of ascending, descending and
// default order, and of resources without a value.
func describeSortOrder(env *Env) {
	// 7644-3.4.2.3-03: sortBy=name.familyName&sortOrder=ascending orders by that sub-attribute.
	It("orders Users by name.familyName ascending", spec.Req("7644-3.4.2.3-03"), spec.MUST, func(ctx SpecContext) {
		sortExpect(ctx, env, "sort-familyname-asc", "7644-3.4.2.3-03")
	})

	// 7644-3.4.2.3-04, 7644-3.4.2.3-03: without sortOrder the order is ascending.
	It("sorts ascending when sortOrder is absent", spec.Req("7644-3.4.2.3-04", "7644-3.4.2.3-03"), spec.MUST, func(ctx SpecContext) {
		sortExpect(ctx, env, "sort-familyname-default", "7644-3.4.2.3-04", "7644-3.4.2.3-03")
	})

	// 7644-3.4.2.3-03: sortOrder=descending reverses the order.
	It("orders Users by name.familyName descending", spec.Req("7644-3.4.2.3-03"), spec.MUST, func(ctx SpecContext) {
		sortExpect(ctx, env, "sort-familyname-desc", "7644-3.4.2.3-03")
	})

	// 7644-3.4.2.3-03: resources without a value come last ascending and first descending.
	It("places Users without a value last ascending and first descending", spec.Req("7644-3.4.2.3-03"), spec.MUST, func(ctx SpecContext) {
		var problems []string
		for _, name := range []string{"sort-familyname-asc", "sort-familyname-desc"} {
			problems = append(problems, sortUnvaluedProblems(ctx, env, datasetQuery(name))...)
		}
		failProblems(fmt.Sprintf("%s: resources with no value for sortBy are ordered last when ascending and first when descending (RFC 7644 §3.4.2.3); place them so:",
			cite("7644-3.4.2.3-03")), problems)
	})
}

// describeSortCase declares the specs of case-insensitive and case-exact
// ordering.
func describeSortCase(env *Env) {
	// 7644-3.4.2.3-05, 7644-3.4.2.3-03: userName is caseExact false, so its order ignores case.
	It("orders userName case-insensitively ascending", spec.Req("7644-3.4.2.3-05", "7644-3.4.2.3-03"), spec.MUST, func(ctx SpecContext) {
		sortExpect(ctx, env, "sort-username-asc", "7644-3.4.2.3-05", "7644-3.4.2.3-03")
	})

	// 7644-3.4.2.3-05, 7644-3.4.2.3-03: the descending order of userName ignores case too.
	It("orders userName case-insensitively descending", spec.Req("7644-3.4.2.3-05", "7644-3.4.2.3-03"), spec.MUST, func(ctx SpecContext) {
		sortExpect(ctx, env, "sort-username-desc", "7644-3.4.2.3-05", "7644-3.4.2.3-03")
	})

	// 7644-3.4.2.3-05, 7644-3.4.2.3-03: externalId is caseExact true, so its order respects case.
	It("orders the caseExact externalId case-sensitively", spec.Req("7644-3.4.2.3-05", "7644-3.4.2.3-03"), spec.MUST, func(ctx SpecContext) {
		sortExpect(ctx, env, "sort-externalid-asc", "7644-3.4.2.3-05", "7644-3.4.2.3-03")
	})

	// 7644-3.4.2.3-05, 7644-3.4.2.3-03: Group displayName is caseExact false, so its order ignores case.
	It("orders Group displayName case-insensitively", spec.Requires(spec.FeatureGroups), spec.Req("7644-3.4.2.3-05", "7644-3.4.2.3-03"), spec.MUST, func(ctx SpecContext) {
		sortExpect(ctx, env, "sort-groups-displayname", "7644-3.4.2.3-05", "7644-3.4.2.3-03")
	})

	// 7644-3.4.2.3-03 (docs/interpretations.md#i3): sortBy on a complex attribute without sub-attribute; every answer is accepted but reported.
	It("reports how sortBy on a multi-valued complex attribute is handled", spec.Req("7644-3.4.2.3-03"), spec.Interop, spec.MAY, func(ctx SpecContext) {
		sortComplexProbe(ctx, env)
	})
}

// sortResult is one sort query's answer, as data-set keys in order.
type sortResult struct {
	QS   *QuerySet
	Keys []string
	What string
	All  []map[string]any
	// Reduced and Partial: see sortRun.
	Reduced, Partial bool
}

// sortRun sends a data-set sort query (scoped, with its sortBy and
// sortOrder) plus extra parameters and reads every page of the answer.
//
// When the server accepts no filter that scopes the query, it is sent
// unscoped and the answer is reduced to the data set's own resources: the
// order of a sub-sequence of a sorted answer is still the sorted order, so
// the order stays judgeable. Partial says pages were left unread.
func sortRun(ctx context.Context, env *Env, q dataset.Query, extra url.Values, req string) sortResult {
	GinkgoHelper()
	qs, f := prepareQuery(ctx, env, q)
	params := url.Values{"sortBy": {q.SortBy}}
	if q.SortOrder != "" {
		params.Set("sortOrder", q.SortOrder)
	}
	for k, v := range extra {
		params[k] = v
	}
	what, all, reduced, partial := lqFetchOwn(ctx, env, qs, q.ResourceType(), f, params, req)
	return sortResult{QS: qs, Keys: qs.Keys(all), All: all, What: what, Reduced: reduced, Partial: partial}
}

// sortExpected returns the keys a sort query must and may return: the
// whole data set of the resource type without a filter, else want (plus
// maybe).
func sortExpected(qs *QuerySet, q dataset.Query) (want, maybe []string) {
	if q.Filter != "" {
		return qs.Present(q.Want), q.Maybe
	}
	if q.ResourceType() == dataset.ResourceGroup {
		return qs.GroupKeys(), nil
	}
	return qs.UserKeys(), nil
}

// sortExpect runs a data-set sort query and checks that the result is the
// expected set and that the keys of the fixture's want list come back in
// that relative order.
func sortExpect(ctx context.Context, env *Env, name string, reqs ...string) {
	GinkgoHelper()
	q := datasetQuery(name)
	r := sortRun(ctx, env, q, nil, reqs[0])
	want, maybe := sortExpected(r.QS, q)
	order := r.QS.Present(q.Want) // missing resources leave the order of the rest unchanged
	if len(order) == 0 {
		r.QS.SkipMissingKeys(q.Name, q.Want)
	}
	problems := lqKeyProblems(r.Keys, want, maybe)
	if r.Partial && sortOnlyMissing(problems) {
		Skip(fmt.Sprintf("%sthe answer to a query that cannot be scoped to the data set is larger than the harness reads (%d pages or %d resources)\n%s: %s",
			spec.SkipNoScopePrefix, lqBudgetPages, lqBudgetResources, r.What, strings.Join(problems, "; ")))
	}
	failProblems(fmt.Sprintf("%s: %s must return exactly the data-set resources its filter selects, each once (sorting orders the result set, it never changes it); fix:",
		sortCites(reqs), r.What), problems)
	got := sortRelative(r.Keys, order)
	problem := lqOrderProblem(order, got)
	for _, alt := range q.AltOrders {
		if problem == "" {
			break
		}
		if alt = r.QS.Present(alt); lqOrderProblem(alt, sortRelative(r.Keys, alt)) == "" {
			env.Info("%s: the server orders by a Unicode collation that uses case only to break ties, not by code point; both are case-sensitive Unicode orders (%s)", r.What, interpretation(16))
			problem = ""
		}
	}
	if problem != "" {
		Fail(fmt.Sprintf("%s: %s returned the resources in the wrong order: %s (compared by data-set key; see fixtures/dataset/queries/sort.json, %s: %s). Order by %s as RFC 7644 §3.4.2.3 describes.",
			sortCites(reqs), r.What, problem, q.Name, q.Notes, q.SortBy))
	}
}

// sortOnlyMissing reports whether every problem is an expected key not seen.
func sortOnlyMissing(problems []string) bool {
	for _, p := range problems {
		if !strings.HasPrefix(p, "expected but missing: ") {
			return false
		}
	}
	return len(problems) > 0
}

// sortRelative keeps the keys of got that are in want, in got's order.
func sortRelative(got, want []string) []string {
	in := map[string]bool{}
	for _, k := range want {
		in[k] = true
	}
	var out []string
	for _, k := range got {
		if in[k] {
			out = append(out, k)
		}
	}
	return out
}

// sortUnvaluedProblems checks where a sort query places the data-set users
// without a value for sortBy (those not in the fixture's want list).
func sortUnvaluedProblems(ctx context.Context, env *Env, q dataset.Query) []string {
	GinkgoHelper()
	r := sortRun(ctx, env, q, nil, "7644-3.4.2.3-03")
	want, _ := sortExpected(r.QS, q)
	valued := map[string]bool{}
	for _, k := range q.Want {
		valued[k] = true
	}
	descending := q.SortOrder == "descending"
	var problems []string
	for _, k := range want {
		if valued[k] {
			continue
		}
		pos := sortIndex(r.Keys, k)
		if pos < 0 {
			problems = append(problems, fmt.Sprintf("%s: %s (no %s) is missing", r.What, k, q.SortBy))
			continue
		}
		for i, other := range r.Keys {
			if !valued[other] {
				continue
			}
			if (!descending && i > pos) || (descending && i < pos) {
				problems = append(problems, fmt.Sprintf("%s: %s (no %s) comes %s %s, which has a value; got %s",
					r.What, k, q.SortBy, map[bool]string{true: "after", false: "before"}[descending], other, lqShowKeys(r.Keys)))
				break
			}
		}
	}
	return problems
}

func sortIndex(keys []string, k string) int {
	for i, x := range keys {
		if x == k {
			return i
		}
	}
	return -1
}

func sortCites(reqs []string) string {
	out := ""
	for i, r := range reqs {
		if i > 0 {
			out += ", "
		}
		out += cite(r)
	}
	return out
}

// sortComplexProbe sends sortBy=emails (a complex multi-valued attribute
// named without a sub-attribute, docs/interpretations.md#i3). A 400 or a 200 with
// the whole data set is accepted and reported; anything else (a server
// error, a wrong result set) is a WARN.
func sortComplexProbe(ctx context.Context, env *Env) {
	GinkgoHelper()
	qs := LoadQuerySet(ctx, env)
	q := url.Values{"filter": {qs.Scoped("")}, "sortBy": {"emails"}, "count": {"100"}}
	path := env.Endpoint("User")
	resp := env.Get(ctx, path, q)
	switch {
	case resp.Status == 400:
		env.Info("GET %s answered 400: the server rejects sortBy on a complex attribute without sub-attribute, a reading the RFC allows (%s)", lqShow(path, q), interpretation(3))
		return
	case resp.Status != 200:
		Fail(fmt.Sprintf("%s (%s): GET %s answered %s; sortBy on a complex attribute may be rejected with 400 or served (for example by emails.value), but not fail otherwise",
			cite("7644-3.4.2.3-03"), interpretation(3), lqShow(path, q), lqStatus(resp.Status)))
	}
	l := lqParse(resp, "GET "+lqShow(path, q), "7644-3.4.2.3-03")
	failProblems(fmt.Sprintf("%s (%s): GET %s answered 200, so it must still return every user of the data set exactly once:",
		cite("7644-3.4.2.3-03"), interpretation(3), lqShow(path, q)), lqKeyProblems(qs.Keys(l.Resources), qs.UserKeys(), nil))
	env.Info("GET %s answered 200 with the order %s, a reading the RFC allows (%s)", lqShow(path, q), lqShowKeys(qs.Keys(l.Resources)), interpretation(3))
}
