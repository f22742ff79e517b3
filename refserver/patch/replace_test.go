package patch

import "testing"

func TestReplace(t *testing.T) {
	runAll(t, []tc{
		{name: "single-valued", ops: `[{"op":"replace","path":"title","value":"Boss"}]`, want: map[string]string{"title": `"Boss"`}},
		{name: "op name in any case", ops: `[{"op":"Replace","path":"title","value":"Boss"}]`, want: map[string]string{"title": `"Boss"`}},
		{name: "complex merges", ops: `[{"op":"replace","path":"name","value":{"givenName":"Barb","familyName":"J"}}]`,
			want: map[string]string{"name": `{"formatted":"Ms. Barbara J Jensen, III","familyName":"J","givenName":"Barb"}`}},
		{name: "multi-valued is replaced whole", ops: `[{"op":"replace","path":"emails","value":[{"value":"only@x.org","type":"work"}]}]`,
			want: map[string]string{"emails": `[{"value":"only@x.org","type":"work"}]`}},
		{name: "empty array unassigns", ops: `[{"op":"replace","path":"emails","value":[]}]`, want: map[string]string{"emails": "-"}},
		{name: "missing attribute is added", ops: `[{"op":"replace","path":"ims","value":[{"value":"b@xmpp","type":"xmpp"}]}]`,
			want: map[string]string{"ims": `[{"value":"b@xmpp","type":"xmpp"}]`}},
		{name: "missing simple attribute is added", prep: del("title"), ops: `[{"op":"replace","path":"title","value":"T"}]`,
			want: map[string]string{"title": `"T"`}},
		{name: "missing complex attribute is added", prep: del("name"), ops: `[{"op":"replace","path":"name.givenName","value":"G"}]`,
			want: map[string]string{"name": `{"givenName":"G"}`}},
		{name: "immutable without value", ops: `[{"op":"replace","path":"serial","value":"S"}]`, want: map[string]string{"serial": `"S"`}},
		{name: "immutable other value", prep: set("serial", "S"), ops: `[{"op":"replace","path":"serial","value":"T"}]`, err: "mutability"},
		{name: "immutable same value", prep: set("serial", "S"), ops: `[{"op":"replace","path":"serial","value":"S"}]`, same: true},
		{name: "RFC example without path", ops: `[{"op":"replace","value":{"emails":[{"value":"bjensen@example.com","type":"work","primary":true},` +
			`{"value":"babs@jensen.org","type":"home"}],"nickName":"Babs"}}]`, same: true},
		{name: "no path replaces listed attributes only", ops: `[{"op":"replace","value":{"nickName":"B","emails":[{"value":"x@y"}]}}]`,
			want: map[string]string{"nickName": `"B"`, "emails": `[{"value":"x@y"}]`, "title": `"Tour Guide"`}},
		{name: "no path null member unassigns", ops: `[{"op":"replace","value":{"nickName":null}}]`, want: map[string]string{"nickName": "-"}},
		{name: "null value unassigns", ops: `[{"op":"replace","path":"title","value":null}]`, want: map[string]string{"title": "-"}},
		{name: "null for a required attribute", ops: `[{"op":"replace","path":"userName","value":null}]`, err: "mutability"},
		{name: "valuePath sub-attribute", ops: `[{"op":"replace","path":"emails[type eq \"work\"].value","value":"new@example.com"}]`,
			want: map[string]string{"emails": `[{"value":"new@example.com","type":"work","primary":true},` + homeEmail + `]`}},
		{name: "valuePath merges the value", ops: `[{"op":"replace","path":"emails[type eq \"work\"]","value":{"value":"w@x.org"}}]`,
			want: map[string]string{"emails": `[{"value":"w@x.org","type":"work","primary":true},` + homeEmail + `]`}},
		{name: "valuePath changes every match", ops: `[{"op":"replace","path":"phoneNumbers[value sw \"555\"].display","value":"D"}]`,
			want: map[string]string{"phoneNumbers": `[{"value":"555-555-5555","type":"work","display":"D"},` +
				`{"value":"555-555-4444","type":"mobile","display":"D"}]`}},
		{name: "valuePath matching nothing", ops: `[{"op":"replace","path":"emails[type eq \"other\"].value","value":"x"}]`, err: "noTarget"},
		{name: "valuePath null matching nothing", ops: `[{"op":"replace","path":"emails[type eq \"other\"]","value":null}]`, err: "noTarget"},
		{name: "valuePath null removes the match", ops: `[{"op":"replace","path":"emails[type eq \"work\"]","value":null}]`,
			want: map[string]string{"emails": `[` + homeEmail + `]`}},
		{name: "RFC address example sets primary", ops: `[{"op":"replace","path":"addresses[type eq \"home\"]","value":` +
			`{"type":"home","streetAddress":"911 Universal City Plaza","locality":"Hollywood","country":"US","primary":true}}]`,
			want: map[string]string{"addresses": `[{"streetAddress":"100 Universal City Plaza","locality":"Hollywood","country":"US",` +
				`"type":"work","primary":false},{"streetAddress":"911 Universal City Plaza","locality":"Hollywood","country":"US",` +
				`"type":"home","primary":true}]`}},
		{name: "primary via valuePath sub-attribute", ops: `[{"op":"replace","path":"emails[type eq \"home\"].primary","value":true}]`,
			want: map[string]string{"emails": `[{"value":"bjensen@example.com","type":"work","primary":false},` +
				`{"value":"babs@jensen.org","type":"home","primary":true}]`}},
		{name: "two primaries in a replaced list", ops: `[{"op":"replace","path":"emails","value":[{"value":"a@x","primary":true},` +
			`{"value":"b@x","primary":true}]}]`, err: "invalidValue"},
		{name: "dotted sub-attribute of a multi-valued attribute", ops: `[{"op":"replace","path":"emails.display","value":"E"}]`,
			want: map[string]string{"emails": `[{"value":"bjensen@example.com","type":"work","primary":true,"display":"E"},` +
				`{"value":"babs@jensen.org","type":"home","display":"E"}]`}},
		{name: "dotted sub-attribute creates a value", prep: del("emails"), ops: `[{"op":"replace","path":"emails.value","value":"e@x"}]`,
			want: map[string]string{"emails": `[{"value":"e@x"}]`}},
		{name: "extension object path", ops: `[{"op":"replace","path":"` + ent + `","value":{"department":"Z"}}]`,
			want: map[string]string{ent + "|department": `"Z"`, ent + "|costCenter": `"4130"`}},
		{name: "manager merges", ops: `[{"op":"replace","path":"` + ent + `:manager","value":{"value":"m2"}}]`,
			want: map[string]string{ent + "|manager": `{"value":"m2","$ref":"../Users/26118915-6090-4610-87e4-49d8ca9f808d",` +
				`"displayName":"John Smith"}`}},
		{name: "string for boolean", ops: `[{"op":"replace","path":"active","value":"False"}]`, err: "invalidValue"},
		{name: "readOnly meta", ops: `[{"op":"replace","path":"meta","value":{"version":"x"}}]`, err: "mutability"},
		{name: "readOnly groups sub-attribute", ops: `[{"op":"replace","path":"groups[value pr].display","value":"x"}]`, err: "mutability"},
		{name: "malformed value filter", ops: `[{"op":"replace","path":"emails[type eq work].value","value":"x"}]`, err: "invalidFilter"},
		{name: "unknown attribute", ops: `[{"op":"replace","path":"shoeSize","value":"9"}]`, err: "invalidPath"},
		{name: "atomic: a later failure undoes earlier operations",
			ops: `[{"op":"replace","path":"title","value":"A"},{"op":"add","path":"shoeSize","value":"9"}]`, err: "invalidPath"},
	})
}
