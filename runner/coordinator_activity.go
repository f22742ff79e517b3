package runner

import (
	"sync"
	"time"
)

// workerHeader carries the number of the worker calling the coordinator.
const workerHeader = "X-Scimconform-Worker"

// activity records when each worker last talked to the coordinator. A
// worker calls it for every claim, report, shared value and request to the
// target (the request budget), so a worker that has sent nothing for long,
// with no call waiting, hangs (stopped, deadlocked): the run's watchdog
// kills it (run.watchdog).
type activity struct {
	mu       sync.Mutex
	last     map[int]time.Time
	inFlight map[int]int
}

func newActivity() *activity {
	return &activity{last: map[int]time.Time{}, inFlight: map[int]int{}}
}

// seen records that worker is alive at t (its start, say).
func (a *activity) seen(worker int, t time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.last[worker] = t
}

// begin marks a call of worker in flight; the returned func ends it.
func (a *activity) begin(worker int) func() {
	a.mu.Lock()
	a.inFlight[worker]++
	a.last[worker] = time.Now()
	a.mu.Unlock()
	return func() {
		a.mu.Lock()
		a.inFlight[worker]--
		a.last[worker] = time.Now()
		a.mu.Unlock()
	}
}

// silentFor is how long worker has sent nothing, as of now: zero while one
// of its calls is in flight (a claim waiting for the serial phase, a wait
// for a shared value, a paused request budget) or when it was never seen.
func (a *activity) silentFor(worker int, now time.Time) time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	last, ok := a.last[worker]
	if !ok || a.inFlight[worker] > 0 {
		return 0
	}
	return now.Sub(last)
}
