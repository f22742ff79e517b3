package refserver

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestAuth(t *testing.T) {
	h := newHarness(t)
	r := h.do("GET", "/Users", nil, "Authorization", "")
	if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") != `Bearer realm="scimconform"` || r.str("status") != "401" {
		t.Fatalf("no credentials: %d %v %s", r.status, r.header, r.raw)
	}
	r = h.do("GET", "/ServiceProviderConfig", nil, "Authorization", "Bearer nope")
	if r.status != http.StatusUnauthorized || !strings.Contains(r.header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Fatalf("wrong token: %d %v", r.status, r.header)
	}
	for _, a := range []string{"Basic dXNlcjpwYXNz", "Bearer", "bearer  " + testToken + " "} {
		want := http.StatusUnauthorized
		if strings.HasPrefix(a, "bearer ") {
			want = http.StatusOK
		}
		if r := h.do("GET", "/Users", nil, "Authorization", a); r.status != want {
			t.Errorf("%q: %d", a, r.status)
		}
	}
	if r := h.do("GET", "/ServiceProviderConfig", nil, "Authorization", ""); r.status != http.StatusOK {
		t.Errorf("anonymous GET /ServiceProviderConfig (7643-5-17, public authenticationSchemes): %d", r.status)
	}
	if r := h.do("GET", "/Schemas", nil, "Authorization", ""); r.status != http.StatusUnauthorized {
		t.Errorf("anonymous GET /Schemas: %d, want 401", r.status)
	}
	if r := h.do("POST", "/Bulk", map[string]any{}, "Authorization", ""); r.status != http.StatusUnauthorized {
		t.Errorf("bulk without credentials: %d", r.status)
	}
	open, _ := New(Options{})
	h.s = open
	if r := h.do("GET", "/Users", nil, "Authorization", ""); r.status != http.StatusOK {
		t.Errorf("auth disabled: %d", r.status)
	}
}

func TestMediaTypes(t *testing.T) {
	h := newHarness(t)
	accept := map[string]struct {
		status int
		ct     string
	}{
		"application/scim+json": {200, mediaSCIM},
		"application/json":      {200, mediaJSON},
		"*/*":                   {200, mediaSCIM},
		"application/json, application/scim+json":       {200, mediaSCIM},
		"application/scim+json;q=0.5, application/json": {200, mediaJSON},
		"text/html":                 {406, mediaSCIM},
		"application/scim+json;q=0": {406, mediaSCIM},
		";;;":                       {200, mediaSCIM},
	}
	for a, want := range accept {
		r := h.do("GET", "/ServiceProviderConfig", nil, "Accept", a)
		if r.status != want.status || r.header.Get("Content-Type") != want.ct {
			t.Errorf("Accept %q: %d %q", a, r.status, r.header.Get("Content-Type"))
		}
	}
	ctypes := map[string]int{
		"application/scim+json":                 201,
		"application/json; charset=utf-8":       201,
		"":                                      201,
		"text/plain":                            415,
		"application/scim+json; charset=latin1": 415,
		"garbage/":                              415,
	}
	i := 0
	for ct, want := range ctypes {
		i++
		r := h.do("POST", "/Users", user("ct"+string(rune('a'+i))), "Content-Type", ct)
		if r.status != want {
			t.Errorf("Content-Type %q: %d %s", ct, r.status, r.raw)
		}
	}
}

func TestErrorsAndRouting(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		method, path string
		body         any
		status       int
		scimType     string
	}{
		{"POST", "/Users", `{"userName":`, 400, "invalidSyntax"},
		{"POST", "/Users", `[1,2]`, 400, "invalidSyntax"},
		{"POST", "/Users", `{"a":1} {"b":2}`, 400, "invalidSyntax"},
		{"POST", "/Users", ``, 400, "invalidSyntax"},
		{"POST", "/Users", `"str"`, 400, "invalidSyntax"},
		{"POST", "/Users", `{"userName":"x" ` + strings.Repeat(" ", 3<<20) + `}`, 413, ""},
		{"GET", "/Nope", nil, 404, ""},
		{"GET", "/Users/a/b", nil, 404, ""},
		{"GET", "/scim/v2x/Users", nil, 404, ""},
		{"GET", "/other", nil, 404, ""},
		{"DELETE", "/Users", nil, 405, ""},
		{"PUT", "/ServiceProviderConfig", user("x"), 405, ""},
		{"GET", "/.search", nil, 405, ""},
		{"POST", "/Me", user("x"), 405, ""},
		{"GET", "/Users/missing", nil, 404, ""},
		{"GET", "/ServiceProviderConfig/x", nil, 404, ""},
		{"GET", "/Users?filter=userName+eq", nil, 400, "invalidFilter"},
	}
	for _, c := range cases {
		path := c.path
		if c.path == "/other" {
			path = "http://example.com/other"
		}
		r := h.do(c.method, path, c.body)
		if r.status != c.status || r.scimType() != c.scimType {
			t.Errorf("%s %s: %d %q, want %d %q (%.200s)", c.method, c.path, r.status, r.scimType(), c.status, c.scimType, r.raw)
			continue
		}
		s, _ := r.body["schemas"].([]any)
		if len(s) != 1 || s[0] != "urn:ietf:params:scim:api:messages:2.0:Error" || r.str("status") != strconv.Itoa(c.status) ||
			r.header.Get("Content-Type") != mediaSCIM {
			t.Errorf("%s %s: error format %v %s", c.method, c.path, r.header, r.raw)
		}
		if c.status == 405 && r.header.Get("Allow") == "" {
			t.Errorf("%s %s: no Allow header", c.method, c.path)
		}
	}
}

func TestRecoverPanic(t *testing.T) {
	h := newHarness(t)
	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/scim/v2/Users", nil)
	func() {
		defer h.s.recoverPanic(w, r)
		panic("boom")
	}()
	if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), `"status":"500"`) {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
}

// TestListenServerLimits checks the http.Server of Listen: read, header
// and idle timeouts are set, and a request whose headers exceed
// MaxHeaderBytes is refused (431) before it reaches the handler.
func TestListenServerLimits(t *testing.T) {
	run, err := Listen("127.0.0.1:0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close(context.Background())
	if s := run.srv; s.ReadHeaderTimeout != ReadHeaderTimeout || s.ReadTimeout != ReadTimeout ||
		s.IdleTimeout != IdleTimeout || s.MaxHeaderBytes != MaxHeaderBytes || s.WriteTimeout != 0 {
		t.Fatalf("server limits: %+v", s)
	}
	if ReadTimeout < 30*time.Second || IdleTimeout <= 90*time.Second {
		t.Fatalf("ReadTimeout %v / IdleTimeout %v too short for slow bodies and Go clients' 90 s idle timeout", ReadTimeout, IdleTimeout)
	}
	req, _ := http.NewRequest("GET", run.URL+"/ServiceProviderConfig", nil)
	req.Header.Set("X-Big", strings.Repeat("x", MaxHeaderBytes+64<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("oversized headers: %d, want 431", resp.StatusCode)
	}
}
