package patch

import (
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// writeFiltered performs add or replace on the values a valuePath selects,
// e.g. emails[type eq "work"] or emails[type eq "work"].value. Every
// matching value is changed (7644-3.5.2.3-04); a complex value is merged
// like any complex target. Replace matching nothing is a 400 noTarget
// (7644-3.5.2.3-05).
//
// Add matching nothing is not defined by the RFC (erratum 8097, Held). The
// compatibility reading: when the filter is a conjunction of eq comparisons
// (type eq "work"), a new value is created from those sub-attribute values
// plus the operation's value, as Entra expects; otherwise 400 noTarget.
func (e *engine) writeFiltered(kind string, t target, v any) error {
	items := e.list(t)
	matched := matching(t, items)
	if kind == opReplace && len(matched) > 1 && e.faults.Has(faultValuePathFirstOnly) {
		matched = matched[:1]
	}
	if len(matched) == 0 {
		if kind == opAdd {
			return e.addByFilter(t, items, v)
		}
		if e.faults.Has(faultNoTargetIgnored) {
			return nil
		}
		return scimerr.BadRequest(scimerr.NoTarget, "no value of %s matches the filter [%s]", t.top.Name, t.filt)
	}
	for _, m := range matched {
		if err := e.writeElement(kind, t, m, v); err != nil {
			return err
		}
	}
	e.set(t, items)
	return nil
}

// writeElement writes the operation's value into one selected value m.
func (e *engine) writeElement(kind string, t target, m map[string]any, v any) error {
	if t.sub != nil {
		nv, err := normalize(t.sub, v)
		if err != nil {
			return err
		}
		return e.setElementSub(t, m, nv)
	}
	nv, err := normalizeComplex(t.top, v)
	if err != nil {
		return err
	}
	if err := e.mergeInto(kind, t.top, m, nv); err != nil {
		return err
	}
	e.markPrimary(t, m)
	return nil
}

// addByFilter creates the value an add with an unmatched filter describes.
func (e *engine) addByFilter(t target, items []any, v any) error {
	seeds, ok := t.filt.Equalities()
	if !ok {
		return scimerr.BadRequest(scimerr.NoTarget, "no value of %s matches the filter [%s], and the filter does "+
			"not describe a value to create (use eq comparisons joined by and)", t.top.Name, t.filt)
	}
	el := map[string]any{}
	for k, sv := range seeds {
		sa := t.top.Sub(k)
		nv, err := normalize(sa, sv)
		if err != nil {
			return err
		}
		el[sa.Name] = nv
	}
	if err := e.writeElement(opAdd, t, el, v); err != nil {
		return err
	}
	e.set(t, append(items, el))
	return nil
}

// replaceWithNull handles replace with a null value. RFC 7643 §2.5 makes
// null equivalent to unassigned, so it removes the target (with the checks
// of remove); a value filter matching nothing is still a 400 noTarget.
func (e *engine) replaceWithNull(t target) error {
	if t.filt != nil && len(matching(t, e.list(t))) == 0 {
		return scimerr.BadRequest(scimerr.NoTarget, "no value of %s matches the filter [%s]", t.top.Name, t.filt)
	}
	return e.remove(t, nil)
}
