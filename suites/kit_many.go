package suites

import (
	"context"
	"fmt"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/spec"
)

// coreParallel bounds how many requests a spec sends at once when it
// creates many resources.
const coreParallel = 8

// coreCreateUsers creates n Users, at most coreParallel at a time, and
// returns their ids in creation order. Every User created is tracked and
// deleted after the spec (also concurrently, bounded). The spec fails when
// any create failed.
func coreCreateUsers(ctx context.Context, env *Env, part string, n int) []string {
	GinkgoHelper()
	bodies := make([]map[string]any, n)
	for i := range bodies {
		bodies[i] = coreUserBody(env, part)
	}
	created, problems := env.CreateMany(ctx, env.Endpoint(coreUser), bodies, coreParallel)
	env.skipUnlessCreated(env.Endpoint(coreUser), n, problems)
	ids := make([]string, len(created))
	for i, r := range created {
		ids[i] = r.ID
	}
	return ids
}

// CreateMany POSTs every body to endpoint, at most workers at a time, and
// claims each answer like Create. It returns the created resources in the
// order of bodies (a zero Resource where a create failed) and one problem
// line per failed create. Everything created is deleted concurrently when
// the spec ends (unless --keep). Call it from the spec's goroutine.
func (e *Env) CreateMany(ctx context.Context, endpoint string, bodies []map[string]any, workers int) ([]Resource, []string) {
	GinkgoHelper()
	out := make([]Resource, len(bodies))
	problems := make([]string, len(bodies))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for i := range jobs {
				out[i], problems[i] = e.createQuietly(ctx, endpoint, bodies[i])
			}
		})
	}
	for i := range bodies {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	var created []Resource
	var lines []string
	for i, r := range out {
		if problems[i] != "" {
			lines = append(lines, fmt.Sprintf("%s %d: %s", endpoint, i+1, problems[i]))
		} else {
			created = append(created, r)
		}
	}
	if !e.Keep && len(created) > 0 {
		DeferCleanup(func(ctx SpecContext) { e.deleteAll(ctx, created) })
	}
	return out, lines
}

// skipUnlessCreated ends the spec SKIPPED ("data missing") when some of the
// n creates it needed failed (problems from CreateMany): the create specs
// judge creates; this spec cannot be judged without its resources.
func (e *Env) skipUnlessCreated(endpoint string, n int, problems []string) {
	GinkgoHelper()
	if len(problems) == 0 {
		return
	}
	shown := problems
	if len(shown) > 3 {
		shown = append(shown[:3:3], fmt.Sprintf("... and %d more", len(problems)-3))
	}
	Skip(fmt.Sprintf("%sPOST %s did not create %d of the %d resources a spec needs\n%s\nthe create specs judge the create itself",
		spec.SkipDataMissingPrefix, endpoint, len(problems), n, strings.Join(shown, "\n")))
}

// createQuietly creates one resource without ginkgo (safe in any goroutine)
// and claims it; it returns the resource or why there is none.
func (e *Env) createQuietly(ctx context.Context, endpoint string, body map[string]any) (Resource, string) {
	e.stamp(endpoint, body)
	resp, err := e.Client.Post(ctx, endpoint, body)
	if err != nil { // the client told the ledger the create is uncertain
		return Resource{}, "no HTTP response: " + err.Error()
	}
	res, perr := e.Ledger.ClaimCreate(ctx, e.Client, endpoint, body, resp)
	switch {
	case perr != nil:
		return Resource{}, perr.Error()
	case res.ID == "":
		return Resource{}, fmt.Sprintf("POST %s answered %s. %s%s", endpoint, coreStatus(resp.Status), coreErrorNote(resp), e.templateHint(endpoint, resp))
	}
	return res, ""
}

// deleteAll deletes resources concurrently (bounded); failures are noted and
// left to the final sweep.
func (e *Env) deleteAll(ctx context.Context, resources []Resource) {
	errs := make(chan error, len(resources))
	jobs := make(chan Resource)
	var wg sync.WaitGroup
	for range coreParallel {
		wg.Go(func() {
			for r := range jobs {
				if err := e.Ledger.Delete(ctx, e.Client, r); err != nil {
					errs <- err
				}
			}
		})
	}
	for _, r := range resources {
		jobs <- r
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		e.Info("cleanup: %v (the final sweep will retry)", err)
	}
}
