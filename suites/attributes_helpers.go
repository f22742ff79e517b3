package suites

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Helpers of the attribute-selection specs (RFC 7644 §3.4.2.5, §3.9). A
// spec creates one User with many attributes, reads its full
// representation, asks for a partial one and compares the two attribute by
// attribute: the expected presence of each attribute follows from the
// request and the "returned" characteristic the server publishes.

// attrSubject is the User an attribute-selection spec works on.
type attrSubject struct {
	ID       string
	UserName string
	// Full is the representation without attributes/excludedAttributes.
	Full map[string]any
}

// attrUserBody builds a User with a value for every attribute the
// selection specs look at: userName, name, displayName, title, emails,
// phoneNumbers, active and, when the User declares it, the enterprise
// extension. A password is added when withPassword is set.
func attrUserBody(env *Env, withPassword bool) map[string]any {
	userName := env.Name("attrs")
	body := map[string]any{
		"schemas":  []any{scim.SchemaUser},
		"userName": userName,
		"name": map[string]any{
			"givenName": "Grace", "familyName": "Hopper", "formatted": "Grace Hopper",
		},
		"displayName":  "Grace Hopper",
		"title":        "Rear Admiral",
		"emails":       []any{map[string]any{"value": strings.ToLower(userName) + "@example.com", "type": "work", "primary": true}},
		"phoneNumbers": []any{map[string]any{"value": "+1-201-555-0142", "type": "work"}},
		"active":       true,
	}
	if env.Caps.Has(spec.FeatureEnterpriseUser) {
		body["schemas"] = []any{scim.SchemaUser, scim.SchemaEnterpriseUser}
		body[scim.SchemaEnterpriseUser] = map[string]any{"employeeNumber": "701984", "department": "Computing"}
	}
	if withPassword {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		body["password"] = "Sc1m-Conf0rm!" + hex.EncodeToString(b)
	}
	return body
}

// attrCreate POSTs body to /Users (with query parameters q, may be nil)
// and tracks what it created, also when the server answers 200 instead of
// 201 (the create specs judge that). It returns the response and the id
// ("" when nothing was created).
func attrCreate(ctx context.Context, env *Env, body map[string]any, q map[string][]string) (*scim.Response, string) {
	GinkgoHelper()
	endpoint := env.Endpoint("User")
	if len(q) == 0 {
		resp, id := env.Create(ctx, endpoint, body)
		if id == "" {
			id = attrTrackOther(env, endpoint, resp, body)
		}
		return resp, id
	}
	resp := env.Do(ctx, scim.Request{Method: http.MethodPost, Path: endpoint, Query: q, Body: body})
	return resp, attrTrackOther(env, endpoint, resp, body)
}

// attrTrackOther tracks a resource a 2xx create answer names by id.
func attrTrackOther(env *Env, endpoint string, resp *scim.Response, body map[string]any) string {
	if resp.Status < 200 || resp.Status > 299 {
		return ""
	}
	obj, err := resp.Object()
	if err != nil {
		return ""
	}
	id, _ := memberString(obj, "id")
	if id != "" {
		env.TrackExternal(endpoint, id, nameOf(body))
	}
	return id
}

// attrMustSubject creates the User a spec works on and reads its full
// representation. The spec stops when the server does not create it.
func attrMustSubject(ctx context.Context, env *Env, body map[string]any) attrSubject {
	GinkgoHelper()
	resp, id := attrCreate(ctx, env, body, nil)
	if id == "" {
		Fail(fmt.Sprintf("the spec needs a User, but POST %s did not create one (HTTP %d); a valid create must succeed (RFC 7644 §3.3) — the create specs report why",
			env.Endpoint("User"), resp.Status))
	}
	s := attrSubject{ID: id, UserName: nameOf(body)}
	s.Full = attrRead(ctx, env, id, nil)
	return s
}

// attrRead GETs the User id with query q and returns its representation;
// the spec fails (citing 7644-3.9-02) unless the answer is 200 with an object.
func attrRead(ctx context.Context, env *Env, id string, q map[string][]string) map[string]any {
	GinkgoHelper()
	p := env.Endpoint("User") + "/" + id
	resp := env.Get(ctx, p, q)
	if resp.Status != http.StatusOK {
		Fail(fmt.Sprintf("%s: GET %s names the User this run just created; answer 200 OK with its representation (got HTTP %d)",
			cite("7644-3.9-02"), lqShow(p, q), resp.Status))
	}
	return decodeObject(resp, "the body of GET "+lqShow(p, q), "7644-3.9-02")
}

// attrPath is an attribute name in standard attribute notation (RFC 7644
// §3.10), resolved: ext is the extension URN ("" for the core schema),
// name the attribute ("" for the whole extension), sub the sub-attribute.
type attrPath struct {
	ext, name, sub string
}

// attrParse resolves a path against the User schemas the specs use.
func attrParse(p string) attrPath {
	lp := strings.ToLower(p)
	ent := strings.ToLower(scim.SchemaEnterpriseUser)
	core := strings.ToLower(scim.SchemaUser)
	var out attrPath
	switch {
	case lp == ent:
		return attrPath{ext: scim.SchemaEnterpriseUser}
	case strings.HasPrefix(lp, ent+":"):
		out.ext, p = scim.SchemaEnterpriseUser, p[len(ent)+1:]
	case strings.HasPrefix(lp, core+":"):
		p = p[len(core)+1:]
	}
	out.name, out.sub, _ = strings.Cut(p, ".")
	return out
}

// String renders the path in standard attribute notation.
func (a attrPath) String() string {
	s := a.name
	if a.sub != "" {
		s += "." + a.sub
	}
	if a.ext != "" {
		if s == "" {
			return a.ext
		}
		return a.ext + ":" + s
	}
	return s
}

// covers reports whether the request entry a names attribute c (c has no
// sub-attribute): the whole attribute, the whole extension, or a
// sub-attribute of c (sub != "").
func (a attrPath) covers(c attrPath) (whole, sub bool) {
	if !strings.EqualFold(a.ext, c.ext) {
		return false, false
	}
	if a.name == "" {
		return true, false
	}
	if !strings.EqualFold(a.name, c.name) {
		return false, false
	}
	return a.sub == "", a.sub != ""
}

// attrLookup returns the value of path in a representation; present is
// false for a missing, null or empty value. A sub-attribute of a
// multi-valued attribute is present when any value has it.
func attrLookup(obj map[string]any, a attrPath) (any, bool) {
	container := obj
	if a.ext != "" {
		c, ok := memberObject(obj, a.ext)
		if !ok {
			return nil, false
		}
		if a.name == "" {
			return c, len(c) > 0
		}
		container = c
	}
	v, _ := member(container, a.name)
	if a.sub == "" {
		return v, attrNonEmpty(v)
	}
	switch t := v.(type) {
	case map[string]any:
		sv, _ := member(t, a.sub)
		return sv, attrNonEmpty(sv)
	case []any:
		for _, e := range t {
			if m, ok := e.(map[string]any); ok {
				if sv, _ := member(m, a.sub); attrNonEmpty(sv) {
					return sv, true
				}
			}
		}
	}
	return nil, false
}

func attrNonEmpty(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case string:
		return t != ""
	case []any:
		return len(t) > 0
	case map[string]any:
		return len(t) > 0
	}
	return true
}

// attrCandidates are the attributes whose presence the specs judge: id
// and the attributes attrUserBody sets (those the server kept). schemas
// and meta are left out: their presence under selection is unpredictable
// (ambiguities.md D6).
var attrCandidates = []attrPath{
	{name: "id"}, {name: "userName"}, {name: "name"}, {name: "displayName"}, {name: "title"},
	{name: "emails"}, {name: "phoneNumbers"}, {name: "active"},
	{ext: scim.SchemaEnterpriseUser, name: "employeeNumber"}, {ext: scim.SchemaEnterpriseUser, name: "department"},
}

// attrReturned is the "returned" characteristic the server publishes for
// attribute c (RFC 7643 §7), lower-cased; id is always returned (RFC 7643
// §3.1). Unpublished attributes count as "default".
func attrReturned(env *Env, c attrPath) string {
	if c.ext == "" && strings.EqualFold(c.name, "id") {
		return "always"
	}
	urn := c.ext
	if urn == "" {
		urn = scim.SchemaUser
	}
	if env.Caps != nil {
		if s, ok := env.Caps.Schema(urn); ok {
			if a, ok := s.Attribute(c.name); ok && a.Returned != "" {
				return strings.ToLower(a.Returned)
			}
		}
	}
	return "default"
}

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
// §3.1 for id); notes are readings ambiguities.md D6 allows (a
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
// sub-attributes still returned, are notes (D6: sub-attribute semantics
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
			notes = append(notes, fmt.Sprintf("%s is still returned although excludedAttributes names it; RFC 7644 leaves sub-attribute exclusion to inference (ambiguities.md D6)", p))
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
				notes = append(notes, fmt.Sprintf("%s.%s is returned although only %s of %s was requested; accepted (ambiguities.md D6)",
					c, k, strings.Join(subs, ", "), c))
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
