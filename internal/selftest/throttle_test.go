package selftest_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/reports"
)

// throttleEvery makes about 20 of a full run's requests throttled: each
// costs the run the one-second Retry-After.
const throttleEvery = 90

// TestThrottledRunIsConformantWithTheSameSpecs proves that a rate-limited
// server slows a run down and changes nothing else: against the reference
// server answering every 90th request 429 with Retry-After: 1, the full run
// is CONFORMANT with exactly the verdict totals of an unthrottled run.
func TestThrottledRunIsConformantWithTheSameSpecs(t *testing.T) {
	if testing.Short() {
		t.Skip("two full runs, one of them throttled, skipped in -short mode")
	}
	t.Parallel()
	plainURL, plainToken := selftest.Refserver(t)
	plain := selftest.Run(t, []string{"SCIMCONFORM_TOKEN=" + plainToken}, "run", "--url", plainURL)

	token := "throttle-test-token"
	srv, err := refserver.New(refserver.Options{Token: token, ThrottleEvery: throttleEvery})
	if err != nil {
		t.Fatal(err)
	}
	var throttled atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusWriter{ResponseWriter: w}
		srv.ServeHTTP(rec, r)
		if rec.status == http.StatusTooManyRequests {
			throttled.Add(1)
		}
	}))
	defer ts.Close()
	res := selftest.Run(t, []string{"SCIMCONFORM_TOKEN=" + token}, "run", "--url", ts.URL+refserver.DefaultBasePath)
	serialThrottled := throttled.Load()
	// With the default workers: the budget they share pauses them all for
	// a Retry-After, and no spec sees a 429.
	par := selftest.Run(t, []string{"SCIMCONFORM_TOKEN=" + token, "SCIMCONFORM_PARALLEL=8"}, "run", "--url", ts.URL+refserver.DefaultBasePath)

	for name, r := range map[string]selftest.Result{"plain": plain, "throttled": res, "throttled, 8 workers": par} {
		if r.Doc == nil {
			t.Fatalf("%s run: no report.json; exit %d; stderr:\n%s", name, r.ExitCode, r.Stderr)
		}
		if bad := r.NotPassing(); r.ExitCode != 0 || len(bad) > 0 {
			t.Errorf("%s run: exit %d, %d specs not passing:\n%v", name, r.ExitCode, len(bad), bad)
		}
	}
	if n := serialThrottled; n < 5 || throttled.Load()-n < 5 {
		t.Fatalf("the server throttled %d and %d requests: the test did not exercise throttling", n, throttled.Load()-n)
	}
	want := reports.Evaluate(*plain.Doc).Totals
	for name, r := range map[string]selftest.Result{"throttled": res, "throttled, 8 workers": par} {
		got := reports.Evaluate(*r.Doc).Totals
		for _, v := range []reports.Verdict{reports.PASS, reports.FAIL, reports.WARN, reports.ERROR, reports.NotSupported, reports.SKIPPED} {
			if want[v] != got[v] {
				t.Errorf("%s: %s: %d specs, %d without throttling; want the same totals", name, v, got[v], want[v])
			}
		}
	}
	t.Logf("requests throttled: %d serial, %d with 8 workers; totals %v", serialThrottled, throttled.Load()-serialThrottled, want)
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}
