package suites

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/fixtures"
	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// maxByID bounds how many discovery resources a GET-by-id spec fetches one by one.
const maxByID = 25

// describeResourceTypes declares the /ResourceTypes specs.
func describeResourceTypes(env *Env) {
	// 7644-4-04: several resource types come back in the ListResponse message form.
	It("returns the resource types as a ListResponse", spec.Req("7644-4-04"), spec.MUST, func(ctx SpecContext) {
		resp := getDiscovery(ctx, env, pathResourceTypes, nil, "7644-4-04")
		expectListResponse(resp, pathResourceTypes, "7644-4-04")
	})

	// 7644-4-04, 7644-4-05, 7644-3.4.2-04: discovery is never paged, so totalResults counts the Resources returned.
	It("reports a totalResults equal to the number of resource types returned", spec.Req("7644-4-04", "7644-4-05", "7644-3.4.2-04"),
		spec.MUST, func(ctx SpecContext) {
			resp := getDiscovery(ctx, env, pathResourceTypes, nil, "7644-4-04")
			expectCompleteList(resp, pathResourceTypes, "7644-4-04")
		})

	// 7643-6-01..11, 7643-3-02: every resource type has schemas, name, endpoint and schema of the right types.
	It("describes every resource type with schemas, name, endpoint and schema", spec.Req("7643-6-01", "7643-6-03", "7643-6-04",
		"7643-6-06", "7643-6-07", "7643-6-11", "7643-3-02"), spec.MUST, func(ctx SpecContext) {
		items := listDiscovery(ctx, env, pathResourceTypes, nil, "7643-6-01")
		v, err := fixtures.NewValidator(fixtures.SchemaResourceType)
		Expect(err).NotTo(HaveOccurred())
		var problems []string
		for i, rt := range items {
			problems = append(problems, validateItem(v, fixtures.SchemaResourceType, i, rt)...)
			noteResourceType(env, i, rt)
		}
		failProblems("RFC 7643 §6 (7643-6-01, 6-04, 6-06, 6-07): each ResourceType needs \"schemas\" with "+scim.SchemaResourceType+
			", a \"name\", an \"endpoint\" and a \"schema\" URI; fix each member listed:", problems)
	})

	// 7643-6-04: a ResourceType resource that carries meta names its own kind, ResourceType, in meta.resourceType.
	It("names ResourceType in meta.resourceType of every resource type that carries meta", spec.Req("7643-6-04"), spec.SHOULD, func(ctx SpecContext) {
		items := listDiscovery(ctx, env, pathResourceTypes, nil, "7643-6-04")
		var problems []string
		withMeta := 0
		for i, rt := range items {
			meta, ok := memberObject(rt, "meta")
			if !ok {
				continue
			}
			withMeta++
			if got, _ := memberString(meta, "resourceType"); got != "ResourceType" {
				problems = append(problems, fmt.Sprintf("%s has meta.resourceType %s", resourceLabel(i, rt), presentOr(member(meta, "resourceType"))))
			}
		}
		if withMeta == 0 {
			env.Info("no resource type carries meta (RFC 7643 §3.1 does not require it of ResourceType resources)")
		}
		failProblems(cite("7643-6-04")+": meta.resourceType holds the name of the resource's own type; for the resources of /ResourceTypes that is \"ResourceType\" (RFC 7643 §6 and its examples), not the name of the type they describe:", problems)
	})

	// 7643-6-06 (erratum 8365): each resource type has exactly one endpoint, relative to the base URL.
	It("gives each resource type exactly one endpoint relative to the base URL", spec.Req("7643-6-06"), spec.MUST, func(ctx SpecContext) {
		items := listDiscovery(ctx, env, pathResourceTypes, nil, "7643-6-06")
		var problems []string
		seen := map[string]string{}
		for i, rt := range items {
			label := resourceLabel(i, rt)
			ep, problem := endpointOf(rt)
			if problem != "" {
				problems = append(problems, label+": "+problem)
				continue
			}
			key := "/" + strings.Trim(strings.ToLower(ep), "/")
			if other, dup := seen[key]; dup {
				env.Warn("%s and %s share the endpoint %q; clients cannot tell which resource type a path serves", other, label, ep)
			}
			seen[key] = label
		}
		failProblems("RFC 7643 §6 (7643-6-06, erratum 8365): \"endpoint\" is REQUIRED and is one string such as \"/Users\", relative to the base URL:", problems)
	})

	// 7644-4-01: a single resource type is returned by GET /ResourceTypes/{id}, like any single resource.
	It("returns each resource type by id at /ResourceTypes/{id}", spec.Req("7644-4-01"), spec.MAY, func(ctx SpecContext) {
		items := listDiscovery(ctx, env, pathResourceTypes, nil, "7644-4-01")
		if len(items) == 0 {
			Skip(spec.SkipUnsupportedPrefix + "the server publishes no resource type to fetch by id")
		}
		failProblems(cite("7644-4-01")+": GET /ResourceTypes/{id} should return that one resource type (RFC 7644 §4, like §3.4.1), equal to its list entry:",
			byIDProblems(ctx, env, pathResourceTypes, items, []string{"name", "endpoint", "schema"}))
	})

	// 7644-3.12-01, 7644-3.12-02: an unknown resource type id gets 404 with a SCIM Error body.
	It("answers an unknown resource type id with 404 and a SCIM error", spec.Req("7644-3.12-01", "7644-3.12-02"), spec.MUST, func(ctx SpecContext) {
		expectNotFoundError(ctx, env, pathResourceTypes+"/"+env.Name("no-such-type"))
	})
}

// expectListResponse asserts a ListResponse body for a discovery list.
func expectListResponse(resp *scim.Response, path, req string) {
	GinkgoHelper()
	var raw any
	if err := resp.JSON(&raw); err == nil {
		if _, isArray := raw.([]any); isArray {
			Fail(fmt.Sprintf("%s: GET %s returned a bare JSON array; wrap the resources in a ListResponse: {\"schemas\": [%q], \"totalResults\": N, \"Resources\": [...]}.",
				cite(req), path, scim.MessageListResponse))
		}
	}
	Expect(resp).To(matchers.MatchJSONSchema(fixtures.SchemaListResponse),
		"%s: GET %s must use the ListResponse message form (RFC 7644 §3.4.2); fix each member listed below.", cite(req), path)
	obj := decodeObject(resp, "the "+path+" body", req)
	total, _ := member(obj, "totalResults")
	if n, _ := total.(float64); n > 0 {
		_, ok := memberList(obj, "Resources")
		Expect(ok).To(BeTrue(), "%s: GET %s reports totalResults %v but has no \"Resources\" array; return the resources in it (RFC 7644 §3.4.2).",
			cite(req), path, total)
	}
}

// expectCompleteList asserts that an unpaged discovery list is complete.
func expectCompleteList(resp *scim.Response, path, req string) {
	GinkgoHelper()
	obj := decodeObject(resp, "the "+path+" body (a ListResponse with totalResults)", req)
	total, ok := member(obj, "totalResults")
	n, isNum := total.(float64)
	Expect(ok && isNum).To(BeTrue(), "%s: GET %s has no numeric totalResults (it is %s); report how many resources there are.",
		cite("7644-3.4.2-04"), path, presentOr(total, ok))
	items, err := listResources(resp)
	Expect(err).NotTo(HaveOccurred(), "%s: the resources of GET %s cannot be read", cite(req), path)
	Expect(len(items)).To(Equal(int(n)), "%s: discovery endpoints ignore paging, so GET %s must return every resource at once: totalResults is %v but %d resource(s) came back. Return them all and report their number.",
		cite("7644-4-05"), path, total, len(items))
}

// validateItem validates one list item against a wire format; violation
// paths are prefixed with the item's position.
func validateItem(v *fixtures.Validator, name string, i int, item map[string]any) []string {
	violations, err := v.ValidateValue(name, item)
	if err != nil {
		return []string{fmt.Sprintf("Resources[%d]: %v", i, err)}
	}
	out := make([]string, 0, len(violations))
	for _, x := range violations {
		out = append(out, fmt.Sprintf("%s: %s", itemPath(i, item, x.Path), x.Message))
	}
	return out
}

// itemPath renders a violation path inside list item i, naming the item:
// Resources[0].schemas (User).
func itemPath(i int, item map[string]any, path string) string {
	p := fmt.Sprintf("Resources[%d]%s", i, strings.TrimPrefix(path, "$"))
	for _, k := range []string{"id", "name"} {
		if s, ok := memberString(item, k); ok && s != "" {
			return fmt.Sprintf("%s (%s)", p, s)
		}
	}
	return p
}

// noteResourceType records tolerated departures of one resource type.
func noteResourceType(env *Env, i int, rt map[string]any) {
	label := resourceLabel(i, rt)
	if id, _ := memberString(rt, "id"); id == "" {
		env.Warn("%s has no \"id\" (OPTIONAL per RFC 7643 §6), so clients cannot fetch it at /ResourceTypes/{id}", label)
	}
	if ext, ok := member(rt, "schemaExtensions"); ok {
		if _, isObj := ext.(map[string]any); isObj {
			env.Warn("%s gives schemaExtensions as one object; erratum 7522 (Verified) makes it a list: send [{...}]", label)
		}
	}
}

// endpointOf returns a resource type's endpoint or what is wrong with it.
func endpointOf(rt map[string]any) (string, string) {
	v, ok := member(rt, "endpoint")
	if !ok {
		return "", "\"endpoint\" is missing"
	}
	ep, isStr := v.(string)
	switch {
	case !isStr:
		return "", fmt.Sprintf("\"endpoint\" is a JSON %s (%s), must be one string", jsonKind(v), quoteJSON(v))
	case strings.TrimSpace(ep) == "":
		return "", "\"endpoint\" is empty"
	}
	if u, err := url.Parse(ep); err != nil || u.IsAbs() || u.Host != "" || u.RawQuery != "" {
		return "", fmt.Sprintf("\"endpoint\" is %q, must be a path relative to the base URL such as \"/Users\"", ep)
	}
	return ep, ""
}

// byIDProblems GETs each item at base/{id} and compares the listed members.
func byIDProblems(ctx SpecContext, env *Env, base string, items []map[string]any, compare []string) []string {
	GinkgoHelper()
	var problems []string
	for i, it := range items {
		if i == maxByID {
			env.Info("fetched the first %d of %d resources by id", maxByID, len(items))
			break
		}
		id, _ := memberString(it, "id")
		if id == "" {
			env.Info("%s has no id and cannot be fetched by id", resourceLabel(i, it))
			continue
		}
		path := base + "/" + url.PathEscape(id)
		resp := env.Get(ctx, path, nil)
		if resp.Status != http.StatusOK {
			problems = append(problems, fmt.Sprintf("GET %s answered %d, want 200", path, resp.Status))
			continue
		}
		problems = append(problems, compareSingle(resp, path, it, compare)...)
	}
	return problems
}

// compareSingle checks that a by-id answer is the listed resource itself.
func compareSingle(resp *scim.Response, path string, listed map[string]any, compare []string) []string {
	got, err := resp.Object()
	if err != nil {
		return []string{fmt.Sprintf("GET %s: %v", path, err)}
	}
	if _, isList := member(got, "Resources"); isList || containsString(schemasOf(got), scim.MessageListResponse) {
		return []string{fmt.Sprintf("GET %s returned a ListResponse; a single resource must come back as the object itself", path)}
	}
	var problems []string
	for _, k := range append([]string{"id"}, compare...) {
		want, _ := member(listed, k)
		have, _ := member(got, k)
		if quoteJSON(want) != quoteJSON(have) {
			problems = append(problems, fmt.Sprintf("GET %s: %q is %s, but the list says %s", path, k, quoteJSON(have), quoteJSON(want)))
		}
	}
	return problems
}

// expectNotFoundError asserts 404 with a SCIM Error body for an unknown
// discovery resource; an integer status is a warning (docs/interpretations.md#i8).
func expectNotFoundError(ctx SpecContext, env *Env, path string) {
	GinkgoHelper()
	resp := env.Get(ctx, path, nil)
	m := matchers.HaveSCIMError(http.StatusNotFound, "")
	expectSCIMError(resp, m, "%s: GET %s names nothing the server has; answer 404 with a SCIM Error body {\"schemas\": [%q], \"status\": \"404\", \"detail\": ...}.",
		cite("7644-3.12-01"), path, scim.MessageError)
	if m.StatusWasInteger() {
		env.Warn("the Error body's status is the JSON number %s; RFC 7644 §3.12 (7644-3.12-02) asks for a string such as \"404\" (%s: many servers send a number)",
			m.Parsed().Status, interpretation(8))
	}
}
