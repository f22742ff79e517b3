package suites

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Shared spec helpers for reading JSON documents received from the target.
// SCIM attribute names are case-insensitive (RFC 7643 §2.1), so every lookup
// of a member by name ignores case, preferring the exact spelling.

// member returns obj's member name, matched case-insensitively.
func member(obj map[string]any, name string) (any, bool) {
	if v, ok := obj[name]; ok {
		return v, true
	}
	for k, v := range obj {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// memberString returns a string member ("" and false when absent or not a string).
func memberString(obj map[string]any, name string) (string, bool) {
	v, _ := member(obj, name)
	s, ok := v.(string)
	return s, ok
}

// memberObject returns an object member.
func memberObject(obj map[string]any, name string) (map[string]any, bool) {
	v, _ := member(obj, name)
	m, ok := v.(map[string]any)
	return m, ok
}

// memberList returns an array member.
func memberList(obj map[string]any, name string) ([]any, bool) {
	v, _ := member(obj, name)
	l, ok := v.([]any)
	return l, ok
}

// jsonKind names the JSON type of a decoded value for messages.
func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if isWholeNumber(x) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// isWholeNumber reports whether a decoded JSON number has no fractional part.
func isWholeNumber(f float64) bool {
	return !math.IsInf(f, 0) && !math.IsNaN(f) && f == math.Trunc(f)
}

// quoteJSON renders a decoded value compactly for a message, bounded.
func quoteJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 120 {
		return string(b[:120]) + "…"
	}
	return string(b)
}

// decodeObject decodes a response body as a JSON object, failing the spec
// with the requirement at stake when it is not one.
func decodeObject(resp *scim.Response, what, req string) map[string]any {
	GinkgoHelper()
	var raw any
	if err := resp.JSON(&raw); err != nil {
		Fail(fmt.Sprintf("%s: %s must be a JSON object, but %v.", cite(req), what, err))
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		Fail(fmt.Sprintf("%s: %s must be a JSON object, but it is a JSON %s.", cite(req), what, jsonKind(raw)))
	}
	return obj
}

// cite renders a requirement id with its RFC section: "7644-4-02 (RFC 7644 §4)".
func cite(id string) string {
	rfc, section, err := spec.ParseReqID(id)
	if err != nil {
		return id
	}
	return fmt.Sprintf("%s (RFC %s §%s)", id, rfc, section)
}

// failProblems fails the spec when problems is non-empty: the header says
// which requirement is broken and what to change, then one line per problem.
func failProblems(header string, problems []string) {
	GinkgoHelper()
	if len(problems) == 0 {
		return
	}
	const max = 25
	var b strings.Builder
	b.WriteString(header)
	for i, p := range problems {
		if i == max {
			fmt.Fprintf(&b, "\n  … and %d more", len(problems)-max)
			break
		}
		b.WriteString("\n  - " + p)
	}
	Fail(b.String())
}
