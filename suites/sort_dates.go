package suites

import (
	"context"
	"fmt"
	"net/url"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/spec"
)

// describeSortDates declares the specs of sorting by meta.created and
// meta.lastModified. The data set is created in two batches more than a
// second apart, so every batch-1 user precedes every batch-2 user
// chronologically; within a batch the meta.created order is judged by the
// timestamps the server returns (whole seconds or finer,
// docs/interpretations.md#i18).
func describeSortDates(env *Env) {
	// 7644-3.4.2.3-03: sortBy=meta.created orders chronologically, both ways.
	It("orders Users by the dateTime meta.created ascending and descending", spec.Req("7644-3.4.2.3-03"), spec.MUST, func(ctx SpecContext) {
		sortDatesExpect(ctx, env, "created")
	})

	// 7644-3.4.2.3-03: sortBy=meta.lastModified orders chronologically, both ways.
	It("orders Users by the dateTime meta.lastModified ascending and descending", spec.Req("7644-3.4.2.3-03"), spec.MUST, func(ctx SpecContext) {
		sortDatesExpect(ctx, env, "lastModified")
	})
}

// sortDatesExpect sorts the data set by meta.<attr> both ways and fails
// with every problem found.
func sortDatesExpect(ctx context.Context, env *Env, attr string) {
	GinkgoHelper()
	qs := LoadQuerySet(ctx, env)
	var problems []string
	for _, order := range []string{"ascending", "descending"} {
		q := url.Values{"filter": {qs.Scoped("")}, "sortBy": {"meta." + attr}, "sortOrder": {order}}
		_, all := lqFetchAll(ctx, env, env.Endpoint("User"), q, "7644-3.4.2.3-03")
		what := "GET " + lqShow(env.Endpoint("User"), q)
		keys := qs.Keys(all)
		for _, p := range lqKeyProblems(keys, qs.UserKeys(), nil) {
			problems = append(problems, what+": "+p)
		}
		problems = append(problems, sortBatchProblems(qs, keys, order == "descending", what)...)
		if attr == "created" {
			// lastModified values are judged by batch only: a server may
			// stamp a user again when a group of the data set adds it, and
			// the read specs judge what lastModified shows.
			problems = append(problems, sortStampProblems(all, keys, attr, order == "descending", what)...)
		}
	}
	failProblems(fmt.Sprintf("%s: sortBy=meta.%s must order the users chronologically (RFC 7644 §3.4.2.3; RFC 7643 §2.3.5). The data set was created in two batches (u01-u06, then u07-u12 more than a second later):",
		cite("7644-3.4.2.3-03"), attr), problems)
}

// sortBatchProblems checks that every batch-1 user precedes (ascending) or
// follows (descending) every batch-2 user.
func sortBatchProblems(qs *QuerySet, keys []string, descending bool, what string) []string {
	first, second := 1, 2
	if descending {
		first, second = 2, 1
	}
	seenSecond := ""
	for _, k := range keys {
		switch qs.Batch[k] {
		case second:
			if seenSecond == "" {
				seenSecond = k
			}
		case first:
			if seenSecond != "" {
				return []string{fmt.Sprintf("%s: %s (batch %d) comes after %s (batch %d); got %s", what, k, first, seenSecond, second, lqShowKeys(keys))}
			}
		}
	}
	return nil
}

// sortStampProblems checks that the returned meta.<attr> values never go
// backwards (ascending) or forwards (descending). Values that cannot be
// read are skipped: the schema suites judge them.
func sortStampProblems(all []map[string]any, keys []string, attr string, descending bool, what string) []string {
	var prev time.Time
	prevKey := ""
	for i, r := range all {
		s := coreMetaString(r, attr)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			continue
		}
		if prevKey != "" && ((!descending && t.Before(prev)) || (descending && t.After(prev))) {
			return []string{fmt.Sprintf("%s: %s (meta.%s %s) follows %s (meta.%s %s)", what, keys[i], attr, s, prevKey, attr, prev.Format(time.RFC3339Nano))}
		}
		prev, prevKey = t, keys[i]
	}
	return nil
}

// describeSortFiltered declares the specs of sorting a filtered result and
// paging through it.
func describeSortFiltered(env *Env) {
	// 7644-3.4.2.3-03, 7644-3.4.2.2-04: only the resources the filter selects are sorted and returned.
	It("sorts only the Users the filter selects", spec.Req("7644-3.4.2.3-03", "7644-3.4.2.2-04"), spec.MUST, func(ctx SpecContext) {
		sortExpect(ctx, env, "sort-active-familyname", "7644-3.4.2.3-03", "7644-3.4.2.2-04")
	})

	// 7644-3.4.2.3-03, 7644-3.4.2.4-05, 7644-3.4.2.2-04: startIndex and count cut the page out of the sorted, filtered result.
	It("cuts the requested page out of the sorted, filtered result", spec.Requires(spec.FeatureIndexPaging),
		spec.Req("7644-3.4.2.3-03", "7644-3.4.2.4-05", "7644-3.4.2.2-04"), spec.MUST, func(ctx SpecContext) {
			q := datasetQuery("sort-active-familyname")
			qs, f := lqPrepare(ctx, env, q)
			qs.SkipMissingKeys(q.Name, q.Want) // the page's positions count every expected user
			params := url.Values{"filter": {f}, "sortBy": {q.SortBy}, "sortOrder": {q.SortOrder}, "startIndex": {"3"}, "count": {"3"}}
			l := lqGet(ctx, env, env.Endpoint("User"), params, "7644-3.4.2.3-03")
			want, got := q.Want[2:5], qs.Keys(l.Resources)
			if problem := lqOrderProblem(want, got); problem != "" {
				Fail(fmt.Sprintf("%s, %s, %s: GET %s must return the 3rd to 5th of the active users sorted by family name (%s): %s. Filter first, sort the matches, then cut the page at startIndex (1-based) with at most count resources.",
					cite("7644-3.4.2.3-03"), cite("7644-3.4.2.4-05"), cite("7644-3.4.2.2-04"), lqShow(env.Endpoint("User"), params), lqShowKeys(q.Want), problem))
			}
		})
}
