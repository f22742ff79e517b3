package refserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver/fault"
)

const (
	testToken      = "test-token"
	testOtherToken = "other-tenant-token"
)

// harness drives a Server in memory through its HTTP interface.
type harness struct {
	t   testing.TB
	s   *Server
	now time.Time
}

// newHarness builds a server with the given faults and a controllable clock.
func newHarness(t testing.TB, faults ...string) *harness {
	t.Helper()
	set := fault.Set{}
	for _, f := range faults {
		set[f] = true
	}
	h := &harness{t: t, now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	s, err := New(Options{Token: testToken, Faults: set, Now: func() time.Time { return h.now },
		Tenants: []Tenant{{Name: "other", Token: testOtherToken}}})
	if err != nil {
		t.Fatal(err)
	}
	h.s = s
	return h
}

// resp is a recorded response.
type resp struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// str returns a top-level string member of the body.
func (r *resp) str(name string) string {
	s, _ := r.body[name].(string)
	return s
}

// list returns the Resources of a ListResponse.
func (r *resp) list() []map[string]any {
	raw, _ := r.body["Resources"].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, e := range raw {
		m, _ := e.(map[string]any)
		out = append(out, m)
	}
	return out
}

// do sends a request; body may be nil, a string (sent raw) or a value
// (JSON-encoded). Header pairs follow as "Name", "value".
func (h *harness) do(method, path string, body any, hdr ...string) *resp {
	h.t.Helper()
	return h.doAs(testToken, method, path, body, hdr...)
}

// doAs is do with the bearer token of a tenant.
func (h *harness) doAs(token, method, path string, body any, hdr ...string) *resp {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	if !strings.HasPrefix(path, "/scim/v2") && !strings.HasPrefix(path, "http") {
		path = "/scim/v2" + path
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	if rd != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.s.ServeHTTP(rec, req)
	out := &resp{status: rec.Code, header: rec.Header(), raw: rec.Body.Bytes()}
	_ = json.Unmarshal(out.raw, &out.body)
	return out
}

// user returns a minimal User document.
func user(name string, extra ...any) map[string]any {
	u := map[string]any{
		"schemas":  []any{"urn:ietf:params:scim:schemas:core:2.0:User"},
		"userName": name,
	}
	for i := 0; i+1 < len(extra); i += 2 {
		u[extra[i].(string)] = extra[i+1]
	}
	return u
}

// group returns a minimal Group document with the given member ids.
func group(name string, members ...string) map[string]any {
	g := map[string]any{
		"schemas":     []any{"urn:ietf:params:scim:schemas:core:2.0:Group"},
		"displayName": name,
	}
	if len(members) > 0 {
		ms := []any{}
		for _, m := range members {
			ms = append(ms, map[string]any{"value": m})
		}
		g["members"] = ms
	}
	return g
}

// mustCreate POSTs doc to endpoint and returns the created resource.
func (h *harness) mustCreate(endpoint string, doc map[string]any) *resp {
	h.t.Helper()
	r := h.do("POST", endpoint, doc)
	if r.status != http.StatusCreated {
		h.t.Fatalf("POST %s: %d %s", endpoint, r.status, r.raw)
	}
	return r
}

// scimType returns the scimType of an error response.
func (r *resp) scimType() string { return r.str("scimType") }
