package scim

import (
	"sync"
)

// Recorder keeps the transcript of every exchange of a run, and the exchanges of
// the spec currently running so the suites can attach them to that spec.
// It is safe for concurrent use.
type Recorder struct {
	mu      sync.Mutex
	seq     int
	all     []Exchange
	current string
	pending []Exchange
	// MaxExchanges bounds the run-wide transcript (0 = unbounded): once All
	// holds that many, later exchanges are left out of All (counted by
	// Dropped) but still attached to their spec. Set it before first use.
	MaxExchanges int
	dropped      int
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder { return &Recorder{} }

// StartSpec marks the beginning of a spec: later exchanges belong to it.
func (r *Recorder) StartSpec(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.current = name
	r.pending = nil
}

// EndSpec returns the exchanges recorded since StartSpec and clears them.
func (r *Recorder) EndSpec() []Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.pending
	r.pending = nil
	r.current = ""
	return out
}

// Add records an exchange, numbering it and tagging it with the current spec.
func (r *Recorder) Add(x Exchange) Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	x.Seq = r.seq
	if x.Spec == "" {
		x.Spec = r.current
	}
	if r.MaxExchanges > 0 && len(r.all) >= r.MaxExchanges {
		r.dropped++
	} else {
		r.all = append(r.all, x)
	}
	if r.current != "" {
		r.pending = append(r.pending, x)
	}
	return x
}

// All returns a copy of every exchange recorded so far.
func (r *Recorder) All() []Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Exchange(nil), r.all...)
}

// Dropped is the number of exchanges left out of All because of MaxExchanges.
func (r *Recorder) Dropped() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dropped
}
