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
	return corePrune(env, coreUser, body) // nothing the server's schema does not declare
}

// attrCreate POSTs body to /Users (with query parameters q, may be nil)
// and tracks what it created, with its cleanup registered at once, also
// when the server answers 200 instead of 201 (the create specs judge
// that). It returns the response and the id ("" when nothing was created).
func attrCreate(ctx context.Context, env *Env, body map[string]any, q map[string][]string) (*scim.Response, string) {
	GinkgoHelper()
	endpoint := env.Endpoint("User")
	resp := lqSend(ctx, env, scim.Request{Method: http.MethodPost, Path: endpoint, Query: q, Body: body})
	return resp, env.Claim(ctx, endpoint, body, resp)
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
// (docs/interpretations.md#i6).
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

// sentAmong returns the names of top-level attributes body carries, in the
// order given: a spec names only attributes the schema-pruned body sent.
func sentAmong(body map[string]any, names ...string) []string {
	var out []string
	for _, n := range names {
		if _, ok := body[n]; ok {
			out = append(out, n)
		}
	}
	return out
}
