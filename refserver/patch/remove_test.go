package patch

import "testing"

func TestRemove(t *testing.T) {
	runAll(t, []tc{
		{name: "without path", ops: `[{"op":"remove"}]`, err: "noTarget"},
		{name: "without path but with value", ops: `[{"op":"remove","value":{"title":"Tour Guide"}}]`, err: "noTarget"},
		{name: "single-valued", ops: `[{"op":"remove","path":"title"}]`, want: map[string]string{"title": "-", "nickName": `"Babs"`}},
		{name: "op name in any case", ops: `[{"op":"REMOVE","path":"Title"}]`, want: map[string]string{"title": "-"}},
		{name: "attribute without value", prep: del("title"), ops: `[{"op":"remove","path":"title"}]`, same: true},
		{name: "sub-attribute", ops: `[{"op":"remove","path":"name.givenName"}]`,
			want: map[string]string{"name": `{"formatted":"Ms. Barbara J Jensen, III","familyName":"Jensen"}`}},
		{name: "last sub-attribute unassigns the complex attribute", ops: `[{"op":"remove","path":"name.givenName"},` +
			`{"op":"remove","path":"name.familyName"},{"op":"remove","path":"name.formatted"}]`, want: map[string]string{"name": "-"}},
		{name: "multi-valued", ops: `[{"op":"remove","path":"emails"}]`, want: map[string]string{"emails": "-"}},
		{name: "filtered values", ops: `[{"op":"remove","path":"emails[type eq \"work\"]"}]`,
			want: map[string]string{"emails": `[` + homeEmail + `]`}},
		{name: "RFC example filter", ops: `[{"op":"remove","path":"emails[type eq \"work\" and value ew \"example.com\"]"}]`,
			want: map[string]string{"emails": `[` + homeEmail + `]`}},
		{name: "filter matching nothing succeeds unchanged (I1)", ops: `[{"op":"remove","path":"emails[type eq \"other\"]"}]`, same: true},
		{name: "filter removing every value unassigns", ops: `[{"op":"remove","path":"emails[value pr]"}]`,
			want: map[string]string{"emails": "-"}},
		{name: "sub-attribute of filtered values", ops: `[{"op":"remove","path":"emails[type eq \"home\"].type"}]`,
			want: map[string]string{"emails": `[` + workEmail + `,{"value":"babs@jensen.org"}]`}},
		{name: "value left empty is dropped", prep: set("ims", []any{map[string]any{"value": "x"}, map[string]any{"value": "y"}}),
			ops: `[{"op":"remove","path":"ims[value eq \"x\"].value"}]`, want: map[string]string{"ims": `[{"value":"y"}]`}},
		{name: "dotted sub-attribute of every value", ops: `[{"op":"remove","path":"emails.type"}]`,
			want: map[string]string{"emails": `[{"value":"bjensen@example.com","primary":true},{"value":"babs@jensen.org"}]`}},
		{name: "listed values of a simple multi-valued attribute", ops: `[{"op":"remove","path":"tags","value":["ALPHA"]}]`,
			want: map[string]string{"tags": `["Beta"]`}},
		{name: "listed complex values", ops: `[{"op":"remove","path":"phoneNumbers","value":[{"value":"555-555-5555"}]}]`,
			want: map[string]string{"phoneNumbers": `[{"value":"555-555-4444","type":"mobile"}]`}},
		{name: "listed values matching nothing", ops: `[{"op":"remove","path":"phoneNumbers","value":[{"value":"0"}]}]`, same: true},
		{name: "extension attribute", ops: `[{"op":"remove","path":"` + ent + `:department"}]`,
			want: map[string]string{ent + "|department": "-", ent + "|costCenter": `"4130"`}},
		{name: "extension sub-attribute", ops: `[{"op":"remove","path":"` + ent + `:manager.value"}]`,
			want: map[string]string{ent + "|manager": `{"$ref":"../Users/26118915-6090-4610-87e4-49d8ca9f808d","displayName":"John Smith"}`}},
		{name: "whole extension drops its URN", ops: `[{"op":"remove","path":"` + ent + `"}]`,
			want: map[string]string{ent: "-", "schemas": `["` + urnUser + `"]`}},
		{name: "emptied extension drops its URN", ops: `[{"op":"remove","path":"` + ent + `:department"},` +
			`{"op":"remove","path":"` + ent + `:costCenter"},{"op":"remove","path":"employeeNumber"},` +
			`{"op":"remove","path":"` + ent + `:manager"}]`,
			want: map[string]string{ent: "-", "schemas": `["` + urnUser + `"]`}},
		{name: "required attribute", ops: `[{"op":"remove","path":"userName"}]`, err: "mutability"},
		{name: "readOnly attribute", ops: `[{"op":"remove","path":"groups"}]`, err: "mutability"},
		{name: "readOnly id", ops: `[{"op":"remove","path":"id"}]`, err: "mutability"},
		{name: "readOnly meta sub-attribute", ops: `[{"op":"remove","path":"meta.version"}]`, err: "mutability"},
		{name: "immutable attribute with value", prep: set("serial", "S"), ops: `[{"op":"remove","path":"serial"}]`, err: "mutability"},
		{name: "required schemas", ops: `[{"op":"remove","path":"schemas"}]`, err: "mutability"},
		{name: "unknown attribute", ops: `[{"op":"remove","path":"shoeSize"}]`, err: "invalidPath"},
		{name: "malformed path", ops: `[{"op":"remove","path":"emails[type eq \"work\"]x"}]`, err: "invalidPath"},
		{name: "listed value of wrong type", ops: `[{"op":"remove","path":"tags","value":[5]}]`, err: "invalidValue"},
	})
}

func TestGroupMembers(t *testing.T) {
	babs := `{"value":"` + babsID + `","display":"Babs Jensen","$ref":"../Users/` + babsID + `","type":"User"}`
	mandy := `{"value":"` + mandyID + `","display":"Mandy Pepperidge","$ref":"../Users/` + mandyID + `","type":"User"}`
	runAll(t, []tc{
		{name: "add a member", group: true, ops: `[{"op":"add","path":"members","value":[{"value":"u3","display":"Three"}]}]`,
			want: map[string]string{"members": `[` + babs + `,` + mandy + `,{"value":"u3","display":"Three"}]`}},
		{name: "add an existing member", group: true, ops: `[{"op":"add","path":"members","value":[{"value":"` + babsID + `"}]}]`, same: true},
		{name: "add an existing member with another display", group: true,
			ops: `[{"op":"add","path":"members","value":[{"value":"` + babsID + `","display":"B."}]}]`, same: true},
		{name: "remove a member (RFC form)", group: true, ops: `[{"op":"remove","path":"members[value eq \"` + babsID + `\"]"}]`,
			want: map[string]string{"members": `[` + mandy + `]`}},
		{name: "remove a non-member", group: true, ops: `[{"op":"remove","path":"members[value eq \"nobody\"]"}]`, same: true},
		{name: "remove listed members (I2 vendor form)", group: true,
			ops: `[{"op":"remove","path":"members","value":[{"value":"` + mandyID + `"}]}]`, want: map[string]string{"members": `[` + babs + `]`}},
		{name: "remove all members", group: true, ops: `[{"op":"remove","path":"members"}]`, want: map[string]string{"members": "-"}},
		{name: "remove and add in one request", group: true, ops: `[{"op":"remove","path":"members[value eq\"` + babsID + `\"]"},` +
			`{"op":"add","path":"members","value":[{"value":"u3"}]}]`, want: map[string]string{"members": `[` + mandy + `,{"value":"u3"}]`}},
		{name: "replace all members", group: true, ops: `[{"op":"replace","path":"members","value":[{"value":"u3"},{"value":"u4"}]}]`,
			want: map[string]string{"members": `[{"value":"u3"},{"value":"u4"}]`}},
		{name: "remove all then add", group: true, ops: `[{"op":"remove","path":"members"},{"op":"add","path":"members","value":[{"value":"u3"}]}]`,
			want: map[string]string{"members": `[{"value":"u3"}]`}},
		{name: "immutable member value", group: true, ops: `[{"op":"replace","path":"members[value eq \"` + babsID + `\"].value","value":"x"}]`,
			err: "mutability"},
		{name: "immutable member display", group: true,
			ops: `[{"op":"replace","path":"members[value eq \"` + babsID + `\"]","value":{"display":"x"}}]`, err: "mutability"},
		{name: "immutable member sub-attribute removal", group: true,
			ops: `[{"op":"remove","path":"members[value eq \"` + babsID + `\"].display"}]`, err: "mutability"},
		{name: "display name", group: true, ops: `[{"op":"replace","path":"displayName","value":"Guides"}]`,
			want: map[string]string{"displayName": `"Guides"`}},
		{name: "required display name", group: true, ops: `[{"op":"remove","path":"displayName"}]`, err: "mutability"},
		{name: "member filter on unknown sub-attribute", group: true, ops: `[{"op":"remove","path":"members[nope eq \"x\"]"}]`, same: true},
	})
}
