package schema

import (
	"encoding/json"
	"testing"
)

func TestResolveCoreExtensionAndCommon(t *testing.T) {
	rs := UserResource()
	cases := []struct {
		uri, name, sub string
		want           string
		ok             bool
	}{
		{"", "USERNAME", "", "userName", true},
		{"", "name", "GivenName", "givenName", true},
		{URNUser, "emails", "value", "value", true},
		{URNEnterpriseUser, "manager", "displayName", "displayName", true},
		{"", "meta", "lastModified", "lastModified", true},
		{"", "id", "", "id", true},
		{URNEnterpriseUser, "id", "", "", false},
		{"", "nope", "", "", false},
		{"urn:unknown", "userName", "", "", false},
		{"", "name", "nope", "", false},
	}
	for _, c := range cases {
		a, _, ok := rs.Resolve(c.uri, c.name, c.sub)
		if ok != c.ok || (ok && a.Name != c.want) {
			t.Errorf("Resolve(%q,%q,%q) = %v,%v; want %q,%v", c.uri, c.name, c.sub, a, ok, c.want, c.ok)
		}
	}
}

func TestSplitURN(t *testing.T) {
	rs := UserResource()
	uri, rest := rs.SplitURN(URNEnterpriseUser + ":manager.value")
	if uri != URNEnterpriseUser || rest != "manager.value" {
		t.Fatalf("got %q %q", uri, rest)
	}
	uri, rest = rs.SplitURN("urn:ietf:params:scim:schemas:core:2.0:user:userName")
	if uri != URNUser || rest != "userName" {
		t.Fatalf("got %q %q", uri, rest)
	}
}

// TestVerifiedErrata checks the corrections errata.md marks Verified.
func TestVerifiedErrata(t *testing.T) {
	if !GroupSchema().Attr("displayName").Required {
		t.Error("EID 5368: Group displayName must be required")
	}
	rt := ResourceTypeSchema().Attr("schemaExtensions")
	if !rt.MultiValued {
		t.Error("EID 7522: schemaExtensions must be multi-valued")
	}
	attrs := SchemaSchema().Attr("attributes")
	if !attrs.Sub("referenceTypes").MultiValued || !attrs.Sub("subAttributes").Sub("referenceTypes").MultiValued {
		t.Error("EID 5607: referenceTypes must be multi-valued")
	}
	if !contains(attrs.Sub("type").CanonicalValues, "binary") {
		t.Error("EID 5606: binary must be a canonical type")
	}
	st := attrs.Sub("subAttributes").Sub("type").CanonicalValues
	if !contains(st, "binary") || contains(st, "complex") {
		t.Errorf("EID 8415: sub-attribute types %v", st)
	}
}

func TestPasswordWriteOnlyNeverReturned(t *testing.T) {
	p := UserSchema().Attr("password")
	if p.Mutability != WriteOnly || p.Returned != ReturnedNever {
		t.Fatalf("password: %+v", p)
	}
	if g := UserSchema().Attr("groups"); g.Mutability != ReadOnly || g.Sub("value").Mutability != ReadOnly {
		t.Fatal("groups must be readOnly with readOnly sub-attributes")
	}
}

// TestSchemasWellFormed walks every published schema: names unique per
// level, complex attributes have sub-attributes, simple ones none, and every
// characteristic holds a value of RFC 7643 §7.
func TestSchemasWellFormed(t *testing.T) {
	for _, s := range All() {
		if s.ID == "" || s.Name == "" || len(s.Attributes) == 0 {
			t.Errorf("schema %q incomplete", s.ID)
		}
		checkAttrs(t, s.ID, s.Attributes)
		if _, err := json.Marshal(s); err != nil {
			t.Errorf("%s: %v", s.ID, err)
		}
	}
}

func checkAttrs(t *testing.T, where string, attrs []*Attribute) {
	t.Helper()
	seen := map[string]bool{}
	for _, a := range attrs {
		if seen[a.Name] {
			t.Errorf("%s: duplicate %s", where, a.Name)
		}
		seen[a.Name] = true
		if (a.Type == TypeComplex) != (len(a.SubAttributes) > 0) {
			t.Errorf("%s.%s: type %s with %d sub-attributes", where, a.Name, a.Type, len(a.SubAttributes))
		}
		if !contains([]string{ReadOnly, ReadWrite, Immutable, WriteOnly}, a.Mutability) ||
			!contains([]string{ReturnedAlways, ReturnedNever, ReturnedDefault, ReturnedRequest}, a.Returned) ||
			!contains([]string{UniqueNone, UniqueServer, UniqueGlobal}, a.Uniqueness) {
			t.Errorf("%s.%s: bad characteristics %+v", where, a.Name, a)
		}
		checkAttrs(t, where+"."+a.Name, a.SubAttributes)
	}
}

func TestFreshCopies(t *testing.T) {
	a := UserSchema()
	a.Attr("userName").Required = false
	if !UserSchema().Attr("userName").Required {
		t.Fatal("UserSchema must return a fresh copy")
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
