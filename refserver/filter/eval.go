package filter

import (
	"cmp"
	"encoding/json"
	"strings"

	"github.com/scimconform/scimconform/refserver/schema"
)

// eval applies the expression. Following §3.4.2.2, an expression on a
// multi-valued attribute matches when any one value matches; an attribute
// without a value matches no comparison, "ne" included ("x ne v" selects
// resources having some value of x that differs from v). "eq null" matches an
// unassigned attribute and "ne null" an assigned one (RFC 7643 §2.5: null and
// unassigned are the same state).
func (n *cmpNode) eval(doc map[string]any) bool {
	if !n.known {
		return n.op == opEq && n.lit.kind == litNull
	}
	vals := n.values(doc)
	switch {
	case n.op == opPr:
		return anyPresent(vals, n.prEmpty)
	case n.lit.kind == litNull:
		return anyPresent(vals, false) == (n.op == opNe)
	}
	for _, v := range vals {
		if n.test(v) {
			return true
		}
	}
	return false
}

// values collects the values the expression compares, flattening
// multi-valued attributes and the sub-attribute of every complex value.
func (n *cmpNode) values(doc map[string]any) []any {
	var v any
	if n.elem {
		v = lookup(doc, n.path.Name)
	} else {
		v = lookup(container(doc, n.path.URI), n.path.Name)
	}
	items := asList(v)
	if n.firstOnly && len(items) > 1 {
		items = items[:1]
	}
	sub := n.path.Sub
	if n.implicit {
		sub = "value"
	}
	if sub == "" {
		return items
	}
	out := make([]any, 0, len(items))
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			out = append(out, asList(lookup(m, sub))...)
		}
	}
	return out
}

// test compares one value with the literal according to the attribute type.
func (n *cmpNode) test(v any) bool {
	switch n.typ {
	case schema.TypeBoolean:
		b, ok := v.(bool)
		return ok && n.order(cmpBool(b, n.lit.b))
	case schema.TypeInteger, schema.TypeDecimal:
		f, ok := toFloat(v)
		return ok && n.order(cmp.Compare(f, n.lit.num))
	case schema.TypeDateTime:
		s, ok := v.(string)
		if !ok {
			return false
		}
		if n.op.substring() {
			return n.text(s, false)
		}
		t, ok := parseDateTime(s)
		return ok && n.order(t.Compare(n.lit.t))
	case schema.TypeBinary:
		s, ok := v.(string)
		return ok && n.text(s, true)
	}
	s, ok := v.(string)
	return ok && n.text(s, n.caseExact)
}

// text applies the operator to strings; case-insensitive unless caseExact
// (§3.4.2.2, RFC 7643 §2.2 caseExact). Ordering is lexicographic.
func (n *cmpNode) text(s string, caseExact bool) bool {
	lit := n.lit.str
	if !caseExact {
		if n.op == opEq || n.op == opNe {
			return strings.EqualFold(s, lit) == (n.op == opEq)
		}
		s, lit = strings.ToLower(s), n.lit.lower
	}
	switch n.op {
	case opCo:
		if n.coAsSw {
			return strings.HasPrefix(s, lit)
		}
		return strings.Contains(s, lit)
	case opSw:
		return strings.HasPrefix(s, lit)
	case opEw:
		return strings.HasSuffix(s, lit)
	}
	return n.order(strings.Compare(s, lit))
}

// order turns a three-way comparison into the operator's verdict.
func (n *cmpNode) order(c int) bool {
	switch n.op {
	case opEq:
		return c == 0
	case opNe:
		return c != 0
	case opGt:
		if n.gtAsGe {
			return c >= 0
		}
		return c > 0
	case opGe:
		return c >= 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	}
	return false
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// toFloat converts the numeric representations a decoded document may hold.
func toFloat(v any) (float64, bool) {
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

// anyPresent reports whether some value is present: not null, not an empty
// string, and for complex values not an object without present members
// (Table 3 "pr"). lax (fault filter-pr-ignores-empty) counts any non-null.
func anyPresent(vals []any, lax bool) bool {
	for _, v := range vals {
		if lax && v != nil {
			return true
		}
		if present(v) {
			return true
		}
	}
	return false
}

func present(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case map[string]any:
		for _, sv := range x {
			if present(sv) {
				return true
			}
		}
		return false
	case []any:
		for _, sv := range x {
			if present(sv) {
				return true
			}
		}
		return false
	}
	return true
}

// lookup returns m's member named key, matching the name case-insensitively.
func lookup(m map[string]any, key string) any {
	if m == nil {
		return nil
	}
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

// container returns the object holding the attributes of schema uri: the
// resource itself for the core schema, the extension object otherwise.
func container(doc map[string]any, uri string) map[string]any {
	if uri == "" {
		return doc
	}
	m, _ := lookup(doc, uri).(map[string]any)
	return m
}

// asList returns the values of a possibly multi-valued attribute.
func asList(v any) []any {
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
