package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/fixtures/dataset"
	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// describeAttrList declares the attribute-selection specs of a list query
// filtered to the User the spec created.
func describeAttrList(env *Env) {
	listWith := func(ctx SpecContext, sel attrSel, reqs ...string) {
		s := attrMustSubject(ctx, env, attrUserBody(env, false))
		got := attrListed(ctx, env, s, sel, reqs[0])
		attrExpect(env, s.Full, got, sel, "GET "+env.Endpoint("User")+"?filter=userName eq "+lqQuote(s.UserName), reqs...)
	}

	// 7644-3.9-02, 7643-3.1-05: each listed resource holds the minimum set and the requested attributes only.
	It("returns only the minimum set and the requested attributes in each listed User", spec.Req("7644-3.9-02", "7643-3.1-05"), spec.MUST, func(ctx SpecContext) {
		listWith(ctx, attrSel{Include: []string{"userName", "name.givenName"}}, "7644-3.9-02", "7643-3.1-05")
	})

	// 7644-3.4.2.5-02, 7644-3.9-03, 7643-3.1-05: excludedAttributes removes attributes from each listed resource.
	It("removes the excluded attributes from each listed User", spec.Req("7644-3.4.2.5-02", "7644-3.9-03", "7643-3.1-05"), spec.MUST, func(ctx SpecContext) {
		listWith(ctx, attrSel{Exclude: []string{"emails", "name"}}, "7644-3.4.2.5-02", "7644-3.9-03", "7643-3.1-05")
	})

	// 7644-3.4.2.5-04, 7643-3.1-05: excluding attributes returned always has no effect in a list either.
	It("keeps id and every attribute returned always in listed Users when excluded", spec.Req("7644-3.4.2.5-04", "7643-3.1-05"), spec.MUST, func(ctx SpecContext) {
		listWith(ctx, attrSel{Exclude: attrAlwaysNames(env)}, "7644-3.4.2.5-04", "7643-3.1-05")
	})

	// 7643-3-02, 7643-3.1-05, 7644-3.9-02: attributes= narrows a representation, but schemas and id stay in it (listed and read alone).
	It("keeps schemas and id in listed and single Users under attributes=displayName", spec.Req("7643-3-02", "7643-3.1-05", "7644-3.9-02"), spec.MUST, func(ctx SpecContext) {
		qs := LoadQuerySet(ctx, env)
		users := env.Endpoint("User")
		q := url.Values{"filter": {qs.Scoped("")}, "attributes": {"displayName"}}
		l := lqGet(ctx, env, users, q, "7643-3-02")
		problems := listSchemasProblems(env, dataset.ResourceUser, "GET "+lqShow(users, q), l.Resources, true)
		id := qs.Users[qs.UserKeys()[0]]
		single := url.Values{"attributes": {"displayName"}}
		p := users + "/" + id
		resp := env.Get(ctx, p, single)
		Expect(resp.Status).To(Equal(http.StatusOK), "%s: GET %s reads a User of this run's data set with a valid attributes parameter; answer 200 with its partial representation (got %s).",
			cite("7644-3.9-02"), lqShow(p, single), statusLine(resp.Status))
		obj := decodeObject(resp, "the body of GET "+lqShow(p, single), "7643-3-02")
		problems = append(problems, reprSchemasProblems(env, dataset.ResourceUser, "GET "+lqShow(p, single), obj, true)...)
		failProblems(fmt.Sprintf("%s, %s, %s: the attributes parameter selects from a resource's attributes, but every representation keeps \"schemas\" (a non-empty array listing the base schema) and \"id\" (returned always):",
			cite("7643-3-02"), cite("7643-3.1-05"), cite("7644-3.9-02")), problems)
	})
}

// attrListed runs GET /Users?filter=userName eq "<subject>" with the
// selection and returns the subject's listed representation.
func attrListed(ctx context.Context, env *Env, s attrSubject, sel attrSel, req string) map[string]any {
	GinkgoHelper()
	q := sel.Query()
	q["filter"] = []string{"userName eq " + lqQuote(s.UserName)}
	l := lqGet(ctx, env, env.Endpoint("User"), q, req)
	for _, r := range l.Resources {
		if id, _ := memberString(r, "id"); id == s.ID {
			return r
		}
	}
	if len(l.Resources) == 1 {
		return l.Resources[0] // judged as is: a missing id is one of the problems
	}
	Fail(fmt.Sprintf("%s: GET %s must list the User %s (id %s) this run created, with the selected attributes; got %d resources, none with that id",
		cite(req), lqShow(env.Endpoint("User"), q), s.UserName, s.ID, len(l.Resources)))
	return nil
}

// describeAttrWrite declares the specs of attributes and
// excludedAttributes on the responses of POST, PUT and PATCH.
func describeAttrWrite(env *Env) {
	createWith := func(ctx SpecContext, sel attrSel, reqs ...string) {
		resp, id := attrCreate(ctx, env, attrUserBody(env, false), sel.Query())
		if id == "" {
			Fail(fmt.Sprintf("%s: POST %s?%s is a valid create; the server must create the User and apply the selection to the response (HTTP %d)",
				cite(reqs[0]), env.Endpoint("User"), sel, resp.Status))
		}
		got := decodeObject(resp, "the create response", reqs[0])
		full := attrRead(ctx, env, id, nil)
		attrExpect(env, full, got, sel, "the response of POST "+env.Endpoint("User"), reqs...)
	}

	// 7644-3.4.2.5-02, 7644-3.9-02: attributes also shapes the representation a create returns.
	It("applies attributes to the response of a POST", spec.Req("7644-3.4.2.5-02", "7644-3.9-02"), spec.MUST, func(ctx SpecContext) {
		createWith(ctx, attrSel{Include: []string{"userName"}}, "7644-3.4.2.5-02", "7644-3.9-02")
	})

	// 7644-3.4.2.5-02, 7644-3.9-03: excludedAttributes also shapes the representation a create returns.
	It("applies excludedAttributes to the response of a POST", spec.Req("7644-3.4.2.5-02", "7644-3.9-03"), spec.MUST, func(ctx SpecContext) {
		createWith(ctx, attrSel{Exclude: []string{"emails", "phoneNumbers"}}, "7644-3.4.2.5-02", "7644-3.9-03")
	})

	// 7644-3.4.2.5-02, 7644-3.9-02: attributes shapes the representation a PUT returns.
	It("applies attributes to the response of a PUT", spec.Req("7644-3.4.2.5-02", "7644-3.9-02"), spec.MUST, func(ctx SpecContext) {
		body := attrUserBody(env, false)
		s := attrMustSubject(ctx, env, body)
		body["displayName"] = "Grace B. Hopper"
		sel := attrSel{Include: []string{"userName", "displayName"}}
		p := env.Endpoint("User") + "/" + s.ID
		resp := lqSend(ctx, env, scim.Request{Method: http.MethodPut, Path: p, Query: sel.Query(), Body: body})
		Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf(
			"%s: PUT %s?%s replaces the User this run created with a valid body; answer 200 OK with the selected attributes (RFC 7644 §3.5.1)", cite("7644-3.4.2.5-02"), p, sel)))
		got := decodeObject(resp, "the PUT response", "7644-3.4.2.5-02")
		attrExpect(env, attrRead(ctx, env, s.ID, nil), got, sel, "the response of PUT "+p, "7644-3.4.2.5-02", "7644-3.9-02")
	})

	// 7644-3.4.2.5-02, 7644-3.9-02, 7644-3.5.2-18: a PATCH with attributes answers 200 with the selected attributes.
	It("answers a PATCH with attributes with 200 and the selected attributes", spec.Requires(spec.FeaturePatch),
		spec.Req("7644-3.4.2.5-02", "7644-3.9-02", "7644-3.5.2-18"), spec.MUST, func(ctx SpecContext) {
			s := attrMustSubject(ctx, env, attrUserBody(env, false))
			sel := attrSel{Include: []string{"userName", "displayName"}}
			p := env.Endpoint("User") + "/" + s.ID
			ops := PatchOp(Op("replace", "displayName", "Grace B. Hopper"))
			resp := lqSend(ctx, env, scim.Request{Method: http.MethodPatch, Path: p, Query: sel.Query(), Body: ops})
			Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf(
				"%s: PATCH %s?%s carries the attributes parameter, so a successful PATCH must answer 200 OK with the selected attributes, not 204", cite("7644-3.5.2-18"), p, sel)))
			got := decodeObject(resp, "the PATCH response", "7644-3.5.2-18")
			attrExpect(env, attrRead(ctx, env, s.ID, nil), got, sel, "the response of PATCH "+p, "7644-3.4.2.5-02", "7644-3.9-02")
		})
}
