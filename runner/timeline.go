package runner

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// timelineEnv switches on the phase timeline of a run: with
// SCIMCONFORM_DEBUG_TIMELINE=1 the parent prints, at its end, when each
// phase of the run began and ended (milliseconds since the run started) on
// stderr. It is a debugging aid for the run's wall time; a nil *timeline
// records nothing.
const timelineEnv = "SCIMCONFORM_DEBUG_TIMELINE"

// timeline collects marks of one run. It is safe for concurrent use.
type timeline struct {
	start time.Time
	mu    sync.Mutex
	marks []string
	once  map[string]bool
}

// newTimeline returns a timeline when the environment asks for one, else nil.
func newTimeline(start time.Time) *timeline {
	if os.Getenv(timelineEnv) != "1" {
		return nil
	}
	return &timeline{start: start, once: map[string]bool{}}
}

// mark records what happened now.
func (t *timeline) mark(format string, args ...any) {
	if t == nil {
		return
	}
	at := time.Since(t.start)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.marks = append(t.marks, fmt.Sprintf("%7.0f ms  %s", float64(at.Microseconds())/1000, fmt.Sprintf(format, args...)))
}

// first records what happened now, unless key was recorded before.
func (t *timeline) first(key, format string, args ...any) {
	if t == nil {
		return
	}
	t.mu.Lock()
	seen := t.once[key]
	t.once[key] = true
	t.mu.Unlock()
	if !seen {
		t.mark(format, args...)
	}
}

// print writes the marks.
func (t *timeline) print(w io.Writer) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintln(w, "scimconform timeline:")
	for _, m := range t.marks {
		fmt.Fprintln(w, "  "+m)
	}
}
