package suites

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The concurrency suite: the same write sent by several clients at once must
// neither be lost (conditional writes, RFC 7644 §3.14) nor duplicated
// (uniqueness, RFC 7644 §3.3). The container is in area etag so that a run
// of the ETag area includes its races; the create race is also in area
// create, the area of the requirement it checks.
//
// Alone: in a parallel run these specs run alone, before every other spec.
// Each judges how the server orders its own racing requests; other workers'
// requests in flight would change the interleaving the race depends on (and
// a server that sheds load could answer a racer 429/503 for the load).
var _ = DescribeSCIM("Concurrency", spec.Area("etag"), spec.Mutating, Alone, func(env *Env) {
	// 7644-3.14-02, 7644-3.14-04: of concurrent PUTs with one If-Match, one wins and the rest get 412.
	It(fmt.Sprintf("performs exactly one of %d concurrent PUTs carrying the same If-Match and refuses the others with 412", concWriters),
		spec.Req("7644-3.14-02", "7644-3.14-04"), spec.MUST, spec.Requires(spec.FeatureETag, spec.FeatureUsers), func(ctx SpecContext) {
			expectOneConditionalWinner(ctx, env, http.MethodPut)
		})

	// 7644-3.14-02, 7644-3.14-04: of concurrent PATCHes with one If-Match, one wins and the rest get 412.
	It(fmt.Sprintf("performs exactly one of %d concurrent PATCHes carrying the same If-Match and refuses the others with 412", concWriters),
		spec.Req("7644-3.14-02", "7644-3.14-04"), spec.MUST, spec.Requires(spec.FeatureETag, spec.FeatureUsers, spec.FeaturePatch), func(ctx SpecContext) {
			expectOneConditionalWinner(ctx, env, http.MethodPatch)
		})

	// 7644-3.3-10, 7643-4.1.1-02: of concurrent creates of one userName, one wins and the rest get 409.
	It(fmt.Sprintf("creates exactly one of %d concurrent POSTs of the same userName and answers the others 409", concWriters),
		spec.Req("7644-3.3-10", "7643-4.1.1-02"), spec.MUST, spec.Area("create"), spec.Requires(spec.FeatureUsers), func(ctx SpecContext) {
			for round := 1; round <= concRounds; round++ {
				expectOneCreateWinner(ctx, env, round)
			}
		})
})

// concWriters is how many requests race. Small enough for any server and a
// loopback target, large enough to make a check-then-act window show.
const concWriters = 8

// concResult is one racing request's outcome.
type concResult struct {
	Resp *scim.Response
	Err  error
}

// concRun sends n requests at once: it builds them all, starts one
// goroutine per request, and releases them together from a barrier once
// every goroutine is waiting. It returns when all are done.
func concRun(ctx context.Context, env *Env, n int, build func(i int) scim.Request) []concResult {
	reqs := make([]scim.Request, n)
	for i := range reqs {
		reqs[i] = build(i)
		env.stampRequest(reqs[i])
	}
	results := make([]concResult, n)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(n)
	done.Add(n)
	for i := range reqs {
		go func(i int) {
			defer GinkgoRecover()
			defer done.Done()
			ready.Done()
			<-start
			results[i].Resp, results[i].Err = env.Client.Do(ctx, reqs[i])
		}(i)
	}
	ready.Wait()
	close(start)
	done.Wait()
	return results
}

// concCheckTransport ends the spec as ERROR when a racing request got no
// HTTP response (call it after tracking what the others created).
func concCheckTransport(results []concResult) {
	GinkgoHelper()
	for i, r := range results {
		if r.Err != nil {
			failTransport(fmt.Errorf("racing request %d: %w", i, r.Err))
		}
	}
}

// concStatuses summarises the statuses of the racing requests: "201 ×1, 409 ×7".
func concStatuses(results []concResult) string {
	count := map[int]int{}
	for _, r := range results {
		if r.Resp != nil {
			count[r.Resp.Status]++
		}
	}
	codes := make([]int, 0, len(count))
	for c := range count {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	parts := make([]string, 0, len(codes))
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("%d ×%d", c, count[c]))
	}
	return strings.Join(parts, ", ")
}

// concRounds is how many times each race is run: a check-then-act window
// does not show every time, while a correct server never loses a round.
const concRounds = 3

// expectOneConditionalWinner races concWriters writes of distinct
// displayNames, all with If-Match: <current tag>, and expects one success,
// 412 for the others, and the winner's value stored; concRounds times.
func expectOneConditionalWinner(ctx context.Context, env *Env, method string) {
	GinkgoHelper()
	f, _ := etagCreateUser(ctx, env, "race")
	for round := 1; round <= concRounds; round++ {
		if !concConditionalRound(ctx, env, f, method, round) {
			return
		}
	}
}

// concConditionalRound runs one round of the conditional-write race. It
// returns false when the round could not be judged (docs/interpretations.md#i5).
func concConditionalRound(ctx context.Context, env *Env, f *etagFixture, method string, round int) bool {
	GinkgoHelper()
	tag := etagTag(ctx, env, f, "7644-3.14-04")
	value := func(i int) string { return fmt.Sprintf("%s round %d writer %d", f.UserName, round, i) }
	results := concRun(ctx, env, concWriters, func(i int) scim.Request {
		req := scim.Request{Method: method, Path: f.Path, Header: etagHeader("If-Match", tag), Body: etagReplaceBody(f, value(i))}
		if method == http.MethodPatch {
			req.Body = PatchOp(Op("replace", "displayName", value(i)))
		}
		return req
	})
	concCheckTransport(results)
	var winners []int
	refused := 0
	for i, r := range results {
		switch r.Resp.Status {
		case http.StatusOK, http.StatusNoContent:
			winners = append(winners, i)
		case http.StatusPreconditionFailed:
			refused++
		}
	}
	if len(winners) == 0 && refused == concWriters && etagIsWeak(tag) {
		env.Warn("every %s with If-Match: %s (the weak tag the server sent) was refused with 412: the server compares If-Match strongly (%s), so the race could not be judged", method, tag, interpretation(5))
		return false
	}
	Expect(winners).To(HaveLen(1), "%s: in round %d, %d %s requests carrying If-Match: %s were sent at once; exactly one may succeed, because after it the tag is stale. Statuses: %s. Evaluate If-Match and perform the write atomically (under one lock or transaction), or concurrent clients lose updates.",
		cite("7644-3.14-04"), round, concWriters, method, tag, concStatuses(results))
	Expect(refused).To(Equal(concWriters-1), "%s: in round %d, the %d losing %s requests must each be answered 412 Precondition Failed. Statuses: %s.",
		cite("7644-3.14-04"), round, concWriters-1, method, concStatuses(results))
	f.DisplayName = value(winners[0])
	etagExpectDisplayName(ctx, env, f, f.DisplayName, "7644-3.14-04", fmt.Sprintf("round %d of the race, won by request %d", round, winners[0]))
	return true
}

// expectOneCreateWinner races concWriters creates of one userName, tracks
// every resource any of them created, and expects exactly one 201, 409 for
// the others (400 is tolerated, docs/interpretations.md#i7) and the winner stored.
// round numbers the race in messages.
func expectOneCreateWinner(ctx context.Context, env *Env, round int) {
	GinkgoHelper()
	endpoint := env.Endpoint("User")
	userName := env.Name("race-create")
	display := func(i int) string { return fmt.Sprintf("%s writer %d", userName, i) }
	results := concRun(ctx, env, concWriters, func(i int) scim.Request {
		return scim.Request{Method: http.MethodPost, Path: endpoint, Body: etagUserBody(userName, display(i))}
	})
	var created []int
	ids := map[int]string{}
	for i, r := range results {
		if r.Resp == nil {
			continue
		}
		if id := env.Claim(ctx, endpoint, etagUserBody(userName, display(i)), r.Resp); id != "" {
			created = append(created, i)
			ids[i] = id
		}
	}
	concCheckTransport(results)
	conflicts, badRequests := 0, 0
	for _, r := range results {
		switch r.Resp.Status {
		case http.StatusConflict:
			conflicts++
		case http.StatusBadRequest:
			badRequests++
		}
	}
	if len(created) == 0 {
		concNoWinner(env, endpoint, userName, results)
	}
	Expect(created).To(HaveLen(1), "%s: in round %d, %d POSTs of userName %q were sent at once and %d resources were created (statuses: %s). userName is unique: check uniqueness and insert atomically (one lock, transaction or unique index), so that exactly one create succeeds.",
		cite("7644-3.3-10"), round, concWriters, userName, len(created), concStatuses(results))
	Expect(conflicts+badRequests).To(Equal(concWriters-1), "%s: the %d losing creates must each be refused with 409 Conflict (scimType uniqueness). Statuses: %s.",
		cite("7644-3.3-10"), concWriters-1, concStatuses(results))
	if badRequests > 0 {
		env.Info("%d losing creates were answered 400 instead of 409; RFC 7643 §7 allows 400 for uniqueness violations (%s)", badRequests, interpretation(7))
	}
	winner := created[0]
	f := &etagFixture{Path: endpoint + "/" + ids[winner], UserName: userName}
	etagExpectDisplayName(ctx, env, f, display(winner), "7644-3.3-10", fmt.Sprintf("round %d of the create race, won by request %d", round, winner))
}

// concNoWinner ends a create race in which no create succeeded. Refusals
// (4xx) mean the creates failed for another reason — a business rule, a
// template the server needs — which the create specs judge: the race has no
// data and is SKIPPED. Server errors (5xx) to valid creates fail the race.
func concNoWinner(env *Env, endpoint, userName string, results []concResult) {
	GinkgoHelper()
	for _, r := range results {
		if r.Resp.Status >= 500 {
			Fail(fmt.Sprintf("%s: none of the %d concurrent POSTs of userName %q succeeded (statuses: %s); a server error is no answer to a valid create, even under concurrency.",
				cite("7644-3.3-10"), concWriters, userName, concStatuses(results)))
		}
	}
	env.setupCreateFailed(endpoint, results[0].Resp, fmt.Sprintf("the race needs one of %d concurrent creates to succeed (statuses: %s)", concWriters, concStatuses(results)))
}
