package refserver

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// testSchema is a synthetic resource type exercising every type and
// characteristic the standard schemas do not.
func testSchema() *schema.ResourceSchema {
	core := &schema.Schema{ID: "urn:test:Thing", Attributes: []*schema.Attribute{
		{Name: "name", Type: schema.TypeString, Required: true, Mutability: schema.ReadWrite, Returned: schema.ReturnedDefault},
		{Name: "serial", Type: schema.TypeString, Mutability: schema.Immutable, Returned: schema.ReturnedDefault},
		{Name: "size", Type: schema.TypeInteger, Mutability: schema.ReadWrite, Returned: schema.ReturnedDefault},
		{Name: "ratio", Type: schema.TypeDecimal, Mutability: schema.ReadWrite, Returned: schema.ReturnedDefault},
		{Name: "when", Type: schema.TypeDateTime, Mutability: schema.ReadWrite, Returned: schema.ReturnedDefault},
		{Name: "secret", Type: schema.TypeString, Mutability: schema.ReadWrite, Returned: schema.ReturnedRequest},
		{Name: "flag", Type: schema.TypeBoolean, Mutability: schema.ReadWrite, Returned: schema.ReturnedDefault},
		{Name: "stamp", Type: schema.TypeString, Mutability: schema.ReadOnly, Returned: schema.ReturnedAlways},
		{Name: "box", Type: schema.TypeComplex, Mutability: schema.ReadWrite, Returned: schema.ReturnedDefault,
			SubAttributes: []*schema.Attribute{
				{Name: "label", Type: schema.TypeString, Mutability: schema.Immutable, Returned: schema.ReturnedDefault},
				{Name: "note", Type: schema.TypeString, Mutability: schema.ReadWrite, Returned: schema.ReturnedRequest},
				{Name: "color", Type: schema.TypeString, Mutability: schema.ReadWrite, Returned: schema.ReturnedDefault},
			}},
	}}
	return &schema.ResourceSchema{Core: core}
}

// parseJSON decodes a JSON object the way request bodies are decoded.
func parseJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	m, err := decodeObject([]byte(s))
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return m
}

func scimTypeOf(err error) string {
	var e *scimerr.Error
	if errors.As(err, &e) {
		return e.ScimType
	}
	return ""
}

func TestCanonicalizeTypes(t *testing.T) {
	rs := testSchema()
	cases := []struct {
		body string
		ok   bool
	}{
		{`{"schemas":["urn:test:Thing"],"name":"a","size":3,"ratio":1.5,"flag":true,"when":"2020-01-01T10:00:00+02:00"}`, true},
		{`{"schemas":["urn:test:Thing"],"name":"a","size":3.5}`, false},
		{`{"schemas":["urn:test:Thing"],"name":"a","size":3.0}`, false},
		{`{"schemas":["urn:test:Thing"],"name":"a","size":"3"}`, false},
		{`{"schemas":["urn:test:Thing"],"name":"a","ratio":"1"}`, false},
		{`{"schemas":["urn:test:Thing"],"name":"a","flag":"true"}`, false},
		{`{"schemas":["urn:test:Thing"],"name":"a","when":"2020-01-01"}`, false},
		{`{"schemas":["urn:test:Thing"],"name":7}`, false},
		{`{"schemas":["urn:test:Thing"],"name":"a","box":"x"}`, false},
		{`{"schemas":["urn:test:Thing"],"name":"a","box":{"color":1}}`, false},
		{`{"schemas":["urn:test:Thing"]}`, false},
		{`{"schemas":["urn:test:Thing"],"name":"  "}`, false},
		{`{"name":"a"}`, false},
		{`{"schemas":"urn:test:Thing","name":"a"}`, false},
		{`{"schemas":["urn:other"],"name":"a"}`, false},
		{`{"schemas":["urn:test:thing"],"NAME":"a","unknown":1}`, true},
	}
	for _, c := range cases {
		_, err := canonicalize(parseJSON(t, c.body), rs, modeCreate, nil)
		if (err == nil) != c.ok {
			t.Errorf("%s: err=%v, want ok=%v", c.body, err, c.ok)
		}
		if err != nil && scimTypeOf(err) != scimerr.InvalidValue {
			t.Errorf("%s: scimType %q, want invalidValue", c.body, scimTypeOf(err))
		}
	}
}

func TestCanonicalizeForm(t *testing.T) {
	rs := testSchema()
	in := parseJSON(t, `{"schemas":["urn:test:Thing"],"Name":"a","stamp":"client","id":"x","meta":{"created":"y"},
		"when":"2020-01-01T10:00:00+02:00","size":4,"box":{"LABEL":"l","bogus":1},"ratio":null,"unknown":"drop"}`)
	d, err := canonicalize(in, rs, modeCreate, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(d.doc)
	want := `{"box":{"label":"l"},"name":"a","schemas":["urn:test:Thing"],"size":4,"when":"2020-01-01T08:00:00.000Z"}`
	if string(got) != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
}

func TestCanonicalizeUser(t *testing.T) {
	rs := schema.UserResource()
	in := parseJSON(t, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
		"userName":"u","password":"pw","groups":[{"value":"g"}],"emails":[],"phoneNumbers":[null],
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"7","manager":{"value":"m","displayName":"ignored"}},
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"R&D"}`)
	d, err := canonicalize(in, rs, modeCreate, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.password == nil || *d.password != "pw" {
		t.Error("password not extracted")
	}
	for _, k := range []string{"password", "groups", "emails", "phoneNumbers"} {
		if _, ok := d.doc[k]; ok {
			t.Errorf("%s must not be stored", k)
		}
	}
	ext, _ := d.doc[schema.URNEnterpriseUser].(map[string]any)
	if ext["employeeNumber"] != "7" || ext["department"] != "R&D" {
		t.Errorf("extension: %v", ext)
	}
	if m, _ := ext["manager"].(map[string]any); m["displayName"] != nil || m["value"] != "m" {
		t.Errorf("manager: %v", m)
	}
	if s, _ := d.doc["schemas"].([]any); len(s) != 2 {
		t.Errorf("schemas: %v", s)
	}
}

func TestPrimaryAtMostOnce(t *testing.T) {
	in := parseJSON(t, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"u",
		"emails":[{"value":"a","primary":true},{"value":"b","primary":true}]}`)
	if _, err := canonicalize(in, schema.UserResource(), modeCreate, nil); scimTypeOf(err) != scimerr.InvalidValue {
		t.Fatalf("two primaries: %v", err)
	}
}

func TestPatchModeLenientBooleans(t *testing.T) {
	in := parseJSON(t, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"u","active":"False"}`)
	if _, err := canonicalize(in, schema.UserResource(), modeCreate, nil); err == nil {
		t.Error(`"False" accepted on create`)
	}
	d, err := canonicalize(in, schema.UserResource(), modePatch, nil)
	if err != nil || d.doc["active"] != false {
		t.Fatalf("patch mode: %v %v", d, err)
	}
}

func TestEnforceImmutable(t *testing.T) {
	rs := testSchema()
	old := map[string]any{"name": "a", "serial": "S1", "box": map[string]any{"label": "L", "color": "red"}}
	cases := []struct {
		doc map[string]any
		ok  bool
	}{
		{map[string]any{"name": "b", "serial": "S1", "box": map[string]any{"label": "L"}}, true},
		{map[string]any{"name": "b"}, true},
		{map[string]any{"name": "b", "serial": "S2"}, false},
		{map[string]any{"name": "b", "box": map[string]any{"label": "M"}}, false},
	}
	for i, c := range cases {
		err := enforceImmutable(old, c.doc, rs)
		if (err == nil) != c.ok {
			t.Errorf("case %d: %v", i, err)
		}
		if err != nil && scimTypeOf(err) != scimerr.Mutability {
			t.Errorf("case %d: scimType %q", i, scimTypeOf(err))
		}
		if err == nil && c.doc["serial"] != "S1" {
			t.Errorf("case %d: omitted immutable value not kept", i)
		}
	}
	if err := enforceImmutable(map[string]any{"name": "a"}, map[string]any{"serial": "new"}, rs); err != nil {
		t.Errorf("first assignment of an immutable value: %v", err)
	}
}

func TestFaultTypesUnchecked(t *testing.T) {
	in := parseJSON(t, `{"schemas":["urn:test:Thing"],"name":"a","size":"big"}`)
	if _, err := canonicalize(in, testSchema(), modeCreate, fault.Set{FaultSchemaTypesUnchecked: true}); err != nil {
		t.Fatal(err)
	}
}
