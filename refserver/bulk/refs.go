package bulk

import (
	"sort"
	"strings"
)

// refOf returns the bulkId a string value references ("bulkId:qwerty" →
// "qwerty"). Only whole string values are references (RFC 7644 §3.7.2).
func refOf(v any) (string, bool) {
	s, ok := v.(string)
	if !ok || !strings.HasPrefix(s, bulkIDPrefix) || len(s) == len(bulkIDPrefix) {
		return "", false
	}
	return s[len(bulkIDPrefix):], true
}

// collectRefs lists the bulkIds referenced anywhere in v, each once, in
// document order (object members by name).
func collectRefs(v any) []string {
	var refs []string
	seen := map[string]bool{}
	walkRefs(v, func(id string) {
		if !seen[id] {
			seen[id] = true
			refs = append(refs, id)
		}
	})
	return refs
}

// walkRefs calls fn for every bulkId reference in v.
func walkRefs(v any, fn func(string)) {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(v) {
			walkRefs(v[k], fn)
		}
	case []any:
		for _, e := range v {
			walkRefs(e, fn)
		}
	default:
		if id, ok := refOf(v); ok {
			fn(id)
		}
	}
}

// hasRef reports whether v references one of the bulkIds in set.
func hasRef(v any, set map[string]bool) bool {
	found := false
	walkRefs(v, func(id string) { found = found || set[id] })
	return found
}

// resolve returns a copy of v with every "bulkId:x" string whose x is in ids
// replaced by the created resource id (RFC 7644 §3.7.2).
func resolve(v any, ids map[string]string) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = resolve(e, ids)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = resolve(e, ids)
		}
		return out
	default:
		if ref, ok := refOf(v); ok {
			if id, known := ids[ref]; known {
				return id
			}
		}
		return v
	}
}

// deferredValue is a piece of operation data held back from a create because
// it references a resource that does not exist yet (a circular reference,
// RFC 7644 §3.7.1). It is added afterwards with a PATCH "add".
type deferredValue struct {
	path  []string // member names from the resource root, e.g. [urn, "manager"]
	value any      // removed array elements ([]any), a complex value, or a string
}

// patchPath renders the RFC 7644 §3.5.2 attribute path of a deferred value.
func (d deferredValue) patchPath() string {
	if strings.Contains(d.path[0], ":") { // schema URN prefix of an extension
		if len(d.path) == 1 {
			return d.path[0]
		}
		return d.path[0] + ":" + strings.Join(d.path[1:], ".")
	}
	return strings.Join(d.path, ".")
}

// prune returns a copy of obj without the values that reference a bulkId in
// missing, plus those values. The unit removed is the smallest one a PATCH
// "add" can restore: an element of a multi-valued attribute, a complex value
// holding the reference directly, or the referencing string itself.
func prune(obj map[string]any, prefix []string, missing map[string]bool) (map[string]any, []deferredValue) {
	out := make(map[string]any, len(obj))
	var held []deferredValue
	for _, k := range sortedKeys(obj) {
		v := obj[k]
		path := append(append([]string(nil), prefix...), k)
		if !hasRef(v, missing) {
			out[k] = v
			continue
		}
		switch v := v.(type) {
		case []any:
			var kept, removed []any
			for _, e := range v {
				if hasRef(e, missing) {
					removed = append(removed, e)
				} else {
					kept = append(kept, e)
				}
			}
			if len(kept) > 0 {
				out[k] = kept
			}
			held = append(held, deferredValue{path: path, value: removed})
		case map[string]any:
			if holdsRefDirectly(v, missing) {
				held = append(held, deferredValue{path: path, value: v})
				continue
			}
			sub, subHeld := prune(v, path, missing)
			out[k] = sub
			held = append(held, subHeld...)
		default: // the reference string itself
			held = append(held, deferredValue{path: path, value: v})
		}
	}
	return out, held
}

// holdsRefDirectly reports whether one of obj's own members is a reference
// string to a bulkId in missing (obj is then a complex attribute value).
func holdsRefDirectly(obj map[string]any, missing map[string]bool) bool {
	for _, v := range obj {
		if ref, ok := refOf(v); ok && missing[ref] {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
