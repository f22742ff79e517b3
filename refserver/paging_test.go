package refserver

import (
	"fmt"
	"net/http"
	"testing"
)

// seedPaging creates n users p-01..p-n (plus the principal).
func seedPaging(h *harness, n int) {
	for i := 1; i <= n; i++ {
		h.createUser(fmt.Sprintf("p-%02d", i))
	}
}

func TestIndexPaging(t *testing.T) {
	h := newHarness(t)
	seedPaging(h, 5)
	base := `/Users?filter=userName+sw+"p-"&sortBy=userName`
	cases := []struct {
		q                        string
		start, items, firstIndex int
	}{
		{"", 1, 5, 1},
		{"&startIndex=2&count=2", 2, 2, 2},
		{"&startIndex=0&count=2", 1, 2, 1},
		{"&startIndex=-5", 1, 5, 1},
		{"&count=0", 1, 0, 0},
		{"&count=-3", 1, 0, 0},
		{"&startIndex=5&count=10", 5, 1, 5},
		{"&startIndex=6", 6, 0, 0},
		{"&startIndex=99999999999999999999", 2147483647, 0, 0},
		{"&count=", 1, 5, 1},
	}
	for _, c := range cases {
		r := h.do("GET", base+c.q, nil)
		if r.status != http.StatusOK {
			t.Errorf("%s: %d %s", c.q, r.status, r.raw)
			continue
		}
		names := firstNames(r)
		if r.body["totalResults"] != 5.0 || r.body["startIndex"] != float64(c.start) ||
			r.body["itemsPerPage"] != float64(c.items) || len(names) != c.items {
			t.Errorf("%s: total %v start %v items %v got %d", c.q, r.body["totalResults"], r.body["startIndex"], r.body["itemsPerPage"], len(names))
		}
		if c.items > 0 && names[0] != fmt.Sprintf("p-%02d", c.firstIndex) {
			t.Errorf("%s: first %s", c.q, names[0])
		}
		if _, ok := r.body["Resources"].([]any); !ok {
			t.Errorf("%s: Resources missing", c.q)
		}
	}
	for _, q := range []string{"count=abc", "startIndex=x"} {
		if r := h.do("GET", "/Users?"+q, nil); r.status != http.StatusBadRequest || r.scimType() != "invalidValue" {
			t.Errorf("%s: %d %s", q, r.status, r.raw)
		}
	}
	if r := h.do("GET", `/Users?filter=userName+eq+"none"`, nil); r.status != 200 || r.body["totalResults"] != 0.0 {
		t.Errorf("empty result: %s", r.raw)
	}
}

func TestPageSizeLimits(t *testing.T) {
	h := newHarness(t)
	s, err := New(Options{MaxPageSize: 3, MaxResults: 2})
	if err != nil {
		t.Fatal(err)
	}
	h.s = s
	seedPaging(h, 5)
	r := h.do("GET", "/Users?count=10", nil)
	if len(r.list()) != 2 || r.body["totalResults"] != 6.0 || r.body["itemsPerPage"] != 2.0 {
		t.Fatalf("maxResults cap: %d items, %s", len(r.list()), r.raw)
	}
	if r := h.do("GET", "/Users", nil); len(r.list()) != 2 {
		t.Fatalf("default page size must respect caps: %d", len(r.list()))
	}
}
