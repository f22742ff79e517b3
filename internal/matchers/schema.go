// Package matchers holds the gomega matchers the suites assert SCIM responses
// with. Every failure message says what was expected, what arrived and, where
// the caller supplies it, which requirement is at stake and what to change.
package matchers

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/scimconform/scimconform/fixtures"
	"github.com/scimconform/scimconform/internal/scim"
)

// excerptBytes bounds how much of a body a failure message quotes; the whole
// exchange is attached to the spec anyway.
const excerptBytes = 400

// MatchJSONSchema succeeds when the actual document is valid against the
// named wire-format schema of package fixtures (fixtures.SchemaUser, ...).
// actual is a *scim.Response (its body), []byte, json.RawMessage, string, or
// any value that marshals to JSON (map[string]any, ...). The failure message
// lists every violation with its JSON path.
func MatchJSONSchema(name string) types.GomegaMatcher {
	return &jsonSchemaMatcher{name: name}
}

type jsonSchemaMatcher struct {
	name       string
	what       string
	doc        []byte
	problem    string // the document could not be judged at all
	violations []fixtures.Violation
}

func (m *jsonSchemaMatcher) Match(actual any) (bool, error) {
	doc, what, problem, err := documentOf(actual)
	if err != nil {
		return false, err
	}
	m.doc, m.what, m.problem, m.violations = doc, what, problem, nil
	if problem != "" {
		return false, nil
	}
	v, err := fixtures.NewValidator(m.name)
	if err != nil {
		return false, fmt.Errorf("MatchJSONSchema(%q): %w", m.name, err)
	}
	violations, err := v.Validate(m.name, doc)
	if err != nil {
		m.problem = err.Error()
		return false, nil //nolint:nilerr // a document the schema cannot read is a failed match, explained by FailureMessage
	}
	m.violations = violations
	return len(violations) == 0, nil
}

func (m *jsonSchemaMatcher) FailureMessage(any) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Expected %s to be a valid SCIM %s document (JSON Schema fixtures/schemas/%s.json)", m.what, m.name, m.name)
	if m.problem != "" {
		fmt.Fprintf(&b, ", but %s.", m.problem)
	} else {
		fmt.Fprintf(&b, ", but it has %d violation(s):", len(m.violations))
		for _, v := range m.violations {
			fmt.Fprintf(&b, "\n  %s: %s", v.Path, v.Message)
		}
	}
	if len(m.doc) > 0 {
		fmt.Fprintf(&b, "\nDocument: %s", excerpt(m.doc))
	}
	return b.String()
}

func (m *jsonSchemaMatcher) NegatedFailureMessage(any) string {
	return fmt.Sprintf("Expected %s not to be a valid SCIM %s document, but it is.\nDocument: %s", m.what, m.name, excerpt(m.doc))
}

// documentOf extracts the JSON document of actual. problem is set when the
// document cannot be judged (truncated body); err when actual is of a type
// the matcher does not take.
func documentOf(actual any) (doc []byte, what, problem string, err error) {
	switch a := actual.(type) {
	case *scim.Response:
		if a == nil {
			return nil, "", "", fmt.Errorf("expected a *scim.Response, got nil")
		}
		what = "the response body"
		if a.Truncated {
			return a.Body, what, a.TooLarge(), nil
		}
		if len(a.Body) == 0 {
			return nil, what, "the body is empty", nil
		}
		return a.Body, what, "", nil
	case []byte:
		return a, "the document", "", nil
	case json.RawMessage:
		return a, "the document", "", nil
	case string:
		return []byte(a), "the document", "", nil
	case nil:
		return nil, "", "", fmt.Errorf("expected a JSON document, got nil")
	default:
		b, err := json.Marshal(a)
		if err != nil {
			return nil, "", "", fmt.Errorf("cannot marshal %T to JSON: %w", actual, err)
		}
		return b, "the document", "", nil
	}
}

// excerpt quotes the start of a body for a failure message.
func excerpt(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	if len(s) > excerptBytes {
		return fmt.Sprintf("%s… [%d more bytes]", s[:excerptBytes], len(s)-excerptBytes)
	}
	return s
}
