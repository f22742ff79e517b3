package schema

import "strings"

// commonAttributes are the attributes every resource carries without any
// schema defining them (RFC 7643 §3, §3.1): schemas, id, externalId and meta.
// The table is never written after initialisation.
var commonAttributes = []*Attribute{
	str("schemas", "URNs of the schemas the resource uses.", multi, caseExact, returned(ReturnedAlways)),
	str("id", "Server-assigned identifier of the resource.", caseExact, readOnly,
		returned(ReturnedAlways), unique(UniqueServer)),
	str("externalId", "Identifier of the resource in the provisioning client's domain.", caseExact),
	complexAttr("meta", "Resource metadata maintained by the server.", []*Attribute{
		str("resourceType", "Name of the resource type.", caseExact),
		attr("created", TypeDateTime, "When the resource was added."),
		attr("lastModified", TypeDateTime, "When the resource last changed."),
		ref("location", "URI of the resource.", caseExact, refTypes("uri")),
		str("version", "Entity tag of the current version.", caseExact),
	}, allReadOnly),
}

// CommonAttr finds a common attribute (schemas, id, externalId, meta) by
// name, case-insensitively. The result must not be modified.
func CommonAttr(name string) *Attribute {
	for _, a := range commonAttributes {
		if strings.EqualFold(a.Name, name) {
			return a
		}
	}
	return nil
}

// CommonAttributes returns the common attribute definitions. The result
// must not be modified.
func CommonAttributes() []*Attribute {
	return commonAttributes
}
