package suites

import (
	"context"
	"fmt"
	"net/url"
	"regexp"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/spec"
)

// The cursor-paging suite: RFC 9865 §2 over the twelve Users of the shared
// query data set, scoped with a filter. totalResults may be omitted under
// cursors (docs/interpretations.md#i19); previousCursor is optional. The specs only
// read, but the first one may create the data set: the container is
// mutating.
var _ = DescribeSCIM("Cursor paging", spec.Area("paging"), ReadsQuerySet, spec.Requires(spec.FeatureCursor, spec.FeatureFilter, spec.FeatureUsers), spec.Mutating, func(env *Env) {
	Context("the first page", func() { describeCursorFirst(env) })
	Context("following cursors", func() { describeCursorWalk(env) })
	Context("invalid parameters", func() { describeCursorErrors(env) })
})

// cursorPageSize is the count of the cursor walks: 12 users make three pages.
const cursorPageSize = 5

// cursorUnreserved matches the RFC 3986 unreserved characters a cursor may use.
var cursorUnreserved = regexp.MustCompile(`^[A-Za-z0-9._~-]*$`)

// cursorQuery is a query with filter f (already scoped to the data set),
// a cursor ("" for the first page) and a count.
func cursorQuery(f, cursor string, count int) url.Values {
	return url.Values{"filter": {f}, "cursor": {cursor}, "count": {fmt.Sprint(count)}}
}

// describeCursorFirst declares the specs of the first cursor page.
func describeCursorFirst(env *Env) {
	// 9865-2-05, 9865-2-03: a first page that is not the last carries nextCursor and at most count resources.
	It("returns nextCursor and at most count resources on a first page that is not the last", spec.Req("9865-2-05", "9865-2-03"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		q := cursorQuery(qs.Scoped(""), "", cursorPageSize)
		l := lqGet(ctx, env, env.Endpoint("User"), q, "9865-2-05")
		what := "GET " + lqShow(env.Endpoint("User"), q)
		Expect(len(l.Resources)).To(BeNumerically("<=", cursorPageSize), "%s: %s returned %d resources, more than count=%d.",
			cite("9865-2-03"), what, len(l.Resources), cursorPageSize)
		Expect(l.NextCursor.Present && l.NextCursor.Value != "").To(BeTrue(), "%s: %s is the first page of %d matching users with count=%d, so more pages follow: the response must carry a non-empty \"nextCursor\" (an empty cursor parameter starts cursor paging, RFC 9865 §2).",
			cite("9865-2-05"), what, len(qs.Users), cursorPageSize)
		if !cursorUnreserved.MatchString(l.NextCursor.Value) {
			env.Warn("%s: nextCursor %q holds characters outside the RFC 3986 unreserved set, which RFC 9865 §2 allows in cursor values", what, l.NextCursor.Value)
		}
	})

	// 9865-2-08: the first page carries no previousCursor.
	It("omits previousCursor on the first page", spec.Req("9865-2-08"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		q := cursorQuery(qs.Scoped(""), "", cursorPageSize)
		l := lqGet(ctx, env, env.Endpoint("User"), q, "9865-2-08")
		Expect(l.PreviousCursor.Present).To(BeFalse(), "%s: GET %s asks for the first page, which has no previous page: leave \"previousCursor\" out (got %q).",
			cite("9865-2-08"), lqShow(env.Endpoint("User"), q), l.PreviousCursor.Value)
	})

	// 9865-2-02, 7644-3.4.2.4-04: a negative count is read as 0 under cursor paging too (RFC 9865 restates RFC 7644).
	It("interprets a negative count as 0 under cursor paging", spec.Req("9865-2-02", "7644-3.4.2.4-04"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		q := cursorQuery(qs.Scoped(""), "", -3)
		l := lqGet(ctx, env, env.Endpoint("User"), q, "9865-2-02")
		Expect(l.Resources).To(BeEmpty(), "%s: GET %s has a negative count, read as 0: return no resources (got %s).",
			cite("9865-2-02"), lqShow(env.Endpoint("User"), q), lqShowKeys(qs.Keys(l.Resources)))
	})

	// 9865-2.4-01: with both methods, a query without paging parameters is answered by the default method.
	It("answers a query without paging parameters with its default paging method", spec.Requires(spec.FeatureIndexPaging),
		spec.Req("9865-2.4-01"), spec.MUST, func(ctx SpecContext) {
			qs := LoadQuerySet(ctx, env)
			q := url.Values{"filter": {qs.Scoped("")}}
			l := lqGet(ctx, env, env.Endpoint("User"), q, "9865-2.4-01")
			failProblems(fmt.Sprintf("%s: GET %s names no paging method; answer with the default method, returning data-set users only, each once:",
				cite("9865-2.4-01"), lqShow(env.Endpoint("User"), q)), lqKeyProblems(qs.Keys(l.Resources), nil, qs.UserKeys()))
			method := "index paging"
			if l.NextCursor.Present {
				method = "cursor paging (nextCursor given)"
			}
			env.Info("GET %s was answered with %s: %d of %d users", lqShow(env.Endpoint("User"), q), method, len(l.Resources), len(qs.Users))
		})
}

// cursorWalk follows nextCursor from an empty cursor and returns the ids of
// every page and the problems seen: more than count resources on a page,
// an empty page offering nextCursor, or a walk that does not end.
func cursorWalk(ctx context.Context, env *Env, f string, count int, req string) (ids []string, problems []string, pages []*lqList) {
	GinkgoHelper()
	cursor := ""
	for n := 0; n < lqMaxPages; n++ {
		q := cursorQuery(f, cursor, count)
		l := lqGet(ctx, env, env.Endpoint("User"), q, req)
		pages = append(pages, l)
		what := "GET " + lqShow(env.Endpoint("User"), q)
		if len(l.Resources) > count {
			problems = append(problems, fmt.Sprintf("%s returned %d resources, more than count=%d", what, len(l.Resources), count))
		}
		ids = append(ids, l.IDs()...)
		if !l.NextCursor.Present {
			return ids, problems, pages
		}
		if len(l.Resources) == 0 || l.NextCursor.Value == "" || l.NextCursor.Value == cursor {
			return ids, append(problems, fmt.Sprintf("%s returned no progress (%d resources) but offers nextCursor %q: omit nextCursor once no results are left",
				what, len(l.Resources), l.NextCursor.Value)), pages
		}
		cursor = l.NextCursor.Value
	}
	return ids, append(problems, fmt.Sprintf("the walk did not end after %d pages: nextCursor never disappeared", lqMaxPages)), pages
}
