// Package schema holds the reference server's attribute definitions (RFC 7643
// §2 characteristics, §7 schema representation) and resolves attribute paths
// against a resource type's core schema and extensions.
package schema

import (
	"strings"
)

// Attribute types (RFC 7643 §2.3).
const (
	TypeString    = "string"
	TypeBoolean   = "boolean"
	TypeDecimal   = "decimal"
	TypeInteger   = "integer"
	TypeDateTime  = "dateTime"
	TypeBinary    = "binary"
	TypeReference = "reference"
	TypeComplex   = "complex"
)

// Mutability values (RFC 7643 §7).
const (
	ReadOnly  = "readOnly"
	ReadWrite = "readWrite"
	Immutable = "immutable"
	WriteOnly = "writeOnly"
)

// Returned values (RFC 7643 §7).
const (
	ReturnedAlways  = "always"
	ReturnedNever   = "never"
	ReturnedDefault = "default"
	ReturnedRequest = "request"
)

// Uniqueness values (RFC 7643 §7).
const (
	UniqueNone   = "none"
	UniqueServer = "server"
	UniqueGlobal = "global"
)

// Attribute is one attribute definition with its characteristics.
type Attribute struct {
	Name            string       `json:"name"`
	Type            string       `json:"type"`
	MultiValued     bool         `json:"multiValued"`
	Description     string       `json:"description,omitempty"`
	Required        bool         `json:"required"`
	CanonicalValues []string     `json:"canonicalValues,omitempty"`
	CaseExact       bool         `json:"caseExact"`
	Mutability      string       `json:"mutability"`
	Returned        string       `json:"returned"`
	Uniqueness      string       `json:"uniqueness"`
	ReferenceTypes  []string     `json:"referenceTypes,omitempty"`
	SubAttributes   []*Attribute `json:"subAttributes,omitempty"`
}

// Sub finds a sub-attribute by name, case-insensitively.
func (a *Attribute) Sub(name string) *Attribute {
	for _, s := range a.SubAttributes {
		if strings.EqualFold(s.Name, name) {
			return s
		}
	}
	return nil
}

// Schema is one schema definition (RFC 7643 §7).
type Schema struct {
	ID          string       `json:"id"`
	Name        string       `json:"name,omitempty"`
	Description string       `json:"description,omitempty"`
	Attributes  []*Attribute `json:"attributes"`
}

// Attr finds a top-level attribute by name, case-insensitively.
func (s *Schema) Attr(name string) *Attribute {
	for _, a := range s.Attributes {
		if strings.EqualFold(a.Name, name) {
			return a
		}
	}
	return nil
}

// ResourceSchema is a resource type's core schema plus its extensions.
type ResourceSchema struct {
	Core       *Schema
	Extensions []*Schema
}

// Extension finds an extension schema by URN, case-insensitively.
func (rs *ResourceSchema) Extension(urn string) *Schema {
	for _, e := range rs.Extensions {
		if strings.EqualFold(e.ID, urn) {
			return e
		}
	}
	return nil
}

// Resolve finds the definition of an attribute path. uri is the schema URN
// ("" = core, or an extension URN), name the attribute and sub the
// sub-attribute ("" for none). Matching is case-insensitive. The common
// attributes schemas, id, externalId and meta resolve as core attributes. It
// returns the attribute (the sub-attribute when sub is set) and the parent
// when sub is set.
func (rs *ResourceSchema) Resolve(uri, name, sub string) (attr, parent *Attribute, ok bool) {
	s := rs.Core
	if uri != "" && !strings.EqualFold(uri, rs.Core.ID) {
		s = rs.Extension(uri)
		if s == nil {
			return nil, nil, false
		}
	}
	a := s.Attr(name)
	if a == nil && s == rs.Core {
		// The common attributes (RFC 7643 §3.1) belong to no schema but are
		// addressable like core attributes.
		a = CommonAttr(name)
	}
	if a == nil {
		return nil, nil, false
	}
	if sub == "" {
		return a, nil, true
	}
	sa := a.Sub(sub)
	if sa == nil {
		return nil, nil, false
	}
	return sa, a, true
}

// SplitURN splits a fully qualified attribute path such as
// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"
// into its schema URN and the remaining "manager.value", using the known
// extension URNs (a URN itself contains colons). A path without a known URN
// prefix is returned unchanged with uri "".
func (rs *ResourceSchema) SplitURN(path string) (uri, rest string) {
	candidates := append([]*Schema{rs.Core}, rs.Extensions...)
	for _, s := range candidates {
		if len(path) > len(s.ID) && strings.EqualFold(path[:len(s.ID)], s.ID) && path[len(s.ID)] == ':' {
			return s.ID, path[len(s.ID)+1:]
		}
	}
	return "", path
}
