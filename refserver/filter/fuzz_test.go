package filter

import (
	"errors"
	"net/http"
	"testing"

	"github.com/scimconform/scimconform/refserver/filter/filtertest"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// seedFilters are valid and invalid filters for the fuzz corpus.
func seedFilters() []string {
	return []string{
		`userName eq "bjensen"`, `name.familyName co "O'Malley"`, `userName sw "J"`,
		`urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"`, `title pr`,
		`meta.lastModified gt "2011-05-13T04:42:34Z"`, `meta.lastModified le "2011-05-13T04:42:34Z"`,
		`title pr and userType eq "Employee"`, `title pr or userType eq "Intern"`,
		`schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`,
		`userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")`,
		`userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")`,
		`userType eq "Employee" and (emails.type eq "work")`,
		`userType eq "Employee" and emails[type eq "work" and value co "@example.com"]`,
		`emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]`,
		`not(title pr)`, `NOT (Title PR)`, `active eq true`, `loginCount ge -1.5e3`, `score lt 0`,
		`title eq null`, `emails[not (type eq "work")]`, `userName eq "a\"b\\c\u00e9"`,
		`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "x"`,
		`department eq "x"`, `members[value eq"x"]`, `((a eq 1))`, `x[y eq 1]`,
		// invalid
		``, `(`, `)`, `[`, `]`, `"`, `userName`, `userName eq`, `userName eq "x`, `userName regex "x"`,
		`userName eq 'x'`, `not userName eq "x"`, `active gt true`, `a eq 1 and`, `emails[type eq "w"].value eq "x"`,
		`emails[a[b eq 1]]`, `userName eq 01`, `name eq "x"`, `meta.created gt "x"`, "\x00", `not(`, `a eq "\ud800"`,
	}
}

// FuzzParse checks that Parse never panics, fails only with 400
// invalidFilter, and that the canonical rendering of a valid filter parses
// to a filter with the same rendering and the same verdicts.
func FuzzParse(f *testing.F) {
	for _, s := range seedFilters() {
		f.Add(s)
	}
	rs := filtertest.User()
	docs := []map[string]any{filtertest.Barbara(), {"userName": "x", "emails": []any{map[string]any{"type": "w"}}}, {}}
	f.Fuzz(func(t *testing.T, s string) {
		flt, err := Parse(s, rs, nil)
		if err != nil {
			requireInvalidFilter(t, s, err)
			return
		}
		canon := flt.String()
		again, err := Parse(canon, rs, nil)
		if err != nil {
			t.Fatalf("Parse(%q) ok but its rendering %q fails: %v", s, canon, err)
		}
		if again.String() != canon {
			t.Fatalf("rendering not stable: %q → %q → %q", s, canon, again.String())
		}
		for _, d := range docs {
			if flt.Match(d) != again.Match(d) {
				t.Fatalf("%q and its rendering %q disagree on %v", s, canon, d)
			}
		}
		vf, err := ParseValueFilter(s, AttrPath{Name: "emails"}, rs, nil)
		if err != nil {
			requireInvalidFilter(t, s, err)
			return
		}
		vf.MatchElement(map[string]any{"value": "a@b", "type": "work"})
	})
}

func requireInvalidFilter(t *testing.T, s string, err error) {
	t.Helper()
	var se *scimerr.Error
	if !errors.As(err, &se) || se.Status != http.StatusBadRequest || se.ScimType != scimerr.InvalidFilter || se.Detail == "" {
		t.Fatalf("Parse(%q) error = %v, want 400 invalidFilter with a detail", s, err)
	}
}
