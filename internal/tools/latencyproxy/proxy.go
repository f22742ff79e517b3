package main

import (
	"context"
	"encoding/json"
	"fmt"
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
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.Transport = &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        512,
		MaxIdleConnsPerHost: 512,
		IdleConnTimeout:     90 * time.Second,
	}
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
	if err := sleep(r.Context(), p.delay); err != nil {
		return // the client gave up
	}
	p.next.ServeHTTP(w, r)
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
