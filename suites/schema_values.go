package suites

import (
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/spec"
)

func describeSchemaUserName(env *Env) {
	// 7643-4.1.1-01, 7643-4.1.1-03: a User without a non-empty userName is refused.
	DescribeTable("refuses a User whose userName is",
		func(ctx SpecContext, value any) {
			body := coreUserBody(env, "no-username")
			if value == nil {
				delete(body, "userName")
			} else {
				body["userName"] = value
			}
			resp, _ := coreCreate(ctx, env, coreUser, body)
			coreExpectError(resp, http.StatusBadRequest, "", cite("7643-4.1.1-01")+
				": every User needs a non-empty userName, so this create must fail with 400 Bad Request (scimType invalidValue)")
		},
		Entry("missing", spec.Req("7643-4.1.1-01", "7643-4.1.1-03", "7644-3.12-01"), spec.MUST, nil),
		Entry("the empty string", spec.Req("7643-4.1.1-01", "7644-3.12-01"), spec.MUST, ""),
	)

	// 7643-3-02: a resource names its schemas; a create without any is refused rather than guessed.
	// SHOULD: the RFC requires schemas of the resource, not that a server reject a body lacking it.
	It("refuses a create without schemas with 400", spec.Req("7643-3-02"), spec.SHOULD, func(ctx SpecContext) {
		body := coreUserBody(env, "no-schemas")
		delete(body, "schemas")
		resp, _ := coreCreate(ctx, env, coreUser, body)
		if coreIsSuccess(resp.Status) {
			env.Warn("%s: POST %s without \"schemas\" was accepted (%s); every resource names its schemas (RFC 7643 §3), and a server that guesses them hides a client's mistake. Refuse it with 400 (scimType invalidSyntax or invalidValue).",
				cite("7643-3-02"), env.Endpoint(coreUser), coreStatus(resp.Status))
			return
		}
		Expect(resp.Status).To(Equal(http.StatusBadRequest), "%s: a create without \"schemas\" is a client error; answer 400 Bad Request, got %s. %s",
			cite("7643-3-02"), coreStatus(resp.Status), coreErrorNote(resp))
	})

	// 7643-4.1.1-03, 7643-4.1.1-02, 7644-3.3-10: userName is unique without regard to case.
	It("answers 409 uniqueness to a userName that differs from a taken one only in case", spec.Req("7643-4.1.1-03", "7643-4.1.1-02",
		"7644-3.3-10", "7644-3.12-01"), spec.MUST, func(ctx SpecContext) {
		first := coreUserBody(env, "case")
		coreMustCreate(ctx, env, coreUser, first)
		second := coreUserBody(env, "case-dup")
		second["userName"] = strings.ToUpper(first["userName"].(string))
		note := ""
		if view, ok := coreSchemaView(env, coreUser); ok {
			if a, has := view.Base.Attribute("userName"); has && a.CaseExact {
				note = " (the published schema marks userName caseExact, contradicting RFC 7643 §4.1.1)"
			}
		}
		resp, _ := coreCreate(ctx, env, coreUser, second)
		expectUniquenessConflict(env, resp, fmt.Sprintf("userName is case-insensitive and %q is taken as %q%s",
			second["userName"], first["userName"], note), "7643-4.1.1-03")
	})
}

func describeSchemaValues(env *Env) {
	// 7643-7-11: the server keeps the case of values of caseExact attributes.
	It("keeps the exact case of caseExact values such as externalId", spec.Req("7643-7-11"), spec.MUST, func(ctx SpecContext) {
		body := coreUserBody(env, "case-exact")
		names := caseExactNames(env)
		for _, n := range names {
			body[n] = "MiXeD-Case-" + env.Name("exact")
		}
		_, created, id := coreMustCreate(ctx, env, coreUser, body)
		got := coreGet(ctx, env, coreUser, id, "7643-7-11")
		var problems []string
		returned := 0
		for _, n := range names {
			for where, obj := range map[string]map[string]any{"the create answer": created, "GET by id": got} {
				v, ok := memberString(obj, n)
				if !ok {
					continue
				}
				returned++
				if v != body[n] {
					problems = append(problems, fmt.Sprintf("%s: %s was sent as %q and came back as %q", where, n, body[n], v))
				}
			}
		}
		if returned == 0 {
			Skip(fmt.Sprintf("%sthe server returned none of the caseExact attributes sent (%s)", spec.SkipUnsupportedPrefix, strings.Join(names, ", ")))
		}
		failProblems(cite("7643-7-11")+": values of caseExact attributes must come back exactly as sent:", problems)
	})

	// 7643-2.4-03: at most one value of a multi-valued attribute is primary.
	It("never returns more than one primary email", spec.Req("7643-2.4-03"), spec.MUST, func(ctx SpecContext) {
		body := coreUserBody(env, "primaries")
		emails, ok := body["emails"].([]any)
		if !ok || len(emails) < 2 {
			Skip(spec.SkipUnsupportedPrefix + "the published User schema declares no emails")
		}
		for _, e := range emails {
			e.(map[string]any)["primary"] = true
		}
		resp, id := coreCreate(ctx, env, coreUser, body)
		if id == "" {
			env.Info("the server refused two primary emails with %s (allowed: RFC 7643 §2.4 permits one primary value at most)", coreStatus(resp.Status))
			return
		}
		got := coreGet(ctx, env, coreUser, id, "7643-2.4-03")
		n := 0
		list, _ := memberList(got, "emails")
		for _, e := range list {
			if m, ok := e.(map[string]any); ok && m["primary"] == true {
				n++
			}
		}
		Expect(n).To(BeNumerically("<=", 1), "%s: the create sent two emails marked primary; the server must refuse it (400 invalidValue) or keep one primary, but the stored User has %d: %s",
			cite("7643-2.4-03"), n, quoteJSON(list))
	})

	// 7643-2.4-07: one type and value pair appears at most once in a multi-valued attribute the server returns.
	It("returns an email with the same type and value only once when a create sends it twice", spec.Req("7643-2.4-07"), spec.SHOULD, func(ctx SpecContext) {
		body := coreUserBody(env, "dup-pair")
		emails, ok := body["emails"].([]any)
		if !ok || len(emails) == 0 {
			Skip(spec.SkipUnsupportedPrefix + "the published User schema declares no emails")
		}
		first, _ := emails[0].(map[string]any)
		typ, hasType := first["type"].(string)
		if !hasType {
			Skip(spec.SkipUnsupportedPrefix + "the published User schema declares no emails.type")
		}
		pair := map[string]any{"value": first["value"], "type": typ}
		body["emails"] = []any{pair, map[string]any{"value": first["value"], "type": typ}}
		resp, id := coreCreate(ctx, env, coreUser, body)
		if id == "" {
			env.Info("the server refused two identical emails with %s; refusing is as good as keeping one (RFC 7643 §2.4)", coreStatus(resp.Status))
			return
		}
		var problems []string
		if created, err := resp.Object(); err == nil && len(resp.Body) > 0 {
			problems = append(problems, duplicatePairProblems("the create answer", created, "emails")...)
		}
		problems = append(problems, duplicatePairProblems("GET after the create", coreGet(ctx, env, coreUser, id, "7643-2.4-07"), "emails")...)
		failProblems(cite("7643-2.4-07")+fmt.Sprintf(": the create sent the email %s twice; the server should store and return it once (or refuse the request):", quoteJSON(pair)), problems)
	})

}

// describeSchemaInputTypes declares the specs that send values breaking
// their declared type.
func describeSchemaInputTypes(env *Env) {
	// 7643-2.3.4-01, 7643-2.3.5-01, 7643-2.3.6-01: values that break their declared type are refused.
	DescribeTable("refuses a value that breaks its declared type:",
		func(ctx SpecContext, typ string, bad any, req string) {
			view, ok := coreSchemaView(env, coreUser)
			frag, path, found := typedFragment(view, typ, bad)
			if !ok || !found {
				Skip(fmt.Sprintf("%sthe published User schemas declare no writable %s attribute", spec.SkipUnsupportedPrefix, typ))
			}
			body := coreUserBody(env, "bad-"+strings.ToLower(typ))
			for k, v := range frag {
				if strings.HasPrefix(k, "urn:") {
					body["schemas"] = append(append([]any{}, body["schemas"].([]any)...), k)
				}
				body[k] = v
			}
			resp, _ := coreCreate(ctx, env, coreUser, body)
			coreExpectError(resp, http.StatusBadRequest, "", fmt.Sprintf("%s: %s is declared %s, so the value %s is invalid and the create must fail with 400 Bad Request (scimType invalidValue)",
				cite(req), path, typ, quoteJSON(bad)))
		},
		Entry("binary that is not base64", spec.Req("7643-2.3.6-01", "7644-3.12-01"), spec.MUST, "binary", "@@ not base64 @@", "7643-2.3.6-01"),
		Entry("integer with a fraction", spec.Req("7643-2.3.4-01", "7644-3.12-01"), spec.MUST, "integer", 1.5, "7643-2.3.4-01"),
		Entry("dateTime without a valid date", spec.Req("7643-2.3.5-01", "7644-3.12-01"), spec.MUST, "dateTime", "2015-13-45T25:61:00Z", "7643-2.3.5-01"),
	)
}

// caseExactNames lists the writable, singular, caseExact string attributes
// of the published User schema, with externalId (caseExact per RFC 7643
// §3.1) always included.
func caseExactNames(env *Env) []string {
	names := []string{"externalId"}
	view, ok := coreSchemaView(env, coreUser)
	if !ok {
		return names
	}
	for _, a := range view.Base.Attributes {
		if a.CaseExact && !a.MultiValued && coreIs(a.Type, "string") && !coreNotEchoed(a) && !coreIsCommon(a.Name) && !coreIs(a.Uniqueness, "server") {
			names = append(names, a.Name)
		}
	}
	return names
}

// typedFragment finds a writable attribute (or sub-attribute) of type typ
// in the published User schemas and returns a body fragment giving it the
// value bad, with the attribute's path for messages.
func typedFragment(v coreView, typ string, bad any) (map[string]any, string, bool) {
	if frag, p, ok := typedIn(v.Base.Attributes, typ, bad); ok {
		return frag, p, true
	}
	for _, ext := range v.Exts {
		if frag, p, ok := typedIn(ext.Attributes, typ, bad); ok {
			return map[string]any{ext.ID: frag}, ext.ID + ":" + p, true
		}
	}
	return nil, "", false
}

func typedIn(attrs []caps.Attribute, typ string, bad any) (map[string]any, string, bool) {
	wrap := func(a caps.Attribute, v any) any {
		if a.MultiValued {
			return []any{v}
		}
		return v
	}
	for _, a := range attrs {
		if coreIs(a.Mutability, "readOnly") || coreIsCommon(a.Name) {
			continue
		}
		if coreIs(a.Type, typ) {
			return map[string]any{a.Name: wrap(a, bad)}, a.Name, true
		}
		if !coreIs(a.Type, "complex") {
			continue
		}
		for _, sub := range a.SubAttributes {
			if coreIs(sub.Type, typ) && !coreIs(sub.Mutability, "readOnly") {
				return map[string]any{a.Name: wrap(a, map[string]any{sub.Name: bad})}, a.Name + "." + sub.Name, true
			}
		}
	}
	return nil, "", false
}

// duplicatePairProblems lists the type and value pairs of a multi-valued
// attribute that occur more than once. Values compare exactly; the type
// compares without regard to case.
func duplicatePairProblems(where string, obj map[string]any, attr string) []string {
	list, _ := memberList(obj, attr)
	seen := map[string]int{}
	var out []string
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		typ, _ := memberString(m, "type")
		v, has := member(m, "value")
		if !has {
			continue
		}
		key := strings.ToLower(typ) + "\x00" + quoteJSON(v)
		if seen[key]++; seen[key] == 2 {
			out = append(out, fmt.Sprintf("%s: %s holds type %q with value %s more than once: %s", where, attr, typ, quoteJSON(v), quoteJSON(list)))
		}
	}
	return out
}
