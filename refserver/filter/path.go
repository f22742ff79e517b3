package filter

import (
	"strings"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// AttrPath is an attribute path in the notation of RFC 7644 §3.10 and the
// attrPath rule of §3.4.2.2: an optional schema URN, an attribute name and an
// optional sub-attribute name.
type AttrPath struct {
	// URI is the schema URN of an extension attribute. It is "" for core
	// and common attributes, also when the path spelled out the core URN.
	URI string
	// Name is the attribute name.
	Name string
	// Sub is the sub-attribute name, "" for none.
	Sub string
}

// String renders the path as [URI ":"] Name ["." Sub].
func (p AttrPath) String() string {
	var b strings.Builder
	if p.URI != "" {
		b.WriteString(p.URI)
		if p.Name != "" {
			b.WriteByte(':')
		}
	}
	b.WriteString(p.Name)
	if p.Sub != "" {
		b.WriteByte('.')
		b.WriteString(p.Sub)
	}
	return b.String()
}

// ParseAttrPath parses an attribute path such as "userName",
// "name.givenName", "urn:ietf:params:scim:schemas:core:2.0:User:userName" or
// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"
// (RFC 7644 §3.10, attrPath of §3.4.2.2). Names are matched case-insensitively
// and returned in the schema's spelling when rs knows them.
//
// Reading of RFC 7644 §3.10: clients may omit the core URN and should (not
// must) qualify extension attributes, so an unqualified name that no core or
// common attribute has but exactly one extension defines resolves to that
// extension. Unknown attributes are not an error here: each caller decides
// (a filter treats them as unassigned, PATCH answers invalidPath, projection
// ignores them). Syntax errors are a 400 invalidPath *scimerr.Error.
func ParseAttrPath(s string, rs *schema.ResourceSchema) (AttrPath, error) {
	if s == "" {
		return AttrPath{}, scimerr.BadRequest(scimerr.InvalidPath, "empty attribute path")
	}
	uri, rest := splitURN(s, rs)
	name, sub, ok := strings.Cut(rest, ".")
	if !validName(name) || (ok && !validName(sub)) {
		return AttrPath{}, scimerr.BadRequest(scimerr.InvalidPath,
			"invalid attribute path %q: expected [schemaURN:]name[.subAttribute] where names start with a letter "+
				"and contain only letters, digits, '-' and '_'", s)
	}
	p := AttrPath{URI: uri, Name: name, Sub: sub}
	return canonical(p, rs), nil
}

// splitURN separates a schema URN prefix from the attribute part. Known
// schema URNs come from rs; any other "urn:" prefix is split at its last
// colon so that unknown extensions still parse (and then resolve to
// nothing). The core URN is dropped.
func splitURN(s string, rs *schema.ResourceSchema) (uri, rest string) {
	if rs != nil && rs.Core != nil {
		uri, rest = rs.SplitURN(s)
		if uri != "" {
			if strings.EqualFold(uri, rs.Core.ID) {
				uri = ""
			}
			return uri, rest
		}
	}
	if len(s) > 4 && strings.EqualFold(s[:4], "urn:") {
		if i := strings.LastIndexByte(s, ':'); i > 3 {
			return s[:i], s[i+1:]
		}
	}
	return "", s
}

// validName reports whether s is an ATTRNAME of RFC 7643 §2.1 (a letter, then
// letters, digits, '-' or '_'). A leading '$' is accepted as well because the
// RFC itself names the "$ref" sub-attribute that way.
func validName(s string) bool {
	s = strings.TrimPrefix(s, "$")
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && !isDigit(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// canonical rewrites the names of a known attribute in the schema's spelling
// and qualifies an unambiguous unqualified extension attribute.
func canonical(p AttrPath, rs *schema.ResourceSchema) AttrPath {
	if rs == nil || rs.Core == nil {
		return p
	}
	if p.URI != "" {
		if ext := rs.Extension(p.URI); ext != nil {
			p.URI = ext.ID
		}
	}
	attr, parent, ok := Resolve(rs, &p)
	if !ok {
		return p
	}
	if parent != nil {
		p.Name, p.Sub = parent.Name, attr.Name
	} else {
		p.Name = attr.Name
	}
	return p
}

// Resolve finds the definition of p in rs: core attributes, the common
// attributes (schemas, id, externalId, meta) and extension attributes. An
// unqualified name that is not a core or common attribute but belongs to
// exactly one extension resolves there, and p.URI is set to that extension.
// It returns the attribute (the sub-attribute when p.Sub is set) and, for a
// sub-attribute, its parent.
func Resolve(rs *schema.ResourceSchema, p *AttrPath) (attr, parent *schema.Attribute, ok bool) {
	if rs == nil || rs.Core == nil || p.Name == "" {
		return nil, nil, false
	}
	if attr, parent, ok = rs.Resolve(p.URI, p.Name, p.Sub); ok || p.URI != "" {
		return attr, parent, ok
	}
	found := ""
	for _, ext := range rs.Extensions {
		if ext.Attr(p.Name) != nil {
			if found != "" {
				return nil, nil, false // ambiguous: the client must qualify it
			}
			found = ext.ID
		}
	}
	if found == "" {
		return nil, nil, false
	}
	if attr, parent, ok = rs.Resolve(found, p.Name, p.Sub); ok {
		p.URI = found
	}
	return attr, parent, ok
}
