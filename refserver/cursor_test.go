package refserver

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"
)

func TestCursorCodec(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	c := newCursorCodec(func() time.Time { return now })
	fp := fingerprint("User", "f", "", "")
	cur := c.encode(42, fp)
	if !regexp.MustCompile(`^[A-Za-z0-9_-]+$`).MatchString(cur) {
		t.Fatalf("cursor %q has reserved characters", cur)
	}
	if off, err := c.decode(cur, fp); err != nil || off != 42 {
		t.Fatalf("decode: %d %v", off, err)
	}
	tampered := []byte(cur)
	tampered[3] ^= 1
	bad := []string{"", "!!", "abc", string(tampered), newCursorCodec(c.now).encode(42, fp)}
	for _, b := range bad {
		if _, err := c.decode(b, fp); scimTypeOf(err) != "invalidCursor" {
			t.Errorf("decode(%q): %v", b, err)
		}
	}
	if _, err := c.decode(cur, fingerprint("User", "g", "", "")); scimTypeOf(err) != "invalidCursor" {
		t.Errorf("foreign query: %v", err)
	}
	now = now.Add(CursorTimeout + time.Second)
	if _, err := c.decode(cur, fp); scimTypeOf(err) != "expiredCursor" {
		t.Errorf("expired: %v", err)
	}
}

// walk follows nextCursor from the first page and returns the names seen
// and the number of pages.
func walk(t *testing.T, h *harness, count string) ([]string, int) {
	t.Helper()
	var names []string
	cursor, pages := "", 0
	for {
		q := url.Values{"filter": {`userName sw "p-"`}, "sortBy": {"userName"}, "cursor": {cursor}, "count": {count}}
		r := h.do("GET", "/Users?"+q.Encode(), nil)
		if r.status != http.StatusOK {
			t.Fatalf("page %d: %d %s", pages, r.status, r.raw)
		}
		pages++
		names = append(names, firstNames(r)...)
		_, hasPrev := r.body["previousCursor"]
		if (pages == 1) == hasPrev {
			t.Errorf("page %d: previousCursor present=%v", pages, hasPrev)
		}
		if _, has := r.body["startIndex"]; has {
			t.Errorf("cursor page with startIndex")
		}
		if r.body["totalResults"] != 5.0 || r.body["itemsPerPage"] != float64(len(r.list())) {
			t.Errorf("page %d: %s", pages, r.raw)
		}
		next, ok := r.body["nextCursor"].(string)
		if !ok {
			return names, pages
		}
		cursor = next
		if pages > 10 {
			t.Fatal("no end")
		}
	}
}

func TestCursorPaging(t *testing.T) {
	h := newHarness(t)
	seedPaging(h, 5)
	names, pages := walk(t, h, "2")
	if pages != 3 || len(names) != 5 || names[0] != "p-01" || names[4] != "p-05" {
		t.Fatalf("walk: %d pages %v", pages, names)
	}
	if _, pages := walk(t, h, "5"); pages != 1 {
		t.Fatalf("exact fit: %d pages", pages)
	}
	first := h.do("GET", `/Users?filter=userName+sw+"p-"&sortBy=userName&cursor&count=2`, nil)
	second := h.do("GET", `/Users?filter=userName+sw+"p-"&sortBy=userName&count=2&cursor=`+first.str("nextCursor"), nil)
	back := h.do("GET", `/Users?filter=userName+sw+"p-"&sortBy=userName&count=2&cursor=`+second.str("previousCursor"), nil)
	if firstNames(back)[0] != "p-01" {
		t.Fatalf("previousCursor: %v", firstNames(back))
	}
	errs := map[string]string{
		"cursor&count=501": "invalidCount",
		"cursor&count=x":   "invalidCount",
		"cursor=zzz":       "invalidCursor",
		"cursor=" + first.str("nextCursor") + "&filter=userName+sw+%22q%22": "invalidCursor",
	}
	for q, want := range errs {
		if r := h.do("GET", "/Users?"+q, nil); r.status != http.StatusBadRequest || r.scimType() != want {
			t.Errorf("%s: %d %s", q, r.status, r.raw)
		}
	}
	h.now = h.now.Add(2 * time.Hour)
	if r := h.do("GET", `/Users?filter=userName+sw+"p-"&sortBy=userName&count=2&cursor=`+first.str("nextCursor"), nil); r.scimType() != "expiredCursor" {
		t.Errorf("expired: %s", r.raw)
	}
}

// TestCursorWinsOverStartIndex documents the rule for mixed parameters.
func TestCursorWinsOverStartIndex(t *testing.T) {
	h := newHarness(t)
	seedPaging(h, 3)
	r := h.do("GET", `/Users?filter=userName+sw+"p-"&sortBy=userName&cursor&startIndex=3&count=1`, nil)
	if r.status != http.StatusOK || firstNames(r)[0] != "p-01" || r.str("nextCursor") == "" {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	r = h.do("POST", "/Users/.search", map[string]any{"filter": `userName sw "p-"`, "sortBy": "userName", "cursor": "", "count": 2})
	if r.status != http.StatusOK || len(r.list()) != 2 || r.str("nextCursor") == "" {
		t.Fatalf(".search with cursor: %d %s", r.status, r.raw)
	}
	if r := h.do("GET", "/Users?cursor&count=0", nil); r.status != 200 || r.body["nextCursor"] != nil || len(r.list()) != 0 {
		t.Fatalf("count=0: %s", r.raw)
	}
}
