package scim

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Budget paces requests: at most MaxInFlight at once, at most MaxRPS per second, and a
// global pause after a 429/503 with Retry-After (or the backoff) so every caller slows down.
type Budget interface {
	// Acquire blocks until one more request may be sent (or ctx ends); release ends it.
	Acquire(ctx context.Context) (release func(), err error)
	// Pause holds every later Acquire until d from now (the longest pause wins).
	Pause(d time.Duration)
}

// Peaker is implemented by the budgets of NewBudget: Peak is the largest
// number of requests that were in flight at once so far.
type Peaker interface {
	Peak() int
}

// maxSpacing bounds the spacing of a tiny MaxRPS (and keeps the division
// from overflowing a Duration).
const maxSpacing = time.Hour

// NewBudget returns a budget of at most maxRPS requests per second and at
// most maxInFlight requests at once; 0 (or less) is unlimited for either.
// The rate is kept by spacing: request starts are at least 1/maxRPS apart.
// It starts no goroutine; waiting callers sleep on timers and honour their
// context.
func NewBudget(maxRPS float64, maxInFlight int) Budget {
	b := &budget{}
	if maxRPS > 0 && !math.IsInf(maxRPS, 1) {
		b.spacing = time.Duration(min(float64(time.Second)/maxRPS, float64(maxSpacing)))
	}
	if maxInFlight > 0 {
		b.slots = make(chan struct{}, maxInFlight)
	}
	return b
}

// budget is the Budget of one process. slots is a semaphore (nil:
// unlimited); mu guards the clock-based gates.
type budget struct {
	slots   chan struct{}
	spacing time.Duration

	mu       sync.Mutex
	next     time.Time // earliest start of the next request (spacing)
	resumeAt time.Time // end of the longest pause so far
	inFlight int
	peak     int
}

// Acquire takes an in-flight slot, then waits until both the pause and the
// spacing allow a start. A context that ends gives the slot back.
func (b *budget) Acquire(ctx context.Context) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if b.slots != nil {
		select {
		case b.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if err := b.waitTurn(ctx); err != nil {
		b.freeSlot()
		return nil, err
	}
	var done atomic.Bool
	return func() {
		if done.CompareAndSwap(false, true) {
			b.mu.Lock()
			b.inFlight--
			b.mu.Unlock()
			b.freeSlot()
		}
	}, nil
}

// waitTurn sleeps until no pause holds and the spacing allows a start, then
// counts the request in flight. A pause set while it sleeps is seen when it
// wakes: it sleeps again until the pause ends.
func (b *budget) waitTurn(ctx context.Context) error {
	for {
		wait := b.tryStart(time.Now())
		if wait <= 0 {
			return nil
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return err
		}
	}
}

// tryStart starts a request when the gates allow it at now (returning 0),
// else returns how long to wait before trying again.
func (b *budget) tryStart(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	at := b.resumeAt
	if b.next.After(at) {
		at = b.next
	}
	if at.After(now) {
		return at.Sub(now)
	}
	if b.spacing > 0 {
		b.next = now.Add(b.spacing)
	}
	b.inFlight++
	b.peak = max(b.peak, b.inFlight)
	return 0
}

func (b *budget) freeSlot() {
	if b.slots != nil {
		<-b.slots
	}
}

// Pause holds every Acquire until d from now, unless a longer pause holds already.
func (b *budget) Pause(d time.Duration) {
	if d <= 0 {
		return
	}
	until := time.Now().Add(d)
	b.mu.Lock()
	if until.After(b.resumeAt) {
		b.resumeAt = until
	}
	b.mu.Unlock()
}

// Peak is the most requests in flight at once so far.
func (b *budget) Peak() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.peak
}
