package refserver

import (
	"net/http"
	"reflect"
	"testing"
)

func TestParseETags(t *testing.T) {
	cases := map[string][]string{
		`W/"1"`:               {`W/"1"`},
		`"a", W/"b" ,"c,d"`:   {`"a"`, `W/"b"`, `"c,d"`},
		`*`:                   {"*"},
		`junk, "ok"`:          {`"ok"`},
		`"unterminated`:       nil,
		``:                    nil,
		`W/`:                  nil,
		`W/"x",W/"y"`:         {`W/"x"`, `W/"y"`},
		"\t\"t\"  ,  W/\"u\"": {`"t"`, `W/"u"`},
	}
	for in, want := range cases {
		if got := parseETags(in); !reflect.DeepEqual(got, want) {
			t.Errorf("parseETags(%q) = %q, want %q", in, got, want)
		}
	}
	if !weakMatch(`"1"`, `W/"1"`) || weakMatch(`W/"1"`, `W/"2"`) {
		t.Error("weak comparison")
	}
}

func TestConditionalRequests(t *testing.T) {
	h := newHarness(t)
	r := h.mustCreate("/Users", user("cond"))
	id, tag := r.str("id"), r.header.Get("ETag")
	stale := `W/"0"`
	steps := []struct {
		method, hdr, val string
		want             int
	}{
		{"GET", "If-None-Match", tag, http.StatusNotModified},
		{"GET", "If-None-Match", "*", http.StatusNotModified},
		{"GET", "If-None-Match", stale, http.StatusOK},
		{"GET", "If-Match", stale, http.StatusPreconditionFailed},
		{"GET", "If-Match", tag, http.StatusOK},
		{"PUT", "If-Match", stale, http.StatusPreconditionFailed},
		{"PATCH", "If-Match", stale, http.StatusPreconditionFailed},
		{"DELETE", "If-Match", stale, http.StatusPreconditionFailed},
		{"PUT", "If-None-Match", "*", http.StatusPreconditionFailed},
		{"PUT", "If-Match", `"x", ` + tag, http.StatusOK},
	}
	for _, s := range steps {
		var body any
		switch s.method {
		case "PUT":
			body = user("cond", "displayName", "D")
		case "PATCH":
			body = map[string]any{"Operations": []any{map[string]any{"op": "add", "path": "title", "value": "T"}}}
		}
		got := h.do(s.method, "/Users/"+id, body, s.hdr, s.val)
		if got.status != s.want {
			t.Errorf("%s %s: %s → %d, want %d (%s)", s.method, s.hdr, s.val, got.status, s.want, got.raw)
		}
		if s.want == http.StatusNotModified && (got.header.Get("ETag") != tag || len(got.raw) != 0) {
			t.Errorf("304 must carry the ETag and no body")
		}
		if got.status == http.StatusOK {
			tag = got.header.Get("ETag")
		}
	}
	if r := h.do("DELETE", "/Users/"+id, nil, "If-Match", "*"); r.status != http.StatusNoContent {
		t.Fatalf("DELETE If-Match *: %d", r.status)
	}
	if r := h.do("PUT", "/Users/"+id, user("cond"), "If-Match", "*"); r.status != http.StatusNotFound {
		t.Fatalf("PUT on deleted with If-Match *: %d", r.status)
	}
}

// TestConcurrentConditionalWrites: N writers with the same If-Match tag,
// exactly one wins; N creates of one userName, exactly one 201.
func TestConcurrentConditionalWrites(t *testing.T) {
	h := newHarness(t)
	r := h.mustCreate("/Users", user("race"))
	id, tag := r.str("id"), r.header.Get("ETag")
	const n = 16
	wins := concurrent(n, http.StatusOK, func(i int) int {
		ops := map[string]any{"Operations": []any{map[string]any{"op": "replace", "path": "title", "value": string(rune('a' + i))}}}
		if i%2 == 0 {
			return h.do("PATCH", "/Users/"+id, ops, "If-Match", tag).status
		}
		return h.do("PUT", "/Users/"+id, user("race", "title", string(rune('a'+i))), "If-Match", tag).status
	})
	if wins != 1 {
		t.Fatalf("%d conditional writes won, want 1", wins)
	}
	created := concurrent(n, http.StatusCreated, func(int) int { return h.do("POST", "/Users", user("Twin")).status })
	if created != 1 {
		t.Fatalf("%d creates of one userName, want 1", created)
	}
}
