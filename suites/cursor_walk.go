package suites

import (
	"context"
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/spec"
)

// describeCursorWalk declares the specs that follow nextCursor and
// previousCursor.
func describeCursorWalk(env *Env) {
	// 9865-2-05, 9865-2-03: following nextCursor visits every match once; the last page has no nextCursor.
	It("visits every matching User exactly once by following nextCursor", spec.Req("9865-2-05", "9865-2-03"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		ids, problems, pages := cursorWalk(ctx, env, qs.Scoped(""), cursorPageSize, "9865-2-05")
		problems = append(problems, lqKeyProblems(lqKeysOf(qs, ids), qs.UserKeys(), nil)...)
		failProblems(fmt.Sprintf("%s, %s: starting with an empty cursor and count=%d, then following each nextCursor, must return the %d data-set users exactly once, at most %d per page, and stop with a page without nextCursor:",
			cite("9865-2-05"), cite("9865-2-03"), cursorPageSize, len(qs.Users), cursorPageSize), problems)
		cursorNoteTotals(env, pages, len(qs.Users))
	})

	// 9865-2-05: a page that holds every remaining match carries no nextCursor.
	It("omits nextCursor when one page holds every match", spec.Req("9865-2-05"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		count := 50
		if limit := env.Caps.Limits.CursorMaxPageSize; limit > 0 && limit < count {
			count = limit
		}
		if count < len(qs.Users) {
			Skip(fmt.Sprintf("not applicable: maxPageSize %d is below the %d data-set users, so no page can hold them all", count, len(qs.Users)))
		}
		q := cursorQuery(qs.Scoped(""), "", count)
		l := lqGet(ctx, env, env.Endpoint("User"), q, "9865-2-05")
		if len(l.Resources) < len(qs.Users) || !l.NextCursor.Present {
			return // fewer is allowed: the walk spec judges longer walks
		}
		// A server that cannot know it is done may offer one more, empty page.
		next := cursorQuery(qs.Scoped(""), l.NextCursor.Value, count)
		l2 := lqGet(ctx, env, env.Endpoint("User"), next, "9865-2-05")
		Expect(l2.Resources).To(BeEmpty(), "%s: GET %s followed a nextCursor offered after all %d matches were returned; it may only lead to an empty last page, got %s.",
			cite("9865-2-05"), lqShow(env.Endpoint("User"), next), len(qs.Users), lqShowKeys(qs.Keys(l2.Resources)))
		Expect(l2.NextCursor.Present).To(BeFalse(), "%s: GET %s returned every match on one page yet offered nextCursor, and the page it leads to is empty but offers nextCursor %q again: omit nextCursor when no results are left (RFC 9865 §2).",
			cite("9865-2-05"), lqShow(env.Endpoint("User"), q), l2.NextCursor.Value)
		env.Info("GET %s returned all %d matches with a nextCursor that led to an empty last page (accepted)", lqShow(env.Endpoint("User"), q), len(qs.Users))
	})

	// 9865-2-07: previousCursor is optional; where offered it leads back to the previous page.
	It("leads back to the previous page with previousCursor where offered", spec.Req("9865-2-07"), spec.MAY, func(ctx SpecContext) {
		cursorExpectPrevious(ctx, env)
	})

	// 9865-2-05, 9865-2-03, 7644-3.4.2.2-04: a cursor walk over a filtered query returns exactly the matches.
	It("walks exactly the Users a filter selects", spec.Req("9865-2-05", "9865-2-03", "7644-3.4.2.2-04"), spec.MUST, func(ctx SpecContext) {
		q := datasetQuery("sort-active-familyname")
		qs, f := lqPrepare(ctx, env, q)
		ids, problems, _ := cursorWalk(ctx, env, f, 2, "9865-2-05")
		problems = append(problems, lqKeyProblems(lqKeysOf(qs, ids), qs.Present(q.Want), q.Maybe)...)
		failProblems(fmt.Sprintf("%s, %s, %s: following nextCursor through filter=%s with count=2 must return exactly the active users %s (u12 optional: it has no active value), each once:",
			cite("9865-2-05"), cite("9865-2-03"), cite("7644-3.4.2.2-04"), f, lqShowKeys(q.Want)), problems)
	})
}

// cursorNoteTotals reports totalResults under cursor paging: it may be
// omitted (docs/interpretations.md#i19); when given it should be accurate.
func cursorNoteTotals(env *Env, pages []*lqList, want int) {
	for i, p := range pages {
		switch {
		case !p.TotalResults.Present:
			env.Info("cursor page %d carries no totalResults (allowed by RFC 9865 §2, %s)", i+1, interpretation(19))
		case p.TotalResults.Value != want:
			env.Warn("cursor page %d reports totalResults %d, but %d users match: RFC 9865 §2 asks for an accurate total (or none)", i+1, p.TotalResults.Value, want)
		}
	}
}

// describeCursorErrors declares the specs of invalid cursors and counts.
func describeCursorErrors(env *Env) {
	// 9865-2.1-01, 7644-3.12-01: an invalid cursor is answered 400 with scimType invalidCursor.
	It("answers an invalid cursor with 400 invalidCursor", spec.Req("9865-2.1-01", "7644-3.12-01"), spec.SHOULD, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		cursorNeedsCursors(ctx, env, qs)
		q := cursorQuery(qs.Scoped(""), "scimconformNotACursor0000", cursorPageSize)
		resp := env.Get(ctx, env.Endpoint("User"), q)
		expectSCIMError(resp, matchers.HaveSCIMError(http.StatusBadRequest, "invalidCursor"),
			"%s: GET %s carries a cursor the server never issued; answer 400 with a SCIM error whose scimType is \"invalidCursor\" (RFC 9865 §2.1, RFC 7644 §3.12), not a page.",
			cite("9865-2.1-01"), lqShow(env.Endpoint("User"), q))
	})

	// 9865-2.1-01, 7644-3.12-01: count above maxPageSize is answered 400 invalidCount, or served capped to maxPageSize.
	It("rejects count above maxPageSize with 400 invalidCount or caps the page", spec.Req("9865-2.1-01", "7644-3.12-01"), spec.SHOULD, func(ctx SpecContext) {
		limit := env.Caps.Limits.CursorMaxPageSize
		if limit <= 0 {
			Skip(spec.SkipUnsupportedPrefix + "the ServiceProviderConfig advertises no pagination.maxPageSize")
		}
		qs := LoadQuerySet(ctx, env)
		q := cursorQuery(qs.Scoped(""), "", limit+1)
		what := "GET " + lqShow(env.Endpoint("User"), q)
		resp := env.Get(ctx, env.Endpoint("User"), q)
		if resp.Status == http.StatusOK {
			l := lqParse(resp, what, "9865-2.1-01")
			Expect(len(l.Resources)).To(BeNumerically("<=", limit), "%s: %s asks for more than maxPageSize=%d; a server that serves it anyway must cap the page at %d resources (or answer 400 invalidCount).",
				cite("9865-2.1-01"), what, limit, limit)
			env.Info("%s was served with %d resources: count capped to maxPageSize (a reading RFC 9865 §4 allows)", what, len(l.Resources))
			return
		}
		expectSCIMError(resp, matchers.HaveSCIMError(http.StatusBadRequest, "invalidCount"),
			"%s: %s asks for more than maxPageSize=%d; answer 400 with scimType \"invalidCount\" (RFC 9865 §2.1) or serve a page of at most %d resources.",
			cite("9865-2.1-01"), what, limit, limit)
	})
}

// cursorNeedsCursors skips a spec about cursor errors when the server does
// not page with cursors at all (no nextCursor on a first page that is not
// the last): the nextCursor specs report that, and an error spec could not
// tell an ignored cursor from an accepted one.
func cursorNeedsCursors(ctx context.Context, env *Env, qs *QuerySet) {
	GinkgoHelper()
	first := lqGet(ctx, env, env.Endpoint("User"), cursorQuery(qs.Scoped(""), "", cursorPageSize), "9865-2.1-01")
	if !first.NextCursor.Present {
		Skip("not applicable: the first cursor page offers no nextCursor, so the server does not page with cursors here (the nextCursor specs report it)")
	}
}

// cursorExpectPrevious reads the first two pages and, when the second
// offers previousCursor, follows it and expects the first page again.
func cursorExpectPrevious(ctx context.Context, env *Env) {
	GinkgoHelper()
	qs := LoadQuerySet(ctx, env)
	f := qs.Scoped("")
	first := lqGet(ctx, env, env.Endpoint("User"), cursorQuery(f, "", cursorPageSize), "9865-2-07")
	if !first.NextCursor.Present {
		Skip("not applicable: the first page offers no nextCursor (the nextCursor specs report it)")
	}
	second := lqGet(ctx, env, env.Endpoint("User"), cursorQuery(f, first.NextCursor.Value, cursorPageSize), "9865-2-07")
	if !second.PreviousCursor.Present {
		env.Info("the second page offers no previousCursor (optional, RFC 9865 §2)")
		return
	}
	q := cursorQuery(f, second.PreviousCursor.Value, cursorPageSize)
	back := lqGet(ctx, env, env.Endpoint("User"), q, "9865-2-07")
	if p := lqOrderProblem(lqKeysOf(qs, first.IDs()), lqKeysOf(qs, back.IDs())); p != "" {
		Fail(fmt.Sprintf("%s: GET %s follows the previousCursor of the second page, so it must return the first page again: %s.",
			cite("9865-2-07"), lqShow(env.Endpoint("User"), q), p))
	}
}
