package patch

import (
	"strings"

	"github.com/scimconform/scimconform/refserver/jsonv"
)

// primaryMark records a value an operation set "primary": true on.
type primaryMark struct {
	t     target
	value map[string]any
}

// markPrimary notes that the current operation wrote v with primary true.
func (e *engine) markPrimary(t target, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	if b, _ := jsonv.Lookup(m, "primary").(bool); !b {
		return
	}
	for _, pm := range e.primaries {
		if sameMap(pm.value, m) {
			return
		}
	}
	e.primaries = append(e.primaries, primaryMark{t: t, value: m})
}

// settlePrimaries enforces "primary" exclusivity after an operation: the
// value it made primary stays so and every other value of the attribute
// gets primary false (7644-3.5.2-13). One operation making two values of
// the same attribute primary is a 400 invalidValue (RFC 7643 §2.4: true at
// most once).
func (e *engine) settlePrimaries() error {
	for i, pm := range e.primaries {
		for _, other := range e.primaries[i+1:] {
			if other.t.uri == pm.t.uri && other.t.top == pm.t.top {
				return valueErr("primary may be true on only one value of %s", pm.t.top.Name)
			}
		}
	}
	if e.faults.Has(faultPrimaryNotExcl) {
		return nil
	}
	for _, pm := range e.primaries {
		for _, it := range jsonv.AsList(e.get(pm.t)) {
			m, ok := it.(map[string]any)
			if !ok || sameMap(m, pm.value) {
				continue
			}
			if b, _ := jsonv.Lookup(m, "primary").(bool); b {
				jsonv.SetKey(m, "primary", false)
			}
		}
	}
	return nil
}

// syncSchemas keeps the "schemas" attribute in step with the extension
// objects: adding an extension attribute adds the extension URN
// (7644-3.5.2-12), and an extension emptied by this request loses its URN
// and its empty object. URNs of extensions that held no data before the
// request are left as they are.
func (e *engine) syncSchemas() {
	for _, ext := range e.rs.Extensions {
		k, v, found := jsonv.FindKey(e.doc, ext.ID)
		has := jsonv.Present(v)
		if found && !has {
			delete(e.doc, k)
		}
		switch {
		case has:
			e.ensureSchema(ext.ID)
		case e.extBefore[ext.ID]:
			e.dropSchema(ext.ID)
		}
	}
}

func (e *engine) ensureSchema(urn string) {
	list := jsonv.AsList(jsonv.Lookup(e.doc, "schemas"))
	for _, s := range list {
		if str, ok := s.(string); ok && strings.EqualFold(str, urn) {
			return
		}
	}
	if len(list) == 0 {
		list = []any{e.rs.Core.ID}
	}
	jsonv.SetKey(e.doc, "schemas", append(append([]any(nil), list...), urn))
}

func (e *engine) dropSchema(urn string) {
	list := jsonv.AsList(jsonv.Lookup(e.doc, "schemas"))
	kept := make([]any, 0, len(list))
	for _, s := range list {
		if str, ok := s.(string); !ok || !strings.EqualFold(str, urn) {
			kept = append(kept, s)
		}
	}
	if len(kept) != len(list) {
		jsonv.SetKey(e.doc, "schemas", kept)
	}
}
