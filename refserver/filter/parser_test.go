package filter

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver/filter/filtertest"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

const ent = filtertest.URNEnterprise

func TestParseCanonical(t *testing.T) {
	tests := []struct{ in, want string }{
		{`userName eq "bjensen"`, `userName eq "bjensen"`},
		{`userName Eq "john"`, `userName eq "john"`},
		{`Username eq "john"`, `userName eq "john"`},
		{`USERNAME EQ "john"`, `userName eq "john"`},
		{`name.familyName co "O'Malley"`, `name.familyName co "O'Malley"`},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"`, `userName sw "J"`},
		{`title pr`, `title pr`},
		{`title PR`, `title pr`},
		{`meta.lastModified gt "2011-05-13T04:42:34Z"`, `meta.lastModified gt "2011-05-13T04:42:34Z"`},
		{`title pr and userType eq "Employee"`, `title pr and userType eq "Employee"`},
		{`title pr or userType eq "Intern"`, `title pr or userType eq "Intern"`},
		{`schemas eq "` + ent + `"`, `schemas eq "` + ent + `"`},
		{`userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")`,
			`userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")`},
		{`userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")`,
			`userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")`},
		{`userType eq "Employee" and not(emails co "x")`, `userType eq "Employee" and not (emails co "x")`},
		{`userType eq "Employee" and (emails.type eq "work")`, `userType eq "Employee" and emails.type eq "work"`},
		{`userType eq "Employee" and emails[type eq "work" and value co "@example.com"]`,
			`userType eq "Employee" and emails[type eq "work" and value co "@example.com"]`},
		{`emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]`,
			`emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]`},
		{`emails[TYPE eq "work"]`, `emails[type eq "work"]`},
		{`emails[not (type eq "work")]`, `emails[not (type eq "work")]`},
		{`emails[type eq "work" and (value co "a" or value co "b")]`, `emails[type eq "work" and (value co "a" or value co "b")]`},
		{`a eq 1 or b eq 2 and c eq 3`, `a eq 1 or b eq 2 and c eq 3`},
		{`(a eq 1 or b eq 2) and c eq 3`, `(a eq 1 or b eq 2) and c eq 3`},
		{`((userName eq "x"))`, `userName eq "x"`},
		{`not (not (userName eq "x"))`, `not (not (userName eq "x"))`},
		{`active eq TRUE`, `active eq true`},
		{`active eq false`, `active eq false`},
		{`title eq NULL`, `title eq null`},
		{`loginCount gt 10`, `loginCount gt 10`},
		{`score le -1.5e2`, `score le -1.5e2`},
		{`userName eq "a\"b\\c\u00e9\n"`, `userName eq "a\"b\\cé\n"`},
		{`userName eq "<&>"`, `userName eq "<&>"`},
		{"userName\teq  \"x\"\n", `userName eq "x"`},
		{`members[value eq"2819c223"]`, `members[value eq "2819c223"]`},
		{`department eq "Sales"`, ent + `:department eq "Sales"`},
		{ent + `:manager.value eq "x"`, ent + `:manager.value eq "x"`},
		{ent + `:manager[value eq "x"]`, ent + `:manager[value eq "x"]`},
		{`meta.resourceType eq "User"`, `meta.resourceType eq "User"`},
		{`id eq "1" and externalId eq "2"`, `id eq "1" and externalId eq "2"`},
		{`x509Certificates.value eq "TUlJ"`, `x509Certificates.value eq "TUlJ"`},
		{`emails pr`, `emails pr`},
		{`name pr`, `name pr`},
		{`name eq null`, `name eq null`},
		{`not (title pr) and not (nickName pr)`, `not (title pr) and not (nickName pr)`},
		{`not pr`, `not pr`},
		{`and eq "x"`, `and eq "x"`},
		{`a eq 1 and b eq 2 and c eq 3 or d eq 4`, `a eq 1 and b eq 2 and c eq 3 or d eq 4`},
		{`hireDate co "2010"`, `hireDate co "2010"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			f, err := Parse(tt.in, filtertest.User(), nil)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got := f.String(); got != tt.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, detail string }{
		{``, "empty filter"},
		{`   `, "empty filter"},
		{`userName`, "expected an operator"},
		{`userName eq`, "expected a comparison value"},
		{`userName regex "x"`, `operator "regex"`},
		{`userName eq bjensen`, "invalid comparison value"},
		{`userName eq 'bjensen'`, "single-quoted"},
		{`userName eq "bjensen`, "unterminated"},
		{`userName eq "bad\q"`, "invalid string literal"},
		{`userName eq "x" and`, "expected an attribute path"},
		{`userName eq "x" userName eq "y"`, `expected "and", "or"`},
		{`(userName eq "x"`, `missing ")"`},
		{`userName eq "x")`, `unbalanced ")"`},
		{`emails[type eq "work"`, `missing "]"`},
		{`emails[type eq "work"]]`, `unbalanced "]"`},
		{`emails[type eq "work"].value eq "x"`, "only valid in a PATCH path"},
		{`emails[type[value eq "x"]]`, "cannot contain another value filter"},
		{`not userName eq "x"`, `"not" at offset 0 must be followed`},
		{`not`, "expected an operator"},
		{`()`, "expected an attribute path"},
		{`1abc eq "x"`, "invalid attribute path"},
		{`name..x eq "x"`, "invalid attribute path"},
		{`userName eq 01`, "invalid comparison value"},
		{`userName eq +1`, "invalid comparison value"},
		{`active gt true`, "not defined for the boolean"},
		{`active ge false`, "not defined for the boolean"},
		{`active lt true`, "not defined for the boolean"},
		{`active le true`, "not defined for the boolean"},
		{`active co "t"`, "co, sw and ew are not defined"},
		{`x509Certificates.value gt "a"`, "not defined for the binary"},
		{`loginCount sw 1`, "numeric attribute"},
		{`active eq "true"`, "compare it with true or false, not a string"},
		{`loginCount eq "5"`, "compare it with a number"},
		{`userName eq 5`, "compare it with a string, not a number"},
		{`userName eq true`, "compare it with a string"},
		{`userName co null`, "null can only be compared with eq or ne"},
		{`meta.lastModified gt "yesterday"`, "not a valid dateTime"},
		{`name eq "Barbara"`, "complex attribute"},
		{`meta gt "x"`, "complex attribute"},
		{`userName[value eq "x"]`, "not a complex attribute"},
		{`name.givenName[x eq "y"]`, "must follow a complex attribute"},
		{`emails[type gt true]`, "compare it with a string"},
		{`emails[primary gt true]`, "not defined for the boolean"},
		{`userName eq "x" or`, "expected an attribute path"},
		{`[type eq "x"]`, "expected an attribute path"},
		{`.value eq "x"`, "only valid in a PATCH path"},
		{strings.Repeat("(", maxDepth+1) + `title pr` + strings.Repeat(")", maxDepth+1), "nested deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			f, err := Parse(tt.in, filtertest.User(), nil)
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want an error", tt.in, f)
			}
			var se *scimerr.Error
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %T, want *scimerr.Error", tt.in, err)
			}
			if se.Status != http.StatusBadRequest || se.ScimType != scimerr.InvalidFilter {
				t.Errorf("Parse(%q) = %d %s, want 400 invalidFilter", tt.in, se.Status, se.ScimType)
			}
			if !strings.Contains(se.Detail, tt.detail) {
				t.Errorf("Parse(%q) detail = %q, want it to mention %q", tt.in, se.Detail, tt.detail)
			}
		})
	}
}

func TestParseValueFilter(t *testing.T) {
	rs := filtertest.User()
	f, err := ParseValueFilter(`Type eq "work" and primary eq true`, AttrPath{Name: "emails"}, rs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.String(), `type eq "work" and primary eq true`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	eq, ok := f.Equalities()
	if !ok || eq["type"] != "work" || eq["primary"] != true || len(eq) != 2 {
		t.Errorf("Equalities() = %v, %v", eq, ok)
	}
	if !f.MatchElement(map[string]any{"type": "WORK", "primary": true}) {
		t.Error("MatchElement: work/primary element not matched")
	}
	if f.MatchElement(map[string]any{"type": "work"}) {
		t.Error("MatchElement: element without primary matched")
	}
	if _, err := ParseValueFilter(`value eq "x"`, AttrPath{Name: "userName"}, rs, nil); err == nil {
		t.Error("value filter on a simple attribute accepted")
	}
	unknown, err := ParseValueFilter(`value eq "x"`, AttrPath{Name: "nothing"}, rs, nil)
	if err != nil || unknown.MatchElement(map[string]any{"value": "x"}) {
		t.Errorf("value filter on an unknown parent: %v, want a filter matching nothing", err)
	}
}

func TestEqualitiesRejects(t *testing.T) {
	rs := filtertest.User()
	for _, in := range []string{`type eq "work" or type eq "home"`, `type ne "work"`, `value co "x"`,
		`type eq null`, `not (type eq "work")`, `nothing eq "x"`} {
		f, err := ParseValueFilter(in, AttrPath{Name: "emails"}, rs, nil)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if eq, ok := f.Equalities(); ok {
			t.Errorf("Equalities(%q) = %v, want not ok", in, eq)
		}
	}
	top, _ := Parse(`userName eq "x"`, rs, nil)
	if _, ok := top.Equalities(); ok {
		t.Error("Equalities on a resource filter returned ok")
	}
}

func TestParseWithoutSchema(t *testing.T) {
	f, err := Parse(`userName eq "x" and emails[type eq "work"]`, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Match(map[string]any{"userName": "x", "emails": []any{map[string]any{"type": "work"}}}) {
		t.Error("without a schema no attribute is known, so nothing may match")
	}
}
