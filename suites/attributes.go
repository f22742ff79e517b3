package suites

import (
	"fmt"
	"net/url"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The attribute-selection suite: RFC 7644 §3.4.2.5 and §3.9 on reads,
// lists and write responses. Each spec creates its own User and compares
// the partial representation with the full one attribute by attribute;
// meta is never judged, and schemas only for its presence under attributes=
// (docs/interpretations.md#i6). The .search forms live in the search suite.
var _ = DescribeSCIM("Attribute selection", spec.Area("attributes"), spec.Requires(spec.FeatureUsers), spec.Mutating, func(env *Env) {
	Context("on GET of a single User", func() { describeAttrRead(env) })
	Context("on GET of a single User with excludedAttributes", func() { describeAttrReadExcluded(env) })
	Context("on a filtered list of Users", spec.Requires(spec.FeatureFilter), querySetWalk(env), func() { describeAttrList(env) })
	Context("on POST, PUT and PATCH responses", func() { describeAttrWrite(env) })
})

// describeAttrRead declares the attributes specs of a single-resource GET.
func describeAttrRead(env *Env) {
	readWith := func(ctx SpecContext, sel attrSel, reqs ...string) {
		s := attrMustSubject(ctx, env, attrUserBody(env, false))
		got := attrRead(ctx, env, s.ID, sel.Query())
		attrExpect(env, s.Full, got, sel, "GET "+env.Endpoint("User")+"/"+s.ID, reqs...)
	}

	// 7644-3.9-02, 7643-3.1-05: attributes=userName yields id (returned always) and userName, nothing else the User holds.
	It("returns only the minimum set and userName for attributes=userName", spec.Req("7644-3.9-02", "7643-3.1-05"), spec.MUST, func(ctx SpecContext) {
		readWith(ctx, attrSel{Include: []string{"userName"}}, "7644-3.9-02", "7643-3.1-05")
	})

	// 7644-3.9-02, 7643-3.1-05: several names, comma-separated, select exactly those attributes.
	It("returns exactly the attributes of a comma-separated attributes list", spec.Req("7644-3.9-02", "7643-3.1-05"), spec.MUST, func(ctx SpecContext) {
		readWith(ctx, attrSel{Include: []string{"displayName", "emails", "active"}}, "7644-3.9-02", "7643-3.1-05")
	})

	// 7644-3.9-02, 7643-3.1-05: a sub-attribute request returns the parent with that sub-attribute.
	It("returns name with givenName for attributes=name.givenName", spec.Req("7644-3.9-02", "7643-3.1-05"), spec.MUST, func(ctx SpecContext) {
		readWith(ctx, attrSel{Include: []string{"name.givenName"}}, "7644-3.9-02", "7643-3.1-05")
	})

	// 7644-3.9-02, 7643-3.1-05: a core attribute may be named with its schema URN (RFC 7644 §3.10).
	It("accepts a core attribute qualified with the User schema URN", spec.Req("7644-3.9-02", "7643-3.1-05"), spec.MUST, func(ctx SpecContext) {
		readWith(ctx, attrSel{Include: []string{scim.SchemaUser + ":userName", scim.SchemaUser + ":name.familyName"}}, "7644-3.9-02", "7643-3.1-05")
	})

	// 7644-3.9-02, 7643-3.1-05: an extension attribute named by URN path is returned alone.
	It("returns only the enterprise attribute named by its URN path", spec.Requires(spec.FeatureEnterpriseUser),
		spec.Req("7644-3.9-02", "7643-3.1-05"), spec.MUST, func(ctx SpecContext) {
			readWith(ctx, attrSel{Include: []string{scim.SchemaEnterpriseUser + ":department"}}, "7644-3.9-02", "7643-3.1-05")
		})
}

// describeAttrReadExcluded declares the excludedAttributes specs of a
// single-resource GET and the returned:never check.
func describeAttrReadExcluded(env *Env) {
	// 7644-3.4.2.5-02, 7644-3.9-03, 7643-3.1-05: excluded attributes go, the rest of the default set stays.
	It("removes the excluded attributes and keeps the rest of the default set", spec.Req("7644-3.4.2.5-02", "7644-3.9-03", "7643-3.1-05"), spec.MUST, func(ctx SpecContext) {
		body := attrUserBody(env, false)
		s := attrMustSubject(ctx, env, body)
		sel := attrSel{Exclude: sentAmong(body, "emails", "phoneNumbers", "title")}
		if ext, ok := body[scim.SchemaEnterpriseUser].(map[string]any); ok && ext["department"] != nil {
			sel.Exclude = append(sel.Exclude, scim.SchemaEnterpriseUser+":department")
		}
		if len(sel.Exclude) == 0 {
			Skip("not applicable: the server's User schema declares none of emails, phoneNumbers, title and the enterprise department to exclude")
		}
		got := attrRead(ctx, env, s.ID, sel.Query())
		attrExpect(env, s.Full, got, sel, "GET "+env.Endpoint("User")+"/"+s.ID, "7644-3.4.2.5-02", "7644-3.9-03", "7643-3.1-05")
	})

	// 7644-3.4.2.5-04, 7643-3.1-05: excluding an attribute returned always (id, and any the schema marks so) has no effect.
	It("keeps id and every attribute returned always when excludedAttributes names them", spec.Req("7644-3.4.2.5-04", "7643-3.1-05"), spec.MUST, func(ctx SpecContext) {
		s := attrMustSubject(ctx, env, attrUserBody(env, false))
		sel := attrSel{Exclude: attrAlwaysNames(env)}
		got := attrRead(ctx, env, s.ID, sel.Query())
		attrExpect(env, s.Full, got, sel, "GET "+env.Endpoint("User")+"/"+s.ID, "7644-3.4.2.5-04", "7643-3.1-05")
	})

	// 7643-4.1.1-17, 7643-7-19: password is returned never, not even when attributes asks for it.
	It("never returns the password, even when attributes requests it", spec.Req("7643-4.1.1-17", "7643-7-19"), spec.MUST, func(ctx SpecContext) {
		body := attrUserBody(env, true)
		if _, declared := body["password"]; !declared {
			Skip("not applicable: the server's User schema declares no password attribute; nothing to keep secret")
		}
		resp, id := attrCreate(ctx, env, body, nil)
		if id == "" {
			Skip(fmt.Sprintf("not applicable: the server did not create a User with a password (HTTP %d); nothing to keep secret", resp.Status))
		}
		p := env.Endpoint("User") + "/" + id
		var leaks []string
		if obj, err := resp.Object(); err == nil {
			if _, ok := member(obj, "password"); ok {
				leaks = append(leaks, "the create response "+p)
			}
		}
		for _, q := range []url.Values{nil, lqQuery("attributes", "password"), lqQuery("attributes", "userName,password")} {
			obj := attrRead(ctx, env, id, q)
			if _, ok := member(obj, "password"); ok {
				leaks = append(leaks, "GET "+lqShow(p, q))
			}
		}
		failProblems(fmt.Sprintf("%s, %s: password is writeOnly and returned \"never\"; leave it out of every representation, even when attributes names it. It appeared in:",
			cite("7643-4.1.1-17"), cite("7643-7-19")), leaks)
	})
}

// attrAlwaysNames lists id and the User attributes (core and enterprise)
// the server publishes as returned "always".
func attrAlwaysNames(env *Env) []string {
	names := []string{"id"}
	for _, c := range attrCandidates {
		if c.name != "id" && attrReturned(env, c) == "always" {
			names = append(names, c.String())
		}
	}
	return names
}
