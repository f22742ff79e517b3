package suites

import (
	"context"
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Conditional requests (RFC 7644 §3.14, RFC 9110 §13.1). The tags sent are
// exactly those received (docs/interpretations.md#i5). Specs that send a tag carry
// 7644-3.14-02 too: they rely on the ETag header being the version the
// server compares against.

func describeIfNoneMatch(env *Env) {
	// 7644-3.14-03: If-None-Match with the current tag answers 304 Not Modified.
	It("answers 304 Not Modified to a GET whose If-None-Match holds the current ETag", spec.Req("7644-3.14-02", "7644-3.14-03"), spec.MAY, func(ctx SpecContext) {
		f, _ := etagCreateUser(ctx, env, "etag-inm")
		tag := etagTag(ctx, env, f, "7644-3.14-02")
		resp := env.Do(ctx, scim.Request{Method: http.MethodGet, Path: f.Path, Header: etagHeader("If-None-Match", tag)})
		Expect(resp).To(matchers.HaveStatus(http.StatusNotModified, fmt.Sprintf(
			"%s: the resource has not changed since the client received ETag %s, so a GET carrying If-None-Match: %s should be answered 304 with no body (conditional retrieval, RFC 9110 §13.1.2).%s",
			cite("7644-3.14-03"), tag, tag, etagTagNote(ctx, env, f))))
	})

	// 7644-3.14-03: If-None-Match with an older tag returns the current resource.
	It("returns the current resource to a GET whose If-None-Match holds an older ETag", spec.Req("7644-3.14-02", "7644-3.14-03"), spec.MAY, func(ctx SpecContext) {
		f, _ := etagCreateUser(ctx, env, "etag-inm-old")
		old := etagTag(ctx, env, f, "7644-3.14-02")
		etagModify(ctx, env, f, f.UserName+" v2")
		resp := env.Do(ctx, scim.Request{Method: http.MethodGet, Path: f.Path, Header: etagHeader("If-None-Match", old)})
		Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf(
			"%s: the resource was modified after the client received ETag %s, so a GET with If-None-Match: %s must return the new version; a 304 here tells the client its stale copy is current (give every modification a new entity tag).",
			cite("7644-3.14-03"), old, old)))
		obj := decodeObject(resp, "the body of the conditional GET", "7644-3.14-03")
		got, _ := memberString(obj, "displayName")
		Expect(got).To(Equal(f.DisplayName), "%s: the conditional GET returned displayName %q, want the current %q.", cite("7644-3.14-03"), got, f.DisplayName)
	})
}

func describeIfMatch(env *Env) {
	// 7644-3.14-02, 7644-3.14-04: a PUT with the current tag in If-Match is performed.
	It("performs a PUT whose If-Match holds the current ETag", spec.Req("7644-3.14-02", "7644-3.14-04"), spec.MUST, func(ctx SpecContext) {
		expectCurrentIfMatch(ctx, env, http.MethodPut)
	})

	// 7644-3.14-02, 7644-3.14-04: a PATCH with the current tag in If-Match is performed.
	It("performs a PATCH whose If-Match holds the current ETag", spec.Req("7644-3.14-02", "7644-3.14-04"), spec.MUST, spec.Requires(spec.FeaturePatch), func(ctx SpecContext) {
		expectCurrentIfMatch(ctx, env, http.MethodPatch)
	})

	// 7644-3.14-02, 7644-3.14-04: a DELETE with the current tag in If-Match is performed.
	It("performs a DELETE whose If-Match holds the current ETag", spec.Req("7644-3.14-02", "7644-3.14-04"), spec.MUST, func(ctx SpecContext) {
		expectCurrentIfMatch(ctx, env, http.MethodDelete)
	})

	// 7644-3.14-02, 7644-3.14-04: a PUT with a stale tag is refused with 412 and changes nothing.
	It("refuses a PUT whose If-Match holds a stale ETag with 412 and leaves the resource unchanged", spec.Req("7644-3.14-02", "7644-3.14-04"), spec.MUST, func(ctx SpecContext) {
		expectStaleIfMatch(ctx, env, http.MethodPut)
	})

	// 7644-3.14-02, 7644-3.14-04: a PATCH with a stale tag is refused with 412 and changes nothing.
	It("refuses a PATCH whose If-Match holds a stale ETag with 412 and leaves the resource unchanged", spec.Req("7644-3.14-02", "7644-3.14-04"), spec.MUST, spec.Requires(spec.FeaturePatch), func(ctx SpecContext) {
		expectStaleIfMatch(ctx, env, http.MethodPatch)
	})

	// 7644-3.14-02, 7644-3.14-04: a DELETE with a stale tag is refused with 412 and deletes nothing.
	It("refuses a DELETE whose If-Match holds a stale ETag with 412 and keeps the resource", spec.Req("7644-3.14-02", "7644-3.14-04"), spec.MUST, func(ctx SpecContext) {
		expectStaleIfMatch(ctx, env, http.MethodDelete)
	})
}

// expectCurrentIfMatch sends method with If-Match: <current tag> and expects
// it performed. A 412 to a weak tag is the strong-comparison reading of
// docs/interpretations.md#i5: WARN, not FAIL.
func expectCurrentIfMatch(ctx context.Context, env *Env, method string) {
	GinkgoHelper()
	f, _ := etagCreateUser(ctx, env, "etag-im")
	tag := etagTag(ctx, env, f, "7644-3.14-04")
	value := f.UserName + " v2"
	resp := etagWrite(ctx, env, f, method, value, etagHeader("If-Match", tag))
	if resp.Status == http.StatusPreconditionFailed && etagIsWeak(tag) {
		env.Warn("%s with If-Match: %s (the weak tag the server itself sent) was refused with 412. RFC 9110 compares If-Match strongly, so a weak tag never matches; RFC 7644 §3.14 sends weak tags in If-Match. Clients following RFC 7644 cannot write conditionally here (%s): compare weakly, or issue strong tags.", method, tag, interpretation(5))
		return
	}
	want := []int{http.StatusOK, http.StatusNoContent}
	Expect(resp.Status).To(BeElementOf(want), "%s: %s %s with If-Match: %s, the tag the server sent for the current version, must be performed, got HTTP %d. Compare If-Match with the entity tag the server issued (RFC 9110 §13.1.1).%s",
		cite("7644-3.14-04"), method, f.Path, tag, resp.Status, etagTagNote(ctx, env, f))
	if method != http.MethodDelete {
		etagExpectDisplayName(ctx, env, f, value, "7644-3.14-04", method+" with the current If-Match")
	}
}

// expectStaleIfMatch makes the fixture's first tag stale with a plain PUT,
// sends method with If-Match: <stale tag>, and expects 412 and no change.
func expectStaleIfMatch(ctx context.Context, env *Env, method string) {
	GinkgoHelper()
	f, _ := etagCreateUser(ctx, env, "etag-stale")
	stale := etagTag(ctx, env, f, "7644-3.14-04")
	current := etagModify(ctx, env, f, f.UserName+" v2")
	if current == stale {
		Fail(fmt.Sprintf("%s: after a PUT changed displayName of %s, the entity tag is still %s; a modification must produce a new tag, or If-Match cannot protect against lost updates.",
			cite("7644-3.14-04"), f.Path, stale))
	}
	resp := etagWrite(ctx, env, f, method, f.UserName+" lost update", etagHeader("If-Match", stale))
	Expect(resp).To(matchers.HaveStatus(http.StatusPreconditionFailed, fmt.Sprintf(
		"%s: If-Match: %s names a version that was replaced since (the current tag is %s); the server must not perform the %s and must answer 412 Precondition Failed (RFC 9110 §13.1.1), or concurrent clients silently overwrite each other's changes.",
		cite("7644-3.14-04"), stale, current, method)))
	if e, err := matchers.ParseSCIMError(resp.Body); err != nil || !e.HasErrorSchema() {
		env.Info("the 412 carries no SCIM error body (RFC 7644 §3.12 lists 412 among the SCIM errors); the error specs judge error bodies")
	}
	etagExpectUnchanged(ctx, env, f, "7644-3.14-04", fmt.Sprintf("a %s refused for its stale If-Match", method))
}
