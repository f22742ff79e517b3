package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"time"
)

// StatsPath is the proxy's own endpoint: it answers the Stats as JSON and
// is never forwarded.
const StatsPath = "/__stats"

// Stats are what the proxy counted so far.
type Stats struct {
	// Requests is how many requests were forwarded (StatsPath excluded).
	Requests int `json:"requests"`
	// InFlight is how many are being served now; PeakInFlight the most at once.
	InFlight     int `json:"in_flight"`
	PeakInFlight int `json:"peak_in_flight"`
}

// String is the one-line form printed on exit.
func (s Stats) String() string {
	return fmt.Sprintf("requests=%d peak_in_flight=%d", s.Requests, s.PeakInFlight)
}

// proxy forwards every request to one target after a fixed delay, as if
// the target were that far away, and counts requests and peak in-flight.
type proxy struct {
	delay time.Duration
	next  http.Handler

	mu    sync.Mutex
	stats Stats
}

// newProxy builds a proxy to target (scheme://host[:port]; the request path
// is kept as is) adding delay before each request is forwarded.
func newProxy(target *url.URL, delay time.Duration) *proxy {
	return newProxyWith(target, delay, &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        512,
		MaxIdleConnsPerHost: 512,
		IdleConnTimeout:     90 * time.Second,
	})
}

// newProxyWith is newProxy forwarding through transport.
func newProxyWith(target *url.URL, delay time.Duration, transport http.RoundTripper) *proxy {
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.Transport = transport
	rp.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		http.Error(w, "latencyproxy: "+err.Error(), http.StatusBadGateway)
	}
	return &proxy{delay: delay, next: rp}
}

// ServeHTTP answers StatsPath itself and forwards everything else after the delay.
func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == StatsPath {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(p.Snapshot())
		return
	}
	p.begin()
	defer p.end()
	if err := bufferBody(r); err != nil {
		http.Error(w, "latencyproxy: "+err.Error(), http.StatusBadGateway)
		return
	}
	if err := sleep(r.Context(), p.delay); err != nil {
		return // the client gave up
	}
	p.next.ServeHTTP(w, r)
}

// maxBody is the largest request body the proxy forwards.
const maxBody = 64 << 20

// bufferBody reads the request body whole and forwards a copy from memory.
// Streaming it races net/http (golang/go#40747): having sent the declared
// length, the transport reads the body once more to see its end, while the
// server drains and closes the body as soon as the handler starts writing
// the response. When the target answered first, that read failed and the
// transport closed the target connection mid-answer: the client got a 200
// cut after its first few KiB (an "empty" POST /Users/.search answer).
func bufferBody(r *http.Request) error {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return fmt.Errorf("reading the request body: %w", err)
	}
	if len(b) > maxBody {
		return fmt.Errorf("request body over %d bytes", maxBody)
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return nil
}

func (p *proxy) begin() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stats.Requests++
	p.stats.InFlight++
	p.stats.PeakInFlight = max(p.stats.PeakInFlight, p.stats.InFlight)
}

func (p *proxy) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stats.InFlight--
}

// Snapshot returns the counts so far.
func (p *proxy) Snapshot() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
