package patch

import (
	"github.com/scimconform/scimconform/refserver/jsonv"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// write performs add or replace with a non-null value (§3.5.2.1, §3.5.2.3).
// Replace of an attribute without a value adds it (7644-3.5.2.3-02); add
// and replace of a single-valued complex attribute merge sub-attributes
// (7644-3.5.2.3-03).
func (e *engine) write(kind string, t target, v any) error {
	if kind == opReplace && e.faults.Has(faultReplaceMissing) && t.filt == nil && !jsonv.Present(e.current(t)) {
		return scimerr.BadRequest(scimerr.NoTarget, "%s has no value to replace", t.path)
	}
	switch {
	case t.filt != nil:
		return e.writeFiltered(kind, t, v)
	case t.sub != nil:
		return e.writeSub(t, v)
	case t.top.MultiValued && kind == opAdd:
		return e.appendValues(t, v)
	case t.top.MultiValued:
		return e.replaceList(t, v)
	case t.top.Type == schema.TypeComplex:
		nv, err := normalizeComplex(t.top, v)
		if err != nil {
			return err
		}
		cur, _ := e.get(t).(map[string]any)
		if cur == nil {
			cur = map[string]any{}
		}
		if err := e.mergeInto(kind, t.top, cur, nv); err != nil {
			return err
		}
		e.set(t, cur)
		return nil
	}
	nv, err := normalize(t.top, v)
	if err != nil {
		return err
	}
	if err := e.checkImmutable(t.top, e.get(t), nv); err != nil {
		return err
	}
	e.set(t, nv)
	return nil
}

// current is the value at the target without a value filter.
func (e *engine) current(t target) any {
	v := e.get(t)
	if t.sub == nil || t.top.MultiValued {
		return v
	}
	m, _ := v.(map[string]any)
	return jsonv.Lookup(m, t.sub.Name)
}

// mergeInto writes the sub-attributes of nv into the complex value cur,
// leaving the others unchanged (§3.5.2.3). Under patch-replace-no-merge a
// replace drops the sub-attributes nv does not mention.
func (e *engine) mergeInto(kind string, a *schema.Attribute, cur, nv map[string]any) error {
	if kind == opReplace && e.faults.Has(faultReplaceNoMerge) {
		for k := range cur {
			if _, keep := nv[k]; !keep {
				delete(cur, k)
			}
		}
	}
	for k, v := range nv {
		if err := e.checkImmutable(a.Sub(k), jsonv.Lookup(cur, k), v); err != nil {
			return err
		}
		jsonv.SetKey(cur, k, v)
	}
	return nil
}

// appendValues adds values to a multi-valued attribute (§3.5.2.1). A value
// already present changes nothing (7644-3.5.2.1-04). For complex values
// "already present" means: same "value" sub-attribute and, when both give
// one, the same "type" (RFC 7643 §2.4 lets one value appear with different
// types); the other sub-attributes the request gives are merged into the
// existing value, except immutable ones. Complex values without a "value"
// sub-attribute (addresses) are duplicates only when equal as a whole.
func (e *engine) appendValues(t target, v any) error {
	items, err := normalizeList(t.top, v)
	if err != nil {
		return err
	}
	if c, ok := e.liveCapable(t); ok {
		e.liveAppend(t, c, items)
		return nil
	}
	cur := e.list(t)
	before, merged := len(cur), false
	for _, it := range items {
		idx := -1
		if !e.faults.Has(faultAddDuplicates) {
			idx = indexOf(cur, func(x any) bool { return sameValue(t.top, x, it) })
		}
		if idx < 0 {
			cur = append(cur, it)
			e.markPrimary(t, it)
			continue
		}
		if m, ok := cur[idx].(map[string]any); ok {
			merged = mergeMutable(t.top, m, it.(map[string]any)) || merged
			e.markPrimary(t, m)
		}
	}
	if len(cur) > before {
		if err := e.checkImmutable(t.top, e.get(t), cur); err != nil {
			return err
		}
	}
	if len(cur) > before || merged {
		e.set(t, cur)
	}
	return nil
}

// sameValue reports whether existing already holds the value it adds.
func sameValue(a *schema.Attribute, existing, it any) bool {
	if a.Type != schema.TypeComplex {
		return equalSingle(a, existing, it)
	}
	em, ok1 := existing.(map[string]any)
	im, ok2 := it.(map[string]any)
	if !ok1 || !ok2 {
		return false
	}
	vs := a.Sub("value")
	if vs == nil || !jsonv.Present(jsonv.Lookup(im, "value")) {
		return equalSingle(a, em, im)
	}
	if !equalSingle(vs, jsonv.Lookup(em, "value"), jsonv.Lookup(im, "value")) {
		return false
	}
	ts := a.Sub("type")
	et, it2 := jsonv.Lookup(em, "type"), jsonv.Lookup(im, "type")
	return ts == nil || !jsonv.Present(et) || !jsonv.Present(it2) || equalSingle(ts, et, it2)
}

// mergeMutable merges the sub-attributes of nv into the existing value m,
// keeping m's immutable sub-attributes and the ones nv repeats (compared by
// caseExact), so that re-adding a value leaves it unchanged. It reports
// whether m changed.
func mergeMutable(a *schema.Attribute, m, nv map[string]any) (changed bool) {
	for k, v := range nv {
		sa, cur := a.Sub(k), jsonv.Lookup(m, k)
		if sa != nil && jsonv.Present(cur) && (sa.Mutability == schema.Immutable || equalValue(sa, cur, v)) {
			continue
		}
		jsonv.SetKey(m, k, v)
		changed = true
	}
	return changed
}

// replaceList replaces all values of a multi-valued attribute (§3.5.2.3).
func (e *engine) replaceList(t target, v any) error {
	items, err := normalizeList(t.top, v)
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return e.removeWhole(t)
	}
	if err := e.checkImmutable(t.top, e.get(t), items); err != nil {
		return err
	}
	for _, it := range items {
		e.markPrimary(t, it)
	}
	e.set(t, items)
	return nil
}

// writeSub sets a sub-attribute named with dotted notation. For a
// multi-valued parent (emails.type without a filter, which the RFC leaves
// undefined) every existing value is changed, or one value is created when
// there is none.
func (e *engine) writeSub(t target, v any) error {
	nv, err := normalize(t.sub, v)
	if err != nil {
		return err
	}
	if !t.top.MultiValued {
		parent, _ := e.get(t).(map[string]any)
		if parent == nil {
			parent = map[string]any{}
		}
		if err := e.checkImmutable(t.sub, jsonv.Lookup(parent, t.sub.Name), nv); err != nil {
			return err
		}
		jsonv.SetKey(parent, t.sub.Name, nv)
		e.set(t, parent)
		return nil
	}
	items := e.list(t)
	if len(items) == 0 {
		items = append(items, map[string]any{})
	}
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			if err := e.setElementSub(t, m, nv); err != nil {
				return err
			}
		}
	}
	e.set(t, items)
	return nil
}

// setElementSub sets one sub-attribute of one value of a multi-valued
// complex attribute.
func (e *engine) setElementSub(t target, m map[string]any, nv any) error {
	if err := e.checkImmutable(t.sub, jsonv.Lookup(m, t.sub.Name), nv); err != nil {
		return err
	}
	jsonv.SetKey(m, t.sub.Name, nv)
	e.markPrimary(t, m)
	return nil
}
