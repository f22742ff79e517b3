package runner

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// workerGrace is how long the workers of a run that must stop (interrupted,
// or past its timeout) get to end their running spec, clean up and post
// their result before the parent kills them: three of ginkgo's grace
// periods (the running node, then its cleanup nodes). A worker that hangs
// (stopped, deadlocked) therefore holds the run at most this long after
// the interrupt or the run's timeout; the final sweep deletes what it left.
const workerGrace = 30 * time.Second

// watchdogSilence is how long a worker may send the run nothing (no claim,
// no report, no request to the target through the budget) before the run
// takes it for hung and kills it, without waiting for --timeout: four of
// the longest requests (--request-timeout) and 10 s more. The longest
// quiet stretch of a working worker is one request, a Retry-After wait (at
// most 10 s, announced through the budget) or a timestamp wait of 2.1 s.
func (r *run) watchdogSilence() time.Duration {
	return 4*r.cfg.RequestTimeout + 10*time.Second
}

// watchdog kills each worker still running that has sent nothing for
// watchdogSilence.
func (r *run) watchdog(co *coordinator, procs []*workerProc, now time.Time) {
	limit := r.watchdogSilence()
	for _, p := range procs {
		select {
		case <-p.done:
			continue
		default:
		}
		if silent := co.act.silentFor(p.n, now); silent > limit {
			p.kill(fmt.Sprintf("worker %d sent the run nothing for %s (no claim, no report, no request): it hangs, so the run killed it", p.n, silent.Round(time.Second)))
		}
	}
}

// workerPipeDelay bounds how long the parent waits for a worker's output
// pipe to close once the worker exited.
const workerPipeDelay = 5 * time.Second

// waitWorkers waits for every worker to exit. A cancelled ctx stops the
// run: no spec is claimed any more and every worker is interrupted. At the
// run's timeout no spec is claimed any more either (the workers' suites
// time out on their own at the same moment). Either way, workers still
// running workerGrace later are killed. A worker that exits without
// posting its result has crashed: what it was building fails for the
// others, and its specs are reported by the merge.
func (r *run) waitWorkers(ctx context.Context, co *coordinator, procs []*workerProc, out *parallelOutcome) {
	all := r.watchWorkers(co, procs, out)
	deadline := time.NewTimer(time.Until(r.started.Add(r.sc.Timeout)))
	defer deadline.Stop()
	var grace <-chan time.Time
	why := ""
	interrupted := ctx.Done()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-all:
			return
		case now := <-tick.C:
			r.watchdog(co, procs, now)
		case <-interrupted:
			interrupted = nil
			co.stop()
			for _, p := range procs {
				p.interrupt()
			}
			if why == "" {
				why = "the run was interrupted"
				grace = time.After(workerGrace)
			}
		case <-deadline.C:
			co.stop()
			if why == "" {
				why = "the run's timeout"
				grace = time.After(workerGrace)
			}
		case <-grace:
			grace = nil
			for _, p := range procs {
				p.kill(fmt.Sprintf("worker %d did not end within %s after %s, so the run killed it", p.n, workerGrace, why))
			}
		}
	}
}

// watchWorkers records each worker that exits without posting its result
// as crashed; the channel closes once every worker exited.
func (r *run) watchWorkers(co *coordinator, procs []*workerProc, out *parallelOutcome) <-chan struct{} {
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range procs {
		wg.Go(func() {
			<-p.done
			if _, ok := co.result(p.n); ok {
				return
			}
			why := r.crashReason(p)
			co.abandon(p.n, why)
			mu.Lock()
			out.crashed[p.n] = why
			mu.Unlock()
		})
	}
	all := make(chan struct{})
	go func() {
		wg.Wait()
		close(all)
	}()
	return all
}

// crashReason says how a worker ended, with the last line it printed.
func (r *run) crashReason(p *workerProc) string {
	why := p.killedWhy()
	if why == "" {
		why = fmt.Sprintf("worker %d exited without reporting its result", p.n)
		if p.err != nil {
			why += " (" + p.err.Error() + ")"
		}
	}
	if last := p.out.lastLine(); last != "" {
		why += ": " + last
	}
	red := r.cfg.redactor()
	if r.client != nil {
		red = r.client.Redactor()
	}
	return red.String(why)
}
