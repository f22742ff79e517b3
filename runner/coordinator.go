package runner

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/ledger"
	"github.com/scimconform/scimconform/internal/scim"
)

// The coordinator of a parallel run lives in the parent process and serves
// its workers over loopback HTTP, every request carrying the run's random
// secret: it hands out spec claims (each spec runs in exactly one process),
// builds run-wide shared values once, forwards the request budget, receives
// finished spec reports (live progress) and each worker's final state.

// coordinatorHeader carries the secret of the run's coordinator.
const coordinatorHeader = "X-Scimconform-Coordinator"

// maxCoordinatorBody bounds one message to the coordinator (a spec report
// with its transcript, bounded by the recorder's budgets).
const maxCoordinatorBody = 512 << 20

// parentWorker is the worker number of the parent process (serial phase).
const parentWorker = 0

// coordinator is the parent's side. It is safe for concurrent use.
type coordinator struct {
	secret   string
	failFast bool
	budget   scim.Budget
	// onSpec sees every spec report a worker sends, one at a time.
	onSpec func(types.SpecReport)
	// tl records the run's phases (nil: not asked for).
	tl *timeline

	srv *http.Server
	url string

	mu       sync.Mutex
	stopped  bool
	claims   map[string]int // claim key -> worker
	claimLog []string       // claim keys in the order they were granted
	shared   map[string]*sharedSlot
	reports  map[string]types.SpecReport // full text -> report
	results  map[int]workerResult
	leases   map[string]lease
	leaseSeq int
	specMu   sync.Mutex // serialises onSpec

	// act records when each worker last called (the run's watchdog).
	act *activity

	// workersGo is closed when workers may claim specs (holdWorkers).
	workersGo   chan struct{}
	releaseOnce sync.Once
}

// sharedSlot is one run-wide value: built by builder, ready once posted.
type sharedSlot struct {
	builder int
	ready   chan struct{}
	value   json.RawMessage
	err     string
}

// workerResult is what a worker posts when its suite has ended.
type workerResult struct {
	Worker int          `json:"worker"`
	Ledger ledger.State `json:"ledger"`
	// Reasons are ginkgo's reasons for stopping early (interrupt, timeout).
	Reasons []string `json:"reasons,omitempty"`
	// Dropped and Summarised count the exchanges left out of the
	// transcript or kept without bodies (the recorder's budgets).
	Dropped    int    `json:"dropped,omitempty"`
	Summarised int    `json:"summarised,omitempty"`
	SpillError string `json:"spillError,omitempty"`
}

func newCoordinator(failFast bool, budget scim.Budget, onSpec func(types.SpecReport)) *coordinator {
	return &coordinator{secret: randomSecret(), failFast: failFast, budget: budget, onSpec: onSpec,
		claims: map[string]int{}, shared: map[string]*sharedSlot{}, reports: map[string]types.SpecReport{},
		results: map[int]workerResult{}, leases: map[string]lease{}, workersGo: closedChan(), act: newActivity()}
}

func closedChan() chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}

// holdWorkers makes every claim of a worker wait until releaseWorkers (or
// stop): the parent's serial phase runs alone. Call it before start.
func (c *coordinator) holdWorkers() { c.workersGo = make(chan struct{}) }

// releaseWorkers lets the workers claim specs.
func (c *coordinator) releaseWorkers() {
	c.releaseOnce.Do(func() {
		select {
		case <-c.workersGo:
		default:
			close(c.workersGo)
		}
	})
}

func randomSecret() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

// start serves the coordinator on a loopback port.
func (c *coordinator) start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("parallel run: coordinator: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /claim", c.handle(c.serveClaim))
	mux.HandleFunc("POST /shared", c.handle(c.serveShared))
	mux.HandleFunc("POST /shared/put", c.handle(c.servePut))
	mux.HandleFunc("POST /report", c.handle(c.serveReport))
	mux.HandleFunc("POST /done", c.handle(c.serveDone))
	mux.HandleFunc("POST /budget/acquire", c.handle(c.serveAcquire))
	mux.HandleFunc("POST /budget/release", c.handle(c.serveRelease))
	mux.HandleFunc("POST /budget/pause", c.handle(c.servePause))
	c.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	c.url = "http://" + ln.Addr().String()
	go func() { _ = c.srv.Serve(ln) }()
	return nil
}

// close stops serving; waiting requests are cut off.
func (c *coordinator) close() {
	if c.srv != nil {
		_ = c.srv.Close()
	}
}

// handle checks the secret and decodes the JSON request into a map-free
// message for serve, whose answer is sent as JSON.
func (c *coordinator) handle(serve func(ctx context.Context, body json.RawMessage) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get(coordinatorHeader)), []byte(c.secret)) != 1 {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		if n, err := strconv.Atoi(r.Header.Get(workerHeader)); err == nil && n > 0 {
			defer c.act.begin(n)()
		}
		var body json.RawMessage
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxCoordinatorBody)).Decode(&body); err != nil {
			http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
			return
		}
		out, err := serve(r.Context(), body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	}
}

// claimMsg asks for a spec (or an Ordered container).
type claimMsg struct {
	Worker int    `json:"worker"`
	Key    string `json:"key"`
	Serial bool   `json:"serial"`
	// Seen is how much of the claim log the worker has been told.
	Seen int `json:"seen"`
}

// claimAnswer grants a claim or not, and tells the worker what it has not
// heard yet: the keys other processes claimed since Seen (so it skips
// them without asking) and whether the run stopped.
type claimAnswer struct {
	Run     bool     `json:"run"`
	Taken   []string `json:"taken,omitempty"`
	Seen    int      `json:"seen"`
	Stopped bool     `json:"stopped,omitempty"`
}

func (c *coordinator) serveClaim(ctx context.Context, body json.RawMessage) (any, error) {
	var m claimMsg
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	if m.Worker != parentWorker {
		select {
		case <-c.workersGo:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	run := c.claim(m.Worker, m.Key, m.Serial)
	taken, seen, stopped := c.claimedSince(m.Worker, m.Seen)
	return claimAnswer{Run: run, Taken: taken, Seen: seen, Stopped: stopped}, nil
}

// claimedSince returns the keys claimed by processes other than worker
// from position seen of the claim log on, the log's length and whether
// the run stopped.
func (c *coordinator) claimedSince(worker, seen int) (taken []string, length int, stopped bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	seen = min(max(seen, 0), len(c.claimLog))
	for _, k := range c.claimLog[seen:] {
		if c.claims[k] != worker {
			taken = append(taken, k)
		}
	}
	return taken, len(c.claimLog), c.stopped
}

// claim grants key to worker unless another process holds it, the run was
// stopped, or the spec runs in the other phase: Serial specs in the parent,
// before the workers claim any; every other spec in a worker.
func (c *coordinator) claim(worker int, key string, serial bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || serial != (worker == parentWorker) {
		return false
	}
	if owner, ok := c.claims[key]; ok {
		return owner == worker
	}
	c.claims[key] = worker
	c.claimLog = append(c.claimLog, key)
	c.tl.first(fmt.Sprint("claim", worker), "process %d claims its first spec", worker)
	return true
}

// stop makes every later claim fail: the run stops early (--fail-fast,
// interrupt); specs nobody claimed are reported as not run.
func (c *coordinator) stop() {
	c.mu.Lock()
	c.stopped = true
	c.mu.Unlock()
	c.releaseWorkers()
}

// finished notes that a spec of any process ended: under --fail-fast a
// failed spec stops the run, so no process starts another spec (the
// parent's Serial specs included: a failure there keeps the workers from
// claiming any).
func (c *coordinator) finished(sr types.SpecReport) {
	if c.failFast && sr.State.Is(types.SpecStateFailureStates) {
		c.stop()
	}
}

func (c *coordinator) isStopped() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stopped
}

// owner returns the process that claimed key.
func (c *coordinator) owner(key string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w, ok := c.claims[key]
	return w, ok
}

// reportMsg is a finished spec of a worker.
type reportMsg struct {
	Worker int              `json:"worker"`
	Spec   types.SpecReport `json:"spec"`
}

func (c *coordinator) serveReport(_ context.Context, body json.RawMessage) (any, error) {
	var m reportMsg
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	sr := reviveTranscripts(m.Spec)
	c.mu.Lock()
	c.reports[sr.FullText()] = sr
	c.mu.Unlock()
	c.finished(sr)
	if c.onSpec != nil {
		c.specMu.Lock()
		c.onSpec(sr)
		c.specMu.Unlock()
	}
	return struct{}{}, nil
}

func (c *coordinator) serveDone(_ context.Context, body json.RawMessage) (any, error) {
	var m workerResult
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.results[m.Worker] = m
	c.tl.mark("worker %d done", m.Worker)
	return struct{}{}, nil
}

// result returns what worker posted at its end, if it did.
func (c *coordinator) result(worker int) (workerResult, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.results[worker]
	return r, ok
}

// specReports returns the workers' spec reports by full text.
func (c *coordinator) specReports() map[string]types.SpecReport {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]types.SpecReport, len(c.reports))
	for k, v := range c.reports {
		out[k] = v
	}
	return out
}
