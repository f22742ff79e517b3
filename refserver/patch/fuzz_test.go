package patch

import (
	"errors"
	"testing"

	"github.com/scimconform/scimconform/refserver/filter/filtertest"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// FuzzParsePath checks that ParsePath never panics, fails only with 400
// invalidPath or invalidFilter, that the rendering of a valid path parses
// to the same rendering, and that Apply never panics on the parsed path.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{
		"members", "name.familyName", `addresses[type eq "work"]`, `members[value eq "2819c223"]`,
		`members[value eq "2819c223"].displayName`, `emails[type eq "work"].value`,
		`emails[type eq "work" and value ew "example.com"]`, `emails[not (type eq "work")].display`,
		ent, ent + ":manager.value", ent + ":department", "urn:ietf:params:scim:schemas:core:2.0:User:userName",
		"department", "$ref", "members.$ref", `emails[value eq "a]b"].type`, `x[y eq 1].z`, "meta.version", "schemas",
		// invalid
		"", " ", ".", "[", "]", "[]", `emails[`, `emails[]`, `emails]`, `emails[type eq "work"]value`,
		`emails[type eq "work"].a.b`, `emails[type eq work]`, "name..x", "urn:", `emails eq "x"`,
		`emails[type eq "work"][x eq 1]`, "\x00", `a["\"]`, `a[b eq "\u0000"]`,
	} {
		f.Add(s)
	}
	rs := filtertest.User()
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s, rs)
		if err != nil {
			var se *scimerr.Error
			if !errors.As(err, &se) || se.Status != 400 || se.Detail == "" ||
				(se.ScimType != scimerr.InvalidPath && se.ScimType != scimerr.InvalidFilter) {
				t.Fatalf("ParsePath(%q) error = %v, want 400 invalidPath/invalidFilter", s, err)
			}
			return
		}
		canon := p.String()
		again, err := ParsePath(canon, rs)
		if err != nil {
			t.Fatalf("ParsePath(%q) ok but its rendering %q fails: %v", s, canon, err)
		}
		if again.String() != canon {
			t.Fatalf("rendering not stable: %q → %q → %q", s, canon, again.String())
		}
		for _, op := range []string{"add", "replace", "remove"} {
			_, err := Apply(filtertest.Barbara(), []Operation{{Op: op, Path: s, Value: "x"}}, rs, nil)
			if err != nil && scimerr.As(err).Status != 400 {
				t.Fatalf("Apply %s %q: %v", op, s, err)
			}
		}
	})
}
