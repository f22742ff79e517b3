package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/fixtures/dataset"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// How a query reaches the data set (issue 11, design.md §3 "Isolation"):
// every query of the query suites is restricted to the data set with the
// scope filter userName sw "<prefix>-" (displayName for Groups). Once per
// run, after the data set exists, a probe finds which way of combining that
// scope with the filter under test the server accepts, and the suites use
// only that: a server lacking parentheses or "and" then fails the one spec
// of the rule it breaks, not every query spec.

// ScopeMode is how the scope and the filter under test X are combined.
type ScopeMode int

const (
	// ScopeGrouped sends (scope) and (X): exact for every X.
	ScopeGrouped ScopeMode = iota
	// ScopeAnd sends scope and X, without parentheses: exact for every X
	// without a top-level "or" (which would bind looser than the "and").
	ScopeAnd
	// ScopeAlone sends the scope only on its own: X is sent bare.
	ScopeAlone
	// ScopeNone: the server accepts no scope filter; X is sent bare.
	ScopeNone
)

// String names the mode for messages.
func (m ScopeMode) String() string {
	switch m {
	case ScopeGrouped:
		return `(userName sw "<prefix>-") and (X)`
	case ScopeAnd:
		return `userName sw "<prefix>-" and X`
	case ScopeAlone:
		return `userName sw "<prefix>-" alone, X bare`
	default:
		return "no scope, X bare"
	}
}

// QueryScope is the outcome of the run's scoping probe.
type QueryScope struct {
	Mode ScopeMode
	// Answers holds, per probed filter, a short description of the answer
	// ("200 OK", "400 Bad Request ...").
	Answers map[string]string
	// Order lists the probed filters in the order they were sent.
	Order []string
}

// qsScopeProbe decides the scope mode with at most four GETs on the User
// endpoint: the grouped form first (the one a conformant server accepts,
// so a conformant run costs one request), then the ungrouped form, the
// scope alone, and the scope in parentheses (for the finding's message).
func qsScopeProbe(ctx context.Context, env *Env, prefix string) *QueryScope {
	s := &QueryScope{Answers: map[string]string{}}
	scope := fmt.Sprintf("userName sw %q", prefix+"-")
	try := func(f string) bool {
		resp, err := env.Client.Do(ctx, scim.Request{Method: http.MethodGet, Path: env.Endpoint(dataset.ResourceUser), Query: url.Values{"filter": {f}}})
		s.Order = append(s.Order, f)
		if err != nil {
			s.Answers[f] = "no HTTP answer: " + err.Error()
			return false
		}
		if resp.Status != http.StatusOK {
			s.Answers[f] = statusLine(resp.Status) + ". " + coreErrorNote(resp)
			return false
		}
		if _, err := resp.Object(); err != nil {
			s.Answers[f] = "200 OK with a body that is not a JSON object"
			return false
		}
		s.Answers[f] = "200 OK"
		return true
	}
	switch {
	case try("(" + scope + ") and (" + scope + ")"):
		s.Mode = ScopeGrouped
	case try(scope + " and " + scope):
		s.Mode = ScopeAnd
	case try(scope):
		s.Mode = ScopeAlone
	default:
		s.Mode = ScopeNone
	}
	if s.Mode != ScopeGrouped {
		try("(" + scope + ")")
	}
	return s
}

// Note describes the probe's outcome for the data set's notes ("" for the
// grouped form a conformant server accepts).
func (s *QueryScope) Note() string {
	if s == nil || s.Mode == ScopeGrouped {
		return ""
	}
	var parts []string
	for _, f := range s.Order {
		parts = append(parts, fmt.Sprintf("%s answered %s", f, strings.TrimSpace(s.Answers[f])))
	}
	return fmt.Sprintf("queries are scoped to the data set as %s (scoping probe: %s); the specs of RFC 7644 §3.4.2.2 on \"and\" and grouping judge the refusals",
		s.Mode, strings.Join(parts, "; "))
}

// scopeFor returns the scope filter of resource type rt.
func (q *QuerySet) scopeFor(rt string) string {
	attr := "userName"
	if rt == dataset.ResourceGroup {
		attr = "displayName"
	}
	return fmt.Sprintf("%s sw %q", attr, q.Prefix+"-")
}

// mode is the run's scope mode (grouped when no probe ran: unit tests).
func (q *QuerySet) mode() ScopeMode {
	if q.Scope == nil {
		return ScopeGrouped
	}
	return q.Scope.Mode
}

// Exact reports whether ScopedFor(rt, filter) restricts the answer to the
// data set. When it does not, the filter is sent bare (or, for an empty
// filter, no filter is sent) and the answer must be reduced to the data
// set's own resources (Own) before it is judged.
func (q *QuerySet) Exact(rt, filter string) bool {
	switch q.mode() {
	case ScopeGrouped:
		return true
	case ScopeAnd:
		return strings.TrimSpace(filter) == "" || !filterHasTopLevelOr(filter)
	case ScopeAlone:
		return strings.TrimSpace(filter) == ""
	default:
		return false
	}
}

// ScopedFor restricts a filter on resource type rt ("User" or "Group") to
// the data set the way the scoping probe found the server accepts; see
// Exact. An empty filter gives the scope alone ("" when no scope works).
func (q *QuerySet) ScopedFor(rt, filter string) string {
	scope := q.scopeFor(rt)
	empty := strings.TrimSpace(filter) == ""
	if !q.Exact(rt, filter) {
		return filter
	}
	switch {
	case empty:
		return scope
	case q.mode() == ScopeAnd:
		return scope + " and " + filter
	default:
		return "(" + scope + ") and (" + filter + ")"
	}
}

// RequireScope skips the running spec when the server accepts no filter
// that restricts a query on rt to the data set: the spec judges totals,
// paging or a whole answer, which a foreign resource would change.
func (q *QuerySet) RequireScope(rt, filter string) {
	GinkgoHelper()
	if q.Exact(rt, filter) {
		return
	}
	what := "the server accepts no filter that scopes a query to the data set"
	if strings.TrimSpace(filter) != "" {
		what = "the server accepts no filter that scopes this query to the data set"
	}
	Skip(fmt.Sprintf("%s%s, and this spec judges the whole answer (totals, pages or order)\nscoping probe: %s", spec.SkipNoScopePrefix, what, q.Scope.Note()))
}

// Own keeps the resources of the data set, in order: the reduction of an
// answer to a query that could not be scoped (foreign resources in it are
// ignored).
func (q *QuerySet) Own(resources []map[string]any) []map[string]any {
	var out []map[string]any
	for _, r := range resources {
		if id, _ := memberString(r, "id"); q.byID[id] != "" {
			out = append(out, r)
		}
	}
	return out
}

// filterHasTopLevelOr reports whether a filter holds "or" outside
// parentheses, brackets and string literals: appended to "scope and",
// such a filter would not be restricted by the scope.
func filterHasTopLevelOr(f string) bool {
	depth, inString := 0, false
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case depth == 0 && (c == 'o' || c == 'O') && i+1 < len(f) && (f[i+1] == 'r' || f[i+1] == 'R'):
			before := i == 0 || f[i-1] == ' '
			after := i+2 == len(f) || f[i+2] == ' ' || f[i+2] == '('
			if before && after {
				return true
			}
		}
	}
	return false
}

// combine joins a filter and a scope filter the way the probe allows:
// "(f) and (scope)", or "f and scope" without parentheses. Callers check
// Exact first.
func (q *QuerySet) combine(f, scope string) string {
	if q.mode() == ScopeAnd {
		return f + " and " + scope
	}
	return "(" + f + ") and (" + scope + ")"
}
