package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/suites"
)

// localCoordinator is the parent's own suites.Coordinator for its serial
// phase: it claims Serial specs only and reads shared values the workers
// built (or builds them itself).
type localCoordinator struct{ c *coordinator }

func (l localCoordinator) Claim(_ context.Context, key string, serial bool) bool {
	return l.c.claim(parentWorker, key, serial)
}

func (l localCoordinator) Shared(ctx context.Context, key string, build func() ([]byte, error)) ([]byte, error) {
	return sharedVia(ctx, key, build,
		func(ctx context.Context) (sharedAnswer, error) { return l.c.sharedGet(ctx, parentWorker, key) },
		func(value []byte, errText string) error { return l.c.sharedPut(parentWorker, key, value, errText) })
}

// sharedVia is the protocol of a shared value on either side: ask; build
// and post when told to (a failed or panicking build posts its error, so
// no other process waits for ever); else decode the answer.
func sharedVia(ctx context.Context, key string, build func() ([]byte, error),
	ask func(context.Context) (sharedAnswer, error), post func(value []byte, errText string) error) (value []byte, err error) {
	a, err := ask(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Build {
		if a.Error != "" {
			return nil, fmt.Errorf("%s (built by another process of this run)", a.Error)
		}
		return a.Value, nil
	}
	posted := false
	defer func() {
		if !posted {
			_ = post(nil, "the process building the shared "+key+" stopped before it was built")
		}
	}()
	value, err = build()
	errText := ""
	if err != nil {
		errText = err.Error()
	}
	posted = true
	if perr := post(value, errText); perr != nil && err == nil {
		return nil, perr
	}
	return value, err
}

// remoteCoordinator is a worker's suites.Coordinator: every call goes to the
// parent's coordinator over loopback HTTP.
type remoteCoordinator struct {
	url, secret string
	worker      int
	http        *http.Client

	mu      sync.Mutex
	claimed map[string]bool
	// elsewhere holds the keys other processes claimed, as far as the
	// claim answers told (claimAnswer.Taken); seen is how much of the
	// coordinator's claim log they covered; stopped: the run stopped.
	// Together they spare a worker asking about a spec it cannot get.
	elsewhere map[string]bool
	seen      int
	stopped   bool
	// releasing counts budget releases still on their way to the parent.
	releasing sync.WaitGroup
}

func newRemoteCoordinator(url, secret string, worker int) *remoteCoordinator {
	return &remoteCoordinator{url: url, secret: secret, worker: worker, claimed: map[string]bool{}, elsewhere: map[string]bool{},
		http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16, IdleConnTimeout: time.Minute}}}
}

// call posts in as JSON to path and decodes the answer into out (nil: none).
func (r *remoteCoordinator) call(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("coordinator %s: %w", path, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.url+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("coordinator %s: %w", path, err)
	}
	req.Header.Set(coordinatorHeader, r.secret)
	req.Header.Set(workerHeader, strconv.Itoa(r.worker))
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.http.Do(req)
	if err != nil {
		return fmt.Errorf("coordinator %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("coordinator %s: %d %s", path, resp.StatusCode, strings.TrimSpace(string(msg)))
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("coordinator %s: %w", path, err)
	}
	return nil
}

// Claim implements suites.Coordinator. A coordinator that cannot be reached
// claims nothing: the parent reports the specs no process ran. A Serial
// spec, a spec another process is known to hold and any spec after the
// run stopped are refused without asking.
func (r *remoteCoordinator) Claim(ctx context.Context, key string, serial bool) bool {
	r.mu.Lock()
	known := serial || r.stopped || r.elsewhere[key]
	seen := r.seen
	r.mu.Unlock()
	if known {
		return false
	}
	var out claimAnswer
	if err := r.call(ctx, "/claim", claimMsg{Worker: r.worker, Key: key, Serial: serial, Seen: seen}, &out); err != nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range out.Taken {
		r.elsewhere[k] = true
	}
	r.seen = max(r.seen, out.Seen)
	r.stopped = r.stopped || out.Stopped
	if out.Run {
		r.claimed[key] = true
	}
	return out.Run
}

// ran reports whether this worker claimed the spec of sr.
func (r *remoteCoordinator) ran(sr types.SpecReport) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.claimed[suites.ClaimKey(sr)]
}

// Shared implements suites.Coordinator.
func (r *remoteCoordinator) Shared(ctx context.Context, key string, build func() ([]byte, error)) ([]byte, error) {
	return sharedVia(ctx, key, build,
		func(ctx context.Context) (sharedAnswer, error) {
			var a sharedAnswer
			err := r.call(ctx, "/shared", sharedMsg{Worker: r.worker, Key: key}, &a)
			return a, err
		},
		func(value []byte, errText string) error {
			return r.call(context.WithoutCancel(ctx), "/shared/put", sharedMsg{Worker: r.worker, Key: key, Value: value, Error: errText}, nil)
		})
}

// report sends a finished spec this worker ran.
func (r *remoteCoordinator) report(sr types.SpecReport) error {
	return r.call(context.Background(), "/report", reportMsg{Worker: r.worker, Spec: wireTranscripts(sr)}, nil)
}

// done sends the worker's final state, after every budget release.
func (r *remoteCoordinator) done(res workerResult) error {
	r.releasing.Wait()
	res.Worker = r.worker
	return r.call(context.Background(), "/done", res, nil)
}

// remoteBudget is a worker's scim.Budget: the parent's budget, through
// the coordinator.
type remoteBudget struct{ r *remoteCoordinator }

func (b remoteBudget) Acquire(ctx context.Context) (func(), error) {
	var out budgetMsg
	if err := b.r.call(ctx, "/budget/acquire", budgetMsg{Worker: b.r.worker}, &out); err != nil {
		return nil, err
	}
	// The release travels in the background: the request that held the
	// slot goes on at once instead of waiting one more loopback round trip
	// (the slot is free in the parent a moment later; done waits for it).
	return func() {
		b.r.releasing.Go(func() {
			_ = b.r.call(context.Background(), "/budget/release", budgetMsg{Worker: b.r.worker, Lease: out.Lease}, nil)
		})
	}, nil
}

func (b remoteBudget) Pause(d time.Duration) {
	_ = b.r.call(context.Background(), "/budget/pause", budgetMsg{Worker: b.r.worker, Pause: d}, nil)
}
