package refserver

import (
	"reflect"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// enforceImmutable checks the immutable attributes of a replacement
// (RFC 7644 §3.5.1, RFC 7643 §7): a value already set must be sent again
// unchanged, else 400 mutability; when the new document omits it the stored
// value is kept (lenient: omission is not a change); when nothing was set
// the new value is accepted. It covers top-level attributes and
// sub-attributes of single-valued complex attributes; for multi-valued
// complex attributes (Group.members) values may be added and removed, so
// immutability holds per value and a changed value is a new value.
func enforceImmutable(old, doc map[string]any, rs *schema.ResourceSchema) error {
	for _, sc := range rs.Schemas() {
		oldC, newC := old, doc
		if sc != rs.Core {
			oldC, _ = old[sc.ID].(map[string]any)
			newC, _ = doc[sc.ID].(map[string]any)
		}
		if oldC == nil {
			continue
		}
		created := newC == nil
		if created {
			newC = map[string]any{}
		}
		for _, a := range sc.Attributes {
			if err := immutableAttr(oldC, newC, a); err != nil {
				return err
			}
		}
		if created && len(newC) > 0 {
			doc[sc.ID] = newC
		}
	}
	return nil
}

func immutableAttr(oldC, newC map[string]any, a *schema.Attribute) error {
	ov, had := oldC[a.Name]
	if !had {
		return nil
	}
	if a.Mutability == schema.Immutable {
		nv, has := newC[a.Name]
		if !has {
			newC[a.Name] = ov
			return nil
		}
		if !reflect.DeepEqual(ov, nv) {
			return scimerr.BadRequest(scimerr.Mutability, "%s is immutable and already set", a.Name)
		}
		return nil
	}
	if a.Type != schema.TypeComplex || a.MultiValued {
		return nil
	}
	om, _ := ov.(map[string]any)
	nm, _ := newC[a.Name].(map[string]any)
	for _, sa := range a.SubAttributes {
		if sa.Mutability != schema.Immutable {
			continue
		}
		osv, had := om[sa.Name]
		if !had {
			continue
		}
		if nm == nil {
			nm = map[string]any{}
			newC[a.Name] = nm
		}
		nsv, has := nm[sa.Name]
		switch {
		case !has:
			nm[sa.Name] = osv
		case !reflect.DeepEqual(osv, nsv):
			return scimerr.BadRequest(scimerr.Mutability, "%s.%s is immutable and already set", a.Name, sa.Name)
		}
	}
	return nil
}
