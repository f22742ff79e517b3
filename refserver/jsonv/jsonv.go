// Package jsonv holds the helpers every part of the reference server uses on
// decoded JSON documents (map[string]any and friends): case-insensitive member
// access, as SCIM attribute names are case-insensitive (RFC 7643 §2.1), lists
// of possibly multi-valued attributes, numbers, presence and deep copies.
package jsonv

import (
	"encoding/json"
	"strings"
)

// AsList returns the values of a possibly multi-valued attribute: nil for
// nil, the elements of a slice, or a one-element list for a single value.
func AsList(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	case []map[string]any:
		out := make([]any, len(x))
		for i, m := range x {
			out[i] = m
		}
		return out
	}
	return []any{v}
}

// Lookup returns m's member named key, matching case-insensitively.
func Lookup(m map[string]any, key string) any {
	_, v, _ := FindKey(m, key)
	return v
}

// FindKey finds m's member named key case-insensitively and returns the key
// as spelled in m.
func FindKey(m map[string]any, key string) (string, any, bool) {
	if m == nil {
		return "", nil, false
	}
	if v, ok := m[key]; ok {
		return key, v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return k, v, true
		}
	}
	return "", nil, false
}

// SetKey stores v under name, dropping members spelled differently.
func SetKey(m map[string]any, name string, v any) {
	DelKey(m, name)
	m[name] = v
}

// DelKey removes every member named name, case-insensitively.
func DelKey(m map[string]any, name string) {
	for k := range m {
		if strings.EqualFold(k, name) {
			delete(m, k)
		}
	}
}

// ToFloat converts a decoded JSON number (or a Go number) to float64.
func ToFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// Present reports an assigned value: not null, not "", not an empty array,
// not an object without assigned members (RFC 7643 §2.5).
func Present(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case map[string]any:
		for _, sv := range x {
			if Present(sv) {
				return true
			}
		}
		return false
	case []any, []string, []map[string]any:
		for _, sv := range AsList(x) {
			if Present(sv) {
				return true
			}
		}
		return false
	}
	return true
}

// DeepCopy copies the JSON containers of v (maps and slices) so that the copy
// can be modified without touching v. Slice types are preserved.
func DeepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return CopyMap(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = DeepCopy(e)
		}
		return out
	case []string:
		return append([]string(nil), x...)
	case []map[string]any:
		out := make([]map[string]any, len(x))
		for i, m := range x {
			out[i] = CopyMap(m)
		}
		return out
	}
	return v
}

// CopyMap deep-copies one object.
func CopyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = DeepCopy(v)
	}
	return out
}
