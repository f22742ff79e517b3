package runner

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

func startCoordinator(t *testing.T, failFast bool, budget scim.Budget, onSpec func(types.SpecReport)) *coordinator {
	t.Helper()
	co := newCoordinator(failFast, budget, onSpec)
	if err := co.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(co.close)
	return co
}

func TestClaimsRunEverySpecInExactlyOneProcess(t *testing.T) {
	co := startCoordinator(t, false, scim.NewBudget(0, 0), nil)
	w1, w2 := newRemoteCoordinator(co.url, co.secret, 1), newRemoteCoordinator(co.url, co.secret, 2)
	ctx := context.Background()
	if !w1.Claim(ctx, "a", false) || w2.Claim(ctx, "a", false) || !w1.Claim(ctx, "a", false) {
		t.Error("a spec claimed by worker 1 must stay worker 1's")
	}
	if w1.Claim(ctx, "s", true) {
		t.Error("a worker claimed a Serial spec")
	}
	local := localCoordinator{co}
	if local.Claim(ctx, "b", false) || !local.Claim(ctx, "s", true) {
		t.Error("the parent claims Serial specs only")
	}
	if owner, ok := co.owner("a"); !ok || owner != 1 {
		t.Errorf("owner of a: %d %v", owner, ok)
	}
	co.stop()
	if w2.Claim(ctx, "c", false) {
		t.Error("a stopped run still hands out specs")
	}
	forged := newRemoteCoordinator(co.url, "not-the-secret", 3)
	if err := forged.call(ctx, "/claim", claimMsg{Worker: 3, Key: "d"}, nil); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("a request without the secret: %v", err)
	}
}

// countingTransport counts the requests a worker sends its coordinator.
type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func TestAWorkerDoesNotAskForSpecsItKnowsItCannotGet(t *testing.T) {
	co := startCoordinator(t, false, scim.NewBudget(0, 0), nil)
	co.releaseWorkers()
	w1, w2 := newRemoteCoordinator(co.url, co.secret, 1), newRemoteCoordinator(co.url, co.secret, 2)
	calls := &countingTransport{}
	w2.http = &http.Client{Transport: calls}
	ctx := context.Background()
	for _, k := range []string{"a", "b", "c"} {
		if !w1.Claim(ctx, k, false) {
			t.Fatalf("worker 1 could not claim %s", k)
		}
	}
	if !w2.Claim(ctx, "d", false) || calls.n.Load() != 1 {
		t.Fatalf("worker 2 must get d in one call (calls: %d)", calls.n.Load())
	}
	for _, k := range []string{"a", "b", "c"} {
		if w2.Claim(ctx, k, false) {
			t.Errorf("worker 2 got %s, which worker 1 holds", k)
		}
	}
	if w2.Claim(ctx, "serial", true) {
		t.Error("a worker got a Serial spec")
	}
	if n := calls.n.Load(); n != 1 {
		t.Errorf("worker 2 asked %d times; the first answer told it a, b and c are taken and Serial specs are never a worker's", n)
	}
	if !w1.Claim(ctx, "e", false) || w2.Claim(ctx, "e", false) {
		t.Error("e is worker 1's")
	}
	if !w2.Claim(ctx, "d", false) {
		t.Error("worker 2 lost its own spec d")
	}
	co.stop()
	if w2.Claim(ctx, "f", false) || w2.Claim(ctx, "g", false) {
		t.Error("a stopped run handed out a spec")
	}
	if n := calls.n.Load(); n != 4 {
		t.Errorf("worker 2 asked %d times, want 4 (d, e, d again, f; g is refused once it knows the run stopped)", n)
	}
}

func TestFailFastStopsEveryProcessAtTheFirstFailure(t *testing.T) {
	for _, who := range []string{"a worker", "the parent's serial phase"} {
		t.Run(who, func(t *testing.T) {
			co := startCoordinator(t, true, scim.NewBudget(0, 0), nil)
			w := newRemoteCoordinator(co.url, co.secret, 1)
			ctx := context.Background()
			if !w.Claim(ctx, "a", false) {
				t.Fatal("the first claim was refused")
			}
			co.finished(specAt("passed", types.SpecStatePassed, ""))
			if !w.Claim(ctx, "b", false) {
				t.Fatal("a passing spec stopped the run")
			}
			failed := specAt("failed", types.SpecStateFailed, "boom")
			if who == "a worker" {
				if err := w.report(failed); err != nil {
					t.Fatal(err)
				}
			} else {
				co.finished(failed)
			}
			if w.Claim(ctx, "c", false) || (localCoordinator{co}).Claim(ctx, "s", true) {
				t.Error("a spec was handed out after the first failure under --fail-fast")
			}
		})
	}
}

func TestSharedValueIsBuiltOnceAndWaitedFor(t *testing.T) {
	co := startCoordinator(t, false, scim.NewBudget(0, 0), nil)
	ctx := context.Background()
	var builds atomic.Int32
	release := make(chan struct{})
	build := func() ([]byte, error) {
		builds.Add(1)
		<-release
		return []byte(`{"n":1}`), nil
	}
	var wg sync.WaitGroup
	got := make([]string, 4)
	for i := range got {
		w := newRemoteCoordinator(co.url, co.secret, i+1)
		wg.Go(func() {
			v, err := w.Shared(ctx, "set", build)
			if err != nil {
				got[i] = err.Error()
				return
			}
			got[i] = string(v)
		})
	}
	time.Sleep(50 * time.Millisecond) // every worker asked; one builds
	close(release)
	wg.Wait()
	if builds.Load() != 1 {
		t.Errorf("built %d times", builds.Load())
	}
	for i, g := range got {
		if g != `{"n":1}` {
			t.Errorf("worker %d got %q", i+1, g)
		}
	}
	v, err := localCoordinator{co}.Shared(ctx, "set", func() ([]byte, error) { return nil, errors.New("must not build") })
	if err != nil || string(v) != `{"n":1}` {
		t.Errorf("parent got %s, %v", v, err)
	}
}

func TestSharedBuildErrorsAndCrashedBuildersReachTheWaiters(t *testing.T) {
	co := startCoordinator(t, false, scim.NewBudget(0, 0), nil)
	ctx := context.Background()
	w1, w2 := newRemoteCoordinator(co.url, co.secret, 1), newRemoteCoordinator(co.url, co.secret, 2)
	if _, err := w1.Shared(ctx, "bad", func() ([]byte, error) { return nil, errors.New("POST /Users answered 500") }); err == nil {
		t.Fatal("the builder's own error is lost")
	}
	if _, err := w2.Shared(ctx, "bad", nil); err == nil || !strings.Contains(err.Error(), "answered 500") {
		t.Errorf("waiter got %v", err)
	}
	// Worker 1 becomes the builder of "gone" and exits without posting it.
	if a, err := co.sharedGet(ctx, 1, "gone"); err != nil || !a.Build {
		t.Fatalf("first ask: %+v %v", a, err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := w2.Shared(ctx, "gone", nil)
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	co.abandon(1, "worker 1 exited without reporting its result")
	if err := <-done; err == nil || !strings.Contains(err.Error(), "worker 1 exited") {
		t.Errorf("a waiter on a crashed builder got %v", err)
	}
}

// countingBudget counts what the workers acquire, release and pause.
type countingBudget struct {
	acquired, released atomic.Int32
	paused             atomic.Int64
}

func (b *countingBudget) Acquire(context.Context) (func(), error) {
	b.acquired.Add(1)
	return func() { b.released.Add(1) }, nil
}

func (b *countingBudget) Pause(d time.Duration) { b.paused.Add(int64(d)) }

func TestWorkersForwardTheRequestBudgetToTheParent(t *testing.T) {
	b := &countingBudget{}
	co := startCoordinator(t, false, b, nil)
	remote := remoteBudget{newRemoteCoordinator(co.url, co.secret, 1)}
	release, err := remote.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := remote.Acquire(context.Background()); err != nil { // left for the crash
		t.Fatal(err)
	}
	release()
	remote.Pause(3 * time.Second)
	co.abandon(1, "crashed")
	if b.acquired.Load() != 2 || b.released.Load() != 2 || time.Duration(b.paused.Load()) != 3*time.Second {
		t.Errorf("acquired %d released %d paused %v", b.acquired.Load(), b.released.Load(), time.Duration(b.paused.Load()))
	}
}

func TestSpecReportsArriveWithLiveTranscripts(t *testing.T) {
	var seen []types.SpecReport
	co := startCoordinator(t, true, scim.NewBudget(0, 0), func(sr types.SpecReport) { seen = append(seen, sr) })
	w := newRemoteCoordinator(co.url, co.secret, 1)
	xs := scim.Transcript{{Seq: 1_000_001, Request: scim.RecordedRequest{Method: http.MethodGet, URL: "http://x/Users"}}}
	sr := types.SpecReport{LeafNodeText: "reads a User", ContainerHierarchyTexts: []string{"Read"}, State: types.SpecStateFailed,
		ReportEntries: types.ReportEntries{{Name: spec.EntryExchanges, Value: types.WrapEntryValue(xs)}}}
	if err := w.report(sr); err != nil {
		t.Fatal(err)
	}
	got, ok := co.specReports()["Read reads a User"]
	if !ok || len(seen) != 1 {
		t.Fatalf("report not stored or not shown: %v %d", ok, len(seen))
	}
	live, ok := got.ReportEntries[0].Value.GetRawValue().(scim.Transcript)
	if !ok || len(live) != 1 || live[0].Seq != 1_000_001 || live[0].Request.URL != "http://x/Users" {
		t.Errorf("transcript not revived: %#v", got.ReportEntries[0].Value.GetRawValue())
	}
	if !co.isStopped() {
		t.Error("--fail-fast: a failed spec must stop the run")
	}
}

func TestWorkersClaimNothingUntilTheSerialPhaseEnds(t *testing.T) {
	co := newCoordinator(false, scim.NewBudget(0, 0), nil)
	co.holdWorkers()
	if err := co.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(co.close)
	w1 := newRemoteCoordinator(co.url, co.secret, 1)
	got := make(chan bool, 1)
	go func() { got <- w1.Claim(context.Background(), "a", false) }()
	if !(localCoordinator{co}).Claim(context.Background(), "s", true) {
		t.Fatal("the parent could not claim a Serial spec while the workers wait")
	}
	select {
	case <-got:
		t.Fatal("a worker claimed a spec during the serial phase")
	case <-time.After(100 * time.Millisecond):
	}
	co.releaseWorkers()
	select {
	case ok := <-got:
		if !ok {
			t.Error("the worker's claim failed after the serial phase")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the worker's claim still waits after the serial phase")
	}
}
