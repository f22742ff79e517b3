package filter

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver/filter/filtertest"
)

func TestMatchBarbara(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		// eq / ne with caseExact=false (userName) and caseExact=true (id, externalId, badge)
		{`userName eq "bjensen@example.com"`, true},
		{`userName eq "BJENSEN@EXAMPLE.COM"`, true},
		{`UserName EQ "bjensen@example.com"`, true},
		{`userName eq "bjensen"`, false},
		{`userName ne "bjensen"`, true},
		{`userName ne "BJensen@Example.com"`, false},
		{`badge eq "AbC-1"`, true},
		{`badge eq "abc-1"`, false},
		{`badge ne "abc-1"`, true},
		{`id eq "2819c223-7f76-453a-919d-413861904646"`, true},
		{`id eq "2819C223-7F76-453A-919D-413861904646"`, false},
		{`externalId eq "701984"`, true},
		// co / sw / ew
		{`userName co "JENSEN"`, true},
		{`userName co "smith"`, false},
		{`userName sw "bj"`, true},
		{`userName sw "BJ"`, true},
		{`userName sw "jensen"`, false},
		{`userName sw "bjensen@example.com"`, true},
		{`userName ew ".COM"`, true},
		{`userName ew "bjensen@example.com"`, true},
		{`userName ew "bjensen"`, false},
		{`badge co "bC"`, true},
		{`badge co "bc"`, false},
		{`name.familyName co "ens"`, true},
		// gt / ge / lt / le on strings (lexicographic, case-insensitive)
		{`userName gt "a"`, true},
		{`userName gt "C"`, false},
		{`userName ge "bjensen@example.com"`, true},
		{`userName gt "bjensen@example.com"`, false},
		{`userName lt "bjensen@example.com"`, false},
		{`userName le "BJENSEN@EXAMPLE.COM"`, true},
		{`userName lt "Z"`, true},
		// numbers
		{`loginCount eq 42`, true},
		{`loginCount eq 42.0`, true},
		{`loginCount gt 41`, true},
		{`loginCount gt 42`, false},
		{`loginCount ge 42`, true},
		{`loginCount lt 42.5`, true},
		{`loginCount le 41`, false},
		{`loginCount ne 42`, false},
		{`score gt 3.4`, true},
		{`score lt 3.5`, false},
		{`score eq 35e-1`, true},
		// booleans
		{`active eq true`, true},
		{`active eq false`, false},
		{`active ne false`, true},
		// dateTime: chronological comparison of instants
		{`meta.lastModified gt "2011-05-13T04:42:34Z"`, false},
		{`meta.lastModified ge "2011-05-13T04:42:34Z"`, true},
		{`meta.lastModified lt "2011-05-13T04:42:34Z"`, false},
		{`meta.lastModified le "2011-05-13T04:42:34Z"`, true},
		{`meta.lastModified eq "2011-05-13T04:42:34Z"`, true},
		{`meta.lastModified eq "2011-05-13T06:42:34+02:00"`, true},
		{`meta.lastModified gt "2011-05-13T05:42:34+02:00"`, true},
		{`meta.lastModified lt "2011-05-13T04:42:34.001Z"`, true},
		{`meta.lastModified gt "2011-05-13T04:42:33.999Z"`, true},
		{`meta.lastModified gt "2010-12-31T23:59:59"`, true},
		{`meta.created lt meta.lastModified`, false},
		{`hireDate co "2010-01"`, true},
		// meta, schemas, common attributes
		{`meta.resourceType eq "User"`, true},
		{`meta.resourceType eq "Group"`, false},
		{`schemas eq "` + ent + `"`, true},
		{`schemas eq "urn:ietf:params:scim:schemas:core:2.0:Group"`, false},
		{`META.LASTMODIFIED pr`, true},
		{`meta.version pr`, true},
		// URN-qualified paths
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName sw "bj"`, true},
		{`urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "barbara"`, true},
		{ent + `:department eq "Tour Operations"`, true},
		{ent + `:DEPARTMENT eq "tour operations"`, true},
		{`department eq "Tour Operations"`, true},
		{ent + `:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true},
		{ent + `:manager.displayName co "smith"`, true},
		{ent + `:manager pr`, true},
		{ent + `:manager co "26118915"`, true},
		{ent + `:costCenter eq "4131"`, false},
		// multi-valued: any value matches
		{`emails.value eq "babs@jensen.org"`, true},
		{`emails.type eq "home"`, true},
		{`emails.type eq "other"`, false},
		{`emails.type ne "work"`, true},
		{`phoneNumbers.value sw "555"`, true},
		{`tags eq "beta"`, true},
		{`tags eq "gamma"`, false},
		{`tags ne "alpha"`, true},
		{`emails.primary eq true`, true},
		{`addresses.locality eq "hollywood"`, true},
		{`groups.display eq "Tour Guides"`, true},
		{`x509Certificates.value eq "TUlJRERBQ0NBcFdn"`, true},
		{`x509Certificates.value eq "tuljrerbq0nbcfdn"`, false},
		// I3: complex attribute without sub-attribute compares "value"
		{`emails co "example.com"`, true},
		{`emails co "example.org"`, false},
		{`emails eq "babs@jensen.org"`, true},
		{`emails sw "BABS"`, true},
		{`emails pr`, true},
		{`ims pr`, false},
		{`name pr`, true},
		// value filters: all conditions on the same element
		{`emails[type eq "work" and value co "@example.com"]`, true},
		{`emails[type eq "work" and value co "@jensen.org"]`, false},
		{`emails[type eq "home" and value co "@jensen.org"]`, true},
		{`emails[type eq "home" and primary eq true]`, false},
		{`emails[type eq "work" and primary eq true]`, true},
		{`emails[not (type eq "work")]`, true},
		{`emails[type eq "home" and not (value co "jensen")]`, false},
		{`emails[type eq "home" or type eq "other"]`, true},
		{`emails[value pr]`, true},
		{`emails[display pr]`, false},
		{`emails[nothing eq "x"]`, false},
		{`addresses[type eq "work" and locality eq "Hollywood"]`, true},
		{`emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]`, true},
		{`userType eq "Employee" and emails[type eq "work" and value co "@example.com"]`, true},
		{ent + `:manager[value sw "2611"]`, true},
		{`nothing[value eq "x"]`, false},
		// pr and null
		{`title pr`, true},
		{`nickName pr`, true},
		{`preferredLanguage pr`, false},
		{`title eq null`, false},
		{`title ne null`, true},
		{`displayName ne null`, true},
		{`name.middleName eq null`, true},
		{`ims eq null`, true},
		{`emails eq null`, false},
		{`emails.display eq null`, true},
		// logical operators and precedence
		{`title pr and userType eq "Employee"`, true},
		{`title pr and userType eq "Intern"`, false},
		{`title pr or userType eq "Intern"`, true},
		{`userType eq "Intern" or title eq "x"`, false},
		{`userType eq "Intern" or title pr and nickName pr`, true},
		{`userType eq "Employee" or title eq "x" and nickName eq "y"`, true},
		{`(userType eq "Employee" or title eq "x") and nickName eq "y"`, false},
		{`userType eq "Intern" and title pr or nickName pr`, true},
		{`userType eq "Intern" and (title pr or nickName pr)`, false},
		{`not (userType eq "Intern")`, true},
		{`not(userType eq "Employee")`, false},
		{`not (userType eq "Intern") and not (title eq "x")`, true},
		{`not (not (title pr))`, true},
		{`userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")`, true},
		{`userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")`, false},
		{`userType eq "Employee" and (emails.type eq "work")`, true},
		// unknown attributes have no value: they match nothing but "eq null"
		{`nothing eq "x"`, false},
		{`nothing ne "x"`, false},
		{`nothing pr`, false},
		{`nothing eq null`, true},
		{`not (nothing eq "x")`, true},
		{`urn:example:ext:1.0:age gt 3`, false},
		{`name.nothing pr`, false},
	}
	doc := filtertest.Barbara()
	rs := filtertest.User()
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			f, err := Parse(tt.in, rs, nil)
			if tt.in == `meta.created lt meta.lastModified` {
				if err == nil {
					t.Fatal("attribute on the right-hand side accepted")
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got := f.Match(doc); got != tt.want {
				t.Errorf("Match(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestMatchDocumentShapes(t *testing.T) {
	rs := filtertest.User()
	raw := `{"UserName":"Alice","Emails":[{"Value":"a@x.org","Type":"Work"}],"loginCount":7,
		"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}`
	var fromJSON map[string]any
	if err := json.Unmarshal([]byte(raw), &fromJSON); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var withNumbers map[string]any
	if err := dec.Decode(&withNumbers); err != nil {
		t.Fatal(err)
	}
	typed := map[string]any{
		"userName":   "alice",
		"emails":     []map[string]any{{"value": "a@x.org", "type": "work"}},
		"loginCount": 7,
		"schemas":    []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
	}
	filters := []string{
		`userName eq "alice"`, `emails[type eq "work" and value ew "x.org"]`, `emails.value co "@"`,
		`loginCount ge 7`, `loginCount lt 8`, `schemas eq "urn:ietf:params:scim:schemas:core:2.0:User"`,
	}
	for name, doc := range map[string]map[string]any{"json": fromJSON, "json.Number": withNumbers, "typed": typed} {
		for _, in := range filters {
			f, err := Parse(in, rs, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !f.Match(doc) {
				t.Errorf("%s: Match(%q) = false, want true", name, in)
			}
		}
	}
}

func TestMatchEdgeValues(t *testing.T) {
	rs := filtertest.User()
	tests := []struct {
		doc  map[string]any
		in   string
		want bool
	}{
		{map[string]any{"title": ""}, `title pr`, false},
		{map[string]any{"title": nil}, `title pr`, false},
		{map[string]any{"emails": []any{}}, `emails pr`, false},
		{map[string]any{"emails": []any{map[string]any{}}}, `emails pr`, false},
		{map[string]any{"emails": []any{map[string]any{"value": ""}}}, `emails pr`, false},
		{map[string]any{"name": map[string]any{"givenName": nil}}, `name pr`, false},
		{map[string]any{"active": false}, `active pr`, true},
		{map[string]any{"loginCount": float64(0)}, `loginCount pr`, true},
		{map[string]any{"title": ""}, `title eq null`, true},
		{map[string]any{"title": "x"}, `title eq ""`, false},
		{map[string]any{"title": ""}, `title eq ""`, true},
		{map[string]any{"active": "true"}, `active eq true`, false},
		{map[string]any{"loginCount": "7"}, `loginCount eq 7`, false},
		{map[string]any{"userName": 5.0}, `userName eq "5"`, false},
		{map[string]any{"hireDate": "not a date"}, `hireDate gt "2000-01-01T00:00:00Z"`, false},
		{map[string]any{"emails": map[string]any{"value": "solo@x"}}, `emails.value eq "solo@x"`, true},
		{map[string]any{"emails": []any{"plain"}}, `emails.value eq "plain"`, false},
		{map[string]any{"emails": []any{map[string]any{"type": "work"}, map[string]any{"value": "v@x"}}},
			`emails[type eq "work" and value pr]`, false},
		{map[string]any{ent: "not an object"}, ent + `:department pr`, false},
		{map[string]any{"userName": "Straße"}, `userName eq "STRASSE"`, false},
		{map[string]any{"userName": "ÉCOLE"}, `userName eq "école"`, true},
	}
	for _, tt := range tests {
		f, err := Parse(tt.in, rs, nil)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		if got := f.Match(tt.doc); got != tt.want {
			t.Errorf("Match(%q) on %v = %v, want %v", tt.in, tt.doc, got, tt.want)
		}
	}
}

func TestNilFilterMatchesAll(t *testing.T) {
	var f *Filter
	if !f.Match(nil) || !f.MatchElement(nil) || f.String() != "" {
		t.Error("nil filter must match everything and render empty")
	}
}

func TestGroupFilters(t *testing.T) {
	rs := filtertest.Group()
	doc := filtertest.Team()
	for in, want := range map[string]bool{
		`members[value eq "902c246b-6245-4190-8e05-00816be7344a"]`: true,
		`members.value eq "nobody"`:                                false,
		`members[type eq "user" and display sw "mandy"]`:           true,
		`members.$ref co "2819c223"`:                               true,
		`displayName eq "tour guides"`:                             true,
		`meta.resourceType eq "Group"`:                             true,
		`userName eq "x"`:                                          false,
	} {
		f, err := Parse(in, rs, nil)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		if got := f.Match(doc); got != want {
			t.Errorf("Match(%q) = %v, want %v", in, got, want)
		}
	}
}
