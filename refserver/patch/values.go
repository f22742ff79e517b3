package patch

import (
	"encoding/base64"
	"encoding/json"
	"github.com/scimconform/scimconform/refserver/jsonv"
	"math"
	"reflect"
	"strings"
	"time"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// normalize checks one (single) value against the attribute's type and
// returns a fresh copy. Strings stand only for string-like types: "True" is
// not a boolean and "5" not a number (400 invalidValue).
func normalize(a *schema.Attribute, v any) (any, error) {
	if a.Type == schema.TypeComplex {
		return normalizeComplex(a, v)
	}
	if _, isList := v.([]any); isList {
		return nil, valueErr("%s takes a single %s value, not an array", a.Name, a.Type)
	}
	ok := false
	switch a.Type {
	case schema.TypeBoolean:
		_, ok = v.(bool)
	case schema.TypeInteger:
		f, isNum := jsonv.ToFloat(v)
		ok = isNum && f == math.Trunc(f) && !math.IsInf(f, 0)
	case schema.TypeDecimal:
		_, ok = jsonv.ToFloat(v)
	case schema.TypeDateTime:
		s, isStr := v.(string)
		ok = isStr && validDateTime(s)
	case schema.TypeBinary:
		s, isStr := v.(string)
		ok = isStr && validBase64(s)
	default: // string, reference
		_, ok = v.(string)
	}
	if !ok {
		return nil, valueErr("%s is of type %s: %s is not a valid value", a.Name, a.Type, describe(v))
	}
	return v, nil
}

// normalizeComplex checks a complex value: a JSON object whose members are
// sub-attributes of a. Member names are rewritten in the schema's spelling;
// null members are dropped; readOnly sub-attributes are ignored like
// readOnly attributes in any request body (RFC 7644 §3.3).
func normalizeComplex(a *schema.Attribute, v any) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, valueErr("%s is a complex attribute: the value must be an object of its sub-attributes, not %s",
			a.Name, describe(v))
	}
	out := make(map[string]any, len(m))
	for k, sv := range m {
		sa := a.Sub(k)
		if sa == nil {
			return nil, valueErr("%s has no sub-attribute %q", a.Name, k)
		}
		if sv == nil || sa.Mutability == schema.ReadOnly {
			continue
		}
		var nv any
		var err error
		if sa.MultiValued {
			nv, err = normalizeList(sa, sv)
		} else {
			nv, err = normalize(sa, sv)
		}
		if err != nil {
			return nil, err
		}
		out[sa.Name] = nv
	}
	return out, nil
}

// normalizeList checks the values of a multi-valued attribute. A single
// value stands for a one-element array; nulls are dropped.
func normalizeList(a *schema.Attribute, v any) ([]any, error) {
	items, isList := v.([]any)
	if !isList {
		items = []any{v}
	}
	out := make([]any, 0, len(items))
	for _, it := range items {
		if it == nil {
			continue
		}
		nv, err := normalize(a, it)
		if err != nil {
			return nil, err
		}
		out = append(out, nv)
	}
	return out, nil
}

func valueErr(format string, args ...any) *scimerr.Error {
	return scimerr.BadRequest(scimerr.InvalidValue, format, args...)
}

// describe names a JSON value for error messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "the string " + quote(x)
	case bool:
		if x {
			return "true"
		}
		return "false"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	if _, ok := jsonv.ToFloat(v); ok {
		return "a number"
	}
	return "a value of unsupported type"
}

func quote(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

func validDateTime(s string) bool {
	_, ok := parseDateTime(s)
	return ok
}

func parseDateTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// validBase64 accepts standard and URL-safe base64, padded or not (RFC 7643
// §2.3.6).
func validBase64(s string) bool {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding,
		base64.URLEncoding, base64.RawURLEncoding} {
		if _, err := enc.DecodeString(s); err == nil {
			return true
		}
	}
	return false
}

// equalValue compares two values of attribute a: strings by caseExact,
// numbers numerically, dateTimes as instants, complex values by their
// sub-attributes, multi-valued attributes as unordered collections.
func equalValue(a *schema.Attribute, x, y any) bool {
	if !a.MultiValued {
		return equalSingle(a, x, y)
	}
	lx, ly := jsonv.AsList(x), jsonv.AsList(y)
	if len(lx) != len(ly) {
		return false
	}
	for _, ex := range lx {
		if indexOf(ly, func(ey any) bool { return equalSingle(a, ex, ey) }) < 0 {
			return false
		}
	}
	return true
}

func equalSingle(a *schema.Attribute, x, y any) bool {
	if !jsonv.Present(x) || !jsonv.Present(y) {
		return jsonv.Present(x) == jsonv.Present(y)
	}
	switch a.Type {
	case schema.TypeComplex:
		mx, okx := x.(map[string]any)
		my, oky := y.(map[string]any)
		if !okx || !oky {
			return false
		}
		for _, sa := range a.SubAttributes {
			if !equalValue(sa, jsonv.Lookup(mx, sa.Name), jsonv.Lookup(my, sa.Name)) {
				return false
			}
		}
		return true
	case schema.TypeString, schema.TypeReference:
		sx, okx := x.(string)
		sy, oky := y.(string)
		if okx && oky && !a.CaseExact {
			return strings.EqualFold(sx, sy)
		}
	case schema.TypeInteger, schema.TypeDecimal:
		fx, okx := jsonv.ToFloat(x)
		fy, oky := jsonv.ToFloat(y)
		return okx && oky && fx == fy
	case schema.TypeDateTime:
		sx, _ := x.(string)
		sy, _ := y.(string)
		tx, okx := parseDateTime(sx)
		ty, oky := parseDateTime(sy)
		if okx && oky {
			return tx.Equal(ty)
		}
	}
	return reflect.DeepEqual(x, y)
}

func indexOf(list []any, pred func(any) bool) int {
	for i, v := range list {
		if pred(v) {
			return i
		}
	}
	return -1
}

// sameMap reports whether a and b are the same map (not merely equal).
func sameMap(a, b map[string]any) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}
