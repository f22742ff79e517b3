package suites

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// coreAttrRef names an attribute of the core schema (URN "") or of an
// extension.
type coreAttrRef struct {
	URN  string
	Name string
}

func (r coreAttrRef) String() string {
	if r.URN == "" {
		return r.Name
	}
	return r.URN + ":" + r.Name
}

// lookup reads the attribute from a representation.
func (r coreAttrRef) lookup(obj map[string]any) (any, bool) {
	if r.URN == "" {
		return member(obj, r.Name)
	}
	ext, _ := memberObject(obj, r.URN)
	return member(ext, r.Name)
}

// coreByReturned lists the top-level attributes of the published User
// schemas whose "returned" characteristic is returned.
func coreByReturned(v coreView, returned string) []coreAttrRef {
	var out []coreAttrRef
	for _, a := range v.Base.Attributes {
		if coreIs(a.Returned, returned) {
			out = append(out, coreAttrRef{Name: a.Name})
		}
	}
	for _, ext := range v.Exts {
		for _, a := range ext.Attributes {
			if coreIs(a.Returned, returned) {
				out = append(out, coreAttrRef{URN: ext.ID, Name: a.Name})
			}
		}
	}
	return out
}

// corePassword returns a fresh password that satisfies common policies.
func corePassword() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return "Sc1m!" + hex.EncodeToString(b) + "Zq"
}

func describeSchemaReturned(env *Env) {
	// 7643-4.1.1-11, 7643-4.1.1-17, 7643-7-19: password (and every returned:never attribute) is absent from every answer.
	It("never returns the password in any answer", spec.Req("7643-4.1.1-11", "7643-4.1.1-17", "7643-7-19"), spec.MUST, func(ctx SpecContext) {
		view, ok := coreSchemaView(env, coreUser)
		never := []coreAttrRef{{Name: "password"}}
		if ok {
			if _, has := view.Base.Attribute("password"); !has {
				Skip(spec.SkipUnsupportedPrefix + "the published User schema declares no password attribute")
			}
			never = append(never, coreByReturned(view, "never")...)
		}
		body := coreUserBody(env, "password")
		secret := corePassword()
		body["password"] = secret
		resp, id := coreCreate(ctx, env, coreUser, body)
		if id == "" {
			Skip(fmt.Sprintf("%sthe server did not create a User with a password (%s). %s", spec.SkipUnsupportedPrefix, coreStatus(resp.Status), coreErrorNote(resp)))
		}
		answers := passwordAnswers(ctx, env, body, id)
		answers = append([]coreAnswer{{"the create answer", resp}}, answers...)
		var problems []string
		for _, a := range answers {
			problems = append(problems, neverProblems(a, never, secret)...)
		}
		failProblems("RFC 7643 §4.1.1, §7 (7643-4.1.1-11, 7643-4.1.1-17, 7643-7-19): password is writeOnly and returned never: no answer may carry it, in clear or hashed, nor any other returned:never attribute:",
			problems)
	})

}

// describeSchemaAlways declares the spec of returned:always attributes.
func describeSchemaAlways(env *Env) {
	// 7644-3.4.2.5-04, 7644-3.9-02, 7643-3.1-05: returned:always attributes (id first) survive attributes and excludedAttributes.
	It("keeps returned:always attributes when attributes or excludedAttributes leave them out", spec.Req("7644-3.4.2.5-04", "7644-3.9-02",
		"7643-3.1-05"), spec.MUST, func(ctx SpecContext) {
		always := []coreAttrRef{{Name: "id"}}
		if view, ok := coreSchemaView(env, coreUser); ok {
			for _, r := range coreByReturned(view, "always") {
				if !strings.EqualFold(r.Name, "id") || r.URN != "" {
					always = append(always, r)
				}
			}
		}
		body := coreUserBody(env, "always")
		_, _, id := coreMustCreate(ctx, env, coreUser, body)
		full := coreGet(ctx, env, coreUser, id, "7643-3.1-05")
		var names []string
		var present []coreAttrRef
		for _, r := range always {
			if v, ok := r.lookup(full); (ok && v != nil) || (r.URN == "" && r.Name == "id") {
				present = append(present, r)
				names = append(names, r.String())
			}
		}
		other := "displayName"
		for _, r := range always {
			if strings.EqualFold(r.Name, other) {
				other = "emails"
			}
		}
		var problems []string
		for _, q := range []url.Values{{"attributes": {other}}, {"excludedAttributes": {strings.Join(names, ",")}}} {
			obj := coreGetQuery(ctx, env, coreUser, id, q, "7644-3.4.2.5-04")
			for _, r := range present {
				if v, ok := r.lookup(obj); !ok || v == nil {
					problems = append(problems, fmt.Sprintf("GET with %s: %s is missing", q.Encode(), r))
				}
			}
		}
		failProblems(fmt.Sprintf("RFC 7644 §3.4.2.5, §3.9 (7644-3.4.2.5-04): attributes returned always (here %s) come back whatever attributes or excludedAttributes say:",
			strings.Join(names, ", ")), problems)
	})
}

// coreAnswer is one answer of the server to judge.
type coreAnswer struct {
	where string
	resp  *scim.Response
}

// passwordAnswers gathers every kind of answer that carries the User: GET
// (plain and asking for password), PUT with a new password, PATCH,
// a filtered query and POST .search (as far as the server offers them).
func passwordAnswers(ctx context.Context, env *Env, body map[string]any, id string) []coreAnswer {
	p := corePath(env, coreUser, id)
	out := []coreAnswer{
		{"GET by id", env.Get(ctx, p, nil)},
		{"GET by id with attributes=password", env.Get(ctx, p, url.Values{"attributes": {"password,userName"}})},
	}
	repl := coreUserReplacement(env, body, id)
	repl["password"] = corePassword()
	out = append(out, coreAnswer{"the PUT answer", env.Put(ctx, p, repl)})
	if env.Caps.Has(spec.FeaturePatch) {
		out = append(out, coreAnswer{"the PATCH answer", env.Patch(ctx, p, Op("replace", "displayName", "Patched "+body["userName"].(string)))})
	}
	if env.Caps.Has(spec.FeatureFilter) {
		q := coreUserNameFilter(body["userName"].(string))
		out = append(out, coreAnswer{"the query by userName", env.Get(ctx, env.Endpoint(coreUser), q)})
		if env.Caps.Has(spec.FeatureSearch) {
			search := map[string]any{"schemas": []any{scim.MessageSearchRequest}, "filter": q.Get("filter")}
			out = append(out, coreAnswer{"POST .search", env.Post(ctx, env.Endpoint(coreUser)+"/.search", search)})
		}
	}
	return out
}

// neverProblems lists the returned:never attributes (and the cleartext
// secret) one answer carries, in a resource or in ListResponse Resources.
func neverProblems(a coreAnswer, never []coreAttrRef, secret string) []string {
	if a.resp.Status < 200 || a.resp.Status > 299 || len(a.resp.Body) == 0 {
		return nil
	}
	var out []string
	if strings.Contains(string(a.resp.Body), secret) {
		out = append(out, a.where+" contains the cleartext password")
	}
	obj, err := a.resp.Object()
	if err != nil {
		return out
	}
	docs := []map[string]any{obj}
	if items, err := listResources(a.resp); err == nil && len(items) > 0 {
		docs = items
	}
	for i, d := range docs {
		for _, r := range never {
			if v, ok := r.lookup(d); ok && v != nil {
				where := a.where
				if len(docs) > 1 || d["id"] != obj["id"] {
					where = fmt.Sprintf("%s, Resources[%d]", a.where, i)
				}
				out = append(out, fmt.Sprintf("%s carries %s (returned never)", where, r))
			}
		}
	}
	return out
}
