package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The discovery suite: RFC 7644 §4 and RFC 7643 §5-7. Every spec is
// read-only. Each rule is checked in one place: specs that only need a
// discovery list tolerate a bare JSON array (the ListResponse specs report
// it), so one defect fails the spec of its own requirement and no other.
var _ = DescribeSCIM("Discovery", spec.Area("discovery"), func(env *Env) {
	Context("GET /ServiceProviderConfig", func() { describeServiceProviderConfig(env) })
	Context("GET /ResourceTypes", func() { describeResourceTypes(env) })
	Context("GET /Schemas", func() { describeSchemas(env) })
	Context("across discovery endpoints", func() { describeDiscoveryConsistency(env) })
	Context("query parameters on discovery endpoints", func() { describeDiscoveryQueries(env) })
	Context("paging members of discovery lists", func() { describeDiscoveryPaging(env) })
})

// Discovery endpoint paths (RFC 7644 §4), relative to the base URL.
const (
	pathServiceProviderConfig = "/ServiceProviderConfig"
	pathResourceTypes         = "/ResourceTypes"
	pathSchemas               = "/Schemas"
)

// getDiscovery GETs a discovery endpoint with the given query and expects 200.
func getDiscovery(ctx context.Context, env *Env, path string, query url.Values, req string) *scim.Response {
	GinkgoHelper()
	resp := env.Get(ctx, path, query)
	Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf(
		"%s: GET %s must return the discovery document; serve it at this path relative to the base URL, readable with the harness's credentials",
		cite(req), path)))
	if resp.Truncated {
		FailHarness("GET %s: %s", path, resp.TooLarge())
	}
	return resp
}

// listResources reads the resources of a list answer: the Resources of a
// ListResponse, or the elements of a bare JSON array (tolerated here; the
// ListResponse specs report it).
func listResources(resp *scim.Response) ([]map[string]any, error) {
	var raw any
	if err := resp.JSON(&raw); err != nil {
		return nil, err
	}
	var items []any
	switch doc := raw.(type) {
	case []any:
		items = doc
	case map[string]any:
		v, ok := member(doc, "Resources")
		if !ok || v == nil {
			return nil, nil
		}
		if items, ok = v.([]any); !ok {
			return nil, fmt.Errorf("\"Resources\" is a JSON %s, not an array", jsonKind(v))
		}
	default:
		return nil, fmt.Errorf("the body is a JSON %s, neither a ListResponse nor an array", jsonKind(raw))
	}
	out := make([]map[string]any, 0, len(items))
	for i, it := range items {
		obj, ok := it.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("item %d of Resources is a JSON %s, not an object", i, jsonKind(it))
		}
		out = append(out, obj)
	}
	return out, nil
}

// listDiscovery GETs a discovery list endpoint and returns its resources,
// failing the spec (with req) when it cannot be read at all.
func listDiscovery(ctx context.Context, env *Env, path string, query url.Values, req string) []map[string]any {
	GinkgoHelper()
	resp := getDiscovery(ctx, env, path, query, req)
	items, err := listResources(resp)
	if err != nil {
		Fail(fmt.Sprintf("%s: the resources of GET %s cannot be read: %v. Return a ListResponse whose \"Resources\" is an array of objects (RFC 7644 §4).",
			cite(req), path, err))
	}
	return items
}

// resourceLabel names a discovery resource in messages: Resources[i] (id).
func resourceLabel(i int, obj map[string]any) string {
	for _, k := range []string{"id", "name"} {
		if s, ok := memberString(obj, k); ok && s != "" {
			return fmt.Sprintf("Resources[%d] (%s)", i, s)
		}
	}
	return fmt.Sprintf("Resources[%d]", i)
}

// schemasOf returns the "schemas" values of a resource.
func schemasOf(obj map[string]any) []string {
	list, _ := memberList(obj, "schemas")
	out := make([]string, 0, len(list))
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// containsString reports whether list holds s exactly.
func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// idSet returns the ids (or names, for resources without an id) of resources.
func idSet(items []map[string]any) map[string]bool {
	set := map[string]bool{}
	for _, it := range items {
		key, _ := memberString(it, "id")
		if key == "" {
			key, _ = memberString(it, "name")
		}
		set[strings.ToLower(key)] = true
	}
	return set
}
