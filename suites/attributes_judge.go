package suites

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
)

// The judgement of the attribute-selection specs: which attributes a
// partial representation must and must not hold, given the request and
// the "returned" characteristics the server publishes.

// attrSel is one attribute-selection request: attributes (Include) or
// excludedAttributes (Exclude), in standard attribute notation.
type attrSel struct {
	Include, Exclude []string
}

// Query returns the selection as URL query parameters.
func (s attrSel) Query() map[string][]string {
	q := map[string][]string{}
	if len(s.Include) > 0 {
		q["attributes"] = []string{strings.Join(s.Include, ",")}
	}
	if len(s.Exclude) > 0 {
		q["excludedAttributes"] = []string{strings.Join(s.Exclude, ",")}
	}
	return q
}

// String renders the selection as it appears in a URL.
func (s attrSel) String() string {
	var parts []string
	if len(s.Include) > 0 {
		parts = append(parts, "attributes="+strings.Join(s.Include, ","))
	}
	if len(s.Exclude) > 0 {
		parts = append(parts, "excludedAttributes="+strings.Join(s.Exclude, ","))
	}
	return strings.Join(parts, "&")
}

// attrJudge compares a partial representation (got) with the full one
// under selection sel. problems break RFC 7644 §3.4.2.5/§3.9 (or RFC 7643
// §3.1 for id); notes are readings docs/interpretations.md#i6 allows (a
// sub-attribute request answered with more of the parent).
func attrJudge(env *Env, full, got map[string]any, sel attrSel) (problems, notes []string) {
	include, exclude := attrParseAll(sel.Include), attrParseAll(sel.Exclude)
	for _, c := range attrCandidates {
		isID := c.ext == "" && c.name == "id"
		if _, inFull := attrLookup(full, c); !inFull && !isID {
			continue
		}
		_, present := attrLookup(got, c)
		ret := attrReturned(env, c)
		want, subs, why := attrExpectation(c, ret, include, exclude, len(sel.Include) > 0)
		switch {
		case want && !present:
			problems = append(problems, fmt.Sprintf("%s is missing, but %s", c, why))
		case !want && present:
			problems = append(problems, fmt.Sprintf("%s is returned, but %s", c, why))
		}
		if present && want && len(subs) > 0 {
			p, n := attrJudgeSubs(full, got, c, subs, len(sel.Include) > 0)
			problems, notes = append(problems, p...), append(notes, n...)
		}
	}
	return problems, notes
}

func attrParseAll(list []string) []attrPath {
	out := make([]attrPath, 0, len(list))
	for _, p := range list {
		out = append(out, attrParse(p))
	}
	return out
}

// attrExpectation says whether candidate c must be present under the
// selection, the sub-attributes the selection names, and why.
func attrExpectation(c attrPath, returned string, include, exclude []attrPath, hasInclude bool) (bool, []string, string) {
	switch returned {
	case "always":
		return true, nil, "its \"returned\" characteristic is \"always\": it belongs to the minimum set every selection keeps (RFC 7644 §3.4.2.5, §3.9; RFC 7643 §7)"
	case "never":
		return false, nil, "its \"returned\" characteristic is \"never\" (RFC 7643 §7)"
	}
	var subs []string
	named := false
	list := exclude
	if hasInclude {
		list = include
	}
	for _, r := range list {
		whole, sub := r.covers(c)
		named = named || whole
		if sub {
			subs = append(subs, r.sub)
		}
	}
	if hasInclude {
		if named || len(subs) > 0 {
			return true, subs, "the attributes parameter requests it (RFC 7644 §3.9)"
		}
		return false, nil, "the attributes parameter overrides the default set and does not request it (RFC 7644 §3.9)"
	}
	if named {
		return false, nil, "excludedAttributes removes it from the default set (RFC 7644 §3.4.2.5, §3.9)"
	}
	return true, subs, "excludedAttributes does not name it, so it stays in the default set (RFC 7644 §3.9)"
}

// attrJudgeSubs checks the sub-attributes a selection names inside
// candidate c: requested ones must be there, excluded ones gone. Other
// sub-attributes returned with a sub-attribute request, and excluded
// sub-attributes still returned, are notes (I6: sub-attribute semantics
// are left to inference).
func attrJudgeSubs(full, got map[string]any, c attrPath, subs []string, hasInclude bool) (problems, notes []string) {
	for _, sub := range subs {
		p := attrPath{ext: c.ext, name: c.name, sub: sub}
		if _, inFull := attrLookup(full, p); !inFull {
			continue
		}
		_, present := attrLookup(got, p)
		switch {
		case hasInclude && !present:
			problems = append(problems, fmt.Sprintf("%s is missing, but the attributes parameter requests it (RFC 7644 §3.9)", p))
		case !hasInclude && present:
			notes = append(notes, fmt.Sprintf("%s is still returned although excludedAttributes names it; RFC 7644 leaves sub-attribute exclusion to inference (%s)", p, interpretation(6)))
		}
	}
	if !hasInclude {
		return problems, notes
	}
	parent, _ := attrLookup(got, c)
	values := []any{parent}
	if list, ok := parent.([]any); ok {
		values = list
	}
	extra := map[string]bool{}
	for _, v := range values {
		m, _ := v.(map[string]any)
		for k := range m {
			if !attrContainsFold(subs, k) && !extra[k] {
				extra[k] = true
				notes = append(notes, fmt.Sprintf("%s.%s is returned although only %s of %s was requested; accepted (%s)",
					c, k, strings.Join(subs, ", "), c, interpretation(6)))
			}
		}
	}
	return problems, notes
}

func attrContainsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// attrExpect judges got against full under sel and fails the spec with
// every problem, citing reqs; notes are recorded as INFO.
func attrExpect(env *Env, full, got map[string]any, sel attrSel, what string, reqs ...string) {
	GinkgoHelper()
	problems, notes := attrJudge(env, full, got, sel)
	for _, n := range notes {
		env.Info("%s: %s", what, n)
	}
	cites := make([]string, 0, len(reqs))
	for _, r := range reqs {
		cites = append(cites, cite(r))
	}
	failProblems(fmt.Sprintf("%s: %s with %s returns the wrong attributes; return the minimum set (attributes returned \"always\", such as id) plus exactly what the selection asks for:",
		strings.Join(cites, ", "), what, sel), problems)
}
