package patch

import (
	"errors"
	"reflect"
	"testing"

	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/filter/filtertest"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

func TestParsePath(t *testing.T) {
	tests := []struct {
		in, want   string
		attr       filter.AttrPath
		withFilter bool
	}{
		{"members", "members", filter.AttrPath{Name: "members"}, false},
		{"name.familyName", "name.familyName", filter.AttrPath{Name: "name", Sub: "familyName"}, false},
		{" NAME.FAMILYNAME ", "name.familyName", filter.AttrPath{Name: "name", Sub: "familyName"}, false},
		{`addresses[type eq "work"]`, `addresses[type eq "work"]`, filter.AttrPath{Name: "addresses"}, true},
		{`members[value eq "2819c223-7f76-453a-919d-413861904646"]`, `members[value eq "2819c223-7f76-453a-919d-413861904646"]`,
			filter.AttrPath{Name: "members"}, true},
		{`emails[type eq "work"].VALUE`, `emails[type eq "work"].value`, filter.AttrPath{Name: "emails", Sub: "value"}, true},
		{`emails[value eq "a]b" and type eq "x\"]"].display`, `emails[value eq "a]b" and type eq "x\"]"].display`,
			filter.AttrPath{Name: "emails", Sub: "display"}, true},
		{`emails[type eq "work" and value ew "example.com"]`, `emails[type eq "work" and value ew "example.com"]`,
			filter.AttrPath{Name: "emails"}, true},
		{ent + ":manager.value", ent + ":manager.value", filter.AttrPath{URI: ent, Name: "manager", Sub: "value"}, false},
		{"urn:ietf:params:scim:schemas:core:2.0:User:userName", "userName", filter.AttrPath{Name: "userName"}, false},
		{ent, ent, filter.AttrPath{URI: ent}, false},
		{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:user", ent, filter.AttrPath{URI: ent}, false},
		{"department", ent + ":department", filter.AttrPath{URI: ent, Name: "department"}, false},
		{"shoeSize", "shoeSize", filter.AttrPath{Name: "shoeSize"}, false},
		{`x[y eq 1].z`, `x[y eq 1].z`, filter.AttrPath{Name: "x", Sub: "z"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePath(tt.in, filtertest.User())
			if err != nil {
				t.Fatalf("ParsePath(%q): %v", tt.in, err)
			}
			if p.Attr != tt.attr || (p.Filter != nil) != tt.withFilter {
				t.Errorf("ParsePath(%q) = %#v (filter %v), want %#v (filter %v)", tt.in, p.Attr, p.Filter, tt.attr, tt.withFilter)
			}
			if p.String() != tt.want {
				t.Errorf("String() = %q, want %q", p.String(), tt.want)
			}
		})
	}
}

func TestParsePathErrors(t *testing.T) {
	tests := []struct{ in, scimType string }{
		{"", scimerr.InvalidPath},
		{"   ", scimerr.InvalidPath},
		{"name..familyName", scimerr.InvalidPath},
		{"name.familyName.x", scimerr.InvalidPath},
		{`emails[type eq "work"`, scimerr.InvalidPath},
		{`emails[type eq "work"]value`, scimerr.InvalidPath},
		{`emails[type eq "work"].`, scimerr.InvalidPath},
		{`emails[type eq "work"].a.b`, scimerr.InvalidPath},
		{`emails[type eq "work"][x eq "y"]`, scimerr.InvalidPath},
		{`name.givenName[x eq "y"]`, scimerr.InvalidPath},
		{`[type eq "work"]`, scimerr.InvalidPath},
		{`emails eq "x"`, scimerr.InvalidPath},
		{`emails[type eq work]`, scimerr.InvalidFilter},
		{`emails[]`, scimerr.InvalidFilter},
		{`emails[type regex "w"]`, scimerr.InvalidFilter},
		{`userName[value eq "x"]`, scimerr.InvalidFilter},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParsePath(tt.in, filtertest.User())
			var se *scimerr.Error
			if !errors.As(err, &se) || se.Status != 400 || se.ScimType != tt.scimType || se.Detail == "" {
				t.Errorf("ParsePath(%q) error = %v, want 400 %s", tt.in, err, tt.scimType)
			}
		})
	}
}

func TestApplyEdgeCases(t *testing.T) {
	if _, err := Apply(map[string]any{}, nil, nil, nil); err == nil {
		t.Error("Apply without schema succeeded")
	}
	out, err := Apply(nil, decodeOps(t, `[{"op":"add","path":"userName","value":"x"}]`), filtertest.User(), nil)
	if err != nil || out["userName"] != "x" {
		t.Errorf("Apply on nil document = %v, %v", out, err)
	}
	out, err = Apply(filtertest.Barbara(), nil, filtertest.User(), nil)
	if err != nil || out["userName"] != "bjensen@example.com" {
		t.Errorf("Apply without operations = %v, %v", out, err)
	}
	typed := map[string]any{"userName": "u", "schemas": []string{urnUser},
		"emails": []map[string]any{{"value": "a@x", "primary": true}}}
	out, err = Apply(typed, decodeOps(t, `[{"op":"add","path":"emails","value":[{"value":"b@x","primary":true}]}]`),
		filtertest.User(), nil)
	if err != nil || js(out["emails"]) != `[{"primary":false,"value":"a@x"},{"primary":true,"value":"b@x"}]` {
		t.Errorf("typed slices: %s, %v", js(out["emails"]), err)
	}
	if js(typed["emails"]) != `[{"primary":true,"value":"a@x"}]` {
		t.Errorf("typed input modified: %s", js(typed["emails"]))
	}
	out, err = Apply(typed, decodeOps(t, `[{"op":"add","path":"emails","value":[{"value":"A@X"}]},`+
		`{"op":"add","path":"schemas","value":["`+urnUser+`"]}]`), filtertest.User(), nil)
	if err != nil || !reflect.DeepEqual(out, typed) {
		t.Errorf("re-adding present values changed the document: %s, %v", js(out), err)
	}
}
