package suites

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The /Me suite: RFC 7644 §3.11 and docs/interpretations.md#i17. Only GET is sent:
// /Me is the run's own subject, which the harness did not create and so
// never modifies.
var _ = DescribeSCIM("Me alias", spec.Area("me"), func(env *Env) {
	// 7644-3.11-02..07: /Me answers 501, redirects to the subject's resource, or serves it with Location = its permanent URI.
	It("answers GET /Me with 501, a redirect, or the subject's resource located at its permanent URI",
		spec.Req("7644-3.11-02", "7644-3.11-03", "7644-3.11-04", "7644-3.11-06", "7644-3.11-07"), spec.MUST, spec.Requires(spec.FeatureMe),
		func(ctx SpecContext) {
			resp := env.Get(ctx, "/Me", nil)
			judgeMe(env, resp)
		})

	// 7644-3.11-03: a server without /Me support answers 501.
	It("answers GET /Me with 501 Not Implemented when /Me is switched off", spec.Req("7644-3.11-03"), spec.SHOULD, spec.Absent(spec.FeatureMe),
		func(ctx SpecContext) {
			resp := env.Get(ctx, "/Me", nil)
			Expect(resp.Status).To(Equal(http.StatusNotImplemented), "%s: the run says this server does not support /Me; it should then answer 501 Not Implemented, got %s",
				cite("7644-3.11-03"), coreStatus(resp.Status))
		})
})

// judgeMe accepts the three behaviours RFC 7644 §3.11 permits and a 404
// for a subject without a resource; anything else fails.
func judgeMe(env *Env, resp *scim.Response) {
	GinkgoHelper()
	redirected := !coreEndsWithMe(resp.URL)
	switch {
	case resp.NotFollowed != "":
		env.Warn("GET /Me answered %s, a redirect to %s, which is off the target's origin: not followed (the harness sends no request to another origin), so the resource there is not checked",
			coreStatus(resp.Status), resp.NotFollowed)
	case resp.Status == http.StatusNotImplemented:
		env.Info("/Me is not supported (501 Not Implemented), a permitted answer")
		if resp.Header.Get("Location") == "" {
			env.Info("the 501 has no Location header; whether 7644-3.11-07 applies to a 501 is unclear (%s)", interpretation(17))
		}
	case resp.Status == http.StatusNotFound:
		env.Info("GET /Me answered 404: the authenticated subject has no resource on this server. %s", coreErrorNote(resp))
	case resp.Status == http.StatusOK && redirected:
		env.Info("GET /Me was redirected to %s (the harness follows redirects, so the redirect status itself is not checked)", resp.URL)
		obj := meResource(resp)
		loc := coreMetaString(obj, "location")
		Expect(loc == "" || coreSameURI(resp.URL, loc, resp.URL)).To(BeTrue(),
			"%s: /Me redirected to %s, but the resource there says its permanent location (meta.location) is %s; redirect to the permanent location",
			cite("7644-3.11-07"), resp.URL, loc)
	case resp.Status == http.StatusOK:
		expectMeDirect(resp)
	default:
		Fail(fmt.Sprintf("%s: GET /Me got %s. RFC 7644 §3.11 permits three answers: 501 Not Implemented when /Me is not supported, a 308 redirect to the subject's resource, or the subject's resource itself (200) with a Location header giving its permanent URI. %s",
			cite("7644-3.11-02"), coreStatus(resp.Status), coreErrorNote(resp)))
	}
}

// coreEndsWithMe reports whether a request URL still names /Me.
func coreEndsWithMe(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/Me")
}

// meResource decodes the resource /Me served: a JSON object naming its
// schemas and carrying an id or a meta.location.
func meResource(resp *scim.Response) map[string]any {
	GinkgoHelper()
	obj := decodeObject(resp, "the GET /Me body", "7644-3.11-06")
	id, _ := memberString(obj, "id")
	Expect(len(coreSchemasOf(obj)) > 0 && (id != "" || coreMetaString(obj, "location") != "")).To(BeTrue(),
		"%s: a 200 answer to GET /Me is the authenticated subject's resource (e.g. its User) with schemas, id and meta.location; got %s",
		cite("7644-3.11-06"), quoteJSON(obj))
	return obj
}

// expectMeDirect checks a directly processed /Me: its Location header is
// the permanent URI of the resource served.
func expectMeDirect(resp *scim.Response) {
	GinkgoHelper()
	obj := meResource(resp)
	loc := resp.Header.Get("Location")
	Expect(loc).NotTo(BeEmpty(), "%s: GET /Me served the subject's resource directly, so the answer must carry a Location header with the resource's permanent URI (e.g. .../Users/{id}); it has none",
		cite("7644-3.11-07"))
	Expect(coreEndsWithMe(coreNormalURI(resp.URL, loc))).To(BeFalse(), "%s: the /Me Location header is %q, the alias itself; it must be the resource's permanent URI (e.g. .../Users/{id})",
		cite("7644-3.11-07"), loc)
	if metaLoc := coreMetaString(obj, "location"); metaLoc != "" {
		Expect(coreSameURI(resp.URL, loc, metaLoc)).To(BeTrue(), "%s: the /Me Location header is %q but the resource's meta.location is %q; Location must be the permanent URI",
			cite("7644-3.11-07"), loc, metaLoc)
	} else if id, _ := memberString(obj, "id"); id != "" {
		Expect(strings.HasSuffix(strings.TrimSuffix(loc, "/"), "/"+url.PathEscape(id))).To(BeTrue(),
			"%s: the /Me Location header %q does not name the served resource %q", cite("7644-3.11-07"), loc, id)
	}
}
