package filter

import (
	"strings"

	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/refserver/schema"
)

// maxDepth bounds the nesting of parentheses, not (...) and brackets so that
// hostile input cannot exhaust the stack.
const maxDepth = 64

// scope is the parent attribute of a value filter; attribute names inside
// the brackets are its sub-attributes.
type scope struct {
	path AttrPath
	attr *schema.Attribute // nil when the parent is not defined
}

// parser is a recursive-descent parser of the grammar of RFC 7644 §3.4.2.2
// (Figure 1) with the precedence of "Filters MUST be evaluated using the
// following order": grouping, then not, and, or.
type parser struct {
	toks   []token
	pos    int
	rs     *schema.ResourceSchema
	faults fault.Set
	scope  *scope
	depth  int
}

func parse(s string, rs *schema.ResourceSchema, faults fault.Set, sc *scope) (node, error) {
	if strings.TrimSpace(s) == "" {
		return nil, syntaxErr(`empty filter: expected an expression such as userName eq "bjensen"`)
	}
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, rs: rs, faults: faults, scope: sc}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tRParen || t.kind == tRBrack {
			return nil, syntaxErr("unbalanced %s at offset %d", t.describe(), t.pos)
		}
		return nil, syntaxErr(`unexpected %s at offset %d: expected "and", "or" or the end of the filter`,
			t.describe(), t.pos)
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) peekAt(k int) token {
	if p.pos+k < len(p.toks) {
		return p.toks[p.pos+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

// keyword reports whether the next token is the given logical keyword.
func (p *parser) keyword(kw string) bool {
	t := p.peek()
	return t.kind == tWord && strings.EqualFold(t.text, kw)
}

// parseOr parses FILTER: and-terms joined by "or".
func (p *parser) parseOr() (node, error) {
	if p.faults.Has(faultLeftToRight) {
		return p.parseLeftToRight()
	}
	first, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	kids := []node{first}
	for p.keyword("or") {
		p.next()
		n, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &logNode{or: true, kids: kids}, nil
}

// parseAnd parses unary terms joined by "and".
func (p *parser) parseAnd() (node, error) {
	first, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	kids := []node{first}
	for p.keyword("and") {
		p.next()
		n, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &logNode{kids: kids, leftOnly: p.faults.Has(faultIgnoreAnd)}, nil
}

// parseLeftToRight is the faulty evaluation order of
// filter-precedence-left-to-right: operators combine strictly left to right.
func (p *parser) parseLeftToRight() (node, error) {
	acc, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for p.keyword("and") || p.keyword("or") {
		or := strings.EqualFold(p.next().text, "or")
		n, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		acc = &logNode{or: or, kids: []node{acc, n}}
	}
	return acc, nil
}

// parseUnary parses "(" FILTER ")", "not" "(" FILTER ")" (with or without a
// space before the parenthesis: RFC 7644 erratum 7319), an attribute
// expression or a valuePath.
func (p *parser) parseUnary() (node, error) {
	t := p.peek()
	switch {
	case t.kind == tLParen:
		p.next()
		return p.group(t)
	case t.kind == tWord && strings.EqualFold(t.text, "not") && p.peekAt(1).kind == tLParen:
		p.next()
		open := p.next()
		x, err := p.group(open)
		if err != nil {
			return nil, err
		}
		return &notNode{x: x, ignored: p.faults.Has(faultNotIgnored)}, nil
	case t.kind == tWord && strings.EqualFold(t.text, "not") && p.peekAt(1).kind == tWord &&
		!isOperatorWord(p.peekAt(1).text):
		return nil, syntaxErr(`"not" at offset %d must be followed by a parenthesised filter, e.g. not (title pr)`, t.pos)
	case t.kind == tWord:
		return p.parseAttrExp()
	}
	return nil, syntaxErr(`expected an attribute path, "(" or "not (" at offset %d, found %s`, t.pos, t.describe())
}

// group parses the inside of parentheses whose "(" has been consumed.
func (p *parser) group(open token) (node, error) {
	if p.depth++; p.depth > maxDepth {
		return nil, syntaxErr("filter nested deeper than %d levels at offset %d", maxDepth, open.pos)
	}
	defer func() { p.depth-- }()
	x, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.next(); t.kind != tRParen {
		return nil, syntaxErr(`missing ")" for the "(" at offset %d: found %s at offset %d`, open.pos, t.describe(), t.pos)
	}
	return x, nil
}

// parseAttrExp parses attrPath "pr", attrPath compareOp compValue, or a
// valuePath attrPath "[" valFilter "]".
func (p *parser) parseAttrExp() (node, error) {
	at := p.next()
	path, err := p.attrPath(at)
	if err != nil {
		return nil, err
	}
	if p.peek().kind == tLBrack {
		return p.parseValuePath(at, path)
	}
	ot := p.next()
	if ot.kind != tWord {
		return nil, syntaxErr("expected an operator (eq ne co sw ew pr gt ge lt le) after %q at offset %d, found %s",
			at.text, ot.pos, ot.describe())
	}
	o, ok := parseOp(ot.text)
	if !ok {
		return nil, syntaxErr("the operator %q at offset %d is not supported: use one of eq ne co sw ew pr gt ge lt le",
			ot.text, ot.pos)
	}
	lit := literal{kind: litNone}
	if o != opPr {
		if lit, err = parseLiteral(p.next(), ot); err != nil {
			return nil, err
		}
	}
	return p.comparison(path, o, lit, at.pos)
}

// attrPath parses an attribute path token in the current scope.
func (p *parser) attrPath(t token) (AttrPath, error) {
	if t.text[0] == '.' {
		return AttrPath{}, syntaxErr(`unexpected %q at offset %d: a sub-attribute after "]" is only valid in a PATCH path`,
			t.text, t.pos)
	}
	rs := p.rs
	if p.scope != nil {
		rs = nil // names inside brackets are sub-attributes of the parent
	}
	path, err := ParseAttrPath(t.text, rs)
	if err != nil {
		return AttrPath{}, syntaxErr("invalid attribute path %q at offset %d: expected [schemaURN:]name[.subAttribute]",
			t.text, t.pos)
	}
	if p.scope != nil && p.scope.attr != nil && path.URI == "" && path.Sub == "" {
		if sa := p.scope.attr.Sub(path.Name); sa != nil {
			path.Name = sa.Name
		}
	}
	return path, nil
}

// parseValuePath parses the "[" valFilter "]" after a parent attribute path.
func (p *parser) parseValuePath(at token, path AttrPath) (node, error) {
	open := p.next()
	if p.scope != nil {
		return nil, syntaxErr("a value filter cannot contain another value filter (%q[ at offset %d)", at.text, open.pos)
	}
	if path.Sub != "" {
		return nil, semanticErr("%q at offset %d: a value filter [...] must follow a complex attribute, not a sub-attribute",
			at.text, at.pos)
	}
	sc := &scope{path: path}
	if attr, _, ok := Resolve(p.rs, &path); ok {
		if attr.Type != schema.TypeComplex {
			return nil, semanticErr("%s (offset %d) is not a complex attribute: a value filter [...] selects values "+
				"of a complex attribute", path, at.pos)
		}
		sc.attr, sc.path = attr, path
	}
	if p.depth++; p.depth > maxDepth {
		return nil, syntaxErr("filter nested deeper than %d levels at offset %d", maxDepth, open.pos)
	}
	p.scope = sc
	inner, err := p.parseOr()
	p.scope, p.depth = nil, p.depth-1
	if err != nil {
		return nil, err
	}
	if t := p.next(); t.kind != tRBrack {
		return nil, syntaxErr(`missing "]" for the "[" at offset %d: found %s at offset %d`, open.pos, t.describe(), t.pos)
	}
	if t := p.peek(); t.kind == tWord && strings.HasPrefix(t.text, ".") {
		return nil, syntaxErr(`unexpected %q at offset %d: a sub-attribute after "]" is only valid in a PATCH path`,
			t.text, t.pos)
	}
	return &valuePathNode{path: sc.path, known: sc.attr != nil, inner: inner,
		anyElement: p.faults.Has(faultValuePathAnyElement)}, nil
}
