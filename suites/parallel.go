package suites

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// Parallel runs (runner --parallel): every worker process declares and walks
// the whole tree, and the first thing each spec does (beforeSpec) is ask the
// run's Coordinator whether this process runs it. A spec another process
// runs is skipped with SkipElsewhere, which the runner drops from the merged
// report. Run-wide values (the query data set) are built once per run by the
// first process that asks and handed to the others as JSON (Shared).

// SkipElsewhere is the skip message of a spec this process leaves to another
// process of a parallel run; it never reaches a report.
const SkipElsewhere = "scimconform: run by another process of this run"

// Coordinator connects the processes of a parallel run. Env.Coordinator is
// nil in a serial run: then every spec runs in this process and every shared
// value is built here.
type Coordinator interface {
	// Claim reports whether this process runs the spec (or the Ordered
	// container) named key; serial says the spec must run alone.
	Claim(ctx context.Context, key string, serial bool) bool
	// Shared returns the JSON of the run-wide value key: built by calling
	// build when this process asks first, else the value (or the build's
	// error) another process posted, waiting for it while it is built.
	Shared(ctx context.Context, key string, build func() ([]byte, error)) ([]byte, error)
}

// ClaimKey names what a process claims to run a spec: the spec's full text,
// or for a spec of an Ordered container the container (its specs share
// BeforeAll state, so one process runs them all). Ginkgo's reports do not
// say which container is the Ordered one, so the key is the whole container
// path: an Ordered container holding sub-containers would be split into one
// unit per sub-container, each process running its own BeforeAll (correct,
// but more requests; patch_members.go has none).
func ClaimKey(r types.SpecReport) string {
	if r.IsInOrderedContainer {
		return "ordered: " + strings.Join(r.ContainerHierarchyTexts, " ")
	}
	return r.FullText()
}

// claim skips the running spec when another process runs it.
func claim(ctx context.Context, env *Env, r types.SpecReport) {
	if env.Coordinator == nil {
		return
	}
	if !env.Coordinator.Claim(ctx, ClaimKey(r), r.IsSerial) {
		Skip(SkipElsewhere)
	}
}

// Shared computes a run-wide value once (e.g. a query data set) and returns
// it to every later caller, in this process and, through the Coordinator,
// in every other process of a parallel run (T must survive a JSON round
// trip). The first caller's spec pays for it; a failure is returned to
// every caller.
func Shared[T any](ctx context.Context, e *Env, key string, build func() (T, error)) (T, error) {
	v, _ := e.once.LoadOrStore(key, &onceValue{})
	ov := v.(*onceValue)
	ov.once.Do(func() {
		if e.Coordinator == nil {
			ov.val, ov.err = build()
			return
		}
		var built T
		builtHere := false
		data, err := e.Coordinator.Shared(ctx, key, func() ([]byte, error) {
			var err error
			if built, err = build(); err != nil {
				return nil, err
			}
			builtHere = true
			return json.Marshal(built)
		})
		switch {
		case err != nil:
			ov.err = err
		case builtHere: // the builder keeps what it built, unmarshalled fields too
			ov.val = built
		default:
			var t T
			if err := json.Unmarshal(data, &t); err != nil {
				ov.err = fmt.Errorf("shared value %s: %w", key, err)
				return
			}
			ov.val = t
		}
	})
	t, _ := ov.val.(T)
	return t, ov.err
}
