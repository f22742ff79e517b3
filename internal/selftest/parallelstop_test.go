package selftest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/runner"
)

// The self-tests of a parallel run that does not end normally: a worker
// killed or hung mid-run, --fail-fast, an interrupt. Each starts the built
// binary with three workers against the reference server behind a delay
// (so the run lasts several seconds) and acts on the run from the target's
// side: it sees which process sent a request (the client end of the
// connection, through /proc), so a worker is hit while it runs a spec it
// claimed, never by a sleep's luck.

// stopLimit bounds every run of these tests: a run must end on its own
// well within it, on a loaded machine too.
const stopLimit = 3 * time.Minute

// slowDelay is what the target adds to every request: a run of the full
// suite with three workers takes some 15 s.
const slowDelay = 20 * time.Millisecond

// hookFunc sees each request before the reference server does; true: it
// answered the request itself.
type hookFunc func(st *slowTarget, w http.ResponseWriter, r *http.Request) bool

// slowTarget is the reference server behind a delay, with a hook.
type slowTarget struct {
	srv   *refserver.Server
	token string
	addr  string // host:port of the listener
	url   string // SCIM base URL
	hook  hookFunc
	// run is the pid of the harness run (0 until known).
	mu  sync.Mutex
	run int
}

func newSlowTarget(t *testing.T, hook hookFunc, faults ...string) *slowTarget {
	t.Helper()
	set, err := fault.NewSet(refserver.AllFaults(), faults...)
	if err != nil {
		t.Fatal(err)
	}
	st := &slowTarget{token: runner.RandomToken(), hook: hook}
	if st.srv, err = refserver.New(refserver.Options{Token: st.token, Faults: set}); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(st)
	t.Cleanup(ts.Close)
	st.addr, st.url = strings.TrimPrefix(ts.URL, "http://"), ts.URL+refserver.DefaultBasePath
	return st
}

func (st *slowTarget) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	time.Sleep(slowDelay)
	if st.hook != nil && st.hook(st, w, r) {
		return
	}
	st.srv.ServeHTTP(w, r)
}

// start starts a harness run against the target.
func (st *slowTarget) start(t *testing.T, args ...string) *selftest.Live {
	t.Helper()
	live := selftest.Start(t, []string{"SCIMCONFORM_TOKEN=" + st.token}, append([]string{"run", "--url", st.url}, args...)...)
	st.mu.Lock()
	st.run = live.Pid()
	st.mu.Unlock()
	return live
}

// runPid is the pid of the run (0 before it started).
func (st *slowTarget) runPid() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.run
}

// sender returns the worker process of the run that sent r (0: the run's
// own process, or not known), and every worker of the run.
func (st *slowTarget) sender(r *http.Request) (int, []int) {
	pid := st.runPid()
	if pid == 0 {
		return 0, nil
	}
	workers := workerPids(pid)
	return connectionOwner(r.RemoteAddr, st.addr, workers), workers
}

// leftovers lists every resource on the target whose JSON holds prefix.
func (st *slowTarget) leftovers(t *testing.T, prefix string) []string {
	t.Helper()
	var rts struct {
		Resources []struct {
			Endpoint string `json:"endpoint"`
		} `json:"Resources"`
	}
	st.get(t, "/ResourceTypes", &rts)
	var out []string
	for _, rt := range rts.Resources {
		for start := 1; ; {
			var page struct {
				Total     int               `json:"totalResults"`
				Resources []json.RawMessage `json:"Resources"`
			}
			st.get(t, fmt.Sprintf("%s?startIndex=%d&count=100", rt.Endpoint, start), &page)
			for _, res := range page.Resources {
				if strings.Contains(string(res), prefix) {
					out = append(out, rt.Endpoint+": "+string(res))
				}
			}
			start += len(page.Resources)
			if len(page.Resources) == 0 || start > page.Total {
				break
			}
		}
	}
	return out
}

// get reads path from the reference server directly (no delay, no hook).
func (st *slowTarget) get(t *testing.T, path string, into any) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, refserver.DefaultBasePath+path, nil)
	req.Header.Set("Authorization", "Bearer "+st.token)
	rec := httptest.NewRecorder()
	st.srv.ServeHTTP(rec, req)
	if into != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), into); err != nil {
			t.Fatalf("GET %s: %d %v", path, rec.Code, err)
		}
	}
	return rec.Code
}

// once signals a channel at most once.
type once struct {
	o  sync.Once
	ch chan struct{}
}

func newOnce() *once  { return &once{ch: make(chan struct{})} }
func (o *once) fire() { o.o.Do(func() { close(o.ch) }) }

// claim fires o and reports whether this call did: of concurrent callers,
// exactly one gets true.
func (o *once) claim() bool {
	first := false
	o.o.Do(func() { first = true; close(o.ch) })
	return first
}
func (o *once) fired() bool {
	select {
	case <-o.ch:
		return true
	default:
		return false
	}
}

// await waits for o, failing the test if the run ends first.
func await(t *testing.T, o *once, live *selftest.Live, what string) {
	t.Helper()
	select {
	case <-o.ch:
	case <-live.Done():
		t.Fatalf("the run ended before %s\nstdout:\n%s", what, live.Stdout())
	case <-time.After(stopLimit):
		t.Fatalf("no %s within %s", what, stopLimit)
	}
}

var selectedRE = regexp.MustCompile(`(\d+) specs selected`)

// checkComplete checks what every run of these tests must leave: report.json
// with every selected spec, junit.xml, no secret in any artifact or output,
// no test data of the run on the target, no worker process alive.
func checkComplete(t *testing.T, st *slowTarget, res selftest.Result, workers []int) {
	t.Helper()
	if res.Doc == nil {
		t.Fatalf("no report.json; exit %d\nstdout:\n%s\nstderr:\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	m := selectedRE.FindStringSubmatch(res.Stdout)
	if m == nil {
		t.Fatalf("no spec count in the output:\n%s", res.Stdout)
	}
	want, _ := strconv.Atoi(m[1])
	if got := itCount(*res.Doc); got != want {
		t.Errorf("report.json holds %d specs, the run selected %d: none may be missing", got, want)
	}
	if _, err := os.Stat(filepath.Join(res.Dir, reports.FileJUnit)); err != nil {
		t.Errorf("junit.xml: %v", err)
	}
	if st != nil {
		checkNoSecret(t, res, st.token)
		if left := st.leftovers(t, res.Doc.Metadata.Prefix); len(left) > 0 {
			t.Errorf("%d resources of the run are left on the target, e.g. %.300s", len(left), left[0])
		}
	}
	for _, pid := range workers {
		if isWorker(pid) {
			t.Errorf("worker process %d is still alive after the run", pid)
		}
	}
	if strings.Contains(res.Stdout, "internal error") {
		t.Errorf("the run reports an internal error:\n%s", res.Stdout)
	}
}

func itCount(doc reports.Document) int {
	n := 0
	for _, sr := range doc.Report.SpecReports {
		if sr.LeafNodeType == types.NodeTypeIt {
			n++
		}
	}
	return n
}

// checkNoSecret checks the output and every artifact for the token.
func checkNoSecret(t *testing.T, res selftest.Result, token string) {
	t.Helper()
	if strings.Contains(res.Stdout+res.Stderr, token) {
		t.Error("the token appears in the run's output")
	}
	files, _ := filepath.Glob(filepath.Join(res.Dir, "*"))
	for _, f := range files {
		if data, err := os.ReadFile(f); err == nil && strings.Contains(string(data), token) {
			t.Errorf("the token appears in %s", filepath.Base(f))
		}
	}
}

// resultsOf evaluates a run.
func resultsOf(res selftest.Result) []reports.SpecResult { return reports.Evaluate(*res.Doc).Results }
