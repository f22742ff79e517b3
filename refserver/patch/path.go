package patch

import (
	"strings"

	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Path is a parsed PATCH path (RFC 7644 §3.5.2 Figure 7:
// PATH = attrPath / valuePath [subAttr]).
type Path struct {
	// Attr is the target attribute. Attr.Sub is the sub-attribute, written
	// either as "name.givenName" or after the brackets of a valuePath
	// ("emails[type eq \"work\"].value"). A path that is exactly an
	// extension URN has Attr.URI set and Attr.Name empty: the target is the
	// whole extension object.
	Attr filter.AttrPath
	// Filter is the value selection filter of a valuePath, nil otherwise.
	Filter *filter.Filter
}

// String renders the path canonically.
func (p Path) String() string {
	if p.Filter == nil {
		return p.Attr.String()
	}
	parent := filter.AttrPath{URI: p.Attr.URI, Name: p.Attr.Name}
	s := parent.String() + "[" + p.Filter.String() + "]"
	if p.Attr.Sub != "" {
		s += "." + p.Attr.Sub
	}
	return s
}

// ParsePath parses a PATCH path for resources described by rs: an
// attribute path ("members", "name.familyName", URN-qualified forms), a
// valuePath ("members[value eq \"2819c223\"]") optionally followed by a
// sub-attribute, or an extension URN. Names are returned in the schema's
// spelling. Unknown attributes are not rejected here (Apply answers
// invalidPath). Syntax errors are a 400 invalidPath *scimerr.Error, and a
// malformed value filter a 400 invalidFilter (RFC 7644 §3.12 Table 9 lists
// invalidFilter for PATCH path filters).
func ParsePath(s string, rs *schema.ResourceSchema) (Path, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Path{}, scimerr.BadRequest(scimerr.InvalidPath, "empty path")
	}
	if rs != nil {
		if ext := rs.Extension(s); ext != nil {
			return Path{Attr: filter.AttrPath{URI: ext.ID}}, nil
		}
	}
	open := strings.IndexByte(s, '[')
	if open < 0 {
		a, err := filter.ParseAttrPath(s, rs)
		if err != nil {
			return Path{}, pathErr(s, "expected an attribute path such as name.givenName or a value path such as "+
				`emails[type eq "work"].value`)
		}
		return Path{Attr: a}, nil
	}
	end := closingBracket(s, open)
	if end < 0 {
		return Path{}, pathErr(s, `missing "]" after the value filter`)
	}
	a, err := filter.ParseAttrPath(s[:open], rs)
	if err != nil || a.Sub != "" {
		return Path{}, pathErr(s, `a value filter "[...]" must follow a multi-valued attribute name`)
	}
	sub, err := subAfterBracket(s, s[end+1:])
	if err != nil {
		return Path{}, err
	}
	f, err := filter.ParseValueFilter(s[open+1:end], a, rs, nil)
	if err != nil {
		return Path{}, err
	}
	if sub != "" {
		pp := filter.AttrPath{URI: a.URI, Name: a.Name}
		if parent, _, ok := filter.Resolve(rs, &pp); ok {
			if sa := parent.Sub(sub); sa != nil {
				sub = sa.Name
			}
		}
	}
	a.Sub = sub
	return Path{Attr: a, Filter: f}, nil
}

// subAfterBracket parses the optional "." subAttr after a valuePath.
func subAfterBracket(s, rest string) (string, error) {
	if rest == "" {
		return "", nil
	}
	if rest[0] != '.' {
		return "", pathErr(s, `only "." and a sub-attribute name may follow "]"`)
	}
	a, err := filter.ParseAttrPath(rest[1:], nil)
	if err != nil || a.Sub != "" || a.URI != "" {
		return "", pathErr(s, `only "." and a sub-attribute name may follow "]"`)
	}
	return a.Name, nil
}

// closingBracket finds the "]" matching the "[" at s[open], skipping
// brackets inside JSON string literals. It returns -1 when there is none.
func closingBracket(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case '[':
			depth++
		case ']':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}

func pathErr(path, why string) *scimerr.Error {
	return scimerr.BadRequest(scimerr.InvalidPath, "invalid path %q: %s", path, why)
}
