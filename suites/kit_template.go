package suites

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/scimconform/scimconform/internal/scim"
)

// stamp merges the configured template of the resource type behind path
// (user-template, group-template) into body, in place: every template
// attribute the body lacks is added, with {name} and {prefix} expanded, and
// an extension the template adds joins body's schemas. What the spec put in
// the body always wins, so a spec that leaves an attribute out on purpose
// (a required one, to provoke an error) is not overridden unless the
// template names it. The body is changed in place so that the spec judges
// the values that were actually sent.
func (e *Env) stamp(path string, body map[string]any) {
	if body == nil || len(e.Templates) == 0 || strings.HasSuffix(strings.ToLower(path), ".search") {
		return
	}
	tmpl := e.Templates[e.resourceTypeOf(path)]
	if len(tmpl) == 0 {
		return
	}
	name := nameOf(body)
	for k, v := range tmpl {
		if _, present := member(body, k); present {
			continue
		}
		body[k] = expandTemplate(v, name, e.Prefix)
		if strings.HasPrefix(strings.ToLower(k), "urn:") {
			addSchema(body, k)
		}
	}
}

// stampRequest applies stamp to the body of a create or replace (a POST
// or PUT with a JSON object body) and to the data of every POST and PUT
// operation of a Bulk request; other requests are left alone.
func (e *Env) stampRequest(req scim.Request) {
	body, ok := req.Body.(map[string]any)
	if !ok || req.Method != http.MethodPost && req.Method != http.MethodPut {
		return
	}
	if req.Method == http.MethodPost && strings.EqualFold(strings.TrimRight(req.Path, "/"), "/Bulk") {
		e.stampBulk(body)
		return
	}
	e.stamp(req.Path, body)
}

// stampBulk stamps the data of each POST and PUT operation of a Bulk
// request body by the operation's path, so a server that requires
// attributes beyond the RFC gets them in Bulk creates too.
func (e *Env) stampBulk(body map[string]any) {
	ops, _ := body["Operations"].([]any)
	for _, o := range ops {
		op, _ := o.(map[string]any)
		method, _ := op["method"].(string)
		path, _ := op["path"].(string)
		data, _ := op["data"].(map[string]any)
		if data != nil && (strings.EqualFold(method, http.MethodPost) || strings.EqualFold(method, http.MethodPut)) {
			e.stamp(path, data)
		}
	}
}

// stampAdded merges the template into body like stamp and returns the
// attributes it added (none when there is no template or nothing to add).
func (e *Env) stampAdded(path string, body map[string]any) []string {
	before := make(map[string]bool, len(body))
	for k := range body {
		before[k] = true
	}
	e.stamp(path, body)
	var added []string
	for k := range body {
		if !before[k] {
			added = append(added, k)
		}
	}
	sort.Strings(added)
	return added
}

// templateHint is a sentence for the report when a create the spec needs was
// refused with 400 and no template is configured for its resource type: the
// server may require attributes the RFC leaves optional. "" otherwise.
func (e *Env) templateHint(endpoint string, resp *scim.Response) string {
	rt := e.resourceTypeOf(endpoint)
	if resp == nil || resp.Status != http.StatusBadRequest || rt == "" || len(e.Templates[rt]) > 0 {
		return ""
	}
	flag := "--user-template"
	if rt == "Group" {
		flag = "--group-template"
	}
	return fmt.Sprintf(" If the server requires %s attributes the RFC leaves optional (an e-mail, a department, ...), give them with %s (config key %s); see the README.",
		rt, flag, strings.TrimPrefix(flag, "--"))
}

// resourceTypeOf names the resource type ("User", "Group") whose endpoint
// path starts with; "" for any other.
func (e *Env) resourceTypeOf(path string) string {
	head := "/" + strings.SplitN(strings.TrimLeft(path, "/"), "/", 2)[0]
	for _, rt := range []string{"User", "Group"} {
		if strings.EqualFold(head, e.Endpoint(rt)) {
			return rt
		}
	}
	return ""
}

// expandTemplate deep-copies a template value, replacing {name} and
// {prefix} in every string.
func expandTemplate(v any, name, prefix string) any {
	switch t := v.(type) {
	case string:
		return strings.NewReplacer("{name}", name, "{prefix}", prefix).Replace(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = expandTemplate(x, name, prefix)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = expandTemplate(x, name, prefix)
		}
		return out
	}
	return v
}

// addSchema appends urn to body's schemas unless it is there.
func addSchema(body map[string]any, urn string) {
	raw, _ := member(body, "schemas")
	var list []any
	switch s := raw.(type) {
	case []any:
		list = s
	case []string:
		for _, x := range s {
			list = append(list, x)
		}
	}
	for _, x := range list {
		if str, ok := x.(string); ok && strings.EqualFold(str, urn) {
			return
		}
	}
	body["schemas"] = append(list, urn)
}
