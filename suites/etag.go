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
	"github.com/scimconform/scimconform/internal/spec"
)

// The ETag suite: RFC 7644 §3.14 (resource versioning with HTTP entity
// tags), when the server advertises etag.supported. Each spec creates its
// own User. Weak tags follow docs/interpretations.md#i5: the harness sends back
// exactly the tag it received and tests for 412 only with a stale tag.
var _ = DescribeSCIM("ETags", spec.Area("etag"), spec.Requires(spec.FeatureETag, spec.FeatureUsers), spec.Mutating, func(env *Env) {
	Context("ETag response header", func() { describeETagHeaders(env) })
	Context("versions across reads and writes", func() { describeETagVersions(env) })
	Context("conditional GET with If-None-Match", func() { describeIfNoneMatch(env) })
	Context("conditional writes with If-Match", func() { describeIfMatch(env) })
})

func describeETagHeaders(env *Env) {
	// 7644-3.14-02: the 201 of a create carries the new resource's ETag header.
	It("sends an ETag header with the 201 response of a create", spec.Req("7644-3.14-02"), spec.MUST, func(ctx SpecContext) {
		_, resp := etagCreateUser(ctx, env, "etag-post")
		expectETagHeader(resp, "the response to POST "+env.Endpoint("User"))
	})

	// 7644-3.14-02: a GET of a resource carries its ETag header.
	It("sends an ETag header with the response of a GET", spec.Req("7644-3.14-02"), spec.MUST, func(ctx SpecContext) {
		f, _ := etagCreateUser(ctx, env, "etag-get")
		resp, _ := etagRead(ctx, env, f, cite("7644-3.14-02")+": the User created for this spec must be readable")
		expectETagHeader(resp, "the response to GET "+f.Path)
	})

	// 7644-3.14-02: the 200 of a PUT carries the replaced resource's ETag header.
	It("sends an ETag header with the response of a PUT", spec.Req("7644-3.14-02"), spec.MUST, func(ctx SpecContext) {
		f, _ := etagCreateUser(ctx, env, "etag-put")
		resp := etagWrite(ctx, env, f, http.MethodPut, f.UserName+" v2", nil)
		Expect(resp).To(matchers.HaveStatus(http.StatusOK, "setup: a PUT replacing displayName must succeed so its ETag can be checked"))
		expectETagHeader(resp, "the response to PUT "+f.Path)
	})

	// 7644-3.14-02: a PATCH answered with the resource carries its ETag header.
	It("sends an ETag header with the response of a PATCH", spec.Req("7644-3.14-02"), spec.MUST, spec.Requires(spec.FeaturePatch), func(ctx SpecContext) {
		f, _ := etagCreateUser(ctx, env, "etag-patch")
		resp := etagWrite(ctx, env, f, http.MethodPatch, f.UserName+" v2", nil)
		Expect(resp.Status).To(BeElementOf(http.StatusOK, http.StatusNoContent),
			"setup: a PATCH replacing displayName must succeed (200 or 204) so its ETag can be checked; got HTTP %d", resp.Status)
		if resp.Status == http.StatusNoContent && resp.Header.Get("ETag") == "" {
			env.Info("PATCH answered 204 No Content without an ETag header; with no representation in the response this is accepted (%s), the next GET carries the tag", interpretation(14))
			return
		}
		expectETagHeader(resp, "the response to PATCH "+f.Path)
	})

	// 7644-3.14-02: meta.version should hold the same entity tag as the ETag header.
	It("repeats the ETag header value in meta.version on create, read, replace and modify", spec.Req("7644-3.14-02"), spec.SHOULD, func(ctx SpecContext) {
		f, created := etagCreateUser(ctx, env, "etag-version")
		read, _ := etagRead(ctx, env, f, cite("7644-3.14-02")+": the User created for this spec must be readable")
		checks := []etagResponse{{"POST " + env.Endpoint("User"), created}, {"GET " + f.Path, read},
			{"PUT " + f.Path, etagWrite(ctx, env, f, http.MethodPut, f.UserName+" v2", nil)}}
		if env.Caps.Has(spec.FeaturePatch) {
			checks = append(checks, etagResponse{"PATCH " + f.Path, etagWrite(ctx, env, f, http.MethodPatch, f.UserName+" v3", nil)})
		}
		var problems []string
		compared := 0
		for _, c := range checks {
			p, ok := versionHeaderProblem(c.resp)
			if ok {
				compared++
			}
			if p != "" {
				problems = append(problems, c.what+": "+p)
			}
		}
		if compared == 0 && len(problems) == 0 {
			env.Info("no response carried both an ETag header and a resource body, so nothing could be compared (the ETag header specs report a missing header)")
		}
		failProblems(cite("7644-3.14-02")+": meta.version should carry exactly the entity tag of the ETag header, so clients reading either get the same version ("+interpretation(5)+": only a SHOULD):", problems)
	})
}

// etagResponse is one response of a spec, named by its request.
type etagResponse struct {
	what string
	resp *scim.Response
}

// expectETagHeader fails the spec when resp has no ETag header.
func expectETagHeader(resp *scim.Response, what string) {
	GinkgoHelper()
	Expect(resp).To(matchers.HaveHeader("ETag"), "%s: %s carries no ETag header. A server advertising etag.supported must send the resource's entity tag in the ETag HTTP header of every response carrying the resource.",
		cite("7644-3.14-02"), what)
}

// versionHeaderProblem compares the ETag header of a response with the
// meta.version of its body. ok is true when both could be read.
func versionHeaderProblem(resp *scim.Response) (problem string, ok bool) {
	header := strings.TrimSpace(resp.Header.Get("ETag"))
	if header == "" || resp.Status == http.StatusNoContent {
		return "", false
	}
	obj, err := resp.Object()
	if err != nil {
		return "", false
	}
	v, has := etagMetaVersion(obj)
	switch {
	case !has:
		return fmt.Sprintf("the ETag header is %s but the body has no meta.version", header), false
	case v != header:
		return fmt.Sprintf("the ETag header is %s but meta.version is %s", header, v), true
	}
	return "", true
}

func describeETagVersions(env *Env) {
	// 7644-3.14-02, 7644-3.14-03: reading a resource leaves its entity tag alone.
	It("keeps the same ETag across reads of an unmodified resource", spec.Req("7644-3.14-02", "7644-3.14-03"), spec.MUST, func(ctx SpecContext) {
		f, created := etagCreateUser(ctx, env, "etag-stable")
		first := etagTag(ctx, env, f, "7644-3.14-02")
		second := etagTag(ctx, env, f, "7644-3.14-02")
		Expect(second).To(Equal(first), "%s: two GETs of %s with no write in between returned the entity tags %s and %s. A tag that changes on reads makes every If-Match fail and every If-None-Match miss; derive it from the stored version only.",
			cite("7644-3.14-02"), f.Path, first, second)
		if tag, _ := etagOf(created); tag != "" && tag != first {
			env.Warn("the create answered with entity tag %s but the next GET, with no write in between, with %s; a client using the tag of the create for its first If-Match will be refused", tag, first)
		}
	})

	// 7644-3.14-02, 7644-3.14-03: a PUT that changes the resource gives it a new entity tag.
	It("changes the ETag when a PUT modifies the resource", spec.Req("7644-3.14-02", "7644-3.14-03"), spec.MUST, func(ctx SpecContext) {
		expectNewVersion(ctx, env, http.MethodPut)
	})

	// 7644-3.14-02, 7644-3.14-03: a PATCH that changes the resource gives it a new entity tag.
	It("changes the ETag when a PATCH modifies the resource", spec.Req("7644-3.14-02", "7644-3.14-03"), spec.MUST, spec.Requires(spec.FeaturePatch), func(ctx SpecContext) {
		expectNewVersion(ctx, env, http.MethodPatch)
	})
}

// expectNewVersion modifies a fresh User with method and checks that the
// entity tag changed, and that the write response announced the tag a GET
// then returns.
func expectNewVersion(ctx context.Context, env *Env, method string) {
	GinkgoHelper()
	f, _ := etagCreateUser(ctx, env, "etag-change")
	before := etagTag(ctx, env, f, "7644-3.14-02")
	value := f.UserName + " v2"
	resp := etagWrite(ctx, env, f, method, value, nil)
	if resp.Status != http.StatusOK && resp.Status != http.StatusNoContent {
		FailHarness("setup: %s %s answered HTTP %d, so no new version could be produced; the %s specs report why", method, f.Path, resp.Status, strings.ToLower(method))
	}
	written, _ := etagOf(resp)
	after := etagTag(ctx, env, f, "7644-3.14-02")
	Expect(after).NotTo(Equal(before), "%s: after %s changed displayName of %s, GET returns the same entity tag %s as before. The tag must identify the version: give every modification a new one, or If-Match cannot detect concurrent changes and If-None-Match serves stale data.",
		cite("7644-3.14-02"), method, f.Path, before)
	if written != "" && written != after {
		env.Warn("%s answered with entity tag %s, but the next GET (no write in between) returns %s; a client using the tag from the write response for its next If-Match will be refused", method, written, after)
	}
}
