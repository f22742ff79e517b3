package suites

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Helpers of the PATCH suite (RFC 7644 §3.5.2): builders of the Users and
// Groups each spec creates, the PATCH call with its success check, error
// expectations and read-back. Every identifier starts with "patch" so the
// other suites of package suites can never collide with these.

// patchUserBody is a User with a userName carrying the run prefix, a name
// (givenName, familyName) and one work email. extra members are added or
// override; an extra member keyed by an extension URN adds that URN to
// schemas.
func patchUserBody(env *Env, extra map[string]any) map[string]any {
	userName := env.Name("patch-user")
	body := map[string]any{
		"schemas":  []any{scim.SchemaUser},
		"userName": userName,
		"name":     map[string]any{"givenName": "Patch", "familyName": "Tester"},
		"emails":   []any{map[string]any{"value": patchEmail(userName, "work"), "type": "work"}},
	}
	body = corePrune(env, coreUser, body) // nothing the server's schema does not declare
	for k, v := range extra {
		body[k] = v
		if strings.HasPrefix(strings.ToLower(k), "urn:") {
			body["schemas"] = append(body["schemas"].([]any), k)
		}
	}
	return body
}

// patchEmail is an address in the example.com domain (RFC 2606) unique to
// the user and the label.
func patchEmail(userName, label string) string {
	return strings.ToLower(label + "." + userName + "@example.com")
}

// patchCreateUser creates a User for one spec (see patchUserBody).
func patchCreateUser(ctx context.Context, env *Env, extra map[string]any) Resource {
	GinkgoHelper()
	return patchCreate(ctx, env, env.Endpoint("User"), patchUserBody(env, extra))
}

// patchGroupBody is a Group with a displayName carrying the run prefix and
// the given member ids.
func patchGroupBody(env *Env, memberIDs ...string) map[string]any {
	body := map[string]any{
		"schemas":     []any{scim.SchemaGroup},
		"displayName": env.Name("patch-group"),
	}
	if len(memberIDs) > 0 {
		body["members"] = patchMemberValues(memberIDs...)
	}
	return body
}

// patchMemberValues is a members value array naming the ids.
func patchMemberValues(ids ...string) []any {
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		out = append(out, map[string]any{"value": id})
	}
	return out
}

// patchCreateGroup creates a Group for one spec, with the given members.
func patchCreateGroup(ctx context.Context, env *Env, memberIDs ...string) Resource {
	GinkgoHelper()
	return patchCreate(ctx, env, env.Endpoint("Group"), patchGroupBody(env, memberIDs...))
}

// patchCreate creates a resource with cleanup. A create answered 200 with
// an id (instead of 201) is tracked all the same: the create suite reports
// the status, this suite only needs the resource. Anything else means the
// spec cannot be judged (ERROR).
func patchCreate(ctx context.Context, env *Env, endpoint string, body map[string]any) Resource {
	GinkgoHelper()
	resp, id := env.Create(ctx, endpoint, body)
	if id == "" {
		env.setupCreateFailed(endpoint, resp, "the PATCH spec needs the resource it patches")
	}
	return Resource{Endpoint: endpoint, ID: id, Name: nameOf(body)}
}

// patchCreateUsers creates n Users with at most workers requests in flight
// (see Env.CreateMany). A failed create is a setup failure (ERROR).
func patchCreateUsers(ctx context.Context, env *Env, n, workers int) []Resource {
	GinkgoHelper()
	bodies := make([]map[string]any, n)
	for i := range bodies {
		bodies[i] = patchUserBody(env, nil)
	}
	out, failures := env.CreateMany(ctx, env.Endpoint("User"), bodies, workers)
	env.skipUnlessCreated(env.Endpoint("User"), n, failures)
	return out
}

// patchRead GETs a resource and returns it; a failed read-back is a setup
// failure (the read suites report it).
func patchRead(ctx context.Context, env *Env, r Resource) map[string]any {
	GinkgoHelper()
	resp := env.Get(ctx, r.Path(), nil)
	if resp.Status != http.StatusOK {
		FailHarness("reading back %s answered %s%s, so the result of the PATCH cannot be checked",
			r.Path(), patchStatus(resp.Status), patchErrorNote(resp))
	}
	obj, err := resp.Object()
	if err != nil {
		FailHarness("reading back %s: %v, so the result of the PATCH cannot be checked", r.Path(), err)
	}
	return obj
}

// patchOK sends a PATCH and requires success, 200 or 204 (7644-3.5.2-17,
// docs/interpretations.md#i14). req is the requirement the spec checks; what
// describes the request for the message.
func patchOK(ctx context.Context, env *Env, r Resource, req, what string, ops ...map[string]any) *scim.Response {
	GinkgoHelper()
	resp := env.Patch(ctx, r.Path(), ops...)
	if resp.Status == http.StatusOK || resp.Status == http.StatusNoContent {
		return resp
	}
	Fail(fmt.Sprintf("%s: %s is a valid request and must succeed with 200 (the resource) or 204, but the server answered %s%s. Accept and apply it.",
		cite(req), what, patchStatus(resp.Status), patchErrorNote(resp)))
	return nil
}

// patchStatus renders "400 Bad Request".
func patchStatus(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}

// patchErrorNote summarises the SCIM error of a response for a message:
// ` (scimType "noTarget", detail "...")`, or "" when there is none.
func patchErrorNote(resp *scim.Response) string {
	if resp == nil || resp.Status < 300 || len(resp.Body) == 0 {
		return ""
	}
	e, err := matchers.ParseSCIMError(resp.Body)
	if err != nil {
		return ""
	}
	var parts []string
	if e.ScimType != "" {
		parts = append(parts, fmt.Sprintf("scimType %q", e.ScimType))
	}
	if e.Detail != "" {
		d := e.Detail
		if len(d) > 160 {
			d = d[:160] + "…"
		}
		parts = append(parts, fmt.Sprintf("detail %q", d))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// patchTextPreference orders the core User attributes (RFC 7643 §4.1.1) a
// PATCH spec may set to an arbitrary text: writable, singular, no format
// of their own, no uniqueness. The spec uses the first the server declares.
var patchTextPreference = []string{"nickName", "title", "userType", "displayName"}

// patchTextAttr names the writable singular string attribute a PATCH spec
// sets (see patchTextAttrs).
func patchTextAttr(env *Env) string {
	GinkgoHelper()
	return patchTextAttrs(env, 1)[0]
}

// patchTextAttrs names n distinct writable, singular, non-unique string
// attributes of the published User schema, preferring patchTextPreference.
// A server that publishes no User schema is assumed to hold the core one.
// When the schema declares fewer, the spec ends NOT SUPPORTED naming what it
// needs: an attribute the server does not declare is never sent.
func patchTextAttrs(env *Env, n int) []string {
	GinkgoHelper()
	view, ok := coreSchemaView(env, coreUser)
	if !ok {
		return patchTextPreference[:n]
	}
	var out []string
	usable := func(a caps.Attribute) bool {
		return coreIs(a.Type, "string") && !a.MultiValued && !a.Required && coreIs(a.Mutability, "readWrite") &&
			(a.Uniqueness == "" || coreIs(a.Uniqueness, "none")) && !coreNotEchoed(a) && !coreIsCommon(a.Name) &&
			!coreIs(a.Name, "userName") && !coreIs(a.Name, "password")
	}
	for _, name := range patchTextPreference {
		if a, found := view.Base.Attribute(name); found && usable(a) && len(out) < n {
			out = append(out, a.Name)
		}
	}
	for _, a := range view.Base.Attributes {
		if len(out) < n && usable(a) && !coreContainsFold(out, a.Name) {
			out = append(out, a.Name)
		}
	}
	if len(out) < n {
		Skip(fmt.Sprintf("%sthe published User schema declares %d writable, singular, non-unique string attribute(s) (%s); this spec needs %d",
			spec.SkipUnsupportedPrefix, len(out), strings.Join(out, ", "), n))
	}
	return out
}

// patchReturnedAlways reports whether the published User schema marks a
// top-level attribute returned "always" (then it is in every response).
func patchReturnedAlways(env *Env, name string) bool {
	view, ok := coreSchemaView(env, coreUser)
	if !ok {
		return false
	}
	a, found := view.Base.Attribute(name)
	return found && coreIs(a.Returned, "always")
}
