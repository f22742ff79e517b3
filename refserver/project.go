package refserver

import (
	"strings"

	"github.com/scimconform/scimconform/refserver/schema"
)

// attrRef is one entry of an attributes or excludedAttributes list,
// resolved against a resource type: schemaID is the core or extension URN,
// name the attribute ("" = the whole extension), sub the sub-attribute.
type attrRef struct {
	schemaID, name, sub string
}

// parseAttrList resolves attribute names in standard attribute notation
// (RFC 7644 §3.10): "userName", "name.givenName", "emails.value",
// "urn:...:User:userName", an extension URN alone, or
// "urn:...:enterprise:2.0:User:manager.value". Names are case-insensitive.
// Names the resource type does not know are ignored (lenient).
func parseAttrList(list []string, rs *schema.ResourceSchema) []attrRef {
	var out []attrRef
	for _, item := range list {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if ext := rs.Extension(item); ext != nil {
			out = append(out, attrRef{schemaID: ext.ID})
			continue
		}
		uri, rest := rs.SplitURN(item)
		if uri == "" {
			uri = rs.Core.ID
		}
		name, sub, _ := strings.Cut(rest, ".")
		a, parent, ok := rs.Resolve(uri, name, sub)
		if !ok {
			continue
		}
		schemaID := rs.Core.ID
		if ext := rs.Extension(uri); ext != nil {
			schemaID = ext.ID
		}
		if parent != nil {
			out = append(out, attrRef{schemaID: schemaID, name: parent.Name, sub: a.Name})
		} else {
			out = append(out, attrRef{schemaID: schemaID, name: a.Name})
		}
	}
	return out
}

// projection selects the attributes of returned resources (RFC 7644
// §3.4.2.5, §3.9; RFC 7643 §7 "returned"). With both lists given (called
// mutually exclusive, but no error is defined: docs/interpretations.md#i6), the
// attributes list selects first and excludedAttributes then removes.
// "schemas" and "id" are always returned; meta is returned by default.
type projection struct {
	include, exclude   []attrRef
	hasInclude         bool
	excludeAlwaysFault bool
	dropSchemasFault   bool
}

// newProjection builds a projection for one resource type.
func (s *Server) newProjection(rs *schema.ResourceSchema, attributes, excluded []string) *projection {
	p := &projection{excludeAlwaysFault: s.faults.Has(FaultAttributesExcludeAlways), dropSchemasFault: s.faults.Has(FaultAttributesDropSchemas)}
	if len(attributes) > 0 && !s.faults.Has(FaultAttributesIgnored) {
		p.include = parseAttrList(attributes, rs)
		p.hasInclude = true
	}
	p.exclude = parseAttrList(excluded, rs)
	return p
}

// apply returns the projected copy of a stored document.
func (p *projection) apply(doc map[string]any, rs *schema.ResourceSchema) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		if ext := rs.Extension(k); ext != nil {
			if obj, ok := v.(map[string]any); ok {
				if sub := p.object(obj, ext); len(sub) > 0 {
					out[ext.ID] = sub
				}
			}
			continue
		}
		a := rs.Core.Attr(k)
		if a == nil {
			a = schema.CommonAttr(k)
		}
		if a == nil {
			continue
		}
		if pv, keep := p.attr(rs.Core.ID, a, v); keep {
			out[k] = pv
		}
	}
	if p.hasInclude && p.dropSchemasFault {
		delete(out, "schemas")
	}
	return out
}

// object projects an extension container.
func (p *projection) object(obj map[string]any, ext *schema.Schema) map[string]any {
	out := map[string]any{}
	for k, v := range obj {
		a := ext.Attr(k)
		if a == nil {
			continue
		}
		if pv, keep := p.attr(ext.ID, a, v); keep {
			out[k] = pv
		}
	}
	return out
}

// attr decides whether and how attribute a of schema sid is returned.
func (p *projection) attr(sid string, a *schema.Attribute, v any) (any, bool) {
	switch a.Returned {
	case schema.ReturnedNever:
		return nil, false
	case schema.ReturnedAlways:
		if !p.excludeAlwaysFault || !p.has(p.exclude, sid, a.Name, "") {
			return mapSubs(v, func(m map[string]any) map[string]any { return p.subs(sid, a, m, true) }), true
		}
		return nil, false
	}
	named := p.has(p.include, sid, "", "") || p.has(p.include, sid, a.Name, "")
	subsNamed := p.hasSub(p.include, sid, a.Name)
	if p.hasInclude && !named && !subsNamed {
		return nil, false
	}
	if a.Returned == schema.ReturnedRequest && !named && !subsNamed {
		return nil, false
	}
	if p.has(p.exclude, sid, "", "") || p.has(p.exclude, sid, a.Name, "") {
		return nil, false
	}
	whole := !p.hasInclude || named
	out := mapSubs(v, func(m map[string]any) map[string]any { return p.subs(sid, a, m, whole) })
	if out == nil {
		return nil, false
	}
	return out, true
}

// subs projects the sub-attributes of one complex value. whole says the
// parent was selected as a whole; otherwise only named sub-attributes (and
// those returned always) are kept.
func (p *projection) subs(sid string, a *schema.Attribute, m map[string]any, whole bool) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		sa := a.Sub(k)
		if sa == nil || sa.Returned == schema.ReturnedNever {
			continue
		}
		named := p.has(p.include, sid, a.Name, sa.Name)
		if sa.Returned != schema.ReturnedAlways {
			if (!whole && !named) || (sa.Returned == schema.ReturnedRequest && !named) ||
				p.has(p.exclude, sid, a.Name, sa.Name) {
				continue
			}
		}
		out[k] = v
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (p *projection) has(list []attrRef, sid, name, sub string) bool {
	for _, r := range list {
		if r.schemaID == sid && r.name == name && r.sub == sub {
			return true
		}
	}
	return false
}

func (p *projection) hasSub(list []attrRef, sid, name string) bool {
	for _, r := range list {
		if r.schemaID == sid && r.name == name && r.sub != "" {
			return true
		}
	}
	return false
}

// mapSubs applies f to a complex value or to each element of a list of
// complex values, dropping elements f empties. Simple values pass through.
func mapSubs(v any, f func(map[string]any) map[string]any) any {
	switch t := v.(type) {
	case map[string]any:
		if m := f(t); m != nil {
			return m
		}
		return nil
	case []any:
		out := make([]any, 0, len(t))
		for _, e := range t {
			if m, ok := e.(map[string]any); ok {
				if pm := f(m); pm != nil {
					out = append(out, pm)
				}
				continue
			}
			out = append(out, e)
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	return v
}
