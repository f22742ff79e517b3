package selftest_test

import (
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/runner"
)

// pidList is a list of pids a hook records and the test reads.
type pidList struct {
	mu   sync.Mutex
	pids []int
}

func (l *pidList) set(pids []int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pids = pids
}

func (l *pidList) get() []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pids
}

// busyHook fires busy at the first request a worker sends (fromWorker) or,
// in a serial run, at the first create: either way a spec is running. It
// records the workers of the run in workers.
func busyHook(busy *once, fromWorker bool, workers *pidList) hookFunc {
	return func(st *slowTarget, _ http.ResponseWriter, r *http.Request) bool {
		if busy.fired() {
			return false
		}
		if fromWorker {
			owner, all := st.sender(r)
			if owner == 0 {
				return false
			}
			workers.set(all)
		} else if r.Method != http.MethodPost {
			return false
		}
		busy.fire()
		return false
	}
}

// interrupted runs the full suite with --parallel n against a slow target,
// interrupts it (SIGINT) once a spec runs (in a worker, or at the first
// create: in a parallel run, a Serial spec of the parent's serial phase),
// and checks what every stopped run must leave.
func interrupted(t *testing.T, n string, inWorker bool) selftest.Result {
	busy, workers := newOnce(), &pidList{}
	st := newSlowTarget(t, busyHook(busy, inWorker, workers))
	live := st.start(t, "--parallel", n)
	await(t, busy, live, "a spec ran")
	if err := syscall.Kill(live.Pid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	res := live.Wait(stopLimit)
	checkComplete(t, st, res, workers.get())
	if inWorker && len(workers.get()) == 0 {
		t.Error("no worker process was seen")
	}
	return res
}

// TestParallelRunStopsOnInterrupt interrupts a serial and a parallel run
// while specs run: the parallel run ends like the serial one (exit code,
// partial reports, the interrupted specs ERROR, the others not run, the
// sweep run), with no worker process left behind and no worker reported
// lost; interrupted in its serial phase, no worker runs any spec.
func TestParallelRunStopsOnInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("interrupted runs through a slow target skipped in -short mode")
	}
	needProc(t)
	t.Parallel()
	serial, parallel, early := interrupted(t, "1", false), interrupted(t, "3", true), interrupted(t, "3", false)
	if serial.ExitCode != parallel.ExitCode || serial.ExitCode != early.ExitCode || parallel.ExitCode == runner.ExitConformant {
		t.Errorf("exit codes: serial %d, parallel %d, parallel in its serial phase %d; want the same, not %d",
			serial.ExitCode, parallel.ExitCode, early.ExitCode, runner.ExitConformant)
	}
	for _, sr := range early.Doc.Report.SpecReports {
		if !sr.IsSerial && sr.State.Is(types.SpecStatePassed|types.SpecStateFailed) {
			t.Errorf("a worker ran %q although the run was interrupted in its serial phase", sr.FullText())
		}
	}
	for name, res := range map[string]selftest.Result{"serial": serial, "parallel": parallel, "parallel in its serial phase": early} {
		if !strings.Contains(strings.Join(res.Doc.Report.SpecialSuiteFailureReasons, ";"), "Interrupted") {
			t.Errorf("%s: the report does not say the run was interrupted: %v", name, res.Doc.Report.SpecialSuiteFailureReasons)
		}
		if strings.Contains(res.Stdout, "exited without reporting") {
			t.Errorf("%s: a worker is reported lost:\n%s", name, res.Stdout)
		}
		ran, notRun := 0, 0
		for _, r := range resultsOf(res) {
			switch {
			case r.Verdict == reports.FAIL || r.Verdict == reports.WARN:
				t.Errorf("%s: %s %s: %.200s", name, r.Verdict, r.Name, r.Message)
			case r.Verdict == reports.SKIPPED && r.Message == "":
				notRun++
			case r.Verdict == reports.PASS:
				ran++
			}
		}
		if notRun == 0 {
			t.Errorf("%s: every spec ran although the run was interrupted", name)
		}
		t.Logf("%s: exit %d, %d PASS, %d not run", name, res.ExitCode, ran, notRun)
	}
}

// failFastRun runs the full suite with --fail-fast against the embedded
// server with the fault (--ref-fault), or, slow, against the reference
// server with the fault behind a delay.
func failFastRun(t *testing.T, faultName, parallel string, slow bool) selftest.Result {
	args := []string{"--fail-fast", "--parallel", parallel}
	if !slow {
		return selftest.Run(t, nil, append([]string{"run", "--ref-fault", faultName}, args...)...)
	}
	workers := &pidList{}
	st := newSlowTarget(t, busyHook(newOnce(), true, workers), faultName)
	res := st.start(t, args...).Wait(stopLimit)
	checkComplete(t, st, res, workers.get())
	return res
}

// checkFailFast checks a --fail-fast run: at least one FAIL, no ERROR, the
// rest not run (SKIPPED without a reason, as a serial run has them); it
// returns the first failed spec's end.
func checkFailFast(t *testing.T, name string, res selftest.Result) time.Time {
	t.Helper()
	checkComplete(t, nil, res, nil)
	fails, notRun := 0, 0
	for _, r := range resultsOf(res) {
		switch {
		case r.Verdict == reports.FAIL:
			fails++
		case r.Verdict == reports.ERROR || r.Verdict == reports.WARN:
			t.Errorf("%s: %s %s: %.200s", name, r.Verdict, r.Name, r.Message)
		case r.Verdict == reports.SKIPPED && r.Message == "":
			notRun++
		}
	}
	if fails == 0 || notRun == 0 {
		t.Errorf("%s: %d FAIL, %d not run: want the failure and the specs it stopped", name, fails, notRun)
	}
	var first time.Time
	for _, sr := range res.Doc.Report.SpecReports {
		if sr.State == types.SpecStateFailed && (first.IsZero() || sr.EndTime.Before(first)) {
			first = sr.EndTime
		}
	}
	return first
}

// TestParallelFailFastStopsEveryWorker runs --fail-fast with a fault that
// fails a spec, serially and with three workers: the parallel run ends as
// the serial one does (exit code, the failure, the rest not run, no
// ERROR), the sweep still runs, and no spec starts once the failure is
// known (allowing for the specs the other workers start before the word
// reaches them), in the workers' phase as in the parent's serial phase (a
// Serial spec failing keeps every worker from running anything).
func TestParallelFailFastStopsEveryWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("fail-fast runs skipped in -short mode")
	}
	needProc(t)
	t.Parallel()
	t.Run("a failure in a worker", func(t *testing.T) {
		const faultName = "delete-returns-200"
		serial := failFastRun(t, faultName, "1", false)
		checkFailFast(t, "serial", serial)
		parallel := failFastRun(t, faultName, "3", true)
		failed := checkFailFast(t, "parallel", parallel)
		if serial.ExitCode != parallel.ExitCode {
			t.Errorf("exit codes: serial %d, parallel %d", serial.ExitCode, parallel.ExitCode)
		}
		late := 0
		for _, sr := range parallel.Doc.Report.SpecReports {
			if sr.State.Is(types.SpecStatePassed|types.SpecStateFailed) && sr.StartTime.After(failed) {
				late++
			}
		}
		// Each other worker may start a spec or two while the failure's
		// report is on its way to the parent; a run that does not stop
		// starts hundreds.
		if late > 6 {
			t.Errorf("%d specs started after the first failure ended", late)
		}
		t.Logf("serial: exit %d; parallel: exit %d, %d specs started after the failure", serial.ExitCode, parallel.ExitCode, late)
	})
	t.Run("a failure in the serial phase", func(t *testing.T) {
		const faultName = "bulk-no-maxoperations" // fails a Serial spec
		serial := failFastRun(t, faultName, "1", false)
		checkFailFast(t, "serial", serial)
		parallel := failFastRun(t, faultName, "3", false)
		checkFailFast(t, "parallel", parallel)
		if serial.ExitCode != parallel.ExitCode {
			t.Errorf("exit codes: serial %d, parallel %d", serial.ExitCode, parallel.ExitCode)
		}
		for _, sr := range parallel.Doc.Report.SpecReports {
			if !sr.IsSerial && sr.State.Is(types.SpecStatePassed|types.SpecStateFailed) {
				t.Errorf("a worker ran %q after a Serial spec failed", sr.FullText())
			}
		}
	})
}
