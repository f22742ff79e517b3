package scim

import (
	"encoding/json"
	"fmt"
	"sync"
)

// Recorder keeps the transcript of every exchange of a run, and the exchanges of
// the spec currently running so the suites can attach them to that spec.
// It is safe for concurrent use.
type Recorder struct {
	mu      sync.Mutex
	seq     int
	all     []Exchange
	kept    int // exchanges kept in all or spilled
	current string
	pending []Exchange
	// MaxExchanges bounds the run-wide transcript (0 = unbounded): once All
	// holds that many, later exchanges are left out of All (counted by
	// Dropped) but still attached to their spec. Set it before first use.
	MaxExchanges int
	dropped      int
	// MaxBodyBytes is the run-wide budget of recorded body bytes (0 =
	// unbounded), counted as they cost in report.json and exchanges.har
	// (JSON-escaped). Once an exchange does not fit, it and every later one
	// is kept as a summary (method, URL, status, headers, sizes, timing)
	// with Exchange.Omitted saying why. Set it before first use.
	MaxBodyBytes int64
	bodyBytes    int64
	summarised   int
	// spill, when set, receives the run-wide transcript instead of All (see
	// SpillTo); spillErr is its first write error.
	spill    *json.Encoder
	spillErr error
}

// DefaultMaxRecordedBytes is the run-wide budget of recorded body bytes the
// runner uses. A full run against the reference server records about 5 MiB
// of bodies; each recorded byte appears once in report.json and once in
// exchanges.har (junit.xml and report.html show at most 16 KiB of each
// body), so 16 MiB keeps a run's artifacts well under 100 MB whatever the
// target answers.
const DefaultMaxRecordedBytes = 16 << 20

// NumberFrom makes the next exchange number n+1: the processes of a
// parallel run number their exchanges in disjoint ranges, so a number names
// one exchange in the merged transcript. Call it before first use.
func (r *Recorder) NumberFrom(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq = n
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
// Over the body budget (MaxBodyBytes) it keeps a summary without bodies.
func (r *Recorder) Add(x Exchange) Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	x.Seq = r.seq
	if x.Spec == "" {
		x.Spec = r.current
	}
	r.budget(&x)
	switch {
	case r.MaxExchanges > 0 && r.kept >= r.MaxExchanges:
		r.dropped++
	case r.spill != nil:
		r.kept++
		if err := r.spill.Encode(x); err != nil && r.spillErr == nil {
			r.spillErr = err
		}
	default:
		r.kept++
		r.all = append(r.all, x)
	}
	if r.current != "" {
		r.pending = append(r.pending, x)
	}
	return x
}

// budget charges x's bodies to the run-wide budget, or strips them once the
// budget is spent.
func (r *Recorder) budget(x *Exchange) {
	if r.MaxBodyBytes <= 0 {
		return
	}
	cost := encodedLen(x.Request.Body)
	if x.Response != nil {
		cost += encodedLen(x.Response.Body)
	}
	if cost == 0 {
		return
	}
	if r.summarised == 0 && r.bodyBytes+cost <= r.MaxBodyBytes {
		r.bodyBytes += cost
		return
	}
	r.summarised++
	x.Omitted = fmt.Sprintf("body not recorded: the run's transcript budget of %s is spent", FormatBytes(r.MaxBodyBytes))
	x.Request.Body, x.Request.Truncated = "", false
	if x.Response != nil {
		resp := *x.Response
		resp.Body, resp.Truncated = "", false
		x.Response = &resp
	}
}

// Refund gives the body budget back for exchanges whose bodies no report
// will keep (a passing spec's, under --transcripts failures), so the budget
// bounds what the artifacts hold rather than everything a run sent. Once
// the budget was spent (Summarised > 0) nothing is refunded: every later
// exchange stays a summary, as the report's note says.
func (r *Recorder) Refund(xs []Exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.MaxBodyBytes <= 0 || r.summarised > 0 {
		return
	}
	for _, x := range xs {
		if x.Summary || x.Omitted != "" {
			continue
		}
		cost := encodedLen(x.Request.Body)
		if x.Response != nil {
			cost += encodedLen(x.Response.Body)
		}
		r.bodyBytes = max(r.bodyBytes-cost, 0)
	}
}

// encodedLen is the length of s as a JSON string's content: what a recorded
// body costs in report.json and exchanges.har (HTML-escaped, as
// encoding/json writes by default).
func encodedLen(s string) int64 {
	n := int64(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
			n++
		case c < 0x20 || c == '<' || c == '>' || c == '&':
			n += 5
		}
	}
	return n
}

// Summarised is the number of exchanges kept without their bodies because
// the MaxBodyBytes budget was spent.
func (r *Recorder) Summarised() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.summarised
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
