package suites

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
)

// Helpers of the ETag (RFC 7644 §3.14) and concurrency suites. Each spec
// creates its own User, so specs never share mutable state.

// etagFixture is a User created for one spec, with the state the spec last
// saw of it.
type etagFixture struct {
	Path        string // "/Users/<id>"
	UserName    string
	DisplayName string // the displayName the harness last wrote
	Tag         string // the entity tag the harness last received
}

// etagUserBody is a minimal User carrying a displayName the specs change.
func etagUserBody(userName, displayName string) map[string]any {
	return map[string]any{
		"schemas":     []any{scim.SchemaUser},
		"userName":    userName,
		"displayName": displayName,
	}
}

// etagOf returns the entity tag a response announces: its ETag header, else
// meta.version of its body. fromHeader tells which. Specs that only need the
// current tag use this, so that a missing header fails the header spec and
// not every conditional-request spec.
func etagOf(resp *scim.Response) (tag string, fromHeader bool) {
	if h := strings.TrimSpace(resp.Header.Get("ETag")); h != "" {
		return h, true
	}
	if obj, err := resp.Object(); err == nil {
		if v, ok := etagMetaVersion(obj); ok {
			return v, false
		}
	}
	return "", false
}

// etagMetaVersion returns meta.version of a resource.
func etagMetaVersion(obj map[string]any) (string, bool) {
	meta, ok := memberObject(obj, "meta")
	if !ok {
		return "", false
	}
	v, ok := memberString(meta, "version")
	return v, ok && v != ""
}

// etagIsWeak reports whether an entity tag carries the W/ weakness indicator.
func etagIsWeak(tag string) bool { return strings.HasPrefix(tag, "W/") }

// etagCreateUser creates and tracks a User for one spec and returns it with
// the tag of the create response. Creating is judged by the create suite:
// when it does not work here the spec ends as ERROR.
func etagCreateUser(ctx context.Context, env *Env, part string) (*etagFixture, *scim.Response) {
	GinkgoHelper()
	name := env.Name(part)
	body := etagUserBody(name, name+" v1")
	resp, id := env.Create(ctx, env.Endpoint("User"), body)
	if id == "" {
		env.setupCreateFailed(env.Endpoint("User"), resp, fmt.Sprintf("the spec needs the User %q", name))
	}
	f := &etagFixture{Path: env.Endpoint("User") + "/" + id, UserName: name, DisplayName: name + " v1"}
	f.Tag, _ = etagOf(resp)
	return f, resp
}

// etagRead GETs the fixture, expects 200 and returns the response and body.
func etagRead(ctx context.Context, env *Env, f *etagFixture, why string) (*scim.Response, map[string]any) {
	GinkgoHelper()
	resp := env.Get(ctx, f.Path, nil)
	Expect(resp).To(matchers.HaveStatus(http.StatusOK, why))
	obj, err := resp.Object()
	if err != nil {
		Fail(fmt.Sprintf("%s: GET %s: %v", why, f.Path, err))
	}
	return resp, obj
}

// etagTag reads the fixture's current tag, failing the spec (with req) when
// the server announces none at all.
func etagTag(ctx context.Context, env *Env, f *etagFixture, req string) string {
	GinkgoHelper()
	resp, _ := etagRead(ctx, env, f, cite(req)+": the User created for this spec must be readable")
	tag, _ := etagOf(resp)
	if tag == "" {
		Fail(fmt.Sprintf("%s: GET %s carries neither an ETag header nor meta.version, although the server advertises etag.supported; send the resource's entity tag in the ETag header.",
			cite(req), f.Path))
	}
	f.Tag = tag
	return tag
}

// etagReplaceBody is the PUT body that sets the fixture's displayName.
func etagReplaceBody(f *etagFixture, displayName string) map[string]any {
	return etagUserBody(f.UserName, displayName)
}

// etagWrite sends a PUT, PATCH or DELETE of the fixture with extra headers.
// PUT and PATCH set displayName to value.
func etagWrite(ctx context.Context, env *Env, f *etagFixture, method, value string, header http.Header) *scim.Response {
	GinkgoHelper()
	req := scim.Request{Method: method, Path: f.Path, Header: header}
	switch method {
	case http.MethodPut:
		req.Body = etagReplaceBody(f, value)
	case http.MethodPatch:
		req.Body = PatchOp(Op("replace", "displayName", value))
	}
	return env.Do(ctx, req)
}

// ifMatch builds an If-Match (or If-None-Match) header carrying tag as is
// (docs/interpretations.md#i5: the harness sends back exactly what it received).
func etagHeader(name, tag string) http.Header {
	h := http.Header{}
	h.Set(name, tag)
	return h
}

// etagModify changes the fixture's displayName with a plain PUT (no
// precondition) and returns the new tag; the spec ends as ERROR when the
// server does not accept it (the replace specs judge PUT).
func etagModify(ctx context.Context, env *Env, f *etagFixture, value string) string {
	GinkgoHelper()
	resp := etagWrite(ctx, env, f, http.MethodPut, value, nil)
	if resp.Status != http.StatusOK {
		FailHarness("setup: PUT %s without a precondition answered HTTP %d, so this spec cannot produce a newer version; the replace specs report why", f.Path, resp.Status)
	}
	f.DisplayName = value
	tag, _ := etagOf(resp)
	if tag == "" {
		tag, _ = etagOf(env.Get(ctx, f.Path, nil))
	}
	f.Tag = tag
	return tag
}

// etagExpectUnchanged GETs the fixture and checks that displayName still holds
// the last value the harness wrote: a refused conditional write changed nothing.
func etagExpectUnchanged(ctx context.Context, env *Env, f *etagFixture, req, what string) {
	GinkgoHelper()
	_, obj := etagRead(ctx, env, f, cite(req)+": the User must still be readable after "+what)
	got, _ := memberString(obj, "displayName")
	Expect(got).To(Equal(f.DisplayName),
		"%s: after %s, GET %s shows displayName %q, want the unchanged %q: a request whose If-Match fails must not be performed at all (RFC 9110 §13.1.1).",
		cite(req), what, f.Path, got, f.DisplayName)
}

// etagExpectDisplayName GETs the fixture and checks displayName equals want.
func etagExpectDisplayName(ctx context.Context, env *Env, f *etagFixture, want, req, what string) {
	GinkgoHelper()
	_, obj := etagRead(ctx, env, f, cite(req)+": the User must be readable after "+what)
	got, _ := memberString(obj, "displayName")
	Expect(got).To(Equal(want), "%s: after %s, GET %s shows displayName %q, want %q: the write was answered with success but not stored.",
		cite(req), what, f.Path, got, want)
}

// etagTagNote explains, for a failure message, how the tag the harness sent
// relates to meta.version (the usual cause of a wrongly refused If-Match).
func etagTagNote(ctx context.Context, env *Env, f *etagFixture) string {
	resp := env.Get(ctx, f.Path, nil)
	obj, err := resp.Object()
	if err != nil {
		return ""
	}
	v, ok := etagMetaVersion(obj)
	h := strings.TrimSpace(resp.Header.Get("ETag"))
	if ok && h != "" && v != h {
		return fmt.Sprintf(" The ETag header (%s) differs from meta.version (%s): the server seems to compare If-Match against a value other than the ETag it sends.", h, v)
	}
	return ""
}
