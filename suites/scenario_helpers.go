package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Helpers of the scenario journeys. Names start with "scn". Every resource
// a journey touches is one it created through the resource kit, and every
// query it sends is restricted to values carrying the run prefix, so a
// journey judges only its own resources.

// scnExt is the enterprise User extension URN.
const scnExt = scim.SchemaEnterpriseUser

// scnDeptPath is the filter and PATCH path of the enterprise department.
const scnDeptPath = scnExt + ":department"

// scnUserBody is the User create body of coreUserBody with the enterprise
// values given in ext (department, division, ...) when the server declares
// the extension, and the given externalId ("" for none).
func scnUserBody(env *Env, part, externalID string, ext map[string]any) map[string]any {
	body := coreUserBody(env, part)
	if externalID != "" {
		body["externalId"] = externalID
	}
	if len(ext) > 0 {
		e, _ := body[scnExt].(map[string]any)
		if e == nil {
			e = map[string]any{}
			body["schemas"] = append(body["schemas"].([]any), scnExt)
		}
		for k, v := range ext {
			e[k] = v
		}
		body[scnExt] = e
	}
	return body
}

// scnCreate creates a resource of type rt that the step itself examines:
// a refused create fails the step (citing 7644-3.3-07).
func scnCreate(ctx context.Context, env *Env, rt string, body map[string]any) (Resource, *scim.Response, map[string]any) {
	GinkgoHelper()
	resp, obj, id := coreCreateSubject(ctx, env, rt, body)
	r := Resource{Endpoint: env.Endpoint(rt), ID: id}
	scnOwn(env, r)
	Expect(resp).To(matchers.HaveStatus(http.StatusCreated, cite("7644-3.3-07")+": a create that succeeds answers 201 Created"))
	return r, resp, obj
}

// scnOwn ends the journey SKIPPED (data missing) when the run cannot prove
// it created r: a journey goes on to write to its resources and to name
// them as Group members, which would change a resource that is not the
// run's. The create specs judge such an answer.
func scnOwn(env *Env, r Resource) {
	GinkgoHelper()
	if !env.Ledger.IsLive(r.Endpoint, r.ID) {
		Skip(fmt.Sprintf("%sPOST %s answered with %s, which the run cannot prove it created; a journey uses only its own resources, and the create specs judge the answer",
			spec.SkipDataMissingPrefix, r.Endpoint, r.Path()))
	}
}

// scnSetup creates a resource the journey needs but does not examine: a
// refused create ends the journey SKIPPED (data missing).
func scnSetup(ctx context.Context, env *Env, rt string, body map[string]any) Resource {
	GinkgoHelper()
	_, _, id := coreMustCreate(ctx, env, rt, body)
	r := Resource{Endpoint: env.Endpoint(rt), ID: id}
	scnOwn(env, r)
	return r
}

// scnRead GETs r and requires 200 with a JSON object.
func scnRead(ctx context.Context, env *Env, r Resource, req string) (*scim.Response, map[string]any) {
	GinkgoHelper()
	resp := env.Get(ctx, r.Path(), nil)
	Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf(
		"%s: GET %s names a resource this run created and has not deleted; return it with 200 OK", cite(req), r.Path())))
	return resp, decodeObject(resp, "the GET "+r.Path()+" body", req)
}

// scnFind sends GET endpoint?filter=f and returns the ids it lists. A
// filter the server declines with the RFC's own answer ends the journey NOT
// SUPPORTED (gateOptionalRefusal). Every filter a journey sends names a
// value carrying the run prefix, so the answer holds the run's resources
// only.
func scnFind(ctx context.Context, env *Env, rt, filter, req string) []string {
	GinkgoHelper()
	q := url.Values{"filter": {filter}}
	path := env.Endpoint(rt)
	resp := env.Get(ctx, path, q)
	gateOptionalRefusal(resp, "GET "+lqShow(path, q))
	Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf(
		"%s: GET %s is a valid query; answer it with 200 OK and a ListResponse", cite(req), lqShow(path, q))))
	return lqParse(resp, "GET "+lqShow(path, q), req).IDs()
}

// scnExpectFound fails unless the filter lists id exactly once.
func scnExpectFound(ctx context.Context, env *Env, rt, filter, id, req, what string) {
	GinkgoHelper()
	ids := scnFind(ctx, env, rt, filter, req)
	if scnCount(ids, id) != 1 {
		Fail(fmt.Sprintf("%s: the filter %s must list %s exactly once (%s); the answer listed ids %v",
			cite(req), filter, id, what, ids))
	}
}

// scnExpectNotFound fails when the filter lists id.
func scnExpectNotFound(ctx context.Context, env *Env, rt, filter, id, req, what string) {
	GinkgoHelper()
	ids := scnFind(ctx, env, rt, filter, req)
	if scnCount(ids, id) > 0 {
		Fail(fmt.Sprintf("%s: the filter %s must no longer list %s (%s); the answer listed ids %v",
			cite(req), filter, id, what, ids))
	}
}

func scnCount(ids []string, id string) int {
	n := 0
	for _, x := range ids {
		if x == id {
			n++
		}
	}
	return n
}

// scnPatch sends a PATCH to r and requires 200 or 204 (7644-3.5.2-17).
func scnPatch(ctx context.Context, env *Env, r Resource, what string, ops ...map[string]any) {
	GinkgoHelper()
	patchOK(ctx, env, r, "7644-3.5.2-17", what, ops...)
}

// scnWrite sends method (PUT or PATCH) to r with an If-Match header (none
// when tag is "").
func scnWrite(ctx context.Context, env *Env, method string, r Resource, tag string, body any) *scim.Response {
	GinkgoHelper()
	req := scim.Request{Method: method, Path: r.Path(), Body: body}
	if tag != "" {
		req.Header = http.Header{"If-Match": {tag}}
	}
	return env.Do(ctx, req)
}

// scnTag returns the entity tag of a response (ETag header, else
// meta.version); the journey fails, citing 7644-3.14-02, when there is none.
func scnTag(resp *scim.Response, what string) string {
	GinkgoHelper()
	tag, _ := etagOf(resp)
	if tag == "" {
		Fail(fmt.Sprintf("%s: the server advertises ETag support, but %s carries no ETag header and no meta.version", cite("7644-3.14-02"), what))
	}
	return tag
}

// scnExtValue returns the enterprise extension's attribute name of a
// representation ("" when absent).
func scnExtValue(obj map[string]any, name string) string {
	ext, _ := memberObject(obj, scnExt)
	s, _ := memberString(ext, name)
	return s
}

// scnMemberIDs returns the values of a Group's members.
func scnMemberIDs(group map[string]any) []string {
	list, _ := memberList(group, "members")
	var out []string
	for _, m := range list {
		if obj, ok := m.(map[string]any); ok {
			if v, ok := memberString(obj, "value"); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

// scnReplaceBody turns a representation into a PUT body: the server's own
// view minus meta (the client sends back what it read, RFC 7644 §3.5.1).
func scnReplaceBody(obj map[string]any) map[string]any {
	body := make(map[string]any, len(obj))
	for k, v := range obj {
		if !strings.EqualFold(k, "meta") {
			body[k] = v
		}
	}
	return body
}

// scnNeedDept ends the journey NOT SUPPORTED unless Users have a writable
// enterprise department.
func scnNeedDept(env *Env, why string) {
	GinkgoHelper()
	scenarioNeedAttr(env, coreUser, scnDeptPath, why)
}

// scnAdvanced reports whether the version or lastModified of after differ
// from before's, and describes both for a message.
func scnAdvanced(before, after map[string]any) (version, modified bool, note string) {
	v0, v1 := coreMetaString(before, "version"), coreMetaString(after, "version")
	m0, m1 := coreMetaString(before, "lastModified"), coreMetaString(after, "lastModified")
	t0, err0 := coreParseTime(m0)
	t1, err1 := coreParseTime(m1)
	modified = err0 == nil && err1 == nil && t1.After(t0)
	version = v0 != "" && v1 != "" && v0 != v1
	note = fmt.Sprintf("meta.version %q then %q, meta.lastModified %q then %q", v0, v1, m0, m1)
	return version, modified, note
}

// scnSkipUnsupported ends the journey NOT SUPPORTED with reason.
func scnSkipUnsupported(reason string) {
	GinkgoHelper()
	Skip(spec.SkipUnsupportedPrefix + reason)
}
