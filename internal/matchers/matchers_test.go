package matchers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/onsi/gomega/types"

	"github.com/scimconform/scimconform/fixtures"
	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
)

func response(status int, contentType, body string) *scim.Response {
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return &scim.Response{Status: status, Header: h, Body: []byte(body)}
}

// mustMatch asserts that m matches actual.
func mustMatch(t *testing.T, m types.GomegaMatcher, actual any) {
	t.Helper()
	ok, err := m.Match(actual)
	if err != nil || !ok {
		t.Fatalf("want a match, got ok=%v err=%v\n%s", ok, err, m.FailureMessage(actual))
	}
}

// mustFail asserts that m does not match actual and that its failure message
// contains every fragment.
func mustFail(t *testing.T, m types.GomegaMatcher, actual any, fragments ...string) {
	t.Helper()
	ok, err := m.Match(actual)
	if err != nil {
		t.Fatalf("Match errored: %v", err)
	}
	if ok {
		t.Fatalf("want no match, got a match")
	}
	msg := m.FailureMessage(actual)
	for _, f := range fragments {
		if !strings.Contains(msg, f) {
			t.Errorf("failure message lacks %q:\n%s", f, msg)
		}
	}
}

const errorBody = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404","detail":"no such thing"}`

func TestMatchJSONSchema(t *testing.T) {
	mustMatch(t, matchers.MatchJSONSchema(fixtures.SchemaError), response(404, scim.MediaType, errorBody))
	mustMatch(t, matchers.MatchJSONSchema(fixtures.SchemaError), map[string]any{
		"schemas": []string{scim.MessageError}, "status": "400"})
	mustFail(t, matchers.MatchJSONSchema(fixtures.SchemaListResponse),
		response(200, scim.MediaType, `{"schemas":["urn:x"],"totalResults":"2","resources":{}}`),
		"valid SCIM ListResponse document", "3 violation(s)",
		`$.resources: is a JSON object, must be array`,
		`$.schemas: must contain "urn:ietf:params:scim:api:messages:2.0:ListResponse"`,
		`$.totalResults: is a JSON string, must be integer`)
	mustFail(t, matchers.MatchJSONSchema(fixtures.SchemaError), []byte(`<html>`), "is not valid JSON")
	mustFail(t, matchers.MatchJSONSchema(fixtures.SchemaError), &scim.Response{Status: 200, Truncated: true, Limit: 8 << 20, Body: []byte("{")},
		"exceeded the --max-body-bytes limit of 8 MiB")
	mustFail(t, matchers.MatchJSONSchema(fixtures.SchemaError), response(200, "", ""), "the body is empty")
	if _, err := matchers.MatchJSONSchema("Nope").Match([]byte(`{}`)); err == nil {
		t.Errorf("unknown schema name: want an error")
	}
	if _, err := matchers.MatchJSONSchema(fixtures.SchemaError).Match(nil); err == nil {
		t.Errorf("nil actual: want an error")
	}
}

func TestHaveStatus(t *testing.T) {
	mustMatch(t, matchers.HaveStatus(200, "x"), response(200, scim.MediaType, `{}`))
	mustFail(t, matchers.HaveStatus(200, "7644-4-02 (RFC 7644 §4): serve the configuration"),
		response(404, scim.MediaType, errorBody),
		"Expected HTTP status 200 OK, got 404 Not Found.",
		"Why: 7644-4-02 (RFC 7644 §4): serve the configuration",
		`SCIM error from the server: status "404", detail "no such thing"`)
	mustFail(t, matchers.HaveStatus(200, ""), response(500, "text/plain", "boom"), "got 500 Internal Server Error", "Body: boom")
	if _, err := matchers.HaveStatus(200, "").Match([]byte("x")); err == nil {
		t.Errorf("non-response actual: want an error")
	}
}

func TestHaveSCIMError(t *testing.T) {
	m := matchers.HaveSCIMError(404, "")
	mustMatch(t, m, response(404, scim.MediaType, errorBody))
	if m.StatusWasInteger() {
		t.Errorf("string status reported as integer")
	}
	m = matchers.HaveSCIMError(400, "invalidFilter")
	mustMatch(t, m, response(400, scim.MediaType, `{"SCHEMAS":["urn:ietf:params:scim:api:messages:2.0:Error"],"Status":400,"scimType":"invalidFilter"}`))
	if !m.StatusWasInteger() || m.Parsed().Status != "400" {
		t.Errorf("integer status not exposed: %+v", m.Parsed())
	}
	mustFail(t, matchers.HaveSCIMError(404, "invalidValue"),
		response(200, scim.MediaType, `{"schemas":["urn:x"],"status":"200","scimType":"tooMany"}`),
		"with HTTP status 404 Not Found and scimType \"invalidValue\"",
		"the HTTP status is 200 OK, want 404 Not Found",
		`it must list urn:ietf:params:scim:api:messages:2.0:Error`,
		`the "status" member is "200", it must repeat the HTTP status "404"`,
		`scimType is "tooMany", want "invalidValue"`)
	mustFail(t, matchers.HaveSCIMError(404, ""), response(404, "text/html", "<h1>Not Found</h1>"),
		"the body is not a SCIM Error: the body is not a JSON object", "Body: <h1>Not Found</h1>")
	mustFail(t, matchers.HaveSCIMError(404, ""), response(404, scim.MediaType, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"]}`),
		`the "status" member is missing`)
}

func TestHaveMediaType(t *testing.T) {
	mustMatch(t, matchers.HaveMediaType(scim.MediaType), response(200, "Application/SCIM+json; charset=utf-8", "{}"))
	mustFail(t, matchers.HaveMediaType(scim.MediaType), response(200, "text/html; charset=utf-8", "{}"),
		`Expected Content-Type application/scim+json, got "text/html; charset=utf-8".`)
	mustFail(t, matchers.HaveMediaType(scim.MediaType), response(200, "", "{}"), "has no Content-Type header")
}

func TestHaveHeader(t *testing.T) {
	r := response(201, scim.MediaType, "{}")
	r.Header.Set("Location", "https://example.com/Users/1")
	mustMatch(t, matchers.HaveHeader("location"), r)
	mustFail(t, matchers.HaveHeader("ETag"), r,
		"Expected the response to carry a ETag header, but it is absent or empty.", "Headers present: Content-Type, Location")
}
