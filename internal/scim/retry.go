package scim

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryable reports whether a status asks the client to come back later.
func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable
}

// retryDelay is the wait before the next attempt: Retry-After (delay seconds,
// or an HTTP date measured against the response's Date header when present,
// so clock skew does not matter; RFC 9110 §10.2.3) when given, else an
// exponential backoff from 250ms; never negative, never above MaxRetryWait.
func (c *Client) retryDelay(resp *Response, attempt int) time.Duration {
	limit := c.opts.MaxRetryWait
	d := 250 * time.Millisecond
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	if ra, ok := parseRetryAfter(resp.Header, time.Now()); ok {
		d = ra
	}
	return min(max(d, 0), limit)
}

// parseRetryAfter reads Retry-After; ok is false when it is absent or unusable.
func parseRetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	ra := strings.TrimSpace(h.Get("Retry-After"))
	if ra == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(ra, 10, 64); err == nil {
		const maxSecs = uint64(24 * time.Hour / time.Second) // avoid overflow; capped later anyway
		return time.Duration(min(secs, maxSecs)) * time.Second, true
	}
	at, err := http.ParseTime(ra)
	if err != nil {
		return 0, false
	}
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		now = date
	}
	return at.Sub(now), true
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
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
