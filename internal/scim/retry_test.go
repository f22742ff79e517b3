package scim

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// flakyServer answers status with the given headers for the first n
// requests, then 200.
func flakyServer(t *testing.T, n int32, status int, header http.Header) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			for k, vs := range header {
				w.Header()[k] = vs
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"detail":"later"}`))
			return
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestRetryHonoursRetryAfterSeconds(t *testing.T) {
	srv, calls := flakyServer(t, 2, http.StatusTooManyRequests, http.Header{"Retry-After": {"3"}})
	fs := &fakeSleep{}
	rec := NewRecorder()
	c := newTestClient(t, srv.URL, Options{Sleep: fs.sleep, Recorder: rec})
	resp, err := c.Get(context.Background(), "Users", nil)
	if err != nil || resp.Status != 200 {
		t.Fatalf("resp %v err %v, want 200 after retries", resp, err)
	}
	if calls.Load() != 3 {
		t.Errorf("server saw %d requests, want 3", calls.Load())
	}
	if w := fs.all(); len(w) != 2 || w[0] != 3*time.Second || w[1] != 3*time.Second {
		t.Errorf("waits %v, want [3s 3s]", w)
	}
	xs := rec.All()
	if len(xs) != 3 {
		t.Fatalf("recorded %d exchanges, want every attempt (3)", len(xs))
	}
	for i, x := range xs {
		if x.Attempt != i+1 {
			t.Errorf("exchange %d has Attempt %d", i, x.Attempt)
		}
	}
	if xs[0].Response.Status != 429 || xs[2].Response.Status != 200 {
		t.Errorf("statuses %d..%d", xs[0].Response.Status, xs[2].Response.Status)
	}
}

func TestRetryIsBounded(t *testing.T) {
	srv, calls := flakyServer(t, 100, http.StatusServiceUnavailable, http.Header{"Retry-After": {"120"}})
	fs := &fakeSleep{}
	c := newTestClient(t, srv.URL, Options{Sleep: fs.sleep, MaxRetries: 3, MaxRetryWait: 5 * time.Second})
	resp, err := c.Get(context.Background(), "Users", nil)
	if err != nil || resp.Status != 503 {
		t.Fatalf("resp %v err %v, want the last 503", resp, err)
	}
	if calls.Load() != 4 {
		t.Errorf("server saw %d requests, want 1 + 3 retries", calls.Load())
	}
	for _, w := range fs.all() {
		if w != 5*time.Second {
			t.Errorf("wait %s not capped at MaxRetryWait 5s", w)
		}
	}
	none := newTestClient(t, srv.URL, Options{Sleep: fs.sleep, MaxRetries: -1})
	before := calls.Load()
	if _, err := none.Get(context.Background(), "Users", nil); err != nil {
		t.Fatal(err)
	}
	if calls.Load()-before != 1 {
		t.Errorf("MaxRetries -1 sent %d requests", calls.Load()-before)
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	date := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	h := http.Header{"Retry-After": {date.Add(4 * time.Second).Format(http.TimeFormat)}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", h.Get("Retry-After"))
		w.Header().Set("Date", date.Format(http.TimeFormat)) // a server clock far from ours
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	fs := &fakeSleep{}
	c := newTestClient(t, srv.URL, Options{Sleep: fs.sleep, MaxRetries: 1})
	if _, err := c.Get(context.Background(), "Users", nil); err != nil {
		t.Fatal(err)
	}
	if w := fs.all(); len(w) != 1 || w[0] != 4*time.Second {
		t.Errorf("waits %v, want [4s] measured against the server's Date", w)
	}
}

func TestRetryDelay(t *testing.T) {
	c := newTestClient(t, "http://h", Options{MaxRetryWait: 2 * time.Second})
	now := time.Now().UTC()
	cases := []struct {
		h       http.Header
		attempt int
		want    time.Duration
	}{
		{http.Header{}, 1, 250 * time.Millisecond},
		{http.Header{}, 2, 500 * time.Millisecond},
		{http.Header{}, 9, 2 * time.Second},
		{http.Header{"Retry-After": {"0"}}, 1, 0},
		{http.Header{"Retry-After": {" 1 "}}, 1, time.Second},
		{http.Header{"Retry-After": {"99999999999999999"}}, 1, 2 * time.Second},
		{http.Header{"Retry-After": {"-5"}}, 1, 250 * time.Millisecond},
		{http.Header{"Retry-After": {"soon"}}, 1, 250 * time.Millisecond},
		{http.Header{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, 1, 0},
		{http.Header{"Retry-After": {"Sunday, 06-Nov-94 08:49:37 GMT"}, "Date": {"Sunday, 06-Nov-94 08:49:36 GMT"}}, 1, time.Second},
		{http.Header{"Retry-After": {"Sun Nov  6 08:49:38 1994"}, "Date": {"Sun, 06 Nov 1994 08:49:37 GMT"}}, 1, time.Second},
	}
	for _, tc := range cases {
		if got := c.retryDelay(&Response{Header: tc.h}, tc.attempt); got != tc.want {
			t.Errorf("Retry-After %v attempt %d: %s, want %s", tc.h, tc.attempt, got, tc.want)
		}
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	srv, calls := flakyServer(t, 100, http.StatusTooManyRequests, http.Header{"Retry-After": {"1"}})
	ctx, cancel := context.WithCancel(context.Background())
	c := newTestClient(t, srv.URL, Options{Sleep: func(context.Context, time.Duration) error { cancel(); return context.Canceled }})
	resp, err := c.Get(ctx, "Users", nil)
	if err != nil || resp == nil || resp.Status != 429 || calls.Load() != 1 {
		t.Fatalf("resp %v err %v calls %d, want the 429 after one call", resp, err, calls.Load())
	}
	// The real sleeper honours the context.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	start := time.Now()
	if err := sleepCtx(ctx2, time.Hour); err == nil || time.Since(start) > time.Second {
		t.Errorf("sleepCtx ignored the context: %v", err)
	}
	if err := sleepCtx(context.Background(), time.Millisecond); err != nil {
		t.Error(err)
	}
}

func TestRetryResendsBody(t *testing.T) {
	var (
		mu     sync.Mutex
		bodies []string
		calls  atomic.Int32
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 100)
		n, _ := r.Body.Read(b)
		mu.Lock()
		bodies = append(bodies, string(b[:n]))
		mu.Unlock()
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", strconv.Itoa(0))
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, Options{Sleep: (&fakeSleep{}).sleep})
	if _, err := c.Post(context.Background(), "Users", map[string]string{"a": "b"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 2 || bodies[0] != `{"a":"b"}` || bodies[1] != bodies[0] {
		t.Errorf("bodies %q, want the same body twice", bodies)
	}
}
