package selftest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/runner"
)

// victim is a worker hit while it runs a spec: the User it was creating
// when it was hit (only the final sweep can delete it).
type victim struct {
	pid     int
	workers []int
	userID  string
}

// holdCreateOfAWorker returns a hook that catches the first POST /Users a
// worker other than the first one sends (worker 1 builds the shared query
// data set first: hitting it would fail every query spec of the run, a
// case of its own), lets the server create the User, reports the worker
// on hit, and answers only after release fires.
func holdCreateOfAWorker(hit chan<- victim, release *once) hookFunc {
	caught := newOnce()
	return func(st *slowTarget, w http.ResponseWriter, r *http.Request) bool {
		if caught.fired() || r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/Users") {
			return false
		}
		owner, workers := st.sender(r)
		if owner == 0 || owner == workers[0] || !caught.claim() { // one catch, even when workers POST at once
			return false
		}
		rec := httptest.NewRecorder()
		st.srv.ServeHTTP(rec, r)
		var created struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &created)
		hit <- victim{pid: owner, workers: workers, userID: created.ID}
		select {
		case <-release.ch:
		case <-time.After(stopLimit):
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
		return true
	}
}

var killedRE = regexp.MustCompile(`worker (\d+) exited without reporting its result \(signal: killed\)`)

// holdAWorker starts a run with args against a slow target that holds the
// first POST /Users a worker (not worker 1) sends once the User exists,
// and returns when it does: the test acts on that worker, then fires
// release to let the request go on.
func holdAWorker(t *testing.T, args ...string) (*slowTarget, *selftest.Live, victim, *once) {
	t.Helper()
	hit, release := make(chan victim, 1), newOnce()
	st := newSlowTarget(t, holdCreateOfAWorker(hit, release))
	t.Cleanup(release.fire) // before the target closes
	live := st.start(t, args...)
	select {
	case v := <-hit:
		return st, live, v, release
	case <-live.Done():
		t.Fatalf("the run ended before a worker created a User\n%s", live.Stdout())
	case <-time.After(stopLimit):
		t.Fatal("no worker created a User")
	}
	return nil, nil, victim{}, nil
}

// TestParallelRunSurvivesAKilledWorker kills a worker (SIGKILL) while it
// runs a spec: the run still ends on its own, the other workers run the
// rest, every spec the dead worker had not finished is ERROR naming the
// crash (report.json and junit.xml), the terminal says so in one note, the
// run is not CONFORMANT, and the final sweep deletes what the dead worker
// created.
func TestParallelRunSurvivesAKilledWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("a parallel run through a slow target skipped in -short mode")
	}
	needProc(t)
	t.Parallel()
	st, live, v, release := holdAWorker(t, "--parallel", "3")
	if err := syscall.Kill(v.pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	release.fire()
	res := live.Wait(stopLimit)
	checkComplete(t, st, res, v.workers)
	if res.ExitCode != runner.ExitNotConformant {
		t.Errorf("exit %d, want %d: a run that lost a worker is not conformant", res.ExitCode, runner.ExitNotConformant)
	}
	m := killedRE.FindStringSubmatch(res.Stdout)
	if m == nil || !strings.Contains(res.Stdout, "note: parallel run: "+m[0]) {
		t.Fatalf("no one-line note names the killed worker:\n%s", res.Stdout)
	}
	if n := strings.Count(res.Stdout, "note: parallel run: worker"); n != 1 {
		t.Errorf("%d notes of a lost worker, want 1 (only one was killed)", n)
	}
	crash := m[0]
	errors, passed := 0, 0
	for _, r := range resultsOf(res) {
		switch r.Verdict {
		case reports.PASS:
			passed++
		case reports.NotSupported, reports.SKIPPED:
		case reports.ERROR:
			if !strings.Contains(r.Message, crash) {
				t.Errorf("ERROR without the crash: %s: %.300s", r.Name, r.Message)
			}
			errors++
		default:
			t.Errorf("%s: %s: %.300s", r.Verdict, r.Name, r.Message)
		}
	}
	if errors == 0 || passed == 0 {
		t.Errorf("%d ERROR and %d PASS specs: want the dead worker's spec ERROR and the others' specs run", errors, passed)
	}
	junit, err := os.ReadFile(filepath.Join(res.Dir, reports.FileJUnit))
	if err != nil || !strings.Contains(string(junit), crash) {
		t.Errorf("junit.xml does not name the crash (%v)", err)
	}
	if v.userID == "" {
		t.Fatal("the held create made no User")
	}
	if code := st.get(t, "/Users/"+v.userID, nil); code != http.StatusNotFound {
		t.Errorf("the User the dead worker created answers %d after the run, want 404 (deleted by the sweep)", code)
	}
	t.Logf("killed %s; %d specs ERROR, %d PASS", m[0][:8], errors, passed)
}

// TestParallelRunEndsWhenAWorkerHangs stops a worker (SIGSTOP) while it
// runs a spec: the run still ends, says why, is not CONFORMANT, and its
// sweep deletes the run's test data. With a short --timeout the parent
// kills the hung worker after its grace; without one, its watchdog kills
// the worker once it has sent nothing for 4 × --request-timeout + 10 s.
func TestParallelRunEndsWhenAWorkerHangs(t *testing.T) {
	if testing.Short() {
		t.Skip("a parallel run waiting out its timeout skipped in -short mode")
	}
	needProc(t)
	t.Parallel()
	for _, c := range []struct {
		name string
		args []string
		note string
	}{
		{"at the run's timeout", []string{"--timeout", "15s"}, `worker \d+ did not end within \S+ after the run's timeout, so the run killed it`},
		{"by the watchdog", []string{"--request-timeout", "3s"}, `worker \d+ sent the run nothing for \S+ \(no claim, no report, no request\): it hangs, so the run killed it`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			st, live, v, release := holdAWorker(t, append([]string{"--parallel", "3"}, c.args...)...)
			if err := syscall.Kill(v.pid, syscall.SIGSTOP); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = syscall.Kill(v.pid, syscall.SIGKILL) }) // should the run not
			release.fire()
			res := live.Wait(stopLimit)
			checkComplete(t, st, res, v.workers)
			if res.ExitCode != runner.ExitNotConformant {
				t.Errorf("exit %d, want %d", res.ExitCode, runner.ExitNotConformant)
			}
			if !regexp.MustCompile(`note: parallel run: ` + c.note).MatchString(res.Stdout) {
				t.Errorf("no note says why the hung worker was killed:\n%s", res.Stdout)
			}
		})
	}
}
