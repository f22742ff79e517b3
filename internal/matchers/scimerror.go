package matchers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/scimconform/scimconform/internal/scim"
)

// SCIMError is an RFC 7644 §3.12 error body as received.
type SCIMError struct {
	Schemas []string
	// Status is the "status" member as text ("404"), whether it arrived as a
	// JSON string or a number; "" when absent or of another JSON type.
	Status string
	// StatusIsInteger is true when "status" was a JSON number, not the string
	// §3.12 asks for (docs/interpretations.md#i8: reported as WARN, never FAIL).
	StatusIsInteger bool
	ScimType        string
	Detail          string
}

// HasErrorSchema reports whether schemas lists the SCIM Error message URN.
func (e *SCIMError) HasErrorSchema() bool {
	for _, s := range e.Schemas {
		if s == scim.MessageError {
			return true
		}
	}
	return false
}

// ParseSCIMError reads an error body; member names are matched
// case-insensitively (RFC 7643 §2.1). It fails only when the body is not a
// JSON object.
func ParseSCIMError(body []byte) (*SCIMError, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, fmt.Errorf("the body is not a JSON object")
	}
	e := &SCIMError{}
	if list, ok := member(obj, "schemas").([]any); ok {
		for _, s := range list {
			if str, ok := s.(string); ok {
				e.Schemas = append(e.Schemas, str)
			}
		}
	}
	switch st := member(obj, "status").(type) {
	case string:
		e.Status = st
	case json.Number:
		e.Status, e.StatusIsInteger = st.String(), true
	}
	e.ScimType, _ = member(obj, "scimType").(string)
	e.Detail, _ = member(obj, "detail").(string)
	return e, nil
}

// member reads an object member case-insensitively, preferring the exact name.
func member(obj map[string]any, name string) any {
	if v, ok := obj[name]; ok {
		return v
	}
	for k, v := range obj {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// SCIMErrorMatcher is returned by HaveSCIMError. After a match, StatusWasInteger
// tells whether the body's status was a JSON number (accepted;
// docs/interpretations.md#i8) so that a spec can record a warning.
type SCIMErrorMatcher struct {
	status   int
	scimType string
	resp     *scim.Response
	parsed   *SCIMError
	problems []string
}

// HaveSCIMError succeeds when the actual *scim.Response has HTTP status
// status and a SCIM Error body (RFC 7644 §3.12): schemas lists
// urn:ietf:params:scim:api:messages:2.0:Error, the status member equals the
// HTTP status (as a string, or as an integer which is tolerated and exposed
// by StatusWasInteger), and scimType equals scimType when that is non-empty.
func HaveSCIMError(status int, scimType string) *SCIMErrorMatcher {
	return &SCIMErrorMatcher{status: status, scimType: scimType}
}

// StatusWasInteger reports whether the last matched body carried status as a
// JSON number instead of a string.
func (m *SCIMErrorMatcher) StatusWasInteger() bool {
	return m.parsed != nil && m.parsed.StatusIsInteger
}

// Parsed returns the error body of the last match (nil if it was not a JSON object).
func (m *SCIMErrorMatcher) Parsed() *SCIMError { return m.parsed }

// Match implements types.GomegaMatcher.
func (m *SCIMErrorMatcher) Match(actual any) (bool, error) {
	resp, err := responseOf(actual, "HaveSCIMError")
	if err != nil {
		return false, err
	}
	m.resp, m.parsed, m.problems = resp, nil, nil
	if resp.Status != m.status {
		m.problems = append(m.problems, fmt.Sprintf("the HTTP status is %s, want %s", statusText(resp.Status), statusText(m.status)))
	}
	parsed, err := ParseSCIMError(resp.Body)
	if err != nil {
		m.problems = append(m.problems, "the body is not a SCIM Error: "+err.Error())
		return false, nil //nolint:nilerr // a body that is not an Error is a failed match, explained by FailureMessage
	}
	m.parsed = parsed
	m.problems = append(m.problems, m.bodyProblems(parsed)...)
	return len(m.problems) == 0, nil
}

func (m *SCIMErrorMatcher) bodyProblems(e *SCIMError) []string {
	var out []string
	if !e.HasErrorSchema() {
		out = append(out, fmt.Sprintf("\"schemas\" is %q, it must list %s", e.Schemas, scim.MessageError))
	}
	want := strconv.Itoa(m.status)
	switch {
	case e.Status == "":
		out = append(out, fmt.Sprintf("the \"status\" member is missing (or not a string); it must be %q", want))
	case e.Status != want:
		out = append(out, fmt.Sprintf("the \"status\" member is %q, it must repeat the HTTP status %q", e.Status, want))
	}
	if m.scimType != "" && e.ScimType != m.scimType {
		got := "absent"
		if e.ScimType != "" {
			got = strconv.Quote(e.ScimType)
		}
		out = append(out, fmt.Sprintf("scimType is %s, want %q (RFC 7644 §3.12 Table 9)", got, m.scimType))
	}
	return out
}

// FormatProblem says, after a failed match whose HTTP status was the one
// expected, what makes the body not a well-formed SCIM Error whatever was
// asked: kind is a stable word ("not-json", "no-error-schema",
// "status-missing", "status-differs") and text the problem in words. It
// returns "", "" when the status differed (then the status is the problem)
// or the body is a well-formed Error (then only scimType can differ). Specs
// use it to name one cause for every error answer malformed the same way.
func (m *SCIMErrorMatcher) FormatProblem() (kind, text string) {
	if m.resp == nil || m.resp.Status != m.status {
		return "", ""
	}
	if m.parsed == nil {
		return "not-json", "the body is not a JSON object"
	}
	e := m.parsed
	want := strconv.Itoa(m.status)
	switch {
	case !e.HasErrorSchema():
		return "no-error-schema", fmt.Sprintf("\"schemas\" does not list %s", scim.MessageError)
	case e.Status == "":
		return "status-missing", "the \"status\" member is missing or not a string"
	case e.Status != want:
		return "status-differs", "the \"status\" member does not repeat the HTTP status"
	}
	return "", ""
}

// FailureMessage implements types.GomegaMatcher.
func (m *SCIMErrorMatcher) FailureMessage(any) string {
	var b strings.Builder
	want := fmt.Sprintf("HTTP status %s", statusText(m.status))
	if m.scimType != "" {
		want += fmt.Sprintf(" and scimType %q", m.scimType)
	}
	fmt.Fprintf(&b, "Expected a SCIM error response (RFC 7644 §3.12) with %s, but:", want)
	for _, p := range m.problems {
		fmt.Fprintf(&b, "\n  - %s", p)
	}
	if m.resp != nil {
		fmt.Fprintf(&b, "\nBody: %s", bodyExcerpt(m.resp))
	}
	return b.String()
}

// NegatedFailureMessage implements types.GomegaMatcher.
func (m *SCIMErrorMatcher) NegatedFailureMessage(any) string {
	return fmt.Sprintf("Expected the response not to be a SCIM error with HTTP status %s, but it is.\nBody: %s", statusText(m.status), bodyExcerpt(m.resp))
}

// responseOf checks that actual is a non-nil *scim.Response.
func responseOf(actual any, matcher string) (*scim.Response, error) {
	resp, ok := actual.(*scim.Response)
	if !ok || resp == nil {
		return nil, fmt.Errorf("%s expects a non-nil *scim.Response, got %T", matcher, actual)
	}
	return resp, nil
}

// statusText renders "404 Not Found".
func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return strconv.Itoa(code)
}

// bodyExcerpt quotes a response body, or says it is empty.
func bodyExcerpt(resp *scim.Response) string {
	if resp == nil || len(resp.Body) == 0 {
		return "(empty)"
	}
	return excerpt(resp.Body)
}
