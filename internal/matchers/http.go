package matchers

import (
	"fmt"
	"mime"
	"sort"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/scimconform/scimconform/internal/scim"
)

// HaveStatus succeeds when the actual *scim.Response has HTTP status code.
// why names the requirement at stake and what the vendor should change; the
// failure message shows it with the expected and actual status and the SCIM
// error the server sent, if any.
func HaveStatus(code int, why string) types.GomegaMatcher {
	return &statusMatcher{code: code, why: why}
}

type statusMatcher struct {
	code int
	why  string
	resp *scim.Response
}

func (m *statusMatcher) Match(actual any) (bool, error) {
	resp, err := responseOf(actual, "HaveStatus")
	if err != nil {
		return false, err
	}
	m.resp = resp
	return resp.Status == m.code, nil
}

func (m *statusMatcher) FailureMessage(any) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Expected HTTP status %s, got %s.", statusText(m.code), statusText(m.resp.Status))
	if m.why != "" {
		fmt.Fprintf(&b, "\nWhy: %s", m.why)
	}
	b.WriteString(errorSummary(m.resp))
	return b.String()
}

func (m *statusMatcher) NegatedFailureMessage(any) string {
	msg := fmt.Sprintf("Expected any HTTP status but %s, got it.", statusText(m.code))
	if m.why != "" {
		msg += "\nWhy: " + m.why
	}
	return msg + errorSummary(m.resp)
}

// errorSummary describes the SCIM error (or the start of the body) of a
// response for a failure message.
func errorSummary(resp *scim.Response) string {
	if resp == nil || len(resp.Body) == 0 {
		return ""
	}
	if e, err := ParseSCIMError(resp.Body); err == nil && (e.HasErrorSchema() || e.Detail != "" || e.ScimType != "") {
		parts := []string{}
		if e.Status != "" {
			parts = append(parts, fmt.Sprintf("status %q", e.Status))
		}
		if e.ScimType != "" {
			parts = append(parts, fmt.Sprintf("scimType %q", e.ScimType))
		}
		if e.Detail != "" {
			parts = append(parts, fmt.Sprintf("detail %q", truncate(e.Detail, excerptBytes)))
		}
		return "\nSCIM error from the server: " + strings.Join(parts, ", ")
	}
	return "\nBody: " + excerpt(resp.Body)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// HaveMediaType succeeds when the actual *scim.Response's Content-Type has
// the media type mt (parameters such as charset are ignored; comparison is
// case-insensitive).
func HaveMediaType(mt string) types.GomegaMatcher {
	want, _, err := mime.ParseMediaType(mt)
	if err != nil {
		want = strings.ToLower(strings.TrimSpace(mt))
	}
	return &mediaTypeMatcher{want: want}
}

type mediaTypeMatcher struct {
	want string
	got  string
}

func (m *mediaTypeMatcher) Match(actual any) (bool, error) {
	resp, err := responseOf(actual, "HaveMediaType")
	if err != nil {
		return false, err
	}
	m.got = resp.Header.Get("Content-Type")
	return resp.MediaType() == m.want, nil
}

func (m *mediaTypeMatcher) FailureMessage(any) string {
	if m.got == "" {
		return fmt.Sprintf("Expected Content-Type %s, but the response has no Content-Type header.", m.want)
	}
	return fmt.Sprintf("Expected Content-Type %s, got %q.", m.want, m.got)
}

func (m *mediaTypeMatcher) NegatedFailureMessage(any) string {
	return fmt.Sprintf("Expected a Content-Type other than %s, got %q.", m.want, m.got)
}

// HaveHeader succeeds when the actual *scim.Response carries the header name
// with a non-empty value.
func HaveHeader(name string) types.GomegaMatcher {
	return &headerMatcher{name: name}
}

type headerMatcher struct {
	name    string
	present []string
	value   string
}

func (m *headerMatcher) Match(actual any) (bool, error) {
	resp, err := responseOf(actual, "HaveHeader")
	if err != nil {
		return false, err
	}
	m.present = m.present[:0]
	for k := range resp.Header {
		m.present = append(m.present, k)
	}
	sort.Strings(m.present)
	m.value = strings.TrimSpace(resp.Header.Get(m.name))
	return m.value != "", nil
}

func (m *headerMatcher) FailureMessage(any) string {
	present := "none"
	if len(m.present) > 0 {
		present = strings.Join(m.present, ", ")
	}
	return fmt.Sprintf("Expected the response to carry a %s header, but it is absent or empty.\nHeaders present: %s", m.name, present)
}

func (m *headerMatcher) NegatedFailureMessage(any) string {
	return fmt.Sprintf("Expected the response not to carry a %s header, but it has %s: %q.", m.name, m.name, m.value)
}
