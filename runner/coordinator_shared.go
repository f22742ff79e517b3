package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// sharedMsg asks for a run-wide value, or (put) posts it.
type sharedMsg struct {
	Worker int             `json:"worker"`
	Key    string          `json:"key"`
	Value  json.RawMessage `json:"value,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// sharedAnswer either tells the asker to build the value or carries it (or
// the error of its build).
type sharedAnswer struct {
	Build bool            `json:"build,omitempty"`
	Value json.RawMessage `json:"value,omitempty"`
	Error string          `json:"error,omitempty"`
}

func (c *coordinator) serveShared(ctx context.Context, body json.RawMessage) (any, error) {
	var m sharedMsg
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	return c.sharedGet(ctx, m.Worker, m.Key)
}

func (c *coordinator) servePut(_ context.Context, body json.RawMessage) (any, error) {
	var m sharedMsg
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	return struct{}{}, c.sharedPut(m.Worker, m.Key, m.Value, m.Error)
}

// sharedGet makes worker the builder of key when it asks first; otherwise
// it waits until the builder posted the value (or ctx ends).
func (c *coordinator) sharedGet(ctx context.Context, worker int, key string) (sharedAnswer, error) {
	c.mu.Lock()
	slot, ok := c.shared[key]
	if !ok {
		c.shared[key] = &sharedSlot{builder: worker, ready: make(chan struct{})}
		c.mu.Unlock()
		c.tl.mark("process %d builds the shared %s", worker, key)
		return sharedAnswer{Build: true}, nil
	}
	c.mu.Unlock()
	asked := time.Now()
	select {
	case <-slot.ready:
		c.tl.mark("process %d waited %v for the shared %s", worker, time.Since(asked).Round(time.Millisecond), key)
		return sharedAnswer{Value: slot.value, Error: slot.err}, nil
	case <-ctx.Done():
		return sharedAnswer{}, fmt.Errorf("waiting for the shared %s: %w", key, ctx.Err())
	}
}

// sharedPut records the value (or the error) worker built for key.
func (c *coordinator) sharedPut(worker int, key string, value json.RawMessage, errText string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	slot, ok := c.shared[key]
	if !ok || slot.builder != worker {
		return fmt.Errorf("shared %s: worker %d is not its builder", key, worker)
	}
	select {
	case <-slot.ready:
		return fmt.Errorf("shared %s: posted twice", key)
	default:
	}
	if errText == "" && len(value) == 0 {
		errText = "the build posted no value"
	}
	slot.value, slot.err = value, errText
	close(slot.ready)
	c.tl.mark("process %d posted the shared %s (%d bytes, error %q)", worker, key, len(value), errText)
	return nil
}

// abandon ends what a worker that exited left open: the values it was
// building fail with why, and its budget leases are released.
func (c *coordinator) abandon(worker int, why string) {
	c.mu.Lock()
	var open []string
	for key, slot := range c.shared {
		if slot.builder == worker {
			open = append(open, key)
		}
	}
	var releases []func()
	for id, l := range c.leases {
		if l.worker == worker {
			releases = append(releases, l.release)
			delete(c.leases, id)
		}
	}
	c.mu.Unlock()
	for _, key := range open {
		_ = c.sharedPut(worker, key, nil, why) // fails harmlessly when already posted
	}
	for _, release := range releases {
		release()
	}
}

// budgetMsg is a budget request of a worker.
type budgetMsg struct {
	Worker int           `json:"worker"`
	Lease  string        `json:"lease,omitempty"`
	Pause  time.Duration `json:"pause,omitempty"`
}

// lease is a budget slot a worker holds until it releases it.
type lease struct {
	worker  int
	release func()
}

func (c *coordinator) serveAcquire(ctx context.Context, body json.RawMessage) (any, error) {
	var m budgetMsg
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	release, err := c.budget.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.leaseSeq++
	id := strconv.Itoa(c.leaseSeq)
	c.leases[id] = lease{worker: m.Worker, release: release}
	return budgetMsg{Lease: id}, nil
}

func (c *coordinator) serveRelease(_ context.Context, body json.RawMessage) (any, error) {
	var m budgetMsg
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	c.mu.Lock()
	l, ok := c.leases[m.Lease]
	delete(c.leases, m.Lease)
	c.mu.Unlock()
	if !ok {
		return nil, errors.New("unknown budget lease " + m.Lease)
	}
	l.release()
	return struct{}{}, nil
}

func (c *coordinator) servePause(_ context.Context, body json.RawMessage) (any, error) {
	var m budgetMsg
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	c.budget.Pause(m.Pause)
	return struct{}{}, nil
}
