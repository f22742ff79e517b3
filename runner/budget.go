package runner

import (
	"context"
	"time"
)

// requestBudget is the request budget all processes of a run share: the
// shape of scim.Budget (--max-rps, --max-in-flight; 429/503 Retry-After
// pauses everyone). The parent holds the one real budget; workers forward
// to it through the coordinator (remoteBudget). Until scim.NewBudget lands
// the parent's budget is unlimited.
type requestBudget interface {
	// Acquire waits for a slot to send one request; release frees it.
	Acquire(ctx context.Context) (release func(), err error)
	// Pause holds every later Acquire back for d (a server's Retry-After).
	Pause(d time.Duration)
}

// unlimitedBudget grants every request at once.
type unlimitedBudget struct{}

func (unlimitedBudget) Acquire(context.Context) (func(), error) { return func() {}, nil }
func (unlimitedBudget) Pause(time.Duration)                     {}
