package refserver

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver/schema"
)

// keysOf lists the members of an object, with sub-attribute paths for
// complex values ("name.givenName", "emails.value").
func keysOf(doc map[string]any) string {
	var out []string
	for k, v := range doc {
		switch t := v.(type) {
		case map[string]any:
			for sk := range t {
				out = append(out, k+"."+sk)
			}
		case []any:
			seen := map[string]bool{}
			for _, e := range t {
				if m, ok := e.(map[string]any); ok {
					for sk := range m {
						if !seen[sk] {
							seen[sk] = true
							out = append(out, k+"."+sk)
						}
					}
				} else if !seen[""] {
					seen[""] = true
					out = append(out, k)
				}
			}
		default:
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

const ent = schema.URNEnterpriseUser

func sampleUser() map[string]any {
	var doc map[string]any
	_ = json.Unmarshal([]byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","`+ent+`"],
		"id":"1","userName":"u","displayName":"U","name":{"givenName":"G","familyName":"F"},
		"emails":[{"value":"a@x","type":"work"}],
		"meta":{"resourceType":"User","version":"W/\"1\""},
		"`+ent+`":{"employeeNumber":"7","manager":{"value":"m"}}}`), &doc)
	return doc
}

func TestProjection(t *testing.T) {
	s := &Server{faults: nil}
	rs := schema.UserResource()
	cases := []struct {
		attrs, excl string
		want        string
	}{
		{"", "", "displayName emails.type emails.value id meta.resourceType meta.version name.familyName name.givenName schemas " + ent + ".employeeNumber " + ent + ".manager userName"},
		{"userName", "", "id schemas userName"},
		{"USERNAME,name.givenName", "", "id name.givenName schemas userName"},
		{"emails.value,meta.version", "", "emails.value id meta.version schemas"},
		{"urn:ietf:params:scim:schemas:core:2.0:User:displayName", "", "displayName id schemas"},
		{ent, "", "id schemas " + ent + ".employeeNumber " + ent + ".manager"},
		{ent + ":employeeNumber", "", "id schemas " + ent + ".employeeNumber"},
		{"nosuch,id", "", "id schemas"},
		{"", "emails,name.givenName,meta,displayName," + ent, "id name.familyName schemas userName"},
		{"", "id,schemas," + ent + ":employeeNumber,userName,name,emails,meta,displayName", "id schemas " + ent + ".manager"},
		{"name", "name.familyName", "id name.givenName schemas"},
	}
	for _, c := range cases {
		p := s.newProjection(rs, splitList([]string{c.attrs}), splitList([]string{c.excl}))
		if got := keysOf(p.apply(sampleUser(), rs)); got != c.want {
			t.Errorf("attributes=%q excluded=%q:\n got  %s\n want %s", c.attrs, c.excl, got, c.want)
		}
	}
}

func TestProjectionReturnedCharacteristics(t *testing.T) {
	s := &Server{}
	rs := testSchema()
	doc := map[string]any{"schemas": []any{"urn:test:Thing"}, "id": "1", "name": "n", "secret": "s", "stamp": "t",
		"box": map[string]any{"label": "l", "note": "x", "color": "c"}}
	cases := []struct{ attrs, excl, want string }{
		{"", "", "box.color box.label id name schemas stamp"},
		{"secret", "", "id schemas secret stamp"},
		{"box", "", "box.color box.label id schemas stamp"},
		{"box.note", "", "box.note id schemas stamp"},
		{"", "stamp,box.label", "box.color id name schemas stamp"},
	}
	for _, c := range cases {
		p := s.newProjection(rs, splitList([]string{c.attrs}), splitList([]string{c.excl}))
		if got := keysOf(p.apply(doc, rs)); got != c.want {
			t.Errorf("attributes=%q excluded=%q: got %s, want %s", c.attrs, c.excl, got, c.want)
		}
	}
}
