// Package filtertest builds small, self-contained resource schemas for the
// unit tests of the filter and patch packages. They mirror the parts of the
// RFC 7643 User, enterprise User and Group schemas the tests need, so the
// tests do not depend on the full schema set under construction elsewhere.
package filtertest

import "github.com/scimconform/scimconform/refserver/schema"

// Schema URNs used by the test schemas.
const (
	URNUser       = "urn:ietf:params:scim:schemas:core:2.0:User"
	URNEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	URNGroup      = "urn:ietf:params:scim:schemas:core:2.0:Group"
)

type opt func(*schema.Attribute)

func multi(a *schema.Attribute)     { a.MultiValued = true }
func required(a *schema.Attribute)  { a.Required = true }
func caseExact(a *schema.Attribute) { a.CaseExact = true }
func readOnly(a *schema.Attribute)  { a.Mutability = schema.ReadOnly }
func immutable(a *schema.Attribute) { a.Mutability = schema.Immutable }
func writeOnly(a *schema.Attribute) {
	a.Mutability = schema.WriteOnly
	a.Returned = schema.ReturnedNever
}

func subs(sa ...*schema.Attribute) opt {
	return func(a *schema.Attribute) { a.SubAttributes = sa }
}

func attr(name, typ string, opts ...opt) *schema.Attribute {
	a := &schema.Attribute{Name: name, Type: typ, Mutability: schema.ReadWrite,
		Returned: schema.ReturnedDefault, Uniqueness: schema.UniqueNone}
	for _, o := range opts {
		o(a)
	}
	if a.Mutability == schema.ReadOnly {
		for _, s := range a.SubAttributes {
			s.Mutability = schema.ReadOnly
		}
	}
	return a
}

func str(name string, opts ...opt) *schema.Attribute { return attr(name, schema.TypeString, opts...) }

// plural returns the value/display/type/primary sub-attributes of a
// multi-valued attribute whose value has the given type.
func plural(valueType string) opt {
	return subs(
		attr("value", valueType),
		str("display"),
		str("type"),
		attr("primary", schema.TypeBoolean),
	)
}

// User returns a User resource schema (core plus the enterprise extension)
// with the attributes the tests use.
func User() *schema.ResourceSchema {
	core := &schema.Schema{ID: URNUser, Name: "User", Attributes: []*schema.Attribute{
		str("userName", required),
		attr("name", schema.TypeComplex, subs(str("formatted"), str("familyName"), str("givenName"))),
		str("displayName"),
		str("nickName"),
		str("title"),
		str("userType"),
		attr("active", schema.TypeBoolean),
		str("password", writeOnly),
		attr("emails", schema.TypeComplex, multi, plural(schema.TypeString)),
		attr("phoneNumbers", schema.TypeComplex, multi, plural(schema.TypeString)),
		attr("ims", schema.TypeComplex, multi, plural(schema.TypeString)),
		attr("addresses", schema.TypeComplex, multi, subs(str("streetAddress"), str("locality"),
			str("country"), str("type"), attr("primary", schema.TypeBoolean))),
		attr("groups", schema.TypeComplex, multi, readOnly, subs(str("value"),
			attr("$ref", schema.TypeReference), str("display"), str("type"))),
		attr("x509Certificates", schema.TypeComplex, multi, plural(schema.TypeBinary)),
		attr("loginCount", schema.TypeInteger),
		attr("score", schema.TypeDecimal),
		attr("hireDate", schema.TypeDateTime),
		str("badge", caseExact),
		str("serial", immutable),
		str("tags", multi),
	}}
	ent := &schema.Schema{ID: URNEnterprise, Name: "EnterpriseUser", Attributes: []*schema.Attribute{
		str("employeeNumber"),
		str("costCenter"),
		str("department"),
		attr("manager", schema.TypeComplex, subs(str("value"), attr("$ref", schema.TypeReference),
			str("displayName", readOnly))),
	}}
	return &schema.ResourceSchema{Core: core, Extensions: []*schema.Schema{ent}}
}

// Group returns a Group resource schema whose member sub-attributes are
// immutable, as in RFC 7643 §8.7.1.
func Group() *schema.ResourceSchema {
	core := &schema.Schema{ID: URNGroup, Name: "Group", Attributes: []*schema.Attribute{
		str("displayName", required),
		attr("members", schema.TypeComplex, multi, subs(
			str("value", immutable),
			attr("$ref", schema.TypeReference, immutable),
			str("display", immutable),
			str("type", immutable),
		)),
	}}
	return &schema.ResourceSchema{Core: core}
}

// Barbara returns a fresh User document shaped like the RFC 7643 §8.2
// example, with the enterprise extension.
func Barbara() map[string]any {
	return map[string]any{
		"schemas":    []any{URNUser, URNEnterprise},
		"id":         "2819c223-7f76-453a-919d-413861904646",
		"externalId": "701984",
		"userName":   "bjensen@example.com",
		"name": map[string]any{
			"formatted": "Ms. Barbara J Jensen, III", "familyName": "Jensen", "givenName": "Barbara",
		},
		"displayName": "Babs Jensen",
		"nickName":    "Babs",
		"title":       "Tour Guide",
		"userType":    "Employee",
		"active":      true,
		"emails": []any{
			map[string]any{"value": "bjensen@example.com", "type": "work", "primary": true},
			map[string]any{"value": "babs@jensen.org", "type": "home"},
		},
		"phoneNumbers": []any{
			map[string]any{"value": "555-555-5555", "type": "work"},
			map[string]any{"value": "555-555-4444", "type": "mobile"},
		},
		"addresses": []any{
			map[string]any{"streetAddress": "100 Universal City Plaza", "locality": "Hollywood",
				"country": "US", "type": "work", "primary": true},
			map[string]any{"streetAddress": "456 Hollywood Blvd", "locality": "Hollywood",
				"country": "US", "type": "home"},
		},
		"groups": []any{
			map[string]any{"value": "e9e30dba-f08f-4109-8486-d5c6a331660a", "display": "Tour Guides", "type": "direct"},
		},
		"x509Certificates": []any{map[string]any{"value": "TUlJRERBQ0NBcFdn"}},
		"loginCount":       float64(42),
		"score":            3.5,
		"hireDate":         "2010-01-23T04:56:22Z",
		"badge":            "AbC-1",
		"tags":             []any{"alpha", "Beta"},
		"meta": map[string]any{
			"resourceType": "User",
			"created":      "2010-01-23T04:56:22Z",
			"lastModified": "2011-05-13T04:42:34Z",
			"version":      `W/"3694e05e9dff590"`,
			"location":     "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
		},
		URNEnterprise: map[string]any{
			"employeeNumber": "701984",
			"costCenter":     "4130",
			"department":     "Tour Operations",
			"manager": map[string]any{
				"value":       "26118915-6090-4610-87e4-49d8ca9f808d",
				"$ref":        "../Users/26118915-6090-4610-87e4-49d8ca9f808d",
				"displayName": "John Smith",
			},
		},
	}
}

// Team returns a fresh Group document with two members.
func Team() map[string]any {
	return map[string]any{
		"schemas":     []any{URNGroup},
		"id":          "e9e30dba-f08f-4109-8486-d5c6a331660a",
		"displayName": "Tour Guides",
		"members": []any{
			map[string]any{"value": "2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen",
				"$ref": "../Users/2819c223-7f76-453a-919d-413861904646", "type": "User"},
			map[string]any{"value": "902c246b-6245-4190-8e05-00816be7344a", "display": "Mandy Pepperidge",
				"$ref": "../Users/902c246b-6245-4190-8e05-00816be7344a", "type": "User"},
		},
		"meta": map[string]any{"resourceType": "Group", "created": "2010-01-23T04:56:22Z",
			"lastModified": "2011-05-13T04:42:34Z"},
	}
}
