package suites

import (
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/spec"
)

func describeFilterResults(env *Env) {
	// 7644-3.4.2-09, 7644-3.4.2-04: a filter matching nothing is a success
	// whose (required) totalResults is 0.
	It("answers 200 with totalResults 0 to a filter that matches nothing",
		spec.Req("7644-3.4.2-09", "7644-3.4.2-04", "7644-3.4.2.2-04"), spec.MUST, func(ctx SpecContext) {
			q := datasetQuery("filter-no-match")
			qs, f := prepareQuery(ctx, env, q)
			// The filter names a user of this run that does not exist, so
			// it matches nothing anywhere: sent bare when it cannot be
			// scoped, its totalResults is still exactly 0.
			r := filterGet(ctx, env, q.ResourceType(), qs.ScopedFor(q.ResourceType(), f))
			Expect(r.Resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf(
				"%s: %s matches no resource; a query without matches is still a success: answer 200 OK with totalResults 0, not an error. %s",
				cite("7644-3.4.2-09"), r.What, coreErrorNote(r.Resp))))
			if !r.HasTotal || r.Total != 0 {
				Fail(fmt.Sprintf("%s: %s matches no resource, so the ListResponse must say \"totalResults\": 0; it says %s.",
					cite("7644-3.4.2-09"), r.What, filterTotalShow(r)))
			}
			filterExpectKeys(env, qs, q, r)
		})

	// 7644-3.4.2.2-04: the filter parameter is applied, not ignored: a filter
	// naming one user returns that user alone, without any scoping help.
	It("returns only the matching user, not the whole collection, for a filter naming one user",
		spec.Req("7644-3.4.2.2-04"), spec.MUST, func(ctx SpecContext) {
			q := datasetQuery("filter-username-eq")
			qs, f := prepareQuery(ctx, env, q)
			r := filterGet(ctx, env, q.ResourceType(), f)
			filterExpectOK(r, q)
			filterExpectKeys(env, qs, q, r)
		})
}

// filterTotalShow renders the totalResults of a result for a message.
func filterTotalShow(r filterResult) string {
	if !r.HasTotal {
		return "nothing (the member is missing or not a number)"
	}
	return fmt.Sprint(r.Total)
}

// filterInvalid labels an invalid-filter entry: the requirement broken by
// accepting it, plus 7644-3.12-01 (the error body is judged too).
func filterInvalid(ids ...string) Labels {
	return append(spec.Req(append(ids, "7644-3.12-01")...), spec.MUST...)
}

func describeFilterInvalid(env *Env) {
	// 7644-3.4.2.2-17, -22: a filter outside the grammar, or with an operator
	// the server does not know, is refused with 400 invalidFilter.
	// 7644-3.4.2.2-09..12: gt/ge/lt/le on Boolean and Binary attributes too.
	DescribeTable("answers 400 invalidFilter to",
		func(ctx SpecContext, name string) {
			q := datasetQuery(name)
			_, f := prepareQuery(ctx, env, q)
			r := filterGet(ctx, env, q.ResourceType(), f)
			filterExpectInvalid(r, "")
		},
		Entry("a comparison without a value", filterInvalid("7644-3.4.2.2-17"), "filter-invalid-missing-value"),
		Entry("an unknown operator", filterInvalid("7644-3.4.2.2-22", "7644-3.4.2.2-17"), "filter-invalid-operator"),
		Entry("a dangling and", filterInvalid("7644-3.4.2.2-17"), "filter-invalid-dangling-and"),
		Entry("an unbalanced parenthesis", filterInvalid("7644-3.4.2.2-17"), "filter-invalid-unbalanced"),
		Entry("an unclosed value filter bracket", filterInvalid("7644-3.4.2.2-17"), "filter-invalid-unclosed-bracket"),
		Entry("an unquoted string value", filterInvalid("7644-3.4.2.2-17"), "filter-invalid-unquoted"),
		Entry("gt on a Boolean attribute", filterInvalid("7644-3.4.2.2-09"), "filter-invalid-boolean-gt"),
		Entry("ge on a Boolean attribute", filterInvalid("7644-3.4.2.2-10"), "filter-invalid-boolean-ge"),
		Entry("lt on a Boolean attribute", filterInvalid("7644-3.4.2.2-11"), "filter-invalid-boolean-lt"),
		Entry("le on a Boolean sub-attribute", filterInvalid("7644-3.4.2.2-12"), "filter-invalid-boolean-le"),
		Entry("gt on a Binary attribute", filterInvalid("7644-3.4.2.2-09"), "filter-invalid-binary-gt"),
		Entry("le on a Binary attribute", filterInvalid("7644-3.4.2.2-12"), "filter-invalid-binary-le"),
	)
}

// filterExpectInvalid asserts a 400 invalidFilter error answer. cites names
// the requirements; "" cites the running spec's.
func filterExpectInvalid(r filterResult, cites string) {
	GinkgoHelper()
	if cites == "" {
		cites = filterCites()
	} else {
		cites = cite(cites)
	}
	if r.Resp.Status == http.StatusOK {
		Fail(fmt.Sprintf("%s: %s is not a valid filter, yet the server answered 200 OK with %d resources. Refuse it with 400 and scimType \"invalidFilter\" (RFC 7644 §3.4.2.2, §3.12): a client must learn that its filter was not applied.",
			cites, r.What, len(r.Resources)))
	}
	Expect(r.Resp).To(matchers.HaveStatus(http.StatusBadRequest, fmt.Sprintf(
		"%s: %s is not a valid filter; answer 400 Bad Request with scimType \"invalidFilter\" (RFC 7644 §3.4.2.2, §3.12)", cites, r.What)))
	expectSCIMError(r.Resp, matchers.HaveSCIMError(http.StatusBadRequest, "invalidFilter"),
		"%s: the 400 answer to %s must be an RFC 7644 §3.12 error with scimType \"invalidFilter\"; fix each problem listed.", cites, r.What)
}
