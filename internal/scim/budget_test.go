package scim

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The timing tests assert lower bounds only where the budget guarantees
// them (a start is never earlier than its gate), and upper bounds with a
// wide margin, so a loaded machine cannot make them flake.

func TestBudgetNeverExceedsMaxInFlight(t *testing.T) {
	const limit, workers, rounds = 3, 40, 25
	b := NewBudget(0, limit)
	var now, worst atomic.Int32
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				release, err := b.Acquire(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				n := now.Add(1)
				for {
					w := worst.Load()
					if n <= w || worst.CompareAndSwap(w, n) {
						break
					}
				}
				time.Sleep(50 * time.Microsecond)
				now.Add(-1)
				release()
			}
		}()
	}
	wg.Wait()
	if w := worst.Load(); w > limit || w < 1 {
		t.Errorf("%d requests in flight at once, want 1..%d", w, limit)
	}
	if p := b.(Peaker).Peak(); p > limit || p < int(worst.Load()) {
		t.Errorf("Peak() = %d, want between the observed %d and the limit %d", p, worst.Load(), limit)
	}
}

func TestBudgetReleaseIsIdempotent(t *testing.T) {
	b := NewBudget(0, 1)
	release, err := b.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	release()
	release() // must not free a second slot
	r2, err := b.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer r2()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if r3, err := b.Acquire(ctx); err == nil {
		r3()
		t.Fatal("a double release freed a second slot: two requests in flight with MaxInFlight 1")
	}
}

func TestBudgetSpacesRequestsByMaxRPS(t *testing.T) {
	const rps, n = 50.0, 11 // 10 gaps of 20ms: at least 200ms
	b := NewBudget(rps, 0)
	start := time.Now()
	var starts []time.Duration
	for range n {
		release, err := b.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		starts = append(starts, time.Since(start))
		release()
	}
	gap := time.Duration(float64(time.Second) / rps)
	for i := 1; i < n; i++ {
		if d := starts[i] - starts[i-1]; d < gap-time.Millisecond {
			t.Errorf("starts %d and %d are %s apart, want at least %s", i-1, i, d, gap)
		}
	}
	if total := starts[n-1]; total < time.Duration(n-1)*gap-time.Millisecond || total > 5*time.Second {
		t.Errorf("%d requests at %v rps took %s, want about %s", n, rps, total, time.Duration(n-1)*gap)
	}
}

func TestBudgetSpacingHoldsAcrossGoroutines(t *testing.T) {
	const rps, workers = 100.0, 8 // 7 gaps of 10ms
	b := NewBudget(rps, 0)
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := b.Acquire(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			release()
		}()
	}
	wg.Wait()
	if d, want := time.Since(start), time.Duration(workers-1)*10*time.Millisecond; d < want-time.Millisecond {
		t.Errorf("%d concurrent acquires at %v rps took %s, want at least %s", workers, rps, d, want)
	}
}

func TestBudgetPauseHoldsLaterAcquires(t *testing.T) {
	b := NewBudget(0, 0)
	start := time.Now()
	b.Pause(150 * time.Millisecond)
	b.Pause(10 * time.Millisecond) // a shorter pause does not cut the longer one
	release, err := b.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	release()
	if d := time.Since(start); d < 150*time.Millisecond || d > 5*time.Second {
		t.Errorf("Acquire returned after %s, want after the 150ms pause", d)
	}
	b.Pause(0)
	b.Pause(-time.Second)
	start = time.Now()
	release, err = b.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	release()
	if d := time.Since(start); d > time.Second {
		t.Errorf("an expired pause still held Acquire for %s", d)
	}
}

// TestBudgetPauseReachesWaitingCallers: callers already waiting (for a slot,
// or for their spacing turn) when another caller pauses the budget do not
// start before the pause ends.
func TestBudgetPauseReachesWaitingCallers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		budget Budget
	}{
		{"waiting for a slot", NewBudget(0, 1)},
		{"waiting for the spacing", NewBudget(10, 0)}, // 100ms turns
	} {
		t.Run(tc.name, func(t *testing.T) {
			holder, err := tc.budget.Acquire(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			const pause = 300 * time.Millisecond
			started := make(chan time.Duration, 1)
			begin := time.Now()
			go func() {
				release, err := tc.budget.Acquire(context.Background())
				if err != nil {
					t.Error(err)
					started <- 0
					return
				}
				started <- time.Since(begin)
				release()
			}()
			time.Sleep(20 * time.Millisecond) // let it wait
			tc.budget.Pause(pause)
			holder()
			select {
			case d := <-started:
				if d < pause {
					t.Errorf("a waiting caller started %s after the pause began, want at least %s", d, pause)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the waiting caller never started")
			}
		})
	}
}

func TestBudgetContextCancelReleasesWaiters(t *testing.T) {
	cases := []struct {
		name  string
		setup func() Budget
	}{
		{"waiting for a slot", func() Budget { return NewBudget(0, 1) }},
		{"waiting out a pause", func() Budget { b := NewBudget(0, 2); b.Pause(300 * time.Millisecond); return b }},
		{"waiting for the spacing", func() Budget { return NewBudget(1.0/3600, 0) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.setup()
			var holder func()
			if tc.name != "waiting out a pause" {
				var err error
				if holder, err = b.Acquire(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			const waiters = 20
			errs := make(chan error, waiters)
			for range waiters {
				go func() {
					release, err := b.Acquire(ctx)
					if err == nil {
						release()
					}
					errs <- err
				}()
			}
			time.Sleep(20 * time.Millisecond)
			cancel()
			for range waiters {
				select {
				case err := <-errs:
					if !errors.Is(err, context.Canceled) {
						t.Errorf("waiter returned %v, want context.Canceled", err)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("a waiter was not released by the cancelled context")
				}
			}
			if holder != nil {
				holder()
			}
			if tc.name != "waiting for the spacing" { // cancelled waiters gave their slots back
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				var releases []func()
				for range cap(b.(*budget).slots) {
					release, err := b.Acquire(ctx)
					if err != nil {
						t.Fatalf("slot lost to a cancelled waiter: %v", err)
					}
					releases = append(releases, release)
				}
				for _, r := range releases {
					r()
				}
			}
		})
	}
	if _, err := NewBudget(0, 0).Acquire(canceledCtx()); !errors.Is(err, context.Canceled) {
		t.Errorf("Acquire on an ended context: %v, want context.Canceled", err)
	}
}

func canceledCtx() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

func TestNewBudgetUnlimitedAndOddRates(t *testing.T) {
	for _, rps := range []float64{0, -1, math.Inf(1), math.NaN()} {
		b := NewBudget(rps, 0)
		start := time.Now()
		for range 100 {
			release, err := b.Acquire(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			release()
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("NewBudget(%v, 0) is not unlimited: 100 acquires took %s", rps, d)
		}
	}
	if sp := NewBudget(1e-300, 0).(*budget).spacing; sp != maxSpacing {
		t.Errorf("a tiny rate spaces requests %s apart, want the cap %s", sp, maxSpacing)
	}
}

// BenchmarkBudgetAcquire measures the overhead of one Acquire and release.
func BenchmarkBudgetAcquire(b *testing.B) {
	for _, tc := range []struct {
		name   string
		budget Budget
	}{{"unlimited", NewBudget(0, 0)}, {"max-in-flight-16", NewBudget(0, 16)}} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					release, err := tc.budget.Acquire(ctx)
					if err != nil {
						b.Error(err)
						return
					}
					release()
				}
			})
		})
	}
}

// countingBudget records how the client uses a budget.
type countingBudget struct {
	mu                  sync.Mutex
	acquired, released  int
	pauses              []time.Duration
	inFlight, maxFlight int
}

func (c *countingBudget) Acquire(context.Context) (func(), error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.acquired++
	c.inFlight++
	c.maxFlight = max(c.maxFlight, c.inFlight)
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.released++
		c.inFlight--
	}, nil
}

func (c *countingBudget) Pause(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pauses = append(c.pauses, d)
}

func TestClientAcquiresTheBudgetForEveryAttemptAndPausesIt(t *testing.T) {
	srv, calls := flakyServer(t, 2, http.StatusTooManyRequests, http.Header{"Retry-After": {"3"}})
	cb := &countingBudget{}
	fs := &fakeSleep{}
	c := newTestClient(t, srv.URL, Options{Sleep: fs.sleep, Budget: cb})
	resp, err := c.Get(context.Background(), "Users", nil)
	if err != nil || resp.Status != 200 {
		t.Fatalf("resp %v err %v, want 200 after two retries", resp, err)
	}
	cb.mu.Lock()
	defer cb.mu.Unlock()
	if cb.acquired != int(calls.Load()) || cb.acquired != 3 || cb.released != cb.acquired {
		t.Errorf("acquired %d, released %d for %d attempts; want every attempt acquired and released", cb.acquired, cb.released, calls.Load())
	}
	if cb.maxFlight != 1 {
		t.Errorf("%d attempts of one request held the budget at once, want 1", cb.maxFlight)
	}
	if len(cb.pauses) != 2 || cb.pauses[0] != 3*time.Second || cb.pauses[1] != 3*time.Second {
		t.Errorf("pauses %v, want [3s 3s]: the budget pauses for each retry's Retry-After", cb.pauses)
	}
	if w := fs.all(); len(w) != 2 {
		t.Errorf("the client waited %v, want its own two retry waits as before", w)
	}
}

func TestClientWithoutRetriesDoesNotPause(t *testing.T) {
	srv, _ := flakyServer(t, 5, http.StatusServiceUnavailable, http.Header{"Retry-After": {"1"}})
	cb := &countingBudget{}
	c := newTestClient(t, srv.URL, Options{Sleep: (&fakeSleep{}).sleep, Budget: cb, MaxRetries: -1})
	resp, err := c.Get(context.Background(), "Users", nil)
	if err != nil || resp.Status != 503 {
		t.Fatalf("resp %v err %v, want the 503", resp, err)
	}
	if cb.acquired != 1 || cb.released != 1 || len(cb.pauses) != 0 {
		t.Errorf("acquired %d released %d pauses %v, want 1, 1 and none", cb.acquired, cb.released, cb.pauses)
	}
}

func TestClientHoldsTheBudgetUntilTheBodyIsRead(t *testing.T) {
	var inFlight, worst atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			old := worst.Load()
			if n <= old || worst.CompareAndSwap(old, n) {
				break
			}
		}
		w.WriteHeader(200)
		w.(http.Flusher).Flush() // headers first: the body is still being written
		time.Sleep(5 * time.Millisecond)
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	b := NewBudget(0, 2)
	c := newTestClient(t, srv.URL, Options{Budget: b})
	var wg sync.WaitGroup
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if resp, err := c.Get(context.Background(), "Users", nil); err != nil || string(resp.Body) != `{"ok":true}` {
				t.Errorf("resp %v err %v", resp, err)
			}
		}()
	}
	wg.Wait()
	if w := worst.Load(); w > 2 {
		t.Errorf("the server saw %d requests at once, want at most MaxInFlight 2", w)
	}
	if p := b.(Peaker).Peak(); p != 2 {
		t.Errorf("Peak() = %d, want 2 with 12 concurrent callers", p)
	}
}

func TestClientBudgetWaitEndsWithTheContext(t *testing.T) {
	b := NewBudget(0, 0)
	b.Pause(time.Hour)
	srv, seen := echoServer(t)
	c := newTestClient(t, srv.URL, Options{Budget: b})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.Get(ctx, "Users", nil)
	var terr *TransportError
	if !errors.As(err, &terr) || !errors.Is(err, context.DeadlineExceeded) || seen.count() != 0 {
		t.Fatalf("err %v (server saw %d), want a TransportError wrapping the deadline and nothing sent", err, seen.count())
	}
	if !strings.Contains(terr.Error(), "time limit") || !strings.Contains(terr.Error(), "budget") {
		t.Errorf("error %q does not say the run's time ran out waiting for the budget", terr.Error())
	}
}
