package refserver

import (
	"net/http"
	"net/url"
	"testing"
)

func TestThrottleRefusesEveryNthRequestUnprocessed(t *testing.T) {
	h := newHarness(t)
	h.s.opts.ThrottleEvery = 3
	var statuses []int
	for i := range 6 {
		r := h.do("POST", "/Users", user("throttled-"+string(rune('a'+i))))
		statuses = append(statuses, r.status)
		if r.status != http.StatusTooManyRequests {
			continue
		}
		if ra := r.header.Get("Retry-After"); ra != ThrottleRetryAfter {
			t.Errorf("a throttled answer has Retry-After %q, want %q", ra, ThrottleRetryAfter)
		}
		if r.str("status") != "429" {
			t.Errorf("a throttled answer is not a SCIM error: %s", r.raw)
		}
	}
	want := []int{201, 201, 429, 201, 201, 429}
	for i := range want {
		if statuses[i] != want[i] {
			t.Fatalf("statuses %v, want %v", statuses, want)
		}
	}
	list := h.do("GET", "/Users?filter="+url.QueryEscape(`userName sw "throttled-"`), nil)
	if n := len(list.list()); n != 4 {
		t.Errorf("%d Users exist after 4 created and 2 throttled POSTs, want 4: a throttled request must not be processed", n)
	}
}

func TestNoThrottleByDefault(t *testing.T) {
	h := newHarness(t)
	for range 50 {
		if r := h.do("GET", "/ServiceProviderConfig", nil); r.status != http.StatusOK {
			t.Fatalf("status %d without ThrottleEvery", r.status)
		}
	}
}
