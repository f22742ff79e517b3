package suites

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
)

// coreParallel bounds how many requests a spec sends at once when it
// creates many resources.
const coreParallel = 8

// coreCreated is the outcome of one create of coreCreateUsers.
type coreCreated struct {
	index  int
	id     string
	status int
	err    error
}

// coreCreateUsers creates n Users, at most coreParallel at a time, and
// returns their ids in creation order. Every User created is tracked and
// deleted after the spec (also concurrently, bounded). The spec fails when
// any create failed.
func coreCreateUsers(ctx context.Context, env *Env, part string, n int) []string {
	GinkgoHelper()
	endpoint := env.Endpoint(coreUser)
	bodies := make([]map[string]any, n)
	for i := range bodies {
		bodies[i] = coreUserBody(env, part)
	}
	results := make(chan coreCreated)
	sem := make(chan struct{}, coreParallel)
	var wg sync.WaitGroup
	for i := range bodies {
		wg.Add(1)
		go func(i int) {
			defer GinkgoRecover()
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			resp, err := env.Client.Do(ctx, scim.Request{Method: http.MethodPost, Path: endpoint, Body: bodies[i]})
			r := coreCreated{index: i, err: err}
			if err == nil {
				r.status = resp.Status
				if coreIsSuccess(resp.Status) {
					r.id = coreIDOf(resp)
				}
			}
			results <- r
		}(i)
	}
	go func() { wg.Wait(); close(results) }()
	ids, created, problems := collectCreated(env, endpoint, bodies, results)
	if !env.Keep && len(created) > 0 {
		DeferCleanup(func(ctx SpecContext) { coreDeleteAll(ctx, env, created) })
	}
	failProblems(fmt.Sprintf("%s: the spec needs %d Users; these creates failed (a valid create must answer 201 Created):", cite("7644-3.3-07"), n), problems)
	return ids
}

// collectCreated tracks every created User as its result arrives.
func collectCreated(env *Env, endpoint string, bodies []map[string]any, results <-chan coreCreated) ([]string, []Resource, []string) {
	ids := make([]string, len(bodies))
	var created []Resource
	var problems []string
	for r := range results {
		switch {
		case r.id != "":
			res := Resource{Endpoint: endpoint, ID: r.id, Name: nameOf(bodies[r.index])}
			env.Tracker.Created(res)
			created = append(created, res)
			ids[r.index] = r.id
		case r.err != nil:
			problems = append(problems, fmt.Sprintf("User %d: no HTTP response: %v", r.index+1, r.err))
		default:
			problems = append(problems, fmt.Sprintf("User %d: POST %s answered %s", r.index+1, endpoint, coreStatus(r.status)))
		}
	}
	return ids, created, problems
}

// coreDeleteAll deletes resources concurrently (bounded); failures are
// noted and left to the final sweep.
func coreDeleteAll(ctx context.Context, env *Env, resources []Resource) {
	errs := make(chan error, len(resources))
	sem := make(chan struct{}, coreParallel)
	var wg sync.WaitGroup
	for _, r := range resources {
		wg.Add(1)
		go func(r Resource) {
			defer GinkgoRecover()
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := DeleteResource(ctx, env.Client, env.Tracker, r); err != nil {
				errs <- err
			}
		}(r)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		env.Info("cleanup: %v (the final sweep will retry)", err)
	}
}
