package filter

import (
	"errors"
	"fmt"
	"strings"

	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Filter is a parsed filter expression (RFC 7644 §3.4.2.2). It is immutable
// and safe for concurrent use.
type Filter struct {
	root node
	elem bool // a value filter: attribute names are sub-attributes of one element
}

// Parse parses a filter for resources described by rs. faults may switch on
// the filter-area fault switches (see Faults). Errors are a 400
// invalidFilter *scimerr.Error whose detail names the problem and its offset.
func Parse(s string, rs *schema.ResourceSchema, faults fault.Set) (*Filter, error) {
	root, err := parse(s, rs, faults, nil)
	if err != nil {
		var pe *parseError
		if errors.As(err, &pe) && pe.syntax && faults.Has(faultNoInvalidFilter) {
			return &Filter{root: matchAll{}}, nil
		}
		return nil, asScimErr(err)
	}
	return &Filter{root: root}, nil
}

// ParseValueFilter parses the filter between the brackets of a valuePath
// (e.g. `type eq "work" and value co "@example.com"` of
// emails[type eq "work" and value co "@example.com"]). Attribute names in it
// are sub-attributes of parent. The result is evaluated with MatchElement.
// A parent that is defined but not complex is a 400 invalidFilter; an
// unknown parent yields a filter that matches no element.
func ParseValueFilter(s string, parent AttrPath, rs *schema.ResourceSchema, faults fault.Set) (*Filter, error) {
	sc := &scope{path: parent}
	if attr, _, ok := Resolve(rs, &parent); ok {
		if attr.Type != schema.TypeComplex {
			return nil, scimerr.BadRequest(scimerr.InvalidFilter,
				"%s is not a complex attribute: a value filter [...] selects values of a complex attribute", parent)
		}
		sc.attr, sc.path = attr, parent
	}
	root, err := parse(s, rs, faults, sc)
	if err != nil {
		return nil, asScimErr(err)
	}
	return &Filter{root: root, elem: true}, nil
}

// Match reports whether the resource satisfies the filter. A nil filter
// matches everything.
func (f *Filter) Match(resource map[string]any) bool {
	if f == nil {
		return true
	}
	return f.root.eval(resource)
}

// MatchElement reports whether one value (element) of a multi-valued complex
// attribute satisfies a value filter built by ParseValueFilter. A nil filter
// matches every element.
func (f *Filter) MatchElement(elem map[string]any) bool {
	if f == nil {
		return true
	}
	return f.root.eval(elem)
}

// String renders the filter in a canonical form: lower-case operators,
// attribute names in the schema's spelling, minimal parentheses. Parsing the
// result yields an equivalent filter with the same rendering.
func (f *Filter) String() string {
	if f == nil {
		return ""
	}
	var b strings.Builder
	f.root.write(&b)
	return b.String()
}

// Equalities returns, for a value filter that is a conjunction of "eq"
// comparisons of known sub-attributes with non-null values (such as
// `type eq "work" and primary eq true`), the sub-attribute values it
// requires. PATCH uses it to create the value an add with a filtered path
// asks for (RFC 7644 erratum 8097). ok is false for any other filter.
func (f *Filter) Equalities() (values map[string]any, ok bool) {
	if f == nil || !f.elem {
		return nil, false
	}
	values = map[string]any{}
	if !collectEq(f.root, values) {
		return nil, false
	}
	return values, true
}

func collectEq(n node, out map[string]any) bool {
	switch n := n.(type) {
	case *logNode:
		if n.or || n.leftOnly {
			return false
		}
		for _, k := range n.kids {
			if !collectEq(k, out) {
				return false
			}
		}
		return true
	case *cmpNode:
		if n.op != opEq || !n.known || n.path.Sub != "" || n.implicit || n.lit.kind == litNull {
			return false
		}
		out[n.path.Name] = n.lit.value()
		return true
	}
	return false
}

// parseError is a filter error before it becomes a *scimerr.Error. syntax
// marks violations of the grammar (as opposed to type or operator misuse).
type parseError struct {
	msg    string
	syntax bool
}

func (e *parseError) Error() string { return e.msg }

func syntaxErr(format string, args ...any) error {
	return &parseError{msg: fmt.Sprintf(format, args...), syntax: true}
}

func semanticErr(format string, args ...any) error {
	return &parseError{msg: fmt.Sprintf(format, args...)}
}

func asScimErr(err error) *scimerr.Error {
	var pe *parseError
	if errors.As(err, &pe) {
		return scimerr.BadRequest(scimerr.InvalidFilter, "%s", pe.msg)
	}
	return scimerr.BadRequest(scimerr.InvalidFilter, "%v", err)
}
