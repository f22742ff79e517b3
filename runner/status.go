package runner

import (
	"context"
	"fmt"
	"sync"
)

// Status is what a running Run tells its caller while it goes on, so that a
// caller stopping the process at once (a second Ctrl-C) can say what the run
// may have left on the target. It is safe for concurrent use; the zero value
// is ready.
type Status struct {
	mu       sync.Mutex
	prefix   string
	target   string
	embedded bool
	// abort stops what the run started (its worker processes) at once.
	abort func()
}

type statusKey struct{}

// WithStatus returns a context that makes Run report its progress into s.
func WithStatus(ctx context.Context, s *Status) context.Context {
	return context.WithValue(ctx, statusKey{}, s)
}

// StatusFrom returns the Status of ctx; nil (which ignores updates) when none.
func StatusFrom(ctx context.Context) *Status {
	s, _ := ctx.Value(statusKey{}).(*Status)
	return s
}

// started records the run prefix and (redacted) target once the run has them.
func (s *Status) started(prefix, target string, embedded bool) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prefix, s.target, s.embedded = prefix, target, embedded
}

// LeftoverHint says, in one line, how to delete what a run stopped at once
// may have left on the target; "" when nothing can be left (no run started,
// or the embedded server, which keeps nothing).
func (s *Status) LeftoverHint() string {
	if s == nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.prefix == "" || s.embedded {
		return ""
	}
	return fmt.Sprintf("test data may be left on the target: delete it with `scimconform cleanup --url %s --prefix %s`", s.target, s.prefix)
}

// onAbort registers what Abort must stop at once (a parallel run's workers).
func (s *Status) onAbort(f func()) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.abort = f
}

// Abort stops at once what the run started besides itself: the worker
// processes of a parallel run are killed. The caller exits right after (a
// second Ctrl-C); the final sweep does not run.
func (s *Status) Abort() {
	if s == nil {
		return
	}
	s.mu.Lock()
	f := s.abort
	s.mu.Unlock()
	if f != nil {
		f()
	}
}
