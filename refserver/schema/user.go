package schema

// UserSchema returns the core User schema (RFC 7643 §4.1, §8.7.1). Each call
// returns a fresh copy that the caller may keep.
func UserSchema() *Schema {
	return &Schema{
		ID:          URNUser,
		Name:        "User",
		Description: "User Account",
		Attributes: []*Attribute{
			str("userName", "Service-provider-unique login name of the User; compared case-insensitively.",
				required, unique(UniqueServer)),
			complexAttr("name", "The parts of the User's real name.", []*Attribute{
				str("formatted", "The complete name, formatted for display."),
				str("familyName", "Family (last) name."),
				str("givenName", "Given (first) name."),
				str("middleName", "Middle name(s)."),
				str("honorificPrefix", "Title or salutation before the name."),
				str("honorificSuffix", "Suffix after the name."),
			}),
			str("displayName", "Name shown to end users."),
			str("nickName", "Casual name, not the login name."),
			ref("profileUrl", "URL of the User's online profile.", refTypes("external")),
			str("title", "Job title."),
			str("userType", "Relationship of the User to the organisation."),
			str("preferredLanguage", "Preferred written or spoken language (RFC 7231 Accept-Language syntax)."),
			str("locale", "Locale for localised output such as dates and currency."),
			str("timezone", "Time zone in IANA database form, e.g. Europe/Paris."),
			boolean("active", "Administrative status of the User."),
			str("password", "Clear-text password on input; never returned.", writeOnly),
			complexAttr("emails", "Email addresses of the User.",
				plural(TypeString, "An email address.", []string{"work", "home", "other"}), multi),
			complexAttr("phoneNumbers", "Telephone numbers of the User.",
				plural(TypeString, "A telephone number.", []string{"work", "home", "mobile", "fax", "pager", "other"}), multi),
			complexAttr("ims", "Instant messaging addresses of the User.",
				plural(TypeString, "An instant messaging address.", []string{"aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"}), multi),
			complexAttr("photos", "URLs of images of the User.",
				plural(TypeReference, "URL of an image file.", []string{"photo", "thumbnail"}, "external"), multi),
			complexAttr("addresses", "Physical mailing addresses of the User.", addressSubs(), multi),
			complexAttr("groups", "Groups the User belongs to; maintained by the server from Group memberships.",
				[]*Attribute{
					str("value", "id of the Group."),
					ref("$ref", "URI of the Group.", refTypes("User", "Group")),
					str("display", "displayName of the Group."),
					str("type", "How the membership arises.", canon("direct", "indirect")),
				}, multi, allReadOnly),
			complexAttr("entitlements", "Entitlements of the User.", plural(TypeString, "An entitlement.", nil), multi),
			complexAttr("roles", "Roles of the User.", plural(TypeString, "A role.", nil), multi),
			complexAttr("x509Certificates", "X.509 certificates of the User.",
				plural(TypeBinary, "One base64-encoded DER certificate.", nil), multi),
		},
	}
}

func addressSubs() []*Attribute {
	return []*Attribute{
		str("formatted", "The full address, formatted for display."),
		str("streetAddress", "Street address with house number."),
		str("locality", "City or locality."),
		str("region", "State or region."),
		str("postalCode", "Postal code."),
		str("country", "Country as an ISO 3166-1 alpha-2 code."),
		str("type", "A label naming the function of the address.", canon("work", "home", "other")),
		boolean("primary", "Marks the preferred address; true at most once."),
	}
}

// EnterpriseUserSchema returns the enterprise User extension (RFC 7643 §4.3,
// §8.7.1).
func EnterpriseUserSchema() *Schema {
	return &Schema{
		ID:          URNEnterpriseUser,
		Name:        "EnterpriseUser",
		Description: "Enterprise User",
		Attributes: []*Attribute{
			str("employeeNumber", "Organisation-assigned employee number."),
			str("costCenter", "Cost center."),
			str("organization", "Organisation name."),
			str("division", "Division name."),
			str("department", "Department name."),
			complexAttr("manager", "The User's manager.", []*Attribute{
				str("value", "id of the manager's User resource."),
				ref("$ref", "URI of the manager's User resource.", refTypes("User")),
				str("displayName", "displayName of the manager; set by the server.", readOnly),
			}),
		},
	}
}

// GroupSchema returns the core Group schema (RFC 7643 §4.2, §8.7.1) with
// erratum 5368 applied (displayName required) and a members.display
// sub-attribute as used by the §8.4 example.
func GroupSchema() *Schema {
	return &Schema{
		ID:          URNGroup,
		Name:        "Group",
		Description: "Group",
		Attributes: []*Attribute{
			str("displayName", "Human-readable name of the Group.", required),
			complexAttr("members", "Members of the Group: Users or Groups.", []*Attribute{
				str("value", "id of the member resource.", immutable),
				ref("$ref", "URI of the member resource.", refTypes("User", "Group"), immutable),
				str("display", "Display name of the member.", immutable),
				str("type", "Resource type of the member.", canon("User", "Group"), immutable),
			}, multi),
		},
	}
}
