package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestProxyDelaysForwardsAndCounts(t *testing.T) {
	const n, delay = 5, 40 * time.Millisecond
	var arrived sync.WaitGroup
	arrived.Add(n)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Done()
		arrived.Wait() // hold every request until all are in flight
		_, _ = io.WriteString(w, "path="+r.URL.Path)
	}))
	defer backend.Close()
	target, _ := url.Parse(backend.URL)
	p := newProxy(target, delay)
	front := httptest.NewServer(p)
	defer front.Close()

	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			resp, err := http.Get(front.URL + "/scim/v2/Users")
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if string(body) != "path=/scim/v2/Users" {
				t.Errorf("forwarded body %q, want the backend's answer for the same path", body)
			}
			if d := time.Since(start); d < delay {
				t.Errorf("answer after %s, want at least the %s delay", d, delay)
			}
		}()
	}
	wg.Wait()
	resp, err := http.Get(front.URL + StatsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s Stats
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		t.Fatal(err)
	}
	if s.Requests != n || s.PeakInFlight != n || s.InFlight != 0 {
		t.Errorf("stats %+v, want %d requests, peak %d, none in flight (the stats request not counted)", s, n, n)
	}
	if got := s.String(); got != "requests=5 peak_in_flight=5" {
		t.Errorf("String() = %q", got)
	}
}

func TestRunPrintsAddressAndStatsAndRefusesBadArguments(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut bytes.Buffer
	done := make(chan int)
	go func() { done <- run(ctx, []string{"--target", "http://127.0.0.1:9", "--delay", "1ms"}, &out, &errOut) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	if code := <-done; code != 0 || !strings.HasPrefix(out.String(), "listening on http://127.0.0.1:") ||
		!strings.Contains(out.String(), "requests=0 peak_in_flight=0") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
	for _, args := range [][]string{{}, {"--target", "ftp://x"}, {"--target", "http://x", "--delay", "-1s"},
		{"--target", "http://x", "--delay", "soon"}, {"--target", "http://x", "extra"}} {
		var stderr bytes.Buffer
		if code := run(context.Background(), args, io.Discard, &stderr); code != 2 || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", args, code, stderr.String())
		}
	}
}
