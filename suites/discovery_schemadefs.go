package suites

import (
	"fmt"
	"regexp"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/fixtures"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// uriPattern recognises an absolute URI: a scheme, a colon and more.
var uriPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:\S+$`)

// describeSchemaDefinitions declares the specs of the attribute definitions
// inside the published schemas (RFC 7643 §7).
func describeSchemaDefinitions(env *Env) {
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
}

// describeSchemaErrata declares the specs whose departures are the original
// text that Verified errata correct: reported as warnings, never failures.
func describeSchemaErrata(env *Env) {
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
	}
	noteAttributeForms(env, items)
	return problems
}

// descriptionProblems lists the missing names and descriptions.
func descriptionProblems(rts, schemas []map[string]any) []string {
	var problems []string
	for i, rt := range rts {
		if d, _ := memberString(rt, "description"); strings.TrimSpace(d) == "" {
			problems = append(problems, resourceLabel(i, rt)+" in /ResourceTypes has no description")
		}
	}
	for i, s := range schemas {
		for _, k := range []string{"name", "description"} {
			if v, _ := memberString(s, k); strings.TrimSpace(v) == "" {
				problems = append(problems, fmt.Sprintf("%s in /Schemas has no %s", resourceLabel(i, s), k))
			}
		}
	}
	undescribed := map[string]int{}
	var order []string
	forEachAttribute(schemas, func(schemaID, _ string, attr map[string]any, _ int) {
		if d, _ := memberString(attr, "description"); strings.TrimSpace(d) == "" {
			if undescribed[schemaID] == 0 {
				order = append(order, schemaID)
			}
			undescribed[schemaID]++
		}
	})
	for _, id := range order {
		problems = append(problems, fmt.Sprintf("%s: %d attribute definition(s) have no description", id, undescribed[id]))
	}
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
