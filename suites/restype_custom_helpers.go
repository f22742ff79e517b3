package suites

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/spec"
)

// customType is one published resource type beyond User and Group with
// what the suite needs to build instances of it from its schema.
type customType struct {
	view coreView
	// key is a required, singular, readWrite string attribute of the base
	// schema ("" when none): filtered on by eq.
	key string
	// edit is a singular readWrite string attribute of the base schema that
	// is neither required nor unique ("" when none): PATCHed and PUT.
	edit string
}

func (t customType) name() string     { return t.view.RT.Name }
func (t customType) endpoint() string { return "/" + strings.TrimLeft(t.view.RT.Endpoint, "/") }

// customTypes returns the usable custom resource types. A type whose schema
// is not published, or whose required attributes the suite cannot build
// (a required reference or binary), is left out with an INFO note; when none
// is left the spec is NOT SUPPORTED.
func customTypes(env *Env) []customType {
	GinkgoHelper()
	var out []customType
	for _, rt := range env.Caps.CustomResourceTypes() {
		view, ok := coreSchemaView(env, rt.Name)
		if !ok {
			env.Info("resource type %s: its schema %s is not in /Schemas, so no instance can be built from it", rt.Name, rt.Schema)
			continue
		}
		if a, ok := customUnbuildable(view.Base.Attributes); ok {
			env.Info("resource type %s: the required attribute %s (type %s) cannot be built by the harness", rt.Name, a.Name, a.Type)
			continue
		}
		t := customType{view: view}
		for _, a := range view.Base.Attributes {
			switch {
			case !customStringRW(a):
			case a.Required && t.key == "":
				t.key = a.Name
			case !a.Required && t.edit == "" && (a.Uniqueness == "" || coreIs(a.Uniqueness, "none")):
				t.edit = a.Name
			}
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		Skip(spec.SkipUnsupportedPrefix + "no custom resource type has a schema the harness can build instances from")
	}
	return out
}

// customStringRW reports a singular string attribute clients may write and read.
func customStringRW(a caps.Attribute) bool {
	return coreIs(a.Type, "string") && !a.MultiValued && (a.Mutability == "" || coreIs(a.Mutability, "readWrite")) &&
		!coreIs(a.Returned, "never") && !coreIsCommon(a.Name)
}

// customUnbuildable finds a required attribute the builder has no value for.
func customUnbuildable(attrs []caps.Attribute) (caps.Attribute, bool) {
	for _, a := range attrs {
		if !a.Required || coreIs(a.Mutability, "readOnly") {
			continue
		}
		switch strings.ToLower(a.Type) {
		case "reference", "binary":
			return a, true
		case "complex":
			if sub, bad := customUnbuildable(a.SubAttributes); bad {
				return sub, true
			}
		}
	}
	return caps.Attribute{}, false
}

// customBody builds a minimal valid instance: the base schema's required
// attributes (strings run-prefixed, booleans true, numbers 1, dateTimes a
// fixed instant; complex ones from their required sub-attributes), a
// run-prefixed externalId (which proves the resource is the run's and lets
// the sweep find it), the edit attribute with a first value, and every
// required extension with its required attributes.
func customBody(env *Env, t customType, part string) map[string]any {
	name := env.Name(part)
	body := map[string]any{"schemas": []any{t.view.Base.ID}, "externalId": name}
	customFill(body, t.view.Base.Attributes, name)
	if t.edit != "" {
		body[t.edit] = name + "-first"
	}
	for _, ext := range t.view.RT.SchemaExtensions {
		if s := t.view.extension(ext.Schema); s != nil && ext.Required {
			obj := map[string]any{}
			customFill(obj, s.Attributes, name)
			body["schemas"] = append(body["schemas"].([]any), s.ID)
			body[s.ID] = obj
		}
	}
	return body
}

// customFill sets a value for every required, writable attribute.
func customFill(obj map[string]any, attrs []caps.Attribute, name string) {
	for _, a := range attrs {
		if !a.Required || coreIs(a.Mutability, "readOnly") || coreIsCommon(a.Name) {
			continue
		}
		v := customValue(a, name)
		if a.MultiValued {
			v = []any{v}
		}
		obj[a.Name] = v
	}
}

// customValue is the value the builder gives attribute a.
func customValue(a caps.Attribute, name string) any {
	switch strings.ToLower(a.Type) {
	case "boolean":
		return true
	case "integer":
		return 1
	case "decimal":
		return 1.5
	case "datetime":
		return "2025-01-02T03:04:05Z"
	case "complex":
		sub := map[string]any{}
		customFill(sub, a.SubAttributes, name)
		return sub
	}
	return name + "-" + a.Name
}

// customCreate creates a minimal instance of t that a spec needs; the spec
// ends SKIPPED (data missing) when the server refuses it.
func customCreate(ctx context.Context, env *Env, t customType, part string) (map[string]any, string) {
	GinkgoHelper()
	body := customBody(env, t, part)
	resp, id := env.Create(ctx, t.endpoint(), body)
	if id == "" {
		env.setupCreateFailed(t.endpoint(), resp, "the spec needs a "+t.name())
	}
	return body, id
}

// customPath is the path of resource id of t.
func customPath(t customType, id string) string { return t.endpoint() + "/" + url.PathEscape(id) }

// customMismatch lists the sent top-level string and boolean values that
// got does not hold, as "attr: sent X, got Y".
func customMismatch(sent, got map[string]any) []string {
	var out []string
	for k, v := range sent {
		switch v.(type) {
		case string, bool:
		default:
			continue
		}
		if k == "schemas" {
			continue
		}
		g, _ := member(got, k)
		if fmt.Sprint(g) != fmt.Sprint(v) {
			out = append(out, fmt.Sprintf("%s: sent %v, got %v", k, quoteJSON(v), quoteJSON(g)))
		}
	}
	return out
}
