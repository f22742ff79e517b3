package bulk

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestEnvelopeErrors(t *testing.T) {
	cases := []struct {
		name, body, scimType string
		status               int
	}{
		{"malformed JSON", `{"schemas":[`, "invalidSyntax", 400},
		{"not an object", `["x"]`, "invalidSyntax", 400},
		{"trailing data", `{"schemas":["` + BulkRequestURN + `"],"Operations":[]} {}`, "invalidSyntax", 400},
		{"empty body", ``, "invalidSyntax", 400},
		{"no schemas", `{"Operations":[]}`, "invalidSyntax", 400},
		{"wrong schema", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}`, "invalidSyntax", 400},
		{"schemas not array", `{"schemas":"` + BulkRequestURN + `","Operations":[]}`, "invalidSyntax", 400},
		{"no Operations", `{"schemas":["` + BulkRequestURN + `"]}`, "invalidSyntax", 400},
		{"Operations object", `{"schemas":["` + BulkRequestURN + `"],"Operations":{}}`, "invalidSyntax", 400},
		{"failOnErrors negative", `{"schemas":["` + BulkRequestURN + `"],"failOnErrors":-1,"Operations":[]}`, "invalidValue", 400},
		{"failOnErrors fraction", `{"schemas":["` + BulkRequestURN + `"],"failOnErrors":1.5,"Operations":[]}`, "invalidValue", 400},
		{"failOnErrors string", `{"schemas":["` + BulkRequestURN + `"],"failOnErrors":"1","Operations":[]}`, "invalidValue", 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, fake := newHandler()
			res := doBulk(t, h, c.body)
			if res.Code != c.status || res.ScimType != c.scimType || res.Status != fmt.Sprint(c.status) {
				t.Fatalf("got %d scimType %q status %q, want %d %q", res.Code, res.ScimType, res.Status, c.status, c.scimType)
			}
			if !contains(res.Schemas, errorURN) {
				t.Errorf("schemas %v lack %s", res.Schemas, errorURN)
			}
			if len(fake.calls) != 0 {
				t.Errorf("Inner was called %d times", len(fake.calls))
			}
		})
	}
}

func TestEnvelopeLenient(t *testing.T) {
	h, _ := newHandler()
	body := `{"SCHEMAS":["URN:ietf:params:scim:api:messages:2.0:bulkrequest"],"operations":[],"failOnErrors":0}`
	res := doBulk(t, h, body)
	if res.Code != 200 || len(res.Operations) != 0 || !contains(res.Schemas, BulkResponseURN) {
		t.Fatalf("got %d %+v, want 200 with an empty BulkResponse", res.Code, res.Raw)
	}
	if ops, ok := res.Raw["Operations"].([]any); !ok || len(ops) != 0 {
		t.Errorf("Operations = %#v, want []", res.Raw["Operations"])
	}
}

func TestOuterMethodNotPost(t *testing.T) {
	h, _ := newHandler()
	req := httptest.NewRequest(http.MethodGet, testBase+"/Bulk", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 405 || rec.Header().Get("Allow") != "POST" {
		t.Fatalf("got %d Allow %q, want 405 Allow POST", rec.Code, rec.Header().Get("Allow"))
	}
}

func TestMaxOperations(t *testing.T) {
	h, fake := newHandler()
	ops := []map[string]any{}
	for i := 0; i <= h.MaxOperations; i++ {
		ops = append(ops, postUser(fmt.Sprint("b", i), fmt.Sprint("u", i)))
	}
	res := doBulk(t, h, bulkReq(ops...))
	if res.Code != 413 || res.Status != "413" {
		t.Fatalf("got %d, want 413", res.Code)
	}
	if !strings.Contains(res.Detail, "maxOperations") || !strings.Contains(res.Detail, "10") {
		t.Errorf("detail %q does not name maxOperations (10)", res.Detail)
	}
	if len(fake.calls) != 0 {
		t.Errorf("Inner was called %d times", len(fake.calls))
	}
	res = doBulk(t, h, bulkReq(ops[:h.MaxOperations]...))
	if res.Code != 200 || len(res.Operations) != h.MaxOperations {
		t.Fatalf("at the limit: got %d with %d results, want 200 with %d", res.Code, len(res.Operations), h.MaxOperations)
	}
}

func TestMaxPayloadSize(t *testing.T) {
	h, fake := newHandler()
	big := bulkReq(postUser("a", strings.Repeat("x", h.MaxPayloadSize)))
	res := doBulk(t, h, big)
	if res.Code != 413 || res.Status != "413" {
		t.Fatalf("got %d, want 413", res.Code)
	}
	if !strings.Contains(res.Detail, "maxPayloadSize") || !strings.Contains(res.Detail, "4096") {
		t.Errorf("detail %q does not name maxPayloadSize (4096)", res.Detail)
	}
	if len(fake.calls) != 0 {
		t.Errorf("Inner was called %d times", len(fake.calls))
	}
}

// endlessBody counts what is read from an unbounded body.
type endlessBody struct{ n int }

func (b *endlessBody) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	b.n += len(p)
	return len(p), nil
}

func TestPayloadReadIsBounded(t *testing.T) {
	h, _ := newHandler()
	body := &endlessBody{}
	req := httptest.NewRequest(http.MethodPost, testBase+"/Bulk", io.NopCloser(body))
	req.ContentLength = -1 // chunked: unknown size
	res := serve(t, h, req)
	if res.Code != 413 {
		t.Fatalf("got %d, want 413", res.Code)
	}
	if body.n > h.MaxPayloadSize+1+32*1024 {
		t.Errorf("read %d bytes of an endless body; limit %d", body.n, h.MaxPayloadSize)
	}
}

func TestDeclaredContentLengthRejectedUnread(t *testing.T) {
	h, _ := newHandler()
	body := &endlessBody{}
	req := httptest.NewRequest(http.MethodPost, testBase+"/Bulk", io.NopCloser(body))
	req.ContentLength = 1 << 40
	res := serve(t, h, req)
	if res.Code != 413 || body.n != 0 {
		t.Fatalf("got %d after reading %d bytes, want 413 without reading", res.Code, body.n)
	}
}

func TestMaxBytesReaderErrorIs413(t *testing.T) {
	h, _ := newHandler()
	h.MaxPayloadSize = 1 << 20
	req := httptest.NewRequest(http.MethodPost, testBase+"/Bulk", strings.NewReader(strings.Repeat(" ", 5000)))
	rec := httptest.NewRecorder()
	req.Body = http.MaxBytesReader(rec, req.Body, 100)
	h.ServeHTTP(rec, req)
	if rec.Code != 413 {
		t.Fatalf("got %d, want 413", rec.Code)
	}
}

func TestDefaultLimits(t *testing.T) {
	h := &Handler{}
	if h.maxOperations() != DefaultMaxOperations || h.maxPayloadSize() != DefaultMaxPayloadSize {
		t.Fatalf("defaults %d/%d", h.maxOperations(), h.maxPayloadSize())
	}
}

func TestResponseMediaType(t *testing.T) {
	h, _ := newHandler()
	for accept, want := range map[string]string{
		"":                 "application/scim+json",
		"application/json": "application/json",
		"application/json, application/scim+json": "application/scim+json",
		"*/*": "application/scim+json",
	} {
		req := httptest.NewRequest(http.MethodPost, testBase+"/Bulk", strings.NewReader(`{"schemas":["`+BulkRequestURN+`"],"Operations":[]}`))
		req.Header.Set("Accept", accept)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := rec.Header().Get("Content-Type"); rec.Code != 200 || got != want {
			t.Errorf("Accept %q: %d %q, want 200 %q", accept, rec.Code, got, want)
		}
	}
}
