package suites

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// describeDiscoveryConsistency declares the specs that relate the discovery
// endpoints to each other.
func describeDiscoveryConsistency(env *Env) {
	// 7643-6-07, 7643-6-09: each resource type's schema and schema extensions are ids of published Schema resources.
	It("resolves every resource type's schema and schema extensions in /Schemas", spec.Req("7643-6-07", "7643-6-09"),
		spec.MUST, func(ctx SpecContext) {
			rts := listDiscovery(ctx, env, pathResourceTypes, nil, "7643-6-07")
			schemas := listDiscovery(ctx, env, pathSchemas, nil, "7643-6-07")
			var problems []string
			for i, rt := range rts {
				for _, ref := range schemaRefs(rt) {
					problems = append(problems, resolveSchemaRef(env, schemas, resourceLabel(i, rt), ref)...)
				}
			}
			failProblems("RFC 7643 §6 (7643-6-07, 6-09): \"schema\" and each schemaExtensions[].schema must equal the \"id\" of a Schema published at /Schemas; publish the missing schemas or fix the URIs:", problems)
		})

	// 7643-6-05, 7643-7-04, 7643-7-05, 7643-7-07: resource types, schemas and attributes carry names and descriptions where applicable; "where applicable" leaves room, so only a warning.
	It("names and describes its resource types, schemas and attributes", spec.Req("7643-6-05", "7643-7-04", "7643-7-05", "7643-7-07"),
		spec.MUST, spec.Interop, func(ctx SpecContext) {
			rts := listDiscovery(ctx, env, pathResourceTypes, nil, "7643-6-05")
			schemas := listDiscovery(ctx, env, pathSchemas, nil, "7643-7-04")
			failProblems("RFC 7643 §6, §7 (7643-6-05, 7-04, 7-05, 7-07): clients show these texts to people; give each resource type a description, each schema a name and description, and each attribute a description:",
				descriptionProblems(rts, schemas))
		})

	// 7644-8.1-01: discovery documents are served as application/scim+json.
	It("serves every discovery endpoint as application/scim+json", spec.Req("7644-8.1-01"), spec.SHOULD, func(ctx SpecContext) {
		gateSCIMAccepted(env)
		var problems []string
		for _, path := range []string{pathServiceProviderConfig, pathResourceTypes, pathSchemas} {
			resp := getDiscovery(ctx, env, path, nil, "7644-8.1-01")
			m := matchers.HaveMediaType(scim.MediaType)
			if ok, err := m.Match(resp); err != nil || !ok {
				problems = append(problems, fmt.Sprintf("GET %s: %s", path, m.FailureMessage(resp)))
			}
		}
		failProblems(cite("7644-8.1-01")+": SCIM responses should carry Content-Type: application/scim+json:", problems)
	})
}

// schemaRef is one schema URI a resource type refers to.
type schemaRef struct{ member, uri string }

// schemaRefs lists a resource type's schema and extension URIs (extensions as
// a list, or as one object in the pre-erratum form).
func schemaRefs(rt map[string]any) []schemaRef {
	var refs []schemaRef
	if s, ok := memberString(rt, "schema"); ok && s != "" {
		refs = append(refs, schemaRef{"schema", s})
	}
	ext, _ := member(rt, "schemaExtensions")
	var list []any
	switch e := ext.(type) {
	case []any:
		list = e
	case map[string]any:
		list = []any{e}
	}
	for j, it := range list {
		if obj, ok := it.(map[string]any); ok {
			if s, ok := memberString(obj, "schema"); ok && s != "" {
				refs = append(refs, schemaRef{fmt.Sprintf("schemaExtensions[%d].schema", j), s})
			}
		}
	}
	return refs
}

// resolveSchemaRef checks that ref names a published schema; a match that
// differs only in letter case is a warning.
func resolveSchemaRef(env *Env, schemas []map[string]any, label string, ref schemaRef) []string {
	s, ok := findByID(schemas, ref.uri)
	if !ok {
		return []string{fmt.Sprintf("%s %s %q is not the id of any schema in /Schemas", label, ref.member, ref.uri)}
	}
	if id, _ := memberString(s, "id"); id != ref.uri {
		env.Warn("%s %s %q matches the schema id %q only when ignoring case; use one spelling", label, ref.member, ref.uri, id)
	}
	return nil
}

// expectCoreSchemas checks that a published User or Group resource type on the
// core schema comes with that schema in /Schemas.
func expectCoreSchemas(ctx SpecContext, env *Env) {
	GinkgoHelper()
	rts := listDiscovery(ctx, env, pathResourceTypes, nil, "7644-4-03")
	schemas := listDiscovery(ctx, env, pathSchemas, nil, "7644-4-03")
	var problems []string
	checked := 0
	for _, core := range []struct{ name, urn string }{{"User", scim.SchemaUser}, {"Group", scim.SchemaGroup}} {
		for i, rt := range rts {
			name, _ := memberString(rt, "name")
			schema, _ := memberString(rt, "schema")
			if !strings.EqualFold(schema, core.urn) {
				if strings.EqualFold(name, core.name) {
					env.Info("%s is named %s but its schema is %q, not the core %s schema", resourceLabel(i, rt), core.name, schema, core.name)
				}
				continue
			}
			checked++
			if _, ok := findByID(schemas, core.urn); !ok {
				problems = append(problems, fmt.Sprintf("%s uses the core %s schema, but /Schemas does not list %q", resourceLabel(i, rt), core.name, core.urn))
			}
		}
	}
	if checked == 0 {
		Skip(spec.SkipUnsupportedPrefix + "no resource type uses the core User or Group schema")
	}
	failProblems(cite("7644-4-03")+": GET /Schemas returns every supported schema, so each core schema in use must be listed:", problems)
}

// describeDiscoveryQueries declares the specs of query parameters on the
// discovery lists (RFC 7644 §4, docs/interpretations.md#i9).
func describeDiscoveryQueries(env *Env) {
	// 7644-4-05, 7644-4-06 (docs/interpretations.md#i9): a filter on /ResourceTypes is ignored (200, full list) or refused with 403.
	It("ignores a filter on /ResourceTypes or refuses it with 403", spec.Req("7644-4-05", "7644-4-06"), spec.MUST, func(ctx SpecContext) {
		expectFilterIgnoredOr403(ctx, env, pathResourceTypes, `name eq "`+env.Name("no-such-type")+`"`)
	})

	// 7644-4-05, 7644-4-06 (docs/interpretations.md#i9): a filter on /Schemas is ignored (200, full list) or refused with 403.
	It("ignores a filter on /Schemas or refuses it with 403", spec.Req("7644-4-05", "7644-4-06"), spec.MUST, func(ctx SpecContext) {
		expectFilterIgnoredOr403(ctx, env, pathSchemas, `id eq "urn:`+strings.ReplaceAll(env.Name("no-such-schema"), "-", ":")+`"`)
	})

	// 7644-4-05: sorting and paging parameters on discovery lists are ignored.
	It("ignores sorting and paging parameters on /ResourceTypes and /Schemas", spec.Req("7644-4-05"), spec.MUST, func(ctx SpecContext) {
		query := url.Values{"sortBy": {"id"}, "sortOrder": {"descending"}, "startIndex": {"2"}, "count": {"1"}}
		var problems []string
		for _, path := range []string{pathResourceTypes, pathSchemas} {
			base := listDiscovery(ctx, env, path, nil, "7644-4-05")
			resp := env.Get(ctx, path, query)
			if resp.Status != http.StatusOK {
				problems = append(problems, fmt.Sprintf("GET %s?%s answered %s, want 200 with the full list", path, query.Encode(), statusLine(resp.Status)))
				continue
			}
			problems = append(problems, sameListProblems(resp, path+"?"+query.Encode(), base)...)
		}
		failProblems(cite("7644-4-05")+": discovery endpoints ignore sortBy, sortOrder, startIndex and count, and always return the complete list:", problems)
	})

	// 7644-4-05: sorting and paging parameters on /ServiceProviderConfig change nothing in the answer.
	// SHOULD, not MUST: the RFC's "SHALL be ignored" is written for the /ResourceTypes and
	// /Schemas lists; for the singleton only the general advice to ignore parameters applies (I9).
	It("ignores sorting and paging parameters on /ServiceProviderConfig", spec.Req("7644-4-05"), spec.SHOULD, func(ctx SpecContext) {
		query := url.Values{"sortBy": {"id"}, "sortOrder": {"descending"}, "startIndex": {"2"}, "count": {"1"}}
		base := decodeObject(getDiscovery(ctx, env, pathServiceProviderConfig, nil, "7644-4-05"), "the /ServiceProviderConfig body", "7644-4-05")
		target := pathServiceProviderConfig + "?" + query.Encode()
		resp := env.Get(ctx, pathServiceProviderConfig, query)
		Expect(resp.Status).To(Equal(http.StatusOK), "%s: GET %s answered %s; the ServiceProviderConfig ignores query parameters, so answer 200 with the same document as without them.",
			cite("7644-4-05"), target, statusLine(resp.Status))
		failProblems(fmt.Sprintf("%s: GET %s must return the document GET %s returns (query parameters are ignored there):", cite("7644-4-05"), target, pathServiceProviderConfig),
			spcSameProblems(resp, target, base))
	})

	// 7644-4-05, 7644-4-06 (docs/interpretations.md#i9): a filter on /ServiceProviderConfig is ignored (200, same document) or refused with 403.
	It("ignores a filter on /ServiceProviderConfig or refuses it with 403", spec.Req("7644-4-05", "7644-4-06"), spec.MUST, func(ctx SpecContext) {
		base := decodeObject(getDiscovery(ctx, env, pathServiceProviderConfig, nil, "7644-4-05"), "the /ServiceProviderConfig body", "7644-4-05")
		judgeFilterIgnoredOr403(ctx, env, pathServiceProviderConfig, `patch.supported eq false`, "the same document",
			func(resp *scim.Response, target string) []string { return spcSameProblems(resp, target, base) })
	})
}

// spcSameProblems compares a /ServiceProviderConfig answer with the plain
// document, member by member; meta is left out (a server may stamp it per
// request).
func spcSameProblems(resp *scim.Response, target string, base map[string]any) []string {
	obj, err := resp.Object()
	if err != nil {
		return []string{fmt.Sprintf("GET %s: the body is not a JSON object: %v", target, err)}
	}
	var problems []string
	for _, k := range sortedUnique(append(mapKeys(base), mapKeys(obj)...)) {
		if strings.EqualFold(k, "meta") {
			continue
		}
		a, inBase := base[k]
		b, inObj := obj[k]
		switch {
		case !inObj:
			problems = append(problems, fmt.Sprintf("%q is missing (the plain document has %s)", k, quoteJSON(a)))
		case !inBase:
			problems = append(problems, fmt.Sprintf("%q is %s, which the plain document does not have", k, quoteJSON(b)))
		case !reflect.DeepEqual(a, b):
			problems = append(problems, fmt.Sprintf("%q is %s where the plain document has %s", k, quoteJSON(b), quoteJSON(a)))
		}
	}
	return problems
}

// mapKeys returns the keys of an object, in no particular order.
func mapKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// describeDiscoveryPaging declares the spec of the paging members of the
// discovery lists.
func describeDiscoveryPaging(env *Env) {
	// 7644-3.4.2-08: when a discovery list sends itemsPerPage, it is the number of resources it returned.
	It("reports itemsPerPage as the number of resources on /ResourceTypes and /Schemas when present", spec.Req("7644-3.4.2-08"), spec.MUST, func(ctx SpecContext) {
		var problems []string
		for _, path := range []string{pathResourceTypes, pathSchemas} {
			resp := getDiscovery(ctx, env, path, nil, "7644-3.4.2-08")
			obj, err := resp.Object()
			if err != nil {
				env.Info("GET %s: the body is not a JSON object (the ListResponse specs judge that), so it has no itemsPerPage", path)
				continue
			}
			raw, ok := member(obj, "itemsPerPage")
			if !ok {
				env.Info("GET %s carries no \"itemsPerPage\" (optional on a complete list)", path)
				continue
			}
			items, err := listResources(resp)
			if err != nil {
				problems = append(problems, fmt.Sprintf("GET %s: %v", path, err))
				continue
			}
			if n, isNum := raw.(float64); !isNum || int(n) != len(items) || !isWholeNumber(n) {
				problems = append(problems, fmt.Sprintf("GET %s returned %d resource(s) but reports \"itemsPerPage\": %s", path, len(items), quoteJSON(raw)))
			}
		}
		failProblems(cite("7644-3.4.2-08")+": \"itemsPerPage\" is the number of resources a list response returns, not a page size; send the count of Resources or leave it out:", problems)
	})
}

// expectFilterIgnoredOr403 accepts both readings of RFC 7644 §4 for a filter
// on a discovery list (docs/interpretations.md#i9) and fails anything else.
func expectFilterIgnoredOr403(ctx SpecContext, env *Env, path, filter string) {
	GinkgoHelper()
	base := listDiscovery(ctx, env, path, nil, "7644-4-05")
	judgeFilterIgnoredOr403(ctx, env, path, filter, "the complete list",
		func(resp *scim.Response, target string) []string { return sameListProblems(resp, target, base) })
	if len(base) == 0 {
		env.Info("%s lists nothing, so ignoring the filter cannot be told apart from applying it", path)
	}
}

// judgeFilterIgnoredOr403 sends filter to a discovery endpoint and accepts
// 403 (7644-4-06) or a 200 that same (what is the answer without the filter,
// "the complete list") finds no different from the plain answer (7644-4-05);
// anything else fails (interpretation I9).
func judgeFilterIgnoredOr403(ctx SpecContext, env *Env, path, filter, what string, same func(resp *scim.Response, target string) []string) {
	GinkgoHelper()
	query := url.Values{"filter": {filter}}
	resp := env.Get(ctx, path, query)
	target := path + "?" + query.Encode()
	switch resp.Status {
	case http.StatusForbidden:
		env.Info("GET %s answered 403: the filter is refused, as 7644-4-06 recommends (%s accepts this or ignoring it)", target, interpretation(9))
	case http.StatusOK:
		failProblems(fmt.Sprintf("%s and %s (%s): a filter on %s must be ignored (200 with %s) or refused with 403, but the 200 answer differs from the answer without it:",
			cite("7644-4-05"), cite("7644-4-06"), interpretation(9), path, what), same(resp, target))
		env.Info("GET %s answered 200 with %s: the filter is ignored, as 7644-4-05 requires (%s accepts this or 403)", target, what, interpretation(9))
	default:
		Fail(fmt.Sprintf("%s and %s (%s): GET %s answered %s. A filter on a discovery endpoint must be ignored (200 with %s, 7644-4-05) or refused with 403 (7644-4-06); answer one of those.",
			cite("7644-4-05"), cite("7644-4-06"), interpretation(9), target, statusLine(resp.Status), what))
	}
}

// sameListProblems compares a discovery list answer with the plain list.
func sameListProblems(resp *scim.Response, target string, base []map[string]any) []string {
	items, err := listResources(resp)
	if err != nil {
		return []string{fmt.Sprintf("GET %s: %v", target, err)}
	}
	want, got := idSet(base), idSet(items)
	var missing, extra []string
	for k := range want {
		if !got[k] {
			missing = append(missing, k)
		}
	}
	for k := range got {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	var problems []string
	if len(missing) > 0 || len(extra) > 0 {
		problems = append(problems, fmt.Sprintf("GET %s returned %d resource(s) where the plain list has %d (missing %s, unexpected %s)",
			target, len(items), len(base), quoteJSON(sortedUnique(missing)), quoteJSON(sortedUnique(extra))))
	}
	if obj, err := resp.Object(); err == nil {
		if total, ok := member(obj, "totalResults"); ok {
			if n, _ := total.(float64); int(n) != len(base) {
				problems = append(problems, fmt.Sprintf("GET %s reports totalResults %s where the plain list has %d", target, quoteJSON(total), len(base)))
			}
		}
	}
	return problems
}

// sortedUnique returns the distinct keys, sorted.
func sortedUnique(keys []string) []string {
	set := map[string]bool{}
	for _, k := range keys {
		set[k] = true
	}
	return sortedStrings(set)
}

// statusLine renders "404 Not Found".
func statusLine(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}
