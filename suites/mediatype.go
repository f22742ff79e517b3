package suites

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The media-type suite: RFC 7644 §3.8 and §8.1.
var _ = DescribeSCIM("Media types", spec.Area("media-type"), spec.Mutating, spec.Requires(spec.FeatureUsers), func(env *Env) {
	describeRequestMediaTypes(env)
	describeAccept(env)
})

// coreUTF8Name holds characters outside ASCII in several scripts.
const coreUTF8Name = "Zoë Ångström 日本語 Ελένη"

// coreCreateAs POSTs a User body with the given Content-Type and tracks
// whatever is created.
func coreCreateAs(ctx context.Context, env *Env, body map[string]any, contentType string) (*scim.Response, string) {
	GinkgoHelper()
	if contentType == scim.MediaType {
		return coreCreate(ctx, env, coreUser, body)
	}
	return env.CreateRequest(ctx, scim.Request{Method: http.MethodPost, Path: env.Endpoint(coreUser), Body: body, ContentType: contentType})
}

func describeRequestMediaTypes(env *Env) {
	// 7644-3.8-01, 7644-3.8-02: a UTF-8 body labelled application/scim+json (no charset) is accepted and its characters come back unchanged.
	It("accepts a UTF-8 body sent as application/scim+json and returns its characters unchanged", spec.Req("7644-3.8-01", "7644-3.8-02"),
		spec.MUST, func(ctx SpecContext) {
			body := coreUserBody(env, "utf8")
			body["displayName"] = coreUTF8Name + " " + body["userName"].(string)
			resp, id := coreCreateAs(ctx, env, body, scim.MediaType)
			Expect(id).NotTo(BeEmpty(), "%s: POST with Content-Type %s and a UTF-8 JSON body must be accepted (got %s). %s",
				cite("7644-3.8-01"), scim.MediaType, coreStatus(resp.Status), coreErrorNote(resp))
			p := corePath(env, coreUser, id)
			got := env.Get(ctx, p, nil)
			Expect(got).To(matchers.HaveStatus(http.StatusOK, cite("7644-3.8-01")+": GET "+p+" must return the User just created"))
			expectUTF8Charset(got, "7644-3.8-02")
			obj := decodeObject(got, "the GET body", "7644-3.8-01")
			name, _ := memberString(obj, "displayName")
			Expect(name).To(Equal(body["displayName"]), "%s: the request body was UTF-8 without a charset parameter, which is the default encoding; displayName %q came back as %q",
				cite("7644-3.8-02"), body["displayName"], name)
		})

	// 7644-3.8-01, 7644-3.8-02: a body labelled with an explicit charset=utf-8 parameter is accepted too.
	It("accepts a body sent as application/scim+json with charset=utf-8", spec.Req("7644-3.8-01", "7644-3.8-02"), spec.MUST, func(ctx SpecContext) {
		body := coreUserBody(env, "charset")
		resp, id := coreCreateAs(ctx, env, body, scim.MediaType+"; charset=utf-8")
		Expect(id).NotTo(BeEmpty(), "%s: UTF-8 is the SCIM encoding, so a body labelled %s; charset=utf-8 must be accepted like one without the parameter; got %s. %s",
			cite("7644-3.8-01"), scim.MediaType, coreStatus(resp.Status), coreErrorNote(resp))
	})

	// 7644-3.8-01: a JSON body labelled application/json is accepted as well.
	It("accepts a request body sent as application/json", spec.Req("7644-3.8-01"), spec.SHOULD, func(ctx SpecContext) {
		resp, id := coreCreateAs(ctx, env, coreUserBody(env, "plain-json"), "application/json")
		Expect(id).NotTo(BeEmpty(), "%s: a JSON body sent with Content-Type application/json should be accepted like application/scim+json; got %s. %s",
			cite("7644-3.8-01"), coreStatus(resp.Status), coreErrorNote(resp))
	})

	// 7644-8.1-01: responses are labelled application/scim+json.
	It("labels its answers application/scim+json", spec.Req("7644-8.1-01"), spec.SHOULD, func(ctx SpecContext) {
		gateSCIMAccepted(env)
		body := coreUserBody(env, "media")
		created, id := coreCreate(ctx, env, coreUser, body)
		answers := []coreAnswer{{"the create answer", created}}
		if id != "" {
			p := corePath(env, coreUser, id)
			answers = append(answers, coreAnswer{"GET by id", env.Get(ctx, p, nil)},
				coreAnswer{"the PUT answer", env.Put(ctx, p, coreUserReplacement(env, body, id))})
		}
		var problems []string
		for _, a := range answers {
			if len(a.resp.Body) == 0 {
				continue
			}
			if mt := a.resp.MediaType(); mt != scim.MediaType {
				problems = append(problems, fmt.Sprintf("%s (%s) has Content-Type %q", a.where, coreStatus(a.resp.Status), a.resp.Header.Get("Content-Type")))
			}
		}
		failProblems(cite("7644-8.1-01")+": SCIM answers should be labelled "+scim.MediaType+" when the client accepts it:", problems)
	})
}

// expectUTF8Charset fails when a response names a charset other than UTF-8.
func expectUTF8Charset(resp *scim.Response, req string) {
	GinkgoHelper()
	_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil {
		return
	}
	if cs, ok := params["charset"]; ok {
		Expect(strings.EqualFold(cs, "utf-8") || strings.EqualFold(cs, "utf8")).To(BeTrue(),
			"%s: SCIM bodies are UTF-8; the answer says charset=%s", cite(req), cs)
	}
}

func describeAccept(env *Env) {
	// 7644-3.8-05: Accept: application/scim+json must be honoured.
	It("answers a request that accepts only application/scim+json", spec.Req("7644-3.8-05"), spec.MUST, func(ctx SpecContext) {
		expectAccepted(ctx, env, scim.MediaType)
	})

	// 7644-3.8-05: Accept: application/json should be honoured too.
	It("answers a request that accepts only application/json", spec.Req("7644-3.8-05"), spec.SHOULD, func(ctx SpecContext) {
		expectAccepted(ctx, env, "application/json")
	})
}

// expectAccepted reads a User with an Accept header naming only accept and
// expects 200 with the SCIM JSON representation of that User: a JSON media
// type (either one: which label to use is the spec for 7644-8.1-01) and a
// body whose schemas name the User schema.
func expectAccepted(ctx SpecContext, env *Env, accept string) {
	GinkgoHelper()
	_, _, id := coreMustCreate(ctx, env, coreUser, coreUserBody(env, "accept"))
	p := corePath(env, coreUser, id)
	resp := env.Do(ctx, scim.Request{Method: http.MethodGet, Path: p, Header: http.Header{"Accept": {accept}}})
	Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf("%s: GET %s with \"Accept: %s\" must return the User (both JSON media types describe the same document)",
		cite("7644-3.8-05"), p, accept)))
	var problems []string
	if mt := resp.MediaType(); mt != scim.MediaType && mt != "application/json" {
		problems = append(problems, fmt.Sprintf("Content-Type is %q, not a JSON media type (%s or application/json)", resp.Header.Get("Content-Type"), scim.MediaType))
	}
	obj, err := resp.Object()
	if err != nil {
		problems = append(problems, fmt.Sprintf("the body is not a JSON object (%v)", err))
	} else if !containsFold(schemasOf(obj), scim.SchemaUser) {
		// Only schemas: whether id is returned is the read suite's finding.
		problems = append(problems, fmt.Sprintf("the body's schemas %s do not name %s", quoteJSON(obj["schemas"]), scim.SchemaUser))
	}
	failProblems(fmt.Sprintf("%s: the answer to GET %s with \"Accept: %s\" must be the User as a SCIM JSON document:", cite("7644-3.8-05"), p, accept), problems)
}
