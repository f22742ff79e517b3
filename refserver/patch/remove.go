package patch

import (
	"github.com/scimconform/scimconform/refserver/jsonv"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// remove performs a remove operation (§3.5.2.2).
//
// Readings:
//   - A value filter that matches nothing changes nothing and succeeds
//     (docs/interpretations.md#i1: the §3.5.2.2 member example asks for success).
//   - Removing an attribute that has no value succeeds without change.
//   - remove of a multi-valued attribute with a "value" array removes only
//     the listed values (docs/interpretations.md#i2, the form Entra sends); a listed
//     value selects every existing value whose sub-attributes include all
//     the listed ones. Without a value the whole attribute goes.
//   - Unassigning a required attribute is a 400 mutability (7644-3.5.2.2-06),
//     and so is removing an immutable attribute that has a value.
func (e *engine) remove(t target, v any) error {
	switch {
	case t.filt != nil:
		return e.removeFiltered(t)
	case t.sub != nil:
		return e.removeSub(t)
	case t.top.MultiValued && v != nil:
		return e.removeListed(t, v)
	}
	return e.removeWhole(t)
}

// removeWhole unassigns the top-level attribute.
func (e *engine) removeWhole(t target) error {
	cur := e.get(t)
	if err := e.checkRemovable(t.top, cur); err != nil {
		return err
	}
	e.unset(t)
	return nil
}

// removeSub unassigns a sub-attribute named with dotted notation; for a
// multi-valued parent, in every value. Values (and complex attributes) left
// without any sub-attribute are removed too (7644-3.5.2.2-04/-05).
func (e *engine) removeSub(t target) error {
	if !t.top.MultiValued {
		parent, _ := e.get(t).(map[string]any)
		if err := e.checkRemovable(t.sub, jsonv.Lookup(parent, t.sub.Name)); err != nil {
			return err
		}
		if parent == nil {
			return nil
		}
		jsonv.DelKey(parent, t.sub.Name)
		if !jsonv.Present(parent) {
			return e.removeWhole(t)
		}
		return nil
	}
	var selected []map[string]any
	for _, it := range e.list(t) {
		if m, ok := it.(map[string]any); ok {
			selected = append(selected, m)
		}
	}
	return e.removeElementSubs(t, selected)
}

// removeFiltered removes the values a valuePath selects, or their
// sub-attribute when the path names one.
func (e *engine) removeFiltered(t target) error {
	if c, ok := e.liveCapable(t); ok {
		return e.liveRemoveFiltered(t, c)
	}
	matched := matching(t, e.list(t))
	if len(matched) == 0 {
		return nil
	}
	if t.sub != nil {
		return e.removeElementSubs(t, matched)
	}
	return e.keepOnly(t, func(m map[string]any) bool { return !containsMap(matched, m) })
}

// removeElementSubs unassigns t.sub in the given values.
func (e *engine) removeElementSubs(t target, values []map[string]any) error {
	if len(values) == 0 {
		return nil
	}
	for _, m := range values {
		if err := e.checkRemovable(t.sub, jsonv.Lookup(m, t.sub.Name)); err != nil {
			return err
		}
		jsonv.DelKey(m, t.sub.Name)
	}
	return e.keepOnly(t, func(m map[string]any) bool { return jsonv.Present(m) })
}

// removeListed removes the listed values of a multi-valued attribute.
func (e *engine) removeListed(t target, v any) error {
	listed, err := normalizeList(t.top, v)
	if err != nil {
		return err
	}
	if len(listed) == 0 {
		return e.removeWhole(t)
	}
	if c, ok := e.liveCapable(t); ok {
		return e.liveRemoveListed(t, c, listed)
	}
	items := e.list(t)
	kept := make([]any, 0, len(items))
	for _, it := range items {
		if indexOf(listed, func(l any) bool { return selects(t.top, l, it) }) < 0 {
			kept = append(kept, it)
		}
	}
	if len(kept) == len(items) {
		return nil
	}
	return e.storeRemaining(t, kept)
}

// keepOnly keeps the complex values for which keep is true.
func (e *engine) keepOnly(t target, keep func(map[string]any) bool) error {
	items := e.list(t)
	kept := make([]any, 0, len(items))
	for _, it := range items {
		if m, ok := it.(map[string]any); !ok || keep(m) {
			kept = append(kept, it)
		}
	}
	return e.storeRemaining(t, kept)
}

// storeRemaining stores the values left after a removal; none left means
// the attribute is unassigned (7644-3.5.2.2-03/-05), which a required
// attribute may not become.
func (e *engine) storeRemaining(t target, kept []any) error {
	if len(kept) > 0 {
		e.set(t, kept)
		return nil
	}
	if required(t.top) && !e.faults.Has(faultRemoveRequired) {
		return scimerr.BadRequest(scimerr.Mutability, "%s is required and cannot be left without values", t.top.Name)
	}
	e.unset(t)
	return nil
}

// selects reports whether the listed value l designates the existing value
// it: equal simple values, or a complex value whose listed sub-attributes
// all match.
func selects(a *schema.Attribute, l, it any) bool {
	if a.Type != schema.TypeComplex {
		return equalSingle(a, l, it)
	}
	lm, ok1 := l.(map[string]any)
	im, ok2 := it.(map[string]any)
	if !ok1 || !ok2 || len(lm) == 0 {
		return false
	}
	for k, lv := range lm {
		sa := a.Sub(k)
		if sa == nil || !equalValue(sa, lv, jsonv.Lookup(im, k)) {
			return false
		}
	}
	return true
}

func containsMap(list []map[string]any, m map[string]any) bool {
	for _, x := range list {
		if sameMap(x, m) {
			return true
		}
	}
	return false
}
