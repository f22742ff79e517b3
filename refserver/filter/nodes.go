package filter

import (
	"github.com/scimconform/scimconform/refserver/jsonv"
	"strings"

	"github.com/scimconform/scimconform/refserver/schema"
)

// node is one node of the filter syntax tree.
type node interface {
	// eval evaluates the node against a resource (or, inside a value
	// filter, against one element of the parent attribute).
	eval(doc map[string]any) bool
	// write renders the node in canonical form.
	write(b *strings.Builder)
	// prec is the binding strength: 1 or, 2 and, 3 everything else.
	prec() int
}

// logNode is "and" or "or" over two or more operands.
type logNode struct {
	or       bool
	kids     []node
	leftOnly bool // fault filter-ignore-and
}

func (n *logNode) eval(doc map[string]any) bool {
	if n.leftOnly {
		return n.kids[0].eval(doc)
	}
	for _, k := range n.kids {
		if k.eval(doc) == n.or {
			return n.or
		}
	}
	return !n.or
}

func (n *logNode) write(b *strings.Builder) {
	sep := " and "
	if n.or {
		sep = " or "
	}
	for i, k := range n.kids {
		if i > 0 {
			b.WriteString(sep)
		}
		if k.prec() < n.prec() {
			b.WriteByte('(')
			k.write(b)
			b.WriteByte(')')
		} else {
			k.write(b)
		}
	}
}

func (n *logNode) prec() int {
	if n.or {
		return 1
	}
	return 2
}

// notNode is not "(" FILTER ")".
type notNode struct {
	x       node
	ignored bool // fault filter-not-ignored
}

func (n *notNode) eval(doc map[string]any) bool {
	if n.ignored {
		return n.x.eval(doc)
	}
	return !n.x.eval(doc)
}

func (n *notNode) write(b *strings.Builder) {
	b.WriteString("not (")
	n.x.write(b)
	b.WriteByte(')')
}

func (n *notNode) prec() int { return 3 }

// valuePathNode is attrPath "[" valFilter "]": true when one single value of
// the parent satisfies the whole inner filter (§3.4.2.2 Table 5).
type valuePathNode struct {
	path       AttrPath
	known      bool
	inner      node
	anyElement bool // fault filter-valuepath-any-element
}

func (n *valuePathNode) eval(doc map[string]any) bool {
	if !n.known {
		return false
	}
	items := jsonv.AsList(jsonv.Lookup(container(doc, n.path.URI), n.path.Name))
	if n.anyElement {
		return n.inner.eval(mergeElements(items))
	}
	for _, it := range items {
		if m, ok := it.(map[string]any); ok && n.inner.eval(m) {
			return true
		}
	}
	return false
}

func (n *valuePathNode) write(b *strings.Builder) {
	b.WriteString(n.path.String())
	b.WriteByte('[')
	n.inner.write(b)
	b.WriteByte(']')
}

func (n *valuePathNode) prec() int { return 3 }

// mergeElements pools the sub-attribute values of all elements into one
// pseudo-element (the defect of filter-valuepath-any-element).
func mergeElements(items []any) map[string]any {
	out := map[string]any{}
	for _, it := range items {
		m, _ := it.(map[string]any)
		for k, v := range m {
			key := strings.ToLower(k)
			prev, _ := out[key].([]any)
			out[key] = append(prev, jsonv.AsList(v)...)
		}
	}
	return out
}

// matchAll stands in for a malformed filter under filter-no-invalidfilter.
type matchAll struct{}

func (matchAll) eval(map[string]any) bool { return true }
func (matchAll) write(*strings.Builder)   {}
func (matchAll) prec() int                { return 3 }

// cmpNode is attrPath "pr" or attrPath compareOp compValue.
type cmpNode struct {
	path      AttrPath
	elem      bool // path.Name is a sub-attribute of the element under evaluation
	known     bool // the attribute is defined for the resource type
	implicit  bool // complex attribute compared through its "value" sub-attribute
	op        op
	lit       literal
	typ       string // schema type of the compared attribute
	caseExact bool
	firstOnly bool // fault filter-multivalued-first-only
	coAsSw    bool // fault filter-co-as-sw
	gtAsGe    bool // fault filter-gt-as-ge
	prEmpty   bool // fault filter-pr-ignores-empty
}

func (n *cmpNode) write(b *strings.Builder) {
	b.WriteString(n.path.String())
	b.WriteByte(' ')
	b.WriteString(n.op.String())
	if n.op != opPr {
		b.WriteByte(' ')
		n.lit.write(b)
	}
}

func (n *cmpNode) prec() int { return 3 }

// comparison builds an attribute expression, checking the operator and
// value against the attribute's definition. An attribute the resource type
// does not define is treated as unassigned (RFC 7644 §3.4.2.1: attributes
// that are not part of a resource type have no value), so it matches
// nothing except "eq null".
func (p *parser) comparison(path AttrPath, o op, lit literal, pos int) (node, error) {
	n := &cmpNode{path: path, op: o, lit: lit, elem: p.scope != nil,
		firstOnly: p.faults.Has(faultMultiValuedFirstOnly), coAsSw: p.faults.Has(faultCoAsSw),
		gtAsGe: p.faults.Has(faultGtAsGe), prEmpty: p.faults.Has(faultPrIgnoresEmpty)}
	a := p.resolve(&n.path)
	if a == nil {
		return n, nil
	}
	n.known = true
	if a.Type == schema.TypeComplex {
		if o == opPr || lit.kind == litNull {
			n.typ = schema.TypeComplex
			return n, nil
		}
		// docs/interpretations.md#i3: a complex attribute without a sub-attribute
		// compares through its "value" sub-attribute (emails co "x" is
		// emails.value co "x"), as the RFC's own examples do.
		v := a.Sub("value")
		if v == nil {
			return nil, semanticErr("%s (offset %d) is a complex attribute: compare one of its sub-attributes, e.g. %s.%s",
				path, pos, n.path, firstSub(a))
		}
		n.implicit, a = true, v
	}
	n.typ = a.Type
	n.caseExact = a.CaseExact
	if p.faults.Has(faultUsernameCaseSensitive) && !n.elem && n.path.URI == "" && n.path.Sub == "" &&
		strings.EqualFold(a.Name, "userName") {
		n.caseExact = true
	}
	if err := p.checkOperand(n.path, a, o, &n.lit); err != nil {
		return nil, err
	}
	return n, nil
}

func firstSub(a *schema.Attribute) string {
	if len(a.SubAttributes) == 0 {
		return "sub"
	}
	return a.SubAttributes[0].Name
}

// resolve finds the definition of a path in the current scope and rewrites
// the path in canonical form; nil when the attribute is not defined.
func (p *parser) resolve(path *AttrPath) *schema.Attribute {
	if p.scope == nil {
		a, _, ok := Resolve(p.rs, path)
		if !ok {
			return nil
		}
		return a
	}
	if p.scope.attr == nil || path.URI != "" || path.Sub != "" {
		return nil
	}
	sa := p.scope.attr.Sub(path.Name)
	if sa != nil {
		path.Name = sa.Name
	}
	return sa
}
