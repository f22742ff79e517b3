package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Shared helpers of the core suites (schema, create, read, replace, delete,
// errors, media-type, auth, /Me). Names start with "core" so that they
// cannot collide with the helpers of the other suites in this package.

// Resource type names as RFC 7643 §6 registers them.
const (
	coreUser  = "User"
	coreGroup = "Group"
)

// coreUserBody builds a User create body named env.Name(part): userName,
// name, displayName, work and home emails (work primary), a phone number,
// active and, when the User resource type declares it, enterprise
// extension values. Attributes the server's published schemas do not
// declare, or declare readOnly, are left out. No password is sent.
func coreUserBody(env *Env, part string) map[string]any {
	userName := env.Name(part)
	local := strings.ToLower(userName)
	body := map[string]any{
		"schemas":  []any{scim.SchemaUser},
		"userName": userName,
		"name": map[string]any{
			"givenName":  "Ada",
			"familyName": "Lovelace",
			"formatted":  "Ada Lovelace",
		},
		"displayName": "Ada Lovelace " + userName,
		"emails": []any{
			map[string]any{"value": local + "@work.example.com", "type": "work", "primary": true},
			map[string]any{"value": local + "@home.example.org", "type": "home"},
		},
		"phoneNumbers": []any{map[string]any{"value": "tel:+1-201-555-0123", "type": "work"}},
		"active":       true,
	}
	if env.Caps.Has(spec.FeatureEnterpriseUser) {
		body["schemas"] = []any{scim.SchemaUser, scim.SchemaEnterpriseUser}
		body[scim.SchemaEnterpriseUser] = map[string]any{
			"employeeNumber": "E-" + userName,
			"department":     "Conformance",
			"organization":   "scimconform",
		}
	}
	return corePrune(env, coreUser, body)
}

// coreGroupBody builds a Group create body named env.Name(part) whose
// members are the given User ids.
func coreGroupBody(env *Env, part string, memberIDs ...string) map[string]any {
	body := map[string]any{
		"schemas":     []any{scim.SchemaGroup},
		"displayName": env.Name(part),
	}
	if len(memberIDs) > 0 {
		members := make([]any, 0, len(memberIDs))
		for _, id := range memberIDs {
			members = append(members, map[string]any{"value": id})
		}
		body["members"] = members
	}
	return corePrune(env, coreGroup, body)
}

// corePrune drops the members of body that the published schemas of
// resource type rtName do not declare or declare readOnly, and extension
// containers the resource type does not declare. Without published schemas
// body is returned unchanged.
func corePrune(env *Env, rtName string, body map[string]any) map[string]any {
	view, ok := coreSchemaView(env, rtName)
	if !ok {
		return body
	}
	var schemas []any
	for _, s := range body["schemas"].([]any) {
		if id := s.(string); strings.EqualFold(id, view.Base.ID) || view.extension(id) != nil {
			schemas = append(schemas, s)
		}
	}
	body["schemas"] = schemas
	for k, v := range body {
		if k == "schemas" {
			continue
		}
		if strings.HasPrefix(strings.ToLower(k), "urn:") {
			ext := view.extension(k)
			obj, isObj := v.(map[string]any)
			if ext == nil || !isObj {
				delete(body, k)
				continue
			}
			for sk := range obj {
				if a, ok := ext.Attribute(sk); !ok || strings.EqualFold(a.Mutability, "readOnly") {
					delete(obj, sk)
				}
			}
			continue
		}
		if a, ok := view.Base.Attribute(k); !ok || strings.EqualFold(a.Mutability, "readOnly") {
			delete(body, k)
		}
	}
	return body
}

// coreCreate POSTs body to the endpoint of resource type rtName. Whatever
// the server creates is tracked and cleaned up: env.Create tracks a 201,
// and a 200 with an id (a server answering creates with the wrong status)
// (or a 201 whose id is only in Location) is tracked here. It returns the response and the new id ("" when
// nothing was created).
func coreCreate(ctx context.Context, env *Env, rtName string, body map[string]any) (*scim.Response, string) {
	GinkgoHelper()
	return env.Create(ctx, env.Endpoint(rtName), body)
}

// coreCreateSubject creates the resource whose create the spec examines
// (the create suites): when the server refuses it, that is the spec's own
// failure, not missing data. It returns like coreMustCreate.
func coreCreateSubject(ctx context.Context, env *Env, rtName string, body map[string]any) (*scim.Response, map[string]any, string) {
	GinkgoHelper()
	resp, id := coreCreate(ctx, env, rtName, body)
	if id == "" {
		createRefusedCause(env.Endpoint(rtName), resp)
		Fail(fmt.Sprintf("POST %s did not create the %s this spec examines (%s): a valid create must succeed with 201 Created and the new resource (RFC 7644 §3.3). %s",
			env.Endpoint(rtName), rtName, coreStatus(resp.Status), coreErrorNote(resp)+env.templateHint(env.Endpoint(rtName), resp)))
	}
	obj, err := resp.Object()
	if err != nil {
		obj = map[string]any{}
	}
	return resp, obj, id
}

// coreMustCreate creates a resource a spec needs and returns the create
// response, its body (empty when it has none) and the new id. The spec
// stops when nothing was created; the create specs judge the status.
func coreMustCreate(ctx context.Context, env *Env, rtName string, body map[string]any) (*scim.Response, map[string]any, string) {
	GinkgoHelper()
	resp, id := coreCreate(ctx, env, rtName, body)
	if id == "" {
		env.setupCreateFailed(env.Endpoint(rtName), resp, "the spec needs a "+rtName)
	}
	obj, err := resp.Object()
	if err != nil {
		obj = map[string]any{}
	}
	return resp, obj, id
}

// corePath is the path of a resource of type rtName with id.
func corePath(env *Env, rtName, id string) string {
	return env.Endpoint(rtName) + "/" + url.PathEscape(id)
}

// coreGet GETs a resource by id and returns its representation; the spec
// fails (citing req) unless the answer is 200 with a JSON object.
func coreGet(ctx context.Context, env *Env, rtName, id, req string) map[string]any {
	GinkgoHelper()
	return coreGetQuery(ctx, env, rtName, id, nil, req)
}

// coreGetQuery is coreGet with query parameters.
func coreGetQuery(ctx context.Context, env *Env, rtName, id string, q url.Values, req string) map[string]any {
	GinkgoHelper()
	p := corePath(env, rtName, id)
	resp := env.Get(ctx, p, q)
	Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf(
		"%s: GET %s names a %s this run created and has not deleted; return it with 200 OK", cite(req), p, rtName)))
	return decodeObject(resp, "the GET "+p+" body", req)
}

// coreExpectError asserts an error answer: first the HTTP status (why says
// which requirement wants it and what to change), then an RFC 7644 §3.12
// Error body whose status repeats it and, when scimType is non-empty, that
// scimType. Specs calling it carry 7644-3.12-01 among their requirements.
// It returns the matcher so that a spec may read the parsed body.
func coreExpectError(resp *scim.Response, status int, scimType, why string) *matchers.SCIMErrorMatcher {
	GinkgoHelper()
	Expect(resp).To(matchers.HaveStatus(status, why))
	m := matchers.HaveSCIMError(status, scimType)
	expectSCIMError(resp, m, "%s: an error answer carries a JSON body {\"schemas\": [%q], \"status\": \"%d\", \"scimType\": ..., \"detail\": ...} (RFC 7644 §3.12); fix each problem listed.",
		cite("7644-3.12-01"), scim.MessageError, status)
	return m
}

// expectSCIMError asserts m (a HaveSCIMError) on resp with the spec's
// description why. When the answer has the expected status but its body is
// not a well-formed SCIM Error (not JSON, no Error schema, no status), that
// is named as the cause: every spec meeting the same malformed error body
// shares one finding, whichever request it sent.
func expectSCIMError(resp *scim.Response, m *matchers.SCIMErrorMatcher, why ...any) {
	GinkgoHelper()
	if ok, err := m.Match(resp); err == nil && !ok {
		if kind, text := m.FormatProblem(); kind != "" {
			addCause("scim-error-body "+kind, "error answers are not SCIM Error bodies (RFC 7644 §3.12): "+text)
		}
	}
	Expect(resp).To(m, why...)
}

// coreErrorNote summarises an error body for a failure message.
func coreErrorNote(resp *scim.Response) string {
	if resp == nil || resp.Status < 300 {
		return ""
	}
	e, err := matchers.ParseSCIMError(resp.Body)
	if err != nil || (e.Detail == "" && e.ScimType == "") {
		return ""
	}
	return fmt.Sprintf("The server said: scimType %q, detail %q.", e.ScimType, e.Detail)
}

// coreMeta returns the meta object of a representation (nil when absent).
func coreMeta(obj map[string]any) map[string]any {
	m, _ := memberObject(obj, "meta")
	return m
}

// coreMetaString returns meta.<name> of a representation.
func coreMetaString(obj map[string]any, name string) string {
	s, _ := memberString(coreMeta(obj), name)
	return s
}

// coreSameURI reports whether two URIs name the same resource: equal after
// resolving both against base and ignoring a trailing slash and the case of
// scheme and host.
func coreSameURI(base, a, b string) bool {
	na, nb := coreNormalURI(base, a), coreNormalURI(base, b)
	return na != "" && na == nb
}

func coreNormalURI(base, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	if b, err := url.Parse(base); err == nil && base != "" {
		u = b.ResolveReference(u)
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if (u.Scheme == "https" && strings.HasSuffix(u.Host, ":443")) || (u.Scheme == "http" && strings.HasSuffix(u.Host, ":80")) {
		u.Host = u.Host[:strings.LastIndexByte(u.Host, ':')]
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u.String()
}

// coreIsSuccess reports a 2xx status.
func coreIsSuccess(status int) bool { return status >= 200 && status <= 299 }

// coreDelete deletes a resource the spec created and expects any 2xx (the
// delete specs judge 204 themselves).
func coreDelete(ctx context.Context, env *Env, rtName, id string) {
	GinkgoHelper()
	p := corePath(env, rtName, id)
	resp := env.Delete(ctx, p)
	if !coreIsSuccess(resp.Status) {
		Fail(fmt.Sprintf("%s: DELETE %s must delete the %s this run created (204 No Content); got %s. %s",
			cite("7644-3.6-05"), p, rtName, coreStatus(resp.Status), coreErrorNote(resp)))
	}
	env.Ledger.Deleted(env.Endpoint(rtName), id)
}

// coreStatus renders "404 Not Found".
func coreStatus(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}

// corePresent renders a looked-up value for a message: "absent" or its JSON.
func corePresent(v any, ok bool) string {
	if !ok {
		return "absent"
	}
	return quoteJSON(v)
}

// coreSameInstant reports whether two dateTime strings name the same
// instant (docs/interpretations.md#i18: whole seconds, UTC).
func coreSameInstant(a, b string) bool {
	ta, errA := coreParseTime(a)
	tb, errB := coreParseTime(b)
	return errA == nil && errB == nil && ta.Truncate(time.Second).Equal(tb.Truncate(time.Second))
}

// coreParseTime parses an xsd:dateTime; a value without zone is UTC.
func coreParseTime(s string) (time.Time, error) {
	if m := xsdDateTime.FindStringSubmatch(s); m != nil && m[8] == "" {
		s += "Z"
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse dateTime %q: %w", s, err)
	}
	return t, nil
}

// coreUserNameFilter is a filter matching the Users with one of the names.
func coreUserNameFilter(names ...string) url.Values {
	parts := make([]string, 0, len(names))
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("userName eq %q", n))
	}
	return url.Values{"filter": {strings.Join(parts, " or ")}}
}

// coreContainsFold reports whether list holds s, ignoring case.
func coreContainsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// coreSchemasOf returns the string values of a representation's schemas.
func coreSchemasOf(obj map[string]any) []string {
	list, _ := memberList(obj, "schemas")
	out := make([]string, 0, len(list))
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
