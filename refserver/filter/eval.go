package filter

import (
	"cmp"
	"github.com/scimconform/scimconform/refserver/jsonv"
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
	switch {
	case n.op == opPr:
		return n.visit(doc, n.presentValue)
	case n.lit.kind == litNull:
		return n.visit(doc, jsonv.Present) == (n.op == opNe)
	}
	return n.visit(doc, n.test)
}

// visit calls fn on each value the expression compares, flattening
// multi-valued attributes and the sub-attribute of every complex value, and
// reports whether fn returned true for one of them.
func (n *cmpNode) visit(doc map[string]any, fn func(any) bool) bool {
	var v any
	if n.elem {
		v = jsonv.Lookup(doc, n.path.Name)
	} else {
		v = jsonv.Lookup(container(doc, n.path.URI), n.path.Name)
	}
	sub := n.path.Sub
	if n.implicit {
		sub = "value"
	}
	if _, ok := v.([]any); !ok {
		switch v.(type) {
		case []string, []map[string]any:
			v = jsonv.AsList(v)
		default:
			return visitSub(v, sub, fn)
		}
	}
	for i, it := range v.([]any) {
		if n.firstOnly && i > 0 {
			break
		}
		if visitSub(it, sub, fn) {
			return true
		}
	}
	return false
}

// visitSub applies fn to item itself (sub == "") or to the values of its
// sub-attribute sub.
func visitSub(item any, sub string, fn func(any) bool) bool {
	if sub == "" {
		return fn(item)
	}
	m, ok := item.(map[string]any)
	if !ok {
		return false
	}
	sv := jsonv.Lookup(m, sub)
	if list, ok := sv.([]any); ok {
		for _, x := range list {
			if fn(x) {
				return true
			}
		}
		return false
	}
	return fn(sv)
}

// presentValue is the "pr" test of one value; the fault
// filter-pr-ignores-empty counts every non-null value.
func (n *cmpNode) presentValue(v any) bool {
	if n.prEmpty {
		return v != nil
	}
	return jsonv.Present(v)
}

// test compares one value with the literal according to the attribute type.
func (n *cmpNode) test(v any) bool {
	switch n.typ {
	case schema.TypeBoolean:
		b, ok := v.(bool)
		return ok && n.order(cmpBool(b, n.lit.b))
	case schema.TypeInteger, schema.TypeDecimal:
		f, ok := jsonv.ToFloat(v)
		return ok && n.order(cmp.Compare(f, n.lit.num))
	case schema.TypeDateTime:
		s, ok := v.(string)
		if !ok {
			return false
		}
		if n.op.substring() {
			return n.text(s, false)
		}
		if plainUTC(s) && plainUTC(n.lit.str) {
			return n.order(strings.Compare(s, n.lit.str)) // same layout: text order is time order
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

// plainUTC reports the layout 2006-01-02T15:04:05Z exactly (digits checked
// loosely; anything unusual takes the parsing path).
func plainUTC(s string) bool {
	return len(s) == 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == 'Z' &&
		isDigit(s[0]) && isDigit(s[5]) && isDigit(s[8]) && isDigit(s[11]) && isDigit(s[14]) && isDigit(s[17])
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

// container returns the object holding the attributes of schema uri: the
// resource itself for the core schema, the extension object otherwise.
func container(doc map[string]any, uri string) map[string]any {
	if uri == "" {
		return doc
	}
	m, _ := jsonv.Lookup(doc, uri).(map[string]any)
	return m
}
