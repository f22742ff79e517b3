package suites

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/fixtures"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The schema suite: resources are checked against the wire formats of
// fixtures/ and against what the server itself publishes in /Schemas
// (RFC 7643 §2-4, §7).
var _ = DescribeSCIM("Schema", spec.Area("schema"), spec.Mutating, func(env *Env) {
	Context("User resources", spec.Requires(spec.FeatureUsers), func() {
		describeSchemaTypes(env)
		describeSchemaURIs(env)
		describeSchemaUserName(env)
		describeSchemaValues(env)
		describeSchemaInputTypes(env)
		describeSchemaReturned(env)
		describeSchemaAlways(env)
	})
	Context("Group resources", spec.Requires(spec.FeatureGroups), func() {
		describeGroupSchema(env)
		describeUserGroups(env)
	})
})

// coreRepresentations collects the representations of one resource the
// server returns: the create answer, GET by id, the PUT answer and, with
// filtering, the query result. Each is decoded keeping numbers exact.
type coreRepresentations map[string]map[string]any

// collectRepresentations creates body as a resource of rtName and gathers
// its representations; put adds the answer to a PUT (of a replacement for
// Users, of body itself for Groups).
func collectRepresentations(ctx context.Context, env *Env, rtName string, body map[string]any, filterAttr string, put bool) coreRepresentations {
	GinkgoHelper()
	resp, _, id := coreMustCreate(ctx, env, rtName, body)
	reps := coreRepresentations{}
	reps.add("the create answer", resp)
	p := corePath(env, rtName, id)
	reps.add("GET "+p, env.Get(ctx, p, nil))
	if put {
		repl := body
		if rtName == coreUser {
			repl = coreUserReplacement(env, body, id)
		}
		reps.add("the PUT answer", env.Put(ctx, p, repl))
	}
	if env.Caps.Has(spec.FeatureFilter) && filterAttr != "" {
		q := map[string][]string{"filter": {fmt.Sprintf("%s eq %q", filterAttr, body[filterAttr])}}
		if list := env.Get(ctx, env.Endpoint(rtName), q); list.Status == http.StatusOK {
			if obj, err := coreDecode(list); err == nil {
				items, _ := member(obj, "Resources")
				arr, _ := items.([]any)
				for i, it := range arr {
					if m, ok := it.(map[string]any); ok {
						reps[fmt.Sprintf("the query's Resources[%d]", i)] = m
					}
				}
			}
		}
	}
	return reps
}

// add records a successful single-resource answer.
func (r coreRepresentations) add(where string, resp *scim.Response) {
	if resp.Status != http.StatusOK && resp.Status != http.StatusCreated {
		return
	}
	if obj, err := coreDecode(resp); err == nil {
		r[where] = obj
	}
}

// sorted returns the representation names in a stable order.
func (r coreRepresentations) sorted() []string {
	m := make(map[string]any, len(r))
	for k := range r {
		m[k] = nil
	}
	return coreSortedKeys(m)
}

func describeSchemaTypes(env *Env) {
	// 7643-2.1-01, 7643-2.3.4-01, 7643-2.3.5-01, 7643-2.3.6-01, 7643-2.4-01, 7643-3.1-15: every returned value has its declared JSON type.
	It("returns User attributes with the JSON types its /Schemas declare", spec.Req("7643-2.1-01", "7643-2.3.4-01", "7643-2.3.5-01",
		"7643-2.3.6-01", "7643-2.4-01", "7643-3.1-15"), spec.MUST, func(ctx SpecContext) {
		expectDeclaredTypes(ctx, env, coreUser, fixtures.SchemaUser, coreUserBody(env, "types"), "userName")
	})
}

// schemasMissingViolation is the wire-format violation of a representation
// without "schemas"; the type specs leave it to the specs of 7643-3-02.
const schemasMissingViolation = `$: required member "schemas" is missing`

// expectDeclaredTypes validates every representation of a new resource
// against the wire format and the published schema types.
func expectDeclaredTypes(ctx context.Context, env *Env, rtName, wire string, body map[string]any, filterAttr string) {
	GinkgoHelper()
	view, ok := coreSchemaView(env, rtName)
	if !ok {
		Skip(fmt.Sprintf("%sthe server publishes no %s schema in /Schemas to check types against", spec.SkipUnsupportedPrefix, rtName))
	}
	reps := collectRepresentations(ctx, env, rtName, body, filterAttr, true)
	v, err := fixtures.NewValidator(wire)
	Expect(err).NotTo(HaveOccurred())
	var problems []string
	for _, where := range reps.sorted() {
		violations, err := v.ValidateValue(wire, reps[where])
		Expect(err).NotTo(HaveOccurred())
		for _, x := range violations {
			if x.String() == schemasMissingViolation {
				continue // a missing schemas is the finding of the 7643-3-02 specs, not a type error
			}
			problems = append(problems, fmt.Sprintf("%s: %s: %s", where, x.Path, x.Message))
		}
		problems = append(problems, prefixAll(where+": ", coreTypeProblems(view, reps[where]))...)
	}
	failProblems(fmt.Sprintf("RFC 7643 §2.3-2.4, §3.1: each %s value must have the JSON type its schema declares (string, boolean, integer without fraction, decimal, xsd:dateTime string, base64 binary, reference string, complex object; multiValued ones in arrays) and match the %s wire format (fixtures/schemas/%s.json):",
		rtName, wire, wire), problems)
}

func describeSchemaURIs(env *Env) {
	// 7643-3-03, 7643-3-04, 7643-3-05, 7643-3.3-02: schemas lists the base schema and only declared extensions, once each.
	It("lists the User base schema and only declared extensions in schemas", spec.Req("7643-3-03", "7643-3-04", "7643-3-05", "7643-3.3-02"),
		spec.MUST, func(ctx SpecContext) {
			expectSchemasAttribute(ctx, env, coreUser, coreUserBody(env, "schemas"), "userName")
		})

	// 7643-3.3-05, 7643-3-03: enterprise extension attributes sit in an object keyed by the extension URN, which schemas lists.
	It("returns enterprise extension attributes inside the extension's URN container", spec.Req("7643-3.3-05", "7643-3-03"), spec.MUST,
		spec.Requires(spec.FeatureEnterpriseUser), func(ctx SpecContext) {
			body := coreUserBody(env, "extension")
			sent, _ := body[scim.SchemaEnterpriseUser].(map[string]any)
			if len(sent) == 0 {
				Skip(spec.SkipUnsupportedPrefix + "the published enterprise extension schema declares none of employeeNumber, department and organization")
			}
			reps := collectRepresentations(ctx, env, coreUser, body, "", false)
			var problems []string
			for _, where := range reps.sorted() {
				problems = append(problems, extensionProblems(where, reps[where], sent)...)
			}
			failProblems(cite("7643-3.3-05")+": extension attributes travel in a JSON object named by the extension URN "+scim.SchemaEnterpriseUser+
				", listed in schemas:", problems)
		})
}

// extensionProblems checks where the enterprise values of one representation sit.
func extensionProblems(where string, obj map[string]any, sent map[string]any) []string {
	var out []string
	if !coreContainsFold(coreSchemasOf(obj), scim.SchemaEnterpriseUser) {
		out = append(out, fmt.Sprintf("%s: schemas %s does not list %s although the User has extension values", where, quoteJSON(coreSchemasOf(obj)), scim.SchemaEnterpriseUser))
	}
	ext, ok := memberObject(obj, scim.SchemaEnterpriseUser)
	for _, k := range coreSortedKeys(sent) {
		if _, top := obj[k]; top {
			out = append(out, fmt.Sprintf("%s: %s appears at the top level; it belongs inside %q", where, k, scim.SchemaEnterpriseUser))
		}
		if _, in := member(ext, k); !ok || !in {
			out = append(out, fmt.Sprintf("%s: %q.%s is missing", where, scim.SchemaEnterpriseUser, k))
		}
	}
	return out
}

// expectSchemasAttribute checks the schemas attribute of every
// representation of a new resource (RFC 7643 §3).
func expectSchemasAttribute(ctx context.Context, env *Env, rtName string, body map[string]any, filterAttr string) {
	GinkgoHelper()
	view, ok := coreSchemaView(env, rtName)
	base := scim.SchemaUser
	if rtName == coreGroup {
		base = scim.SchemaGroup
	}
	if ok {
		base = view.RT.Schema
	}
	reps := collectRepresentations(ctx, env, rtName, body, filterAttr, true)
	var problems []string
	for _, where := range reps.sorted() {
		problems = append(problems, prefixAll(where+": ", schemasProblems(reps[where], base, view, ok))...)
	}
	failProblems(fmt.Sprintf("RFC 7643 §3, §3.3 (7643-3-03..05, 7643-3.3-02): \"schemas\" is a non-empty array holding the base schema %s and only extensions the %s resource type declares, each once:",
		base, rtName), problems)
}

// schemasProblems judges one schemas attribute.
func schemasProblems(obj map[string]any, base string, view coreView, hasView bool) []string {
	raw, present := member(obj, "schemas")
	list, isList := raw.([]any)
	if !present || !isList || len(list) == 0 {
		return []string{fmt.Sprintf("schemas is %s, want a non-empty array of URIs", corePresent(raw, present))}
	}
	var out []string
	seen := map[string]bool{}
	for _, v := range list {
		s, isStr := v.(string)
		switch {
		case !isStr:
			out = append(out, fmt.Sprintf("schemas holds %s, want URI strings", coreDescribe(v)))
		case seen[strings.ToLower(s)]:
			out = append(out, fmt.Sprintf("schemas lists %q twice", s))
		case hasView && !view.declares(s):
			out = append(out, fmt.Sprintf("schemas lists %q, which the resource type declares neither as schema nor as schemaExtension", s))
		}
		seen[strings.ToLower(s)] = true
	}
	if !seen[strings.ToLower(base)] {
		out = append(out, fmt.Sprintf("schemas %s lacks the base schema %s", quoteJSON(list), base))
	}
	return out
}

func describeGroupSchema(env *Env) {
	// 7643-2.1-01, 7643-2.4-01, 7643-3.1-15: Group values have their declared JSON types.
	It("returns Group attributes with the JSON types its /Schemas declare", spec.Req("7643-2.1-01", "7643-2.4-01", "7643-3.1-15"), spec.MUST,
		func(ctx SpecContext) {
			expectDeclaredTypes(ctx, env, coreGroup, fixtures.SchemaGroup, coreGroupBody(env, "group-types"), "displayName")
		})

	// 7643-3-03, 7643-3-04, 7643-3-05, 7643-3.3-02: Group schemas lists the base schema and only declared extensions.
	It("lists the Group base schema and only declared extensions in schemas", spec.Req("7643-3-03", "7643-3-04", "7643-3-05", "7643-3.3-02"),
		spec.MUST, func(ctx SpecContext) {
			expectSchemasAttribute(ctx, env, coreGroup, coreGroupBody(env, "group-schemas"), "displayName")
		})

	// 7643-4.2-01: displayName is required, so a Group without it is refused.
	It("rejects a Group without displayName with 400", spec.Req("7643-4.2-01", "7644-3.12-01"), spec.MUST, func(ctx SpecContext) {
		body := coreGroupBody(env, "no-name")
		delete(body, "displayName")
		resp, _ := coreCreate(ctx, env, coreGroup, body)
		coreExpectError(resp, http.StatusBadRequest, "", cite("7643-4.2-01")+
			": Group displayName is REQUIRED (erratum 5368), so a create without it must fail with 400 Bad Request (scimType invalidValue)")
	})
}
