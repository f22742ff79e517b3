package suites

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/fixtures"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// uriPattern recognises an absolute URI: a scheme, a colon and more.
var uriPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:\S+$`)

// messagePrefix starts the URNs of SCIM protocol messages (RFC 7644 §3.1).
const messagePrefix = "urn:ietf:params:scim:api:"

func describeSchemas(env *Env) {
	// 7644-4-03, 7644-4-04: all supported schemas come back in the ListResponse message form.
	It("returns the schemas as a ListResponse", spec.Req("7644-4-03", "7644-4-04"), spec.MUST, func(ctx SpecContext) {
		resp := getDiscovery(ctx, env, pathSchemas, nil, "7644-4-03")
		expectListResponse(resp, pathSchemas, "7644-4-03")
	})

	// 7644-4-03, 7644-4-05, 7644-3.4.2-04: every schema comes back at once, counted by totalResults.
	It("reports a totalResults equal to the number of schemas returned", spec.Req("7644-4-03", "7644-4-05", "7644-3.4.2-04"),
		spec.MUST, func(ctx SpecContext) {
			resp := getDiscovery(ctx, env, pathSchemas, nil, "7644-4-03")
			expectCompleteList(resp, pathSchemas, "7644-4-03")
		})

	// 7643-7-01..03: every schema has a URI id and well-formed attribute definitions.
	It("describes every schema with a URI id and well-formed attribute definitions", spec.Req("7643-7-01", "7643-7-02", "7643-7-03"),
		spec.MUST, func(ctx SpecContext) {
			items := listDiscovery(ctx, env, pathSchemas, nil, "7643-7-01")
			failProblems("RFC 7643 §7 (7643-7-01..03): each Schema needs a URI \"id\" and \"attributes\" whose definitions have a name, a type, multiValued and only the defined keywords; fix each item listed:",
				schemaDefinitionProblems(env, items))
		})

	// 7643-7-06: a complex attribute lists its sub-attributes.
	It("lists the sub-attributes of every complex attribute", spec.Req("7643-7-06"), spec.SHOULD, func(ctx SpecContext) {
		items := listDiscovery(ctx, env, pathSchemas, nil, "7643-7-06")
		var problems []string
		forEachAttribute(items, func(schemaID, path string, attr map[string]any, depth int) {
			if t, _ := memberString(attr, "type"); strings.EqualFold(t, "complex") {
				if subs, _ := memberList(attr, "subAttributes"); len(subs) == 0 {
					problems = append(problems, fmt.Sprintf("%s %s is complex but lists no subAttributes", schemaID, path))
				}
			}
		})
		failProblems(cite("7643-7-06")+": clients learn the shape of a complex attribute from its \"subAttributes\"; list them:", problems)
	})

	// 7643-1.2-02, 7643-2.3.8-02: only complex attributes have sub-attributes, and those are never complex.
	It("declares sub-attributes only under complex attributes and never nests a complex one", spec.Req("7643-1.2-02", "7643-2.3.8-02"),
		spec.MUST, func(ctx SpecContext) {
			items := listDiscovery(ctx, env, pathSchemas, nil, "7643-2.3.8-02")
			failProblems("RFC 7643 §1.2, §2.3.8 (7643-1.2-02, 7643-2.3.8-02): a simple attribute has no sub-attributes and a sub-attribute is never complex (only the Schema schema itself may nest):",
				nestingProblems(items))
		})

	// 7644-3.1-03: protocol message schemas (urn:ietf:params:scim:api:...) are not published in /Schemas.
	It("does not publish SCIM message schemas", spec.Req("7644-3.1-03"), spec.MUST, func(ctx SpecContext) {
		items := listDiscovery(ctx, env, pathSchemas, nil, "7644-3.1-03")
		var problems []string
		for i, s := range items {
			if id, _ := memberString(s, "id"); strings.HasPrefix(strings.ToLower(id), messagePrefix) {
				problems = append(problems, fmt.Sprintf("%s is a protocol message schema", resourceLabel(i, s)))
			}
		}
		failProblems(cite("7644-3.1-03")+": message schemas ("+messagePrefix+"...) are fixed by the SCIM specifications and must not be discoverable; remove them from /Schemas:", problems)
	})

	// 7644-4-03: a published User or Group resource type comes with its core schema in /Schemas.
	It("publishes the core User and Group schemas for published User and Group resource types", spec.Req("7644-4-03"),
		spec.MUST, func(ctx SpecContext) {
			expectCoreSchemas(ctx, env)
		})

	// 7644-3.1-01: a schema definition is returned by GET /Schemas/{id}.
	It("returns each schema by its URI at /Schemas/{id}", spec.Req("7644-3.1-01"), spec.MAY, func(ctx SpecContext) {
		items := listDiscovery(ctx, env, pathSchemas, nil, "7644-3.1-01")
		if len(items) == 0 {
			Skip(spec.SkipUnsupportedPrefix + "the server publishes no schema to fetch by id")
		}
		failProblems(cite("7644-3.1-01")+": GET /Schemas/{schema URI} should return that one schema (RFC 7644 §4), equal to its list entry:",
			byIDProblems(ctx, env, pathSchemas, items, []string{"name"}))
	})

	// 7644-3.12-01, 7644-3.12-02: an unknown schema URI gets 404 with a SCIM Error body.
	It("answers an unknown schema URI with 404 and a SCIM error", spec.Req("7644-3.12-01", "7644-3.12-02"), spec.MUST, func(ctx SpecContext) {
		expectNotFoundError(ctx, env, pathSchemas+"/urn:"+strings.ReplaceAll(env.Name("no-such-schema"), "-", ":"))
	})

	// 7643-4.2-01 (erratum 5368): the Group schema marks displayName required; the original text's false is only warned about.
	It("marks Group displayName as required in the Group schema", spec.Req("7643-4.2-01"), spec.MUST, spec.Interop, func(ctx SpecContext) {
		items := listDiscovery(ctx, env, pathSchemas, nil, "7643-4.2-01")
		group, ok := findByID(items, scim.SchemaGroup)
		if !ok {
			Skip(spec.SkipUnsupportedPrefix + "the server publishes no core Group schema")
		}
		attrs, _ := memberList(group, "attributes")
		dn, ok := findAttribute(attrs, "displayName")
		switch {
		case !ok:
			env.Warn("the Group schema defines no displayName attribute although RFC 7643 §4.2 makes it REQUIRED")
		case !isTrue(dn, "required"):
			env.Warn("the Group schema marks displayName \"required\": %s; erratum 5368 (Verified) corrects the §8.7.1 example to true, as §4.2 requires",
				presentOr(member(dn, "required")))
		}
	})

	// 7643-3-02 (erratum 8417): Schema resources carry schemas and meta; their absence follows the original text and is only warned about.
	It("carries schemas and meta on every Schema resource", spec.Req("7643-3-02"), spec.MUST, spec.Interop, func(ctx SpecContext) {
		items := listDiscovery(ctx, env, pathSchemas, nil, "7643-3-02")
		for i, s := range items {
			if !containsString(schemasOf(s), scim.SchemaSchema) {
				env.Warn("%s has no \"schemas\": [%q]; erratum 8417 (Verified) adds it to every Schema resource", resourceLabel(i, s), scim.SchemaSchema)
			}
			if meta, ok := memberObject(s, "meta"); !ok {
				env.Warn("%s has no \"meta\"; erratum 8417 (Verified) adds meta with resourceType \"Schema\"", resourceLabel(i, s))
			} else if rt, _ := memberString(meta, "resourceType"); rt != "" && rt != "Schema" {
				env.Warn("%s has meta.resourceType %q; erratum 8417 gives \"Schema\"", resourceLabel(i, s), rt)
			}
		}
	})
}

// schemaDefinitionProblems validates each Schema resource and notes the
// tolerated forms (original-vs-errata differences, omitted characteristics).
func schemaDefinitionProblems(env *Env, items []map[string]any) []string {
	v, err := fixtures.NewValidator(fixtures.SchemaSchema)
	Expect(err).NotTo(HaveOccurred())
	var problems []string
	seen := map[string]string{}
	for i, s := range items {
		label := resourceLabel(i, s)
		problems = append(problems, validateItem(v, fixtures.SchemaSchema, i, s)...)
		id, _ := memberString(s, "id")
		if id != "" && !uriPattern.MatchString(id) {
			problems = append(problems, fmt.Sprintf("%s: \"id\" %q is not a URI such as %q", label, id, scim.SchemaUser))
		}
		if other, dup := seen[strings.ToLower(id)]; dup && id != "" {
			problems = append(problems, fmt.Sprintf("%s repeats the id of %s", label, other))
		}
		seen[strings.ToLower(id)] = label
		if n, _ := memberString(s, "name"); n == "" {
			env.Info("%s has no name (RFC 7643 §7 asks for one when applicable)", label)
		}
	}
	noteAttributeForms(env, items)
	return problems
}

// characteristicKeywords are the keyword-valued characteristics with their
// RFC spellings (RFC 7643 §7; binary per erratum 5606).
var characteristicKeywords = map[string][]string{
	"type":       {"string", "boolean", "decimal", "integer", "dateTime", "reference", "complex", "binary"},
	"mutability": {"readOnly", "readWrite", "immutable", "writeOnly"},
	"returned":   {"always", "never", "default", "request"},
	"uniqueness": {"none", "server", "global"},
}

// defaultedCharacteristics have RFC 7643 §2.2 defaults when omitted.
var defaultedCharacteristics = []string{"required", "caseExact", "mutability", "returned", "uniqueness"}

// noteAttributeForms reports tolerated departures: referenceTypes as one
// string (original 8.7.2, erratum 5607), omitted characteristics (§2.2
// defaults) and keywords in another letter case (§7 values are case-insensitive).
func noteAttributeForms(env *Env, items []map[string]any) {
	omitted, recased := 0, map[string]bool{}
	forEachAttribute(items, func(schemaID, path string, attr map[string]any, _ int) {
		if rt, ok := member(attr, "referenceTypes"); ok {
			if _, isStr := rt.(string); isStr {
				env.Warn("%s %s gives referenceTypes as one string; erratum 5607 (Verified) makes it a list of strings", schemaID, path)
			}
		}
		for _, k := range defaultedCharacteristics {
			if _, ok := member(attr, k); !ok {
				omitted++
			}
		}
		for k, words := range characteristicKeywords {
			if s, ok := memberString(attr, k); ok && containsFold(words, s) && !containsString(words, s) {
				recased[fmt.Sprintf("%s %q", k, s)] = true
			}
		}
	})
	if omitted > 0 {
		env.Info("%d characteristic(s) (required, caseExact, mutability, returned, uniqueness) are omitted from attribute definitions; clients must assume the RFC 7643 §2.2 defaults", omitted)
	}
	if len(recased) > 0 {
		env.Info("keywords in another letter case than RFC 7643 §7 spells them: %s (accepted: schema values are case-insensitive)", strings.Join(sortedStrings(recased), ", "))
	}
}

// nestingProblems finds sub-attributes on simple attributes and complex
// sub-attributes (allowed only inside the Schema schema itself).
func nestingProblems(items []map[string]any) []string {
	var problems []string
	forEachAttribute(items, func(schemaID, path string, attr map[string]any, depth int) {
		t, _ := memberString(attr, "type")
		subs, _ := memberList(attr, "subAttributes")
		if len(subs) > 0 && !strings.EqualFold(t, "complex") {
			problems = append(problems, fmt.Sprintf("%s %s has type %q but declares subAttributes", schemaID, path, t))
		}
		if depth > 0 && strings.EqualFold(t, "complex") && !strings.EqualFold(schemaID, scim.SchemaSchema) {
			problems = append(problems, fmt.Sprintf("%s %s is a complex sub-attribute of a complex attribute", schemaID, path))
		}
	})
	return problems
}

// forEachAttribute calls fn for every attribute definition of every schema,
// depth first; path is the dotted attribute path, depth 0 for top level.
func forEachAttribute(items []map[string]any, fn func(schemaID, path string, attr map[string]any, depth int)) {
	for i, s := range items {
		id, _ := memberString(s, "id")
		if id == "" {
			id = fmt.Sprintf("Resources[%d]", i)
		}
		attrs, _ := memberList(s, "attributes")
		walkAttributes(id, "", attrs, 0, fn)
	}
}

func walkAttributes(schemaID, prefix string, attrs []any, depth int, fn func(string, string, map[string]any, int)) {
	if depth > 8 {
		return // no SCIM schema nests this deep; stop on hostile input
	}
	for j, a := range attrs {
		attr, ok := a.(map[string]any)
		if !ok {
			continue
		}
		name, _ := memberString(attr, "name")
		if name == "" {
			name = fmt.Sprintf("[%d]", j)
		}
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		fn(schemaID, path, attr, depth)
		subs, _ := memberList(attr, "subAttributes")
		walkAttributes(schemaID, path, subs, depth+1, fn)
	}
}

// findByID finds a resource whose id equals id (exactly, else ignoring case).
func findByID(items []map[string]any, id string) (map[string]any, bool) {
	var folded map[string]any
	for _, it := range items {
		got, _ := memberString(it, "id")
		if got == id {
			return it, true
		}
		if strings.EqualFold(got, id) && folded == nil {
			folded = it
		}
	}
	return folded, folded != nil
}

// findAttribute finds a top-level attribute definition by name, ignoring case.
func findAttribute(attrs []any, name string) (map[string]any, bool) {
	for _, a := range attrs {
		if attr, ok := a.(map[string]any); ok {
			if n, _ := memberString(attr, "name"); strings.EqualFold(n, name) {
				return attr, true
			}
		}
	}
	return nil, false
}

// isTrue reports whether obj's member name is the JSON true.
func isTrue(obj map[string]any, name string) bool {
	v, _ := member(obj, name)
	b, _ := v.(bool)
	return b
}

func sortedStrings(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
