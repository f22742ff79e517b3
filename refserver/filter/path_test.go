package filter

import (
	"errors"
	"net/http"
	"testing"

	"github.com/scimconform/scimconform/refserver/filter/filtertest"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

func TestParseAttrPath(t *testing.T) {
	rs := filtertest.User()
	ent := filtertest.URNEnterprise
	tests := []struct {
		in   string
		want AttrPath
		str  string
	}{
		{"userName", AttrPath{Name: "userName"}, "userName"},
		{"USERNAME", AttrPath{Name: "userName"}, "userName"},
		{"name.givenName", AttrPath{Name: "name", Sub: "givenName"}, "name.givenName"},
		{"Name.GivenName", AttrPath{Name: "name", Sub: "givenName"}, "name.givenName"},
		{"urn:ietf:params:scim:schemas:core:2.0:User:userName", AttrPath{Name: "userName"}, "userName"},
		{"URN:IETF:params:scim:schemas:core:2.0:user:name.familyName", AttrPath{Name: "name", Sub: "familyName"},
			"name.familyName"},
		{ent + ":department", AttrPath{URI: ent, Name: "department"}, ent + ":department"},
		{ent + ":manager.value", AttrPath{URI: ent, Name: "manager", Sub: "value"}, ent + ":manager.value"},
		{"urn:ietf:params:scim:schemas:extension:ENTERPRISE:2.0:User:Manager.$REF",
			AttrPath{URI: ent, Name: "manager", Sub: "$ref"}, ent + ":manager.$ref"},
		{"department", AttrPath{URI: ent, Name: "department"}, ent + ":department"},
		{"meta.lastModified", AttrPath{Name: "meta", Sub: "lastModified"}, "meta.lastModified"},
		{"schemas", AttrPath{Name: "schemas"}, "schemas"},
		{"ID", AttrPath{Name: "id"}, "id"},
		{"emails.value", AttrPath{Name: "emails", Sub: "value"}, "emails.value"},
		{"members.$ref", AttrPath{Name: "members", Sub: "$ref"}, "members.$ref"},
		{"unknownAttr", AttrPath{Name: "unknownAttr"}, "unknownAttr"},
		{"urn:example:ext:1.0:age", AttrPath{URI: "urn:example:ext:1.0", Name: "age"}, "urn:example:ext:1.0:age"},
		{"x-y_z9", AttrPath{Name: "x-y_z9"}, "x-y_z9"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAttrPath(tt.in, rs)
			if err != nil {
				t.Fatalf("ParseAttrPath(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseAttrPath(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
			if got.String() != tt.str {
				t.Errorf("String() = %q, want %q", got.String(), tt.str)
			}
		})
	}
}

func TestParseAttrPathNilSchema(t *testing.T) {
	got, err := ParseAttrPath("name.givenName", nil)
	if err != nil || got != (AttrPath{Name: "name", Sub: "givenName"}) {
		t.Fatalf("got %#v, %v", got, err)
	}
}

func TestParseAttrPathErrors(t *testing.T) {
	for _, in := range []string{
		"", "1abc", "name.", ".name", "name..givenName", "name.givenName.x", "user name", "a[b]",
		"emails[type eq \"work\"]", "$", "name.$", "urn:", "-x", "na/me", "é",
	} {
		t.Run(in, func(t *testing.T) {
			_, err := ParseAttrPath(in, filtertest.User())
			var se *scimerr.Error
			if !errors.As(err, &se) {
				t.Fatalf("ParseAttrPath(%q) error = %v, want *scimerr.Error", in, err)
			}
			if se.Status != http.StatusBadRequest || se.ScimType != scimerr.InvalidPath || se.Detail == "" {
				t.Errorf("ParseAttrPath(%q) = %+v, want 400 invalidPath with detail", in, se)
			}
		})
	}
}

func TestResolveAmbiguousExtension(t *testing.T) {
	rs := filtertest.User()
	// A second extension defining "department" makes the bare name ambiguous.
	second := *rs.Extensions[0]
	second.ID = "urn:example:params:scim:schemas:extension:other:2.0:User"
	rs.Extensions = append(rs.Extensions, &second)
	p := AttrPath{Name: "department"}
	if _, _, ok := Resolve(rs, &p); ok {
		t.Fatalf("ambiguous bare extension attribute resolved to %q", p.URI)
	}
	p = AttrPath{URI: second.ID, Name: "department"}
	if _, _, ok := Resolve(rs, &p); !ok {
		t.Fatal("qualified extension attribute did not resolve")
	}
}
