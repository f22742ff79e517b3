package suites

import (
	"context"
	"fmt"
	"net/url"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/spec"
)

// The index-paging suite: RFC 7644 §3.4.2.4 (and the paging members of
// §3.4.2) over the twelve Users of the shared query data set, scoped with
// a filter. The specs only read, but the first one may create the data
// set: the container is mutating.
var _ = DescribeSCIM("Index paging", spec.Area("paging"), ReadsQuerySet, spec.Requires(spec.FeatureIndexPaging, spec.FeatureFilter, spec.FeatureUsers), spec.Mutating, func(env *Env) {
	Context("a partial page", func() { describePagingPage(env) })
	Context("the last or only page", func() { describePagingLastPage(env) })
	Context("out-of-range parameters", func() { describePagingRanges(env) })
	Context("walking every page", func() { describePagingWalk(env) })
})

// pagingQuery is the scoped query of the data set's Users with extra
// parameters (name, value pairs). With sort support the users are ordered
// by userName, so that separate requests see one stable order.
func pagingQuery(env *Env, qs *QuerySet, pairs ...string) url.Values {
	q := lqQuery(pairs...)
	q.Set("filter", qs.Scoped(""))
	if env.Caps.Has(spec.FeatureSort) {
		q.Set("sortBy", "userName")
	}
	return q
}

// describePagingPage declares the specs of one partial page.
func describePagingPage(env *Env) {
	// 7644-3.4.2.4-05: a page never holds more resources than count.
	It("returns no more resources than count", spec.Req("7644-3.4.2.4-05"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		for _, count := range []int{1, 5} {
			q := pagingQuery(env, qs, "count", fmt.Sprint(count))
			l := lqGet(ctx, env, env.Endpoint("User"), q, "7644-3.4.2.4-05")
			Expect(len(l.Resources)).To(BeNumerically("<=", count), "%s: GET %s returned %d resources; with count=%d return at most %d (fewer is allowed).",
				cite("7644-3.4.2.4-05"), lqShow(env.Endpoint("User"), q), len(l.Resources), count, count)
		}
	})

	// 7644-3.4.2-07: a partial page carries startIndex, the 1-based index of its first resource.
	It("echoes startIndex on a partial page", spec.Req("7644-3.4.2-07"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		q := pagingQuery(env, qs, "startIndex", "3", "count", "4")
		l := lqGet(ctx, env, env.Endpoint("User"), q, "7644-3.4.2-07")
		Expect(l.StartIndex.Present && l.StartIndex.Value == 3).To(BeTrue(), "%s: GET %s returns a partial page of the 12 data-set users, so the ListResponse must carry \"startIndex\": 3 (the index of its first resource); got %s.",
			cite("7644-3.4.2-07"), lqShow(env.Endpoint("User"), q), pagingShowNumber(l.StartIndex))
	})

	// 7644-3.4.2-08: a partial page carries itemsPerPage, the number of resources it holds.
	It("reports itemsPerPage as the number of resources on a partial page", spec.Req("7644-3.4.2-08"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		q := pagingQuery(env, qs, "startIndex", "3", "count", "4")
		l := lqGet(ctx, env, env.Endpoint("User"), q, "7644-3.4.2-08")
		Expect(l.ItemsPerPage.Present && l.ItemsPerPage.Value == len(l.Resources)).To(BeTrue(), "%s: GET %s returns a partial page of %d resources, so the ListResponse must carry \"itemsPerPage\": %d; got %s.",
			cite("7644-3.4.2-08"), lqShow(env.Endpoint("User"), q), len(l.Resources), len(l.Resources), pagingShowNumber(l.ItemsPerPage))
	})

	// 7644-3.4.2-04: totalResults counts every match, not the resources of the page.
	It("reports the number of all matches in totalResults on a partial page", spec.Req("7644-3.4.2-04"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		q := pagingQuery(env, qs, "startIndex", "3", "count", "4")
		l := lqGet(ctx, env, env.Endpoint("User"), q, "7644-3.4.2-04")
		n := len(qs.Users)
		Expect(l.TotalResults.Present && l.TotalResults.Value == n).To(BeTrue(), "%s: the filter of GET %s matches the %d data-set users, so \"totalResults\" must be %d on every page, whatever count and startIndex are; got %s.",
			cite("7644-3.4.2-04"), lqShow(env.Endpoint("User"), q), n, n, pagingShowNumber(l.TotalResults))
	})
}

// describePagingLastPage declares the itemsPerPage specs of a page that
// reaches the end of the result.
func describePagingLastPage(env *Env) {
	// 7644-3.4.2-08: on a last page shorter than count, itemsPerPage counts what the page holds, not what was asked for.
	It("reports itemsPerPage as the number of resources on a short last page", spec.Req("7644-3.4.2-08"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		n := len(qs.Users)
		q := pagingQuery(env, qs, "startIndex", fmt.Sprint(max(n-1, 1)), "count", "5")
		l := lqGet(ctx, env, env.Endpoint("User"), q, "7644-3.4.2-08")
		pagingExpectItemsPerPage(env, l, q, n, fmt.Sprintf("starts %d from the end of the %d data-set users with count=5", min(n, 2), n))
	})

	// 7644-3.4.2-08: with count above the number of matches, itemsPerPage (when sent) counts the resources returned.
	It("reports itemsPerPage as the number of resources when count exceeds the matches", spec.Req("7644-3.4.2-08"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		n := len(qs.Users)
		q := pagingQuery(env, qs, "count", fmt.Sprint(n+20))
		l := lqGet(ctx, env, env.Endpoint("User"), q, "7644-3.4.2-08")
		pagingExpectItemsPerPage(env, l, q, n, fmt.Sprintf("asks for %d resources where only the %d data-set users match", n+20, n))
	})
}

// pagingExpectItemsPerPage judges itemsPerPage on a page of a query whose
// filter matches total resources: when the page holds fewer, itemsPerPage
// is required; when sent, it is the number of resources on the page (not
// count, not a page size).
func pagingExpectItemsPerPage(env *Env, l *lqList, q url.Values, total int, situation string) {
	GinkgoHelper()
	what := "GET " + lqShow(env.Endpoint("User"), q)
	got := len(l.Resources)
	if !l.ItemsPerPage.Present {
		Expect(got).To(BeNumerically(">=", total), "%s: %s %s and returned %d of them, a partial result, so the ListResponse must carry \"itemsPerPage\": %d; it has none.",
			cite("7644-3.4.2-08"), what, situation, got, got)
		env.Info("%s returned all %d matches without \"itemsPerPage\" (optional on a complete result)", what, got)
		return
	}
	Expect(l.ItemsPerPage.Value).To(Equal(got), "%s: %s %s; \"itemsPerPage\" is the number of resources the page holds (%d), not the count asked for or a page size; got %d.",
		cite("7644-3.4.2-08"), what, situation, got, l.ItemsPerPage.Value)
}

// pagingShowNumber renders an optional number for messages.
func pagingShowNumber(n lqNumber) string {
	if !n.Present {
		return "no such member"
	}
	return fmt.Sprint(n.Value)
}

// describePagingRanges declares the specs of startIndex below 1, negative
// and zero count, and startIndex beyond the last result.
func describePagingRanges(env *Env) {
	// 7644-3.4.2.4-03: startIndex below 1 is read as 1.
	It("interprets startIndex below 1 as 1", spec.Req("7644-3.4.2.4-03"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		path := env.Endpoint("User")
		ref := lqGet(ctx, env, path, pagingQuery(env, qs, "startIndex", "1", "count", "4"), "7644-3.4.2.4-03")
		for _, start := range []string{"0", "-4"} {
			q := pagingQuery(env, qs, "startIndex", start, "count", "4")
			l := lqGet(ctx, env, path, q, "7644-3.4.2.4-03")
			var problems []string
			if l.StartIndex.Present && l.StartIndex.Value != 1 {
				problems = append(problems, fmt.Sprintf("startIndex is %d, want 1", l.StartIndex.Value))
			}
			problems = append(problems, pagingSamePage(env, qs, ref.IDs(), l.IDs())...)
			failProblems(fmt.Sprintf("%s: GET %s must answer like startIndex=1 (a value below 1 is read as 1):",
				cite("7644-3.4.2.4-03"), lqShow(path, q)), problems)
		}
	})

	// 7644-3.4.2.4-04, 7644-3.4.2.4-05: a negative count is read as 0, and a count of 0 allows no resources.
	It("interprets a negative count as 0", spec.Req("7644-3.4.2.4-04", "7644-3.4.2.4-05"), spec.MUST, func(ctx SpecContext) {
		pagingExpectEmptyCount(ctx, env, "-2", "7644-3.4.2.4-04")
	})

	// 7644-3.4.2.4-05 (docs/interpretations.md#i4): count=0 returns no resources; an absent or empty Resources is fine.
	It("returns no resources for count=0", spec.Req("7644-3.4.2.4-05"), spec.MUST, func(ctx SpecContext) {
		pagingExpectEmptyCount(ctx, env, "0", "7644-3.4.2.4-05")
	})

	// 7644-3.4.2-05 (docs/interpretations.md#i4): startIndex past the last result is expected to give 200 and an empty page.
	It("answers startIndex beyond the last result with 200 and an empty page", spec.Req("7644-3.4.2-05"), spec.MAY, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		q := pagingQuery(env, qs, "startIndex", fmt.Sprint(len(qs.Users)+10), "count", "5")
		l := lqGet(ctx, env, env.Endpoint("User"), q, "7644-3.4.2-05")
		Expect(l.Resources).To(BeEmpty(), "%s (%s): GET %s starts after the %d data-set users, so the page is empty; got %s.",
			cite("7644-3.4.2-05"), interpretation(4), lqShow(env.Endpoint("User"), q), len(qs.Users), lqShowKeys(qs.Keys(l.Resources)))
	})
}

// pagingSamePage compares the page ids with the reference page: the same
// order with sort support, the same set without.
func pagingSamePage(env *Env, qs *QuerySet, want, got []string) []string {
	if env.Caps.Has(spec.FeatureSort) {
		if p := lqOrderProblem(lqKeysOf(qs, want), lqKeysOf(qs, got)); p != "" {
			return []string{p + " (both requests sort by userName)"}
		}
		return nil
	}
	return lqKeyProblems(lqKeysOf(qs, got), lqKeysOf(qs, want), nil)
}

// pagingExpectEmptyCount sends count=value (0 or negative) and expects no
// resources and, when sent, totalResults counting every match.
func pagingExpectEmptyCount(ctx context.Context, env *Env, value, req string) {
	GinkgoHelper()
	qs := LoadQuerySet(ctx, env)
	q := pagingQuery(env, qs, "count", value)
	l := lqGet(ctx, env, env.Endpoint("User"), q, req)
	what := "GET " + lqShow(env.Endpoint("User"), q)
	Expect(l.Resources).To(BeEmpty(), "%s: %s must return no resources (a count of 0, or below 0, asks for totalResults only); got %s.",
		cite(req), what, lqShowKeys(qs.Keys(l.Resources)))
	if l.TotalResults.Present {
		Expect(l.TotalResults.Value).To(Equal(len(qs.Users)), "%s: %s returns no resources but must still count the %d matching data-set users in totalResults.",
			cite(req), what, len(qs.Users))
	}
	if !l.HasResources {
		env.Info("%s: no \"Resources\" member with totalResults %s (accepted: %s)", what, pagingShowNumber(l.TotalResults), interpretation(4))
	}
}

// describePagingWalk declares the spec that pages through the whole set.
func describePagingWalk(env *Env) {
	// 7644-3.4.2.4-05, 7644-3.4.2-07: pages of 5, each starting where the last ended, hold every match exactly once.
	It("yields every matching User exactly once across pages of 5", spec.Req("7644-3.4.2.4-05", "7644-3.4.2-07"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		path := env.Endpoint("User")
		var ids []string
		var problems []string
		start := 1
		for n := 0; n < lqMaxPages; n++ {
			q := pagingQuery(env, qs, "startIndex", fmt.Sprint(start), "count", "5")
			l := lqGet(ctx, env, path, q, "7644-3.4.2.4-05")
			if len(l.Resources) > 5 {
				problems = append(problems, fmt.Sprintf("GET %s returned %d resources, more than count=5", lqShow(path, q), len(l.Resources)))
			}
			if l.StartIndex.Present && l.StartIndex.Value != start {
				problems = append(problems, fmt.Sprintf("GET %s answered startIndex %d", lqShow(path, q), l.StartIndex.Value))
			}
			if len(l.Resources) == 0 {
				break
			}
			ids = append(ids, l.IDs()...)
			start += len(l.Resources)
			// The walk ends at totalResults: what a server returns past it
			// is the out-of-range spec's business (interpretation I4).
			if l.TotalResults.Present && start > l.TotalResults.Value {
				break
			}
		}
		problems = append(problems, lqKeyProblems(lqKeysOf(qs, ids), qs.UserKeys(), nil)...)
		failProblems(fmt.Sprintf("%s, %s: paging through the %d data-set users with count=5 (startIndex 1, then one past the last resource received) must return each exactly once; the data did not change meanwhile:",
			cite("7644-3.4.2.4-05"), cite("7644-3.4.2-07"), len(qs.Users)), problems)
	})
}
