package patch

import (
	"fmt"
	"github.com/scimconform/scimconform/refserver/jsonv"
	"net/http"
	"sort"
	"strings"

	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Operation is one PATCH operation (RFC 7644 §3.5.2).
type Operation struct {
	Op    string `json:"op"`
	Path  string `json:"path,omitempty"`
	Value any    `json:"value,omitempty"`
}

// Operation kinds, in the lower case the engine works with.
const (
	opAdd     = "add"
	opRemove  = "remove"
	opReplace = "replace"
)

// engine applies operations to one working document.
type engine struct {
	rs        *schema.ResourceSchema
	faults    fault.Set
	doc       map[string]any
	extBefore map[string]bool // extensions that held data before the request
	primaries []primaryMark   // values the current operation set primary
	lives     []*liveList     // multi-valued attributes being added to and removed from (live.go)
}

// Apply applies ops in order to a deep copy of res and returns the new
// document, or the first error (*scimerr.Error) with res untouched (atomic,
// RFC 7644 §3.5.2). It enforces mutability (readOnly, immutable, required on
// removal), value types, primary exclusivity, and keeps "schemas" in step with
// the extension objects present. Add of values already present leaves the
// document equal to res (reflect.DeepEqual, slice types included), so the
// caller can keep meta.lastModified and the version (7644-3.5.2.1-05); other
// no-op requests give a document equal to res as JSON.
func Apply(res map[string]any, ops []Operation, rs *schema.ResourceSchema, faults fault.Set) (map[string]any, error) {
	if rs == nil || rs.Core == nil {
		return nil, scimerr.New(http.StatusInternalServerError, "", "patch: no schema for the resource")
	}
	doc := res
	if doc == nil {
		doc = map[string]any{}
	} else if !faults.Has(faultNotAtomic) {
		doc = jsonv.CopyMap(res)
	}
	e := &engine{rs: rs, faults: faults, doc: doc, extBefore: map[string]bool{}}
	for _, ext := range rs.Extensions {
		e.extBefore[ext.ID] = jsonv.Present(jsonv.Lookup(doc, ext.ID))
	}
	for i, op := range ops {
		if err := e.apply(op); err != nil {
			e.flushAll() // the document stays well-formed under patch-not-atomic
			return nil, annotate(i, op, err)
		}
	}
	e.flushAll()
	return doc, nil
}

// annotate prefixes an error detail with the failing operation.
func annotate(i int, op Operation, err error) error {
	se := scimerr.As(err)
	where := fmt.Sprintf("Operations[%d] (%s", i, op.Op)
	if op.Path != "" {
		where += " " + quote(op.Path)
	}
	return &scimerr.Error{Status: se.Status, ScimType: se.ScimType, Detail: where + "): " + se.Detail}
}

// apply performs one operation. Op names are accepted in any case
// (docs/interpretations.md#i12: clients such as Entra send "Replace").
func (e *engine) apply(op Operation) error {
	kind := strings.ToLower(op.Op)
	if kind != opAdd && kind != opRemove && kind != opReplace {
		if e.faults.Has(faultUnknownOpIgnored) {
			return nil
		}
		return scimerr.BadRequest(scimerr.InvalidSyntax, "unknown op %s: use add, remove or replace", quote(op.Op))
	}
	e.primaries = e.primaries[:0]
	var err error
	if strings.TrimSpace(op.Path) == "" {
		err = e.noPath(kind, op.Value)
	} else {
		err = e.withPath(kind, op.Path, op.Value)
	}
	if err != nil {
		return err
	}
	if err := e.settlePrimaries(); err != nil {
		return err
	}
	e.syncSchemas()
	return nil
}

// withPath performs an operation that names its target.
func (e *engine) withPath(kind, raw string, v any) error {
	p, err := ParsePath(raw, e.rs)
	if err != nil {
		return err
	}
	if p.Attr.Name == "" {
		return e.extension(kind, p.Attr.URI, v)
	}
	t, skip, err := e.target(p)
	if skip || err != nil {
		return err
	}
	if err := e.checkReadOnly(t); err != nil {
		return err
	}
	switch {
	case kind == opRemove:
		return e.remove(t, v)
	case v == nil && kind == opAdd:
		return valueErr("add needs a value")
	case v == nil:
		return e.replaceWithNull(t)
	}
	return e.write(kind, t, v)
}

// noPath performs add or replace without a path: the value is an object
// whose members are attributes of the resource (§3.5.2.1, §3.5.2.3). As a
// compatibility reading (docs/interpretations.md#i12) member names may also be
// sub-attribute or URN-qualified paths ("name.givenName"), and an extension
// URN member holds an object of extension attributes. Members naming
// readOnly attributes (id, meta, groups, ...) are ignored, as readOnly
// attributes in request bodies are (RFC 7644 §3.3, RFC 7643 §3.1 meta);
// a path that targets one explicitly is an error instead.
func (e *engine) noPath(kind string, v any) error {
	e.flushAll()
	if kind == opRemove {
		if e.faults.Has(faultRemoveNoPath) {
			return nil
		}
		return scimerr.BadRequest(scimerr.NoTarget, "remove needs a path naming what to remove")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return valueErr("without a path the value must be an object whose members are the attributes to %s, not %s",
			kind, describe(v))
	}
	for _, k := range sortedKeys(obj) {
		if ext := e.rs.Extension(k); ext != nil {
			if err := e.extension(kind, ext.ID, obj[k]); err != nil {
				return err
			}
			continue
		}
		if err := e.member(kind, k, obj[k]); err != nil {
			return err
		}
	}
	return nil
}

// member applies one member of a no-path value object.
func (e *engine) member(kind, key string, v any) error {
	p, err := ParsePath(key, e.rs)
	if err != nil {
		return err
	}
	t, skip, err := e.target(p)
	if skip || err != nil {
		return err
	}
	if t.top.Mutability == schema.ReadOnly || (t.sub != nil && t.sub.Mutability == schema.ReadOnly) {
		return nil
	}
	if v == nil {
		if kind == opReplace {
			return e.replaceWithNull(t)
		}
		return nil
	}
	return e.write(kind, t, v)
}

// extension handles a path (or no-path member) that is an extension URN: the
// value is an object of that extension's attributes; remove (or replace
// with null) drops the whole extension.
func (e *engine) extension(kind, urn string, v any) error {
	e.flushAll()
	if kind == opRemove || (kind == opReplace && v == nil) {
		c := e.container(urn, false)
		for _, a := range e.rs.Extension(urn).Attributes {
			if err := e.checkRemovable(a, jsonv.Lookup(c, a.Name)); err != nil {
				return err
			}
		}
		jsonv.DelKey(e.doc, urn)
		return nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return valueErr("the value of %s must be an object of its attributes, not %s", urn, describe(v))
	}
	for _, k := range sortedKeys(obj) {
		if err := e.member(kind, urn+":"+k, obj[k]); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
