package patch

import "testing"

const (
	workEmail = `{"value":"bjensen@example.com","type":"work","primary":true}`
	homeEmail = `{"value":"babs@jensen.org","type":"home"}`
)

func TestAdd(t *testing.T) {
	runAll(t, []tc{
		{name: "RFC example without path", ops: `[{"op":"add","value":{"emails":[{"value":"babs@jensen.net","type":"home"}],"nickName":"Barbie"}}]`,
			want: map[string]string{"emails": `[` + workEmail + `,` + homeEmail + `,{"value":"babs@jensen.net","type":"home"}]`,
				"nickName": `"Barbie"`}},
		{name: "multi-valued appends", ops: `[{"op":"add","path":"emails","value":[{"value":"o@x.org","type":"other"}]}]`,
			want: map[string]string{"emails": `[` + workEmail + `,` + homeEmail + `,{"value":"o@x.org","type":"other"}]`}},
		{name: "single object for a multi-valued attribute", ops: `[{"op":"add","path":"emails","value":{"value":"o@x.org"}}]`,
			want: map[string]string{"emails": `[` + workEmail + `,` + homeEmail + `,{"value":"o@x.org"}]`}},
		{name: "identical value changes nothing", ops: `[{"op":"add","path":"emails","value":[` + homeEmail + `]}]`, same: true},
		{name: "identical value differing in case", ops: `[{"op":"add","path":"emails","value":[{"value":"BABS@jensen.org","type":"HOME"}]}]`, same: true},
		{name: "same value without type", ops: `[{"op":"add","path":"emails","value":[{"value":"babs@jensen.org"}]}]`, same: true},
		{name: "same value other type is a new value", ops: `[{"op":"add","path":"emails","value":[{"value":"babs@jensen.org","type":"other"}]}]`,
			want: map[string]string{"emails": `[` + workEmail + `,` + homeEmail + `,{"value":"babs@jensen.org","type":"other"}]`}},
		{name: "existing value gains sub-attributes", ops: `[{"op":"add","path":"emails","value":[{"value":"babs@jensen.org","type":"home","display":"Home"}]}]`,
			want: map[string]string{"emails": `[` + workEmail + `,{"value":"babs@jensen.org","type":"home","display":"Home"}]`}},
		{name: "new primary clears the others", ops: `[{"op":"add","path":"emails","value":[{"value":"n@x.org","type":"work","primary":true}]}]`,
			want: map[string]string{"emails": `[{"value":"bjensen@example.com","type":"work","primary":false},` + homeEmail +
				`,{"value":"n@x.org","type":"work","primary":true}]`}},
		{name: "existing value made primary", ops: `[{"op":"add","path":"emails","value":[{"value":"babs@jensen.org","primary":true}]}]`,
			want: map[string]string{"emails": `[{"value":"bjensen@example.com","type":"work","primary":false},` +
				`{"value":"babs@jensen.org","type":"home","primary":true}]`}},
		{name: "two primaries at once", ops: `[{"op":"add","path":"emails","value":[{"value":"a@x","primary":true},{"value":"b@x","primary":true}]}]`,
			err: "invalidValue"},
		{name: "single-valued is replaced", ops: `[{"op":"add","path":"title","value":"Boss"}]`, want: map[string]string{"title": `"Boss"`}},
		{name: "attribute without value is added", ops: `[{"op":"add","path":"ims","value":[{"value":"babs@xmpp","type":"xmpp"}]}]`,
			want: map[string]string{"ims": `[{"value":"babs@xmpp","type":"xmpp"}]`}},
		{name: "complex merges", ops: `[{"op":"add","path":"name","value":{"givenName":"Barb"}}]`,
			want: map[string]string{"name": `{"formatted":"Ms. Barbara J Jensen, III","familyName":"Jensen","givenName":"Barb"}`}},
		{name: "complex created", prep: del("name"), ops: `[{"op":"add","path":"name","value":{"givenName":"Barb"}}]`,
			want: map[string]string{"name": `{"givenName":"Barb"}`}},
		{name: "sub-attribute", ops: `[{"op":"add","path":"name.familyName","value":"Jensen-Smith"}]`,
			want: map[string]string{"name|familyName": `"Jensen-Smith"`, "name|givenName": `"Barbara"`}},
		{name: "sub-attribute creates its parent", prep: del("name"), ops: `[{"op":"add","path":"NAME.GIVENNAME","value":"B"}]`,
			want: map[string]string{"name": `{"givenName":"B"}`}},
		{name: "simple multi-valued appends once", ops: `[{"op":"add","path":"tags","value":["gamma","ALPHA"]}]`,
			want: map[string]string{"tags": `["alpha","Beta","gamma"]`}},
		{name: "case-insensitive op and path", ops: `[{"op":"ADD","path":"DisplayName","value":"Babs"}]`,
			want: map[string]string{"displayName": `"Babs"`}},
		{name: "boolean", ops: `[{"op":"add","path":"active","value":false}]`, want: map[string]string{"active": `false`}},
		{name: "integer", ops: `[{"op":"add","path":"loginCount","value":43}]`, want: map[string]string{"loginCount": `43`}},
		{name: "decimal", ops: `[{"op":"add","path":"score","value":4.25}]`, want: map[string]string{"score": `4.25`}},
		{name: "dateTime", ops: `[{"op":"add","path":"hireDate","value":"2012-01-01T00:00:00+01:00"}]`,
			want: map[string]string{"hireDate": `"2012-01-01T00:00:00+01:00"`}},
		{name: "binary", ops: `[{"op":"add","path":"x509Certificates","value":[{"value":"TUlJRQ=="}]}]`,
			want: map[string]string{"x509Certificates": `[{"value":"TUlJRERBQ0NBcFdn"},{"value":"TUlJRQ=="}]`}},
		{name: "immutable without value", ops: `[{"op":"add","path":"serial","value":"S-1"}]`, want: map[string]string{"serial": `"S-1"`}},
		{name: "immutable same value", prep: set("serial", "S-1"), ops: `[{"op":"add","path":"serial","value":"S-1"}]`, same: true},
		{name: "immutable other value", prep: set("serial", "S-1"), ops: `[{"op":"add","path":"serial","value":"S-2"}]`, err: "mutability"},
		{name: "writeOnly password", ops: `[{"op":"add","path":"password","value":"t1meMa$heen"}]`,
			want: map[string]string{"password": `"t1meMa$heen"`}},
	})
}

func TestAddExtensionAndNoPath(t *testing.T) {
	noExt := del(ent)
	oneSchema := func(m map[string]any) { delete(m, ent); m["schemas"] = []any{urnUser} }
	runAll(t, []tc{
		{name: "URN path", ops: `[{"op":"add","path":"` + ent + `:department","value":"Ops"}]`,
			want: map[string]string{ent + "|department": `"Ops"`, ent + "|costCenter": `"4130"`}},
		{name: "URN sub-attribute path", ops: `[{"op":"add","path":"` + ent + `:manager.value","value":"m2"}]`,
			want: map[string]string{ent + "|manager|value": `"m2"`, ent + "|manager|displayName": `"John Smith"`}},
		{name: "bare extension attribute", ops: `[{"op":"add","path":"employeeNumber","value":"9"}]`,
			want: map[string]string{ent + "|employeeNumber": `"9"`}},
		{name: "readOnly sub-attribute in a value is ignored",
			ops:  `[{"op":"add","path":"` + ent + `:manager","value":{"value":"m2","displayName":"Forged"}}]`,
			want: map[string]string{ent + "|manager|value": `"m2"`, ent + "|manager|displayName": `"John Smith"`}},
		{name: "first extension attribute adds the URN to schemas", prep: oneSchema,
			ops:  `[{"op":"add","path":"` + ent + `:department","value":"Ops"}]`,
			want: map[string]string{"schemas": `["` + urnUser + `","` + ent + `"]`, ent: `{"department":"Ops"}`}},
		{name: "extension URN path with object", prep: noExt,
			ops:  `[{"op":"add","path":"` + ent + `","value":{"department":"Ops","manager":{"value":"m"}}}]`,
			want: map[string]string{ent: `{"department":"Ops","manager":{"value":"m"}}`}},
		{name: "no path: extension object", ops: `[{"op":"add","value":{"` + ent + `":{"department":"Ops"}}}]`,
			want: map[string]string{ent + "|department": `"Ops"`, ent + "|employeeNumber": `"701984"`}},
		{name: "no path: dotted member", ops: `[{"op":"add","value":{"name.givenName":"G","title":"T"}}]`,
			want: map[string]string{"name|givenName": `"G"`, "name|familyName": `"Jensen"`, "title": `"T"`}},
		{name: "no path: URN-qualified member", ops: `[{"op":"add","value":{"` + ent + `:costCenter":"9"}}]`,
			want: map[string]string{ent + "|costCenter": `"9"`}},
		{name: "no path: core URN-qualified member", ops: `[{"op":"add","value":{"urn:ietf:params:scim:schemas:core:2.0:User:nickName":"N"}}]`,
			want: map[string]string{"nickName": `"N"`}},
		{name: "no path: readOnly members ignored",
			ops:  `[{"op":"add","value":{"id":"other","meta":{"version":"x"},"groups":[{"value":"g"}],"title":"T"}}]`,
			want: map[string]string{"id": `"` + babsID + `"`, "meta|version": `"W/\"3694e05e9dff590\""`, "title": `"T"`}},
		{name: "no path: valuePath member", ops: `[{"op":"add","value":{"emails[type eq \"work\"].display":"W"}}]`,
			want: map[string]string{"emails": `[{"value":"bjensen@example.com","type":"work","primary":true,"display":"W"},` + homeEmail + `]`}},
		{name: "no path: null member ignored", ops: `[{"op":"add","value":{"title":null}}]`, same: true},
	})
}

func TestAddErrors(t *testing.T) {
	runAll(t, []tc{
		{name: "null value", ops: `[{"op":"add","path":"title"}]`, err: "invalidValue"},
		{name: "string for boolean", ops: `[{"op":"add","path":"active","value":"True"}]`, err: "invalidValue"},
		{name: "string False for boolean", ops: `[{"op":"add","value":{"active":"False"}}]`, err: "invalidValue"},
		{name: "object for string", ops: `[{"op":"add","path":"title","value":{"x":1}}]`, err: "invalidValue"},
		{name: "array for single-valued", ops: `[{"op":"add","path":"title","value":["a"]}]`, err: "invalidValue"},
		{name: "number for string", ops: `[{"op":"add","path":"title","value":5}]`, err: "invalidValue"},
		{name: "string for complex", ops: `[{"op":"add","path":"emails","value":"a@x"}]`, err: "invalidValue"},
		{name: "string for complex single", ops: `[{"op":"add","path":"name","value":"Barbara"}]`, err: "invalidValue"},
		{name: "fraction for integer", ops: `[{"op":"add","path":"loginCount","value":1.5}]`, err: "invalidValue"},
		{name: "string for integer", ops: `[{"op":"add","path":"loginCount","value":"1"}]`, err: "invalidValue"},
		{name: "bad dateTime", ops: `[{"op":"add","path":"hireDate","value":"yesterday"}]`, err: "invalidValue"},
		{name: "bad base64", ops: `[{"op":"add","path":"x509Certificates","value":[{"value":"!!!"}]}]`, err: "invalidValue"},
		{name: "unknown sub-attribute", ops: `[{"op":"add","path":"name","value":{"nick":"x"}}]`, err: "invalidValue"},
		{name: "no-path value not an object", ops: `[{"op":"add","value":"x"}]`, err: "invalidValue"},
		{name: "extension value not an object", ops: `[{"op":"add","value":{"` + ent + `":"x"}}]`, err: "invalidValue"},
		{name: "unknown attribute", ops: `[{"op":"add","path":"shoeSize","value":"9"}]`, err: "invalidPath"},
		{name: "unknown sub-attribute path", ops: `[{"op":"add","path":"name.nick","value":"9"}]`, err: "invalidPath"},
		{name: "unknown extension", ops: `[{"op":"add","path":"urn:example:ext:1.0:age","value":9}]`, err: "invalidPath"},
		{name: "unknown no-path member", ops: `[{"op":"add","value":{"shoeSize":"9"}}]`, err: "invalidPath"},
		{name: "sub-attribute of a simple attribute", ops: `[{"op":"add","path":"title.x","value":"9"}]`, err: "invalidPath"},
		{name: "malformed path", ops: `[{"op":"add","path":"name..givenName","value":"9"}]`, err: "invalidPath"},
		{name: "filter on a single-valued complex", ops: `[{"op":"add","path":"name[givenName eq \"x\"]","value":{"givenName":"y"}}]`,
			err: "invalidPath"},
		{name: "no-path filter on a single-valued complex", ops: `[{"op":"add","value":{"name[givenName eq \"x\"].familyName":"y"}}]`,
			err: "invalidPath"},
		{name: "readOnly groups", ops: `[{"op":"add","path":"groups","value":[{"value":"g"}]}]`, err: "mutability"},
		{name: "readOnly id", ops: `[{"op":"add","path":"id","value":"x"}]`, err: "mutability"},
		{name: "readOnly meta sub-attribute", ops: `[{"op":"add","path":"meta.lastModified","value":"2020-01-01T00:00:00Z"}]`,
			err: "mutability"},
		{name: "readOnly extension sub-attribute", ops: `[{"op":"add","path":"` + ent + `:manager.displayName","value":"x"}]`,
			err: "mutability"},
		{name: "unknown op", ops: `[{"op":"merge","path":"title","value":"x"}]`, err: "invalidSyntax"},
		{name: "filtered add without describable value", ops: `[{"op":"add","path":"emails[value co \"zz\"].display","value":"x"}]`,
			err: "noTarget"},
	})
}

func TestAddFiltered(t *testing.T) {
	runAll(t, []tc{
		{name: "sets the sub-attribute of matching values", ops: `[{"op":"add","path":"emails[type eq \"work\"].display","value":"Work"}]`,
			want: map[string]string{"emails": `[{"value":"bjensen@example.com","type":"work","primary":true,"display":"Work"},` + homeEmail + `]`}},
		{name: "creates the value the filter describes (erratum 8097)",
			ops:  `[{"op":"add","path":"emails[type eq \"other\"].value","value":"o@x.org"}]`,
			want: map[string]string{"emails": `[` + workEmail + `,` + homeEmail + `,{"type":"other","value":"o@x.org"}]`}},
		{name: "creates a complex value", ops: `[{"op":"add","path":"ims[type eq \"xmpp\"]","value":{"value":"b@xmpp"}}]`,
			want: map[string]string{"ims": `[{"type":"xmpp","value":"b@xmpp"}]`}},
		{name: "merges into matching values", ops: `[{"op":"add","path":"emails[type eq \"home\"]","value":{"display":"H","primary":true}}]`,
			want: map[string]string{"emails": `[{"value":"bjensen@example.com","type":"work","primary":false},` +
				`{"value":"babs@jensen.org","type":"home","display":"H","primary":true}]`}},
	})
}

const urnUser = "urn:ietf:params:scim:schemas:core:2.0:User"

func set(k string, v any) func(map[string]any) {
	return func(m map[string]any) { m[k] = v }
}
