package suites

import (
	"fmt"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/spec"
)

// messagePrefix starts the URNs of SCIM protocol messages (RFC 7644 §3.1).
const messagePrefix = "urn:ietf:params:scim:api:"

// describeSchemas declares the /Schemas specs.
func describeSchemas(env *Env) {
	describeSchemaLists(env)
	describeSchemaDefinitions(env)
	describeSchemaErrata(env)
}

// describeSchemaLists declares the specs of the /Schemas list, its entries by
// id and the schemas it must and must not hold.
func describeSchemaLists(env *Env) {
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
