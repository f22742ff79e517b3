package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/suites"
)

// A parallel run (--parallel N > 1). Ginkgo runs one suite per process and
// keeps its own parallel protocol internal, so the parent starts N worker
// processes of this binary (WorkerCommand), each walking the whole tree and
// running the specs it claims from the parent's coordinator. Serial specs
// run first, in the parent itself, while the workers start up and before
// they claim any spec, in the same tree walk that gives the merged report
// its order: the order of a serial run of the same seed.

// workerSeqStride separates the exchange numbers of the processes.
const workerSeqStride = 1_000_000

// workerProc is one worker process.
type workerProc struct {
	n     int
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *tailBuffer
	spill string
	done  chan struct{}
	err   error // from Wait

	stopOnce sync.Once

	mu sync.Mutex
	// killed says why the parent killed the worker ("" : it did not).
	killed string
}

// interrupt asks the worker to stop: closing its stdin makes it interrupt
// its suite (the running spec ends and cleans up).
func (w *workerProc) interrupt() { w.stopOnce.Do(func() { _ = w.stdin.Close() }) }

// kill ends the worker at once (it works on a stopped process too),
// remembering why for the report.
func (w *workerProc) kill(why string) {
	w.mu.Lock()
	if w.killed == "" {
		w.killed = why
	}
	w.mu.Unlock()
	_ = w.cmd.Process.Kill()
}

// killedWhy says why the parent killed the worker; "" when it did not.
func (w *workerProc) killedWhy() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.killed
}

// parallelOutcome is what the parallel phase leaves for the sweep and the
// reports.
type parallelOutcome struct {
	dir     string
	spills  []string
	results []workerResult
	// crashed maps a worker that ended without posting its result to why.
	crashed map[int]string
	notes   []string
}

// cleanup removes the workers' temporary files.
func (o *parallelOutcome) cleanup() { _ = os.RemoveAll(o.dir) }

// parallelUnits counts the claimable units of the selection that run in
// workers (specs, or Ordered containers as one): more workers than that
// would idle.
func parallelUnits(specs []SpecInfo) int {
	units := map[string]bool{}
	for _, s := range specs {
		if s.Selected && !s.serial {
			units[s.claimKey] = true
		}
	}
	return len(units)
}

// serialUnits counts the selected Serial specs: the parent runs them alone
// before the workers claim anything.
func serialUnits(specs []SpecInfo) int {
	n := 0
	for _, s := range specs {
		if s.Selected && s.serial {
			n++
		}
	}
	return n
}

// runParallel starts n workers, runs the serial phase in this process while
// they start up (they claim nothing before it ends: Serial specs run
// alone), then lets them run every other spec, and returns the merged
// report. The ledger states of
// the workers are merged into r.env.Ledger.
func (r *run) runParallel(ctx context.Context, n int, onSpec func(types.SpecReport)) (types.Report, *parallelOutcome, error) {
	co := newCoordinator(r.cfg.FailFast, r.cfg.sharedBudget(), onSpec)
	co.tl = r.tl
	co.holdWorkers()
	if err := co.start(); err != nil {
		return types.Report{}, nil, err
	}
	defer co.close()
	// An interrupt stops the claims at once, in the serial phase too: no
	// worker starts a spec once the user asked the run to stop.
	defer context.AfterFunc(ctx, co.stop)()
	dir, err := os.MkdirTemp("", "scimconform-run-")
	if err != nil {
		return types.Report{}, nil, fmt.Errorf("parallel run: %w", err)
	}
	out := &parallelOutcome{dir: dir, crashed: map[int]string{}}
	procs, err := r.startWorkers(co, n, dir)
	if err != nil {
		out.cleanup()
		return types.Report{}, nil, err
	}
	r.tl.mark("%d workers started", n)
	StatusFrom(ctx).onAbort(func() {
		for _, p := range procs {
			_ = p.cmd.Process.Kill()
		}
	})
	parent := r.serialPhase(ctx, co, onSpec)
	r.tl.mark("serial phase done")
	co.releaseWorkers()
	r.waitWorkers(ctx, co, procs, out)
	r.tl.mark("workers exited")
	for _, p := range procs {
		out.spills = append(out.spills, p.spill)
		if res, ok := co.result(p.n); ok {
			out.results = append(out.results, res)
			if !r.env.Ledger.Merge(res.Ledger) {
				out.notes = append(out.notes, fmt.Sprintf("parallel run: worker %d returned the ledger of another run", p.n))
			}
		}
	}
	merged, notes := mergeReports(parent, co, out.crashed, ctx.Err() != nil)
	merged.StartTime, merged.EndTime = r.started, time.Now()
	merged.RunTime = merged.EndTime.Sub(merged.StartTime)
	out.notes = append(out.notes, notes...)
	for _, res := range out.results {
		merged.SpecialSuiteFailureReasons = appendNew(merged.SpecialSuiteFailureReasons, res.Reasons...)
	}
	if ctx.Err() != nil && len(merged.SpecialSuiteFailureReasons) == 0 {
		merged.SpecialSuiteFailureReasons = []string{"Interrupted by User"}
	}
	merged.SuiteSucceeded = merged.SuiteSucceeded && len(merged.SpecialSuiteFailureReasons) == 0
	return merged, out, nil
}

// serialPhase runs the tree in this process: Serial specs run, the others
// are left to the workers (SkipElsewhere); ginkgo's report of this walk is
// the skeleton of the merged report. The workers are released as soon as
// the last Serial spec has run (suites.Alone walks them first), while this
// walk goes on past the specs left to them; at the latest when it ends.
func (r *run) serialPhase(ctx context.Context, co *coordinator, onSpec func(types.SpecReport)) types.Report {
	if ctx.Err() != nil {
		co.stop()
	}
	r.env.Coordinator = localCoordinator{co}
	sc := r.sc
	sc.Timeout = max(r.sc.Timeout-time.Since(r.started), time.Second)
	left := r.serialSpecs
	if left == 0 {
		co.releaseWorkers()
	}
	return runSuite(sc, func(sr types.SpecReport) {
		if leftElsewhere(sr) {
			return
		}
		co.finished(sr)
		onSpec(sr)
		if sr.IsSerial {
			if left--; left == 0 {
				r.tl.mark("serial specs done")
				co.releaseWorkers()
			}
		}
	})
}

// leftElsewhere reports a spec this process left to another one.
func leftElsewhere(sr types.SpecReport) bool {
	return sr.State == types.SpecStateSkipped && sr.Failure.Message == suites.SkipElsewhere
}

// startWorkers starts n workers, each with its job on stdin.
func (r *run) startWorkers(co *coordinator, n int, dir string) ([]*workerProc, error) {
	exe := r.cfg.Executable
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return nil, fmt.Errorf("parallel run: cannot find the scimconform executable to start workers (use --parallel 1): %w", err)
		}
	}
	var procs []*workerProc
	for i := 1; i <= n; i++ {
		p, err := r.startWorker(exe, co, i, n, dir)
		if err != nil {
			for _, started := range procs {
				started.interrupt()
				<-started.done
			}
			return nil, err
		}
		procs = append(procs, p)
	}
	return procs, nil
}

func (r *run) startWorker(exe string, co *coordinator, i, n int, dir string) (*workerProc, error) {
	job := workerJob{Config: r.cfg, BaseURL: r.baseURL, Caps: r.env.Caps, Prefix: r.env.Prefix, Worker: i, Seed: r.seed,
		Timeout: max(r.sc.Timeout-time.Since(r.started), time.Second), Credentialed: r.env.Credentialed,
		Accept: r.client.Accept(), Coordinator: co.url, Secret: co.secret, Spill: filepath.Join(dir, fmt.Sprintf("worker-%d.jsonl", i)),
		MaxExchanges: maxExchanges / (n + 1), MaxBodyBytes: scim.DefaultMaxRecordedBytes / int64(n+1), FirstSeq: i * workerSeqStride, Tokens: heldTokens(r.auths)}
	data, err := json.Marshal(job)
	if err != nil {
		return nil, fmt.Errorf("parallel run: job of worker %d: %w", i, err)
	}
	cmd := exec.Command(exe, WorkerCommand)
	detach(cmd)
	cmd.WaitDelay = workerPipeDelay
	p := &workerProc{n: i, cmd: cmd, out: &tailBuffer{max: 8 << 10}, spill: job.Spill, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, fmt.Errorf("parallel run: worker %d: %w", i, err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("parallel run: cannot start worker %d (%s; use --parallel 1): %w", i, exe, err)
	}
	co.act.seen(i, time.Now())
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	if _, err := p.stdin.Write(append(data, '\n')); err != nil {
		p.interrupt()
		<-p.done
		return nil, fmt.Errorf("parallel run: worker %d did not take its job: %w", i, err)
	}
	return p, nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

// lastLine is the last non-empty line written.
func (t *tailBuffer) lastLine() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(string(t.buf)), "\n")
	return oneLine(lines[len(lines)-1])
}

// appendNew appends the values of add that list does not hold yet.
func appendNew(list []string, add ...string) []string {
	for _, a := range add {
		found := false
		for _, l := range list {
			found = found || l == a
		}
		if !found {
			list = append(list, a)
		}
	}
	return list
}
