package schema

// supportedFlag is the {supported: boolean} sub-attribute shared by the
// ServiceProviderConfig features.
func supportedFlag() *Attribute {
	return boolean("supported", "Whether the feature is supported.", required, readOnly)
}

func intRO(name, desc string, mods ...mod) *Attribute {
	return attr(name, TypeInteger, desc, append([]mod{readOnly}, mods...)...)
}

// ServiceProviderConfigSchema returns the ServiceProviderConfig schema (RFC
// 7643 §5, §8.7.2), completed with the etag feature of §5 and the RFC 9865 §4
// pagination attribute.
func ServiceProviderConfigSchema() *Schema {
	return &Schema{
		ID:          URNServiceProviderConfig,
		Name:        "Service Provider Configuration",
		Description: "Features and limits of this service provider.",
		Attributes: []*Attribute{
			ref("documentationUri", "Human-readable help for the service provider.", refTypes("external"), readOnly),
			complexAttr("patch", "PATCH support.", []*Attribute{supportedFlag()}, required, readOnly),
			complexAttr("bulk", "Bulk support and limits.", []*Attribute{
				supportedFlag(),
				intRO("maxOperations", "Most operations accepted in one Bulk request.", required),
				intRO("maxPayloadSize", "Largest Bulk request body accepted, in bytes.", required),
			}, required, readOnly),
			complexAttr("filter", "Filter support and limits.", []*Attribute{
				supportedFlag(),
				intRO("maxResults", "Most resources returned in one response.", required),
			}, required, readOnly),
			complexAttr("changePassword", "Password change support.", []*Attribute{supportedFlag()}, required, readOnly),
			complexAttr("sort", "Sort support.", []*Attribute{supportedFlag()}, required, readOnly),
			complexAttr("etag", "ETag support.", []*Attribute{supportedFlag()}, required, readOnly),
			complexAttr("authenticationSchemes", "Authentication schemes accepted.", []*Attribute{
				str("type", "Scheme type.", required, readOnly,
					canon("oauth", "oauth2", "oauthbearertoken", "httpbasic", "httpdigest")),
				str("name", "Common name of the scheme.", required, readOnly),
				str("description", "Description of the scheme.", required, readOnly),
				ref("specUri", "Specification of the scheme.", refTypes("external"), readOnly),
				ref("documentationUri", "Usage documentation of the scheme.", refTypes("external"), readOnly),
				boolean("primary", "Marks the preferred scheme.", readOnly),
			}, multi, required, readOnly),
			complexAttr("pagination", "Pagination support (RFC 9865).", []*Attribute{
				boolean("cursor", "Whether cursor-based pagination is supported.", required, readOnly),
				boolean("index", "Whether index-based pagination is supported.", required, readOnly),
				str("defaultPaginationMethod", "Method used when a query names none.", readOnly, canon("cursor", "index")),
				intRO("defaultPageSize", "Page size when a query gives no count."),
				intRO("maxPageSize", "Largest page returned whatever the count."),
				intRO("cursorTimeout", "Minimum seconds a cursor stays valid between requests."),
			}, readOnly),
		},
	}
}

// ResourceTypeSchema returns the ResourceType schema (RFC 7643 §6, §8.7.2)
// with erratum 7522 applied (schemaExtensions multi-valued).
func ResourceTypeSchema() *Schema {
	return &Schema{
		ID:          URNResourceType,
		Name:        "ResourceType",
		Description: "Describes a resource type served by this service provider.",
		Attributes: []*Attribute{
			str("id", "Identifier of the resource type.", readOnly),
			str("name", "Name of the resource type, as used in meta.resourceType.", required, readOnly),
			str("description", "Description of the resource type.", readOnly),
			ref("endpoint", "Endpoint of the resource type, relative to the base URL.", required, readOnly, refTypes("uri")),
			ref("schema", "URN of the core schema of the resource type.", required, caseExact, readOnly, refTypes("uri")),
			complexAttr("schemaExtensions", "Schema extensions of the resource type.", []*Attribute{
				ref("schema", "URN of the extension schema.", required, caseExact, readOnly, refTypes("uri")),
				boolean("required", "Whether resources must carry the extension.", required, readOnly),
			}, multi, readOnly),
		},
	}
}

// SchemaSchema returns the Schema schema (RFC 7643 §7, §8.7.2) with errata
// 5606 and 8415 (binary type) and 5607 (referenceTypes multi-valued)
// applied.
func SchemaSchema() *Schema {
	types := []string{"string", "complex", "boolean", "decimal", "integer", "dateTime", "reference", "binary"}
	subTypes := []string{"string", "boolean", "decimal", "integer", "dateTime", "reference", "binary"}
	return &Schema{
		ID:          URNSchema,
		Name:        "Schema",
		Description: "Describes a schema and its attributes.",
		Attributes: []*Attribute{
			str("id", "URN of the schema.", required, readOnly),
			str("name", "Name of the schema.", required, readOnly),
			str("description", "Description of the schema.", readOnly),
			complexAttr("attributes", "Attribute definitions of the schema.",
				append(characteristics(types), complexAttr("subAttributes", "Sub-attribute definitions of a complex attribute.",
					characteristics(subTypes), multi, readOnly)),
				multi, required, readOnly),
		},
	}
}

// characteristics lists the attribute characteristics of RFC 7643 §7 as
// sub-attributes, with the given list of canonical type names.
func characteristics(types []string) []*Attribute {
	return []*Attribute{
		str("name", "Name of the attribute.", required, caseExact, readOnly),
		str("type", "Data type of the attribute.", required, readOnly, canon(types...)),
		boolean("multiValued", "Whether the attribute holds a list.", required, readOnly),
		str("description", "Description of the attribute.", caseExact, readOnly),
		boolean("required", "Whether the attribute must be present.", readOnly),
		str("canonicalValues", "Suggested values of the attribute.", multi, caseExact, readOnly),
		boolean("caseExact", "Whether values are compared case-sensitively.", readOnly),
		str("mutability", "When the attribute may be written.", caseExact, readOnly,
			canon(ReadOnly, ReadWrite, Immutable, WriteOnly)),
		str("returned", "When the attribute is returned.", caseExact, readOnly,
			canon(ReturnedAlways, ReturnedNever, ReturnedDefault, ReturnedRequest)),
		str("uniqueness", "How the value must be unique.", caseExact, readOnly,
			canon(UniqueNone, UniqueServer, UniqueGlobal)),
		str("referenceTypes", "Resource types a reference may point to.", multi, caseExact, readOnly),
	}
}
