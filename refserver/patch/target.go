package patch

import (
	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/jsonv"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// target is a resolved PATCH path.
type target struct {
	path Path
	uri  string            // "" for core and common attributes, else the extension URN
	top  *schema.Attribute // the top-level attribute
	sub  *schema.Attribute // the sub-attribute, nil for none
	filt *filter.Filter    // value selection filter, nil for none
}

// resolve looks the path up in the schema. ok is false for an attribute the
// resource type does not define.
func (e *engine) resolve(p Path) (target, bool) {
	a := p.Attr
	attr, parent, ok := filter.Resolve(e.rs, &a)
	if !ok {
		return target{}, false
	}
	t := target{path: p, uri: a.URI, top: attr, filt: p.Filter}
	if parent != nil {
		t.top, t.sub = parent, attr
	}
	return t, true
}

// target resolves p for an operation: an attribute the resource type does
// not define is a 400 invalidPath (skip, under patch-no-invalidpath), and so
// is a value filter on an attribute that is not multi-valued complex.
func (e *engine) target(p Path) (t target, skip bool, err error) {
	t, ok := e.resolve(p)
	if !ok {
		if e.faults.Has(faultNoInvalidPath) {
			return t, true, nil
		}
		return t, false, scimerr.BadRequest(scimerr.InvalidPath, "%s is not an attribute of this resource type", p)
	}
	if t.filt != nil && (t.top.Type != schema.TypeComplex || !t.top.MultiValued) {
		return t, false, scimerr.BadRequest(scimerr.InvalidPath,
			"%s: a value filter selects values of a multi-valued complex attribute, which %s is not", p, t.top.Name)
	}
	return t, false, nil
}

// container returns the object holding the attributes of schema uri: the
// resource for the core schema, the extension object otherwise (created when
// create is set).
func (e *engine) container(uri string, create bool) map[string]any {
	if uri == "" {
		return e.doc
	}
	k, v, found := jsonv.FindKey(e.doc, uri)
	if m, ok := v.(map[string]any); ok {
		return m
	}
	if !create {
		return nil
	}
	if found {
		delete(e.doc, k)
	}
	m := map[string]any{}
	e.doc[uri] = m
	return m
}

// get returns the current value of the target's top-level attribute.
func (e *engine) get(t target) any {
	e.flushLive(t)
	return jsonv.Lookup(e.container(t.uri, false), t.top.Name)
}

// set stores the value of the target's top-level attribute.
func (e *engine) set(t target, v any) {
	e.forgetLive(t)
	jsonv.SetKey(e.container(t.uri, true), t.top.Name, v)
}

// unset removes the target's top-level attribute.
func (e *engine) unset(t target) {
	e.forgetLive(t)
	if c := e.container(t.uri, false); c != nil {
		jsonv.DelKey(c, t.top.Name)
	}
}

// list returns a fresh slice of the values of a multi-valued attribute; the
// element maps are the document's own.
func (e *engine) list(t target) []any {
	return append([]any(nil), jsonv.AsList(e.get(t))...)
}

// matching returns the element maps of a multi-valued complex attribute
// that satisfy the target's value filter.
func matching(t target, items []any) []map[string]any {
	var out []map[string]any
	for _, it := range items {
		if m, ok := it.(map[string]any); ok && t.filt.MatchElement(m) {
			out = append(out, m)
		}
	}
	return out
}

// checkReadOnly rejects a path that targets a readOnly attribute (RFC 7643
// §7; RFC 7644 §3.5.2, §3.5.2.2).
func (e *engine) checkReadOnly(t target) error {
	if e.faults.Has(faultReadOnlyAllowed) {
		return nil
	}
	if t.top.Mutability == schema.ReadOnly || (t.sub != nil && t.sub.Mutability == schema.ReadOnly) {
		return scimerr.BadRequest(scimerr.Mutability, "%s is readOnly and cannot be modified", t.path)
	}
	return nil
}

// checkImmutable rejects a change of an immutable attribute that already has
// a value; setting it when it has none, or to the value it has, is allowed
// (RFC 7644 §3.5.2).
func (e *engine) checkImmutable(a *schema.Attribute, cur, next any) error {
	if a == nil || a.Mutability != schema.Immutable || e.faults.Has(faultImmutableAllowed) {
		return nil
	}
	if !jsonv.Present(cur) || equalValue(a, cur, next) {
		return nil
	}
	return scimerr.BadRequest(scimerr.Mutability, "%s is immutable: it already has a value that cannot be changed", a.Name)
}

// checkRemovable rejects unassigning a required attribute (RFC 7644
// §3.5.2.2) or an immutable attribute that has a value.
func (e *engine) checkRemovable(a *schema.Attribute, cur any) error {
	if !jsonv.Present(cur) {
		return nil
	}
	if required(a) && !e.faults.Has(faultRemoveRequired) {
		return scimerr.BadRequest(scimerr.Mutability, "%s is required and cannot be removed", a.Name)
	}
	return e.checkImmutable(a, cur, nil)
}

// required reports a required attribute. "schemas" counts as required
// whatever its definition says (RFC 7643 §3: every resource has it).
func required(a *schema.Attribute) bool {
	return a.Required || a == schema.CommonAttr("schemas")
}
