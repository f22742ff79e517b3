package suites

import (
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/scim"
)

func attrTestUser() map[string]any {
	return map[string]any{
		"id": "1", "userName": "u", "displayName": "D",
		"name":                    map[string]any{"givenName": "G", "familyName": "F"},
		"emails":                  []any{map[string]any{"value": "a@x", "type": "work"}},
		"active":                  true,
		scim.SchemaEnterpriseUser: map[string]any{"department": "Dep", "employeeNumber": "7"},
	}
}

func TestAttrParse(t *testing.T) {
	cases := map[string]attrPath{
		"userName":                                   {name: "userName"},
		"name.givenName":                             {name: "name", sub: "givenName"},
		scim.SchemaUser + ":name.familyName":         {name: "name", sub: "familyName"},
		strings.ToUpper(scim.SchemaUser) + ":active": {name: "active"},
		scim.SchemaEnterpriseUser + ":department":    {ext: scim.SchemaEnterpriseUser, name: "department"},
		scim.SchemaEnterpriseUser:                    {ext: scim.SchemaEnterpriseUser},
	}
	for in, want := range cases {
		if got := attrParse(in); got != want {
			t.Errorf("attrParse(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestAttrLookup(t *testing.T) {
	u := attrTestUser()
	u["title"] = ""
	for path, want := range map[string]bool{
		"name.givenName": true, "emails.value": true, "emails.display": false, "title": false, "nickName": false,
		scim.SchemaEnterpriseUser + ":department": true, scim.SchemaEnterpriseUser + ":manager": false,
	} {
		if _, got := attrLookup(u, attrParse(path)); got != want {
			t.Errorf("attrLookup(%s) present = %v, want %v", path, got, want)
		}
	}
}

func TestAttrJudge(t *testing.T) {
	env := &Env{}
	full := attrTestUser()
	only := func(keys ...string) map[string]any {
		out := map[string]any{}
		for _, k := range keys {
			out[k] = full[k]
		}
		return out
	}
	cases := []struct {
		name     string
		got      map[string]any
		sel      attrSel
		problems []string // fragments, one per expected problem
		notes    int
	}{
		{"attributes honoured", only("id", "userName"), attrSel{Include: []string{"userName"}}, nil, 0},
		{"attributes ignored", full, attrSel{Include: []string{"userName"}},
			[]string{"name is returned", "displayName is returned", "emails is returned", "active is returned", "employeeNumber is returned", "department is returned"}, 0},
		{"id dropped", only("userName"), attrSel{Include: []string{"userName"}}, []string{"id is missing"}, 0},
		{"sub-attribute with its sibling", only("id", "name"), attrSel{Include: []string{"name.givenName"}}, nil, 1},
		{"excluded kept", full, attrSel{Exclude: []string{"emails"}}, []string{"emails is returned"}, 0},
		{"always kept when excluded", full, attrSel{Exclude: []string{"id"}}, nil, 0},
		{"always removed when excluded", only("userName", "displayName", "name", "emails", "active", scim.SchemaEnterpriseUser),
			attrSel{Exclude: []string{"id"}}, []string{"id is missing"}, 0},
		{"default attribute lost", only("id", "userName"), attrSel{Exclude: []string{"emails"}},
			[]string{"name is missing", "displayName is missing", "active is missing", "employeeNumber is missing", "department is missing"}, 0},
	}
	for _, c := range cases {
		problems, notes := attrJudge(env, full, c.got, c.sel)
		if len(problems) != len(c.problems) || len(notes) != c.notes {
			t.Errorf("%s: problems %q notes %q, want %d problems and %d notes", c.name, problems, notes, len(c.problems), c.notes)
			continue
		}
		for _, frag := range c.problems {
			if !strings.Contains(strings.Join(problems, "\n"), frag) {
				t.Errorf("%s: no problem mentions %q in %q", c.name, frag, problems)
			}
		}
	}
}

func TestAttrReturnedFollowsPublishedSchema(t *testing.T) {
	c := &caps.Capabilities{Schemas: []caps.Schema{{ID: scim.SchemaUser, Attributes: []caps.Attribute{
		{Name: "userName", Returned: "Always"}, {Name: "password", Returned: "never"}}}}}
	env := &Env{Caps: c}
	for path, want := range map[string]string{"id": "always", "userName": "always", "password": "never", "title": "default"} {
		if got := attrReturned(env, attrParse(path)); got != want {
			t.Errorf("attrReturned(%s) = %q, want %q", path, got, want)
		}
	}
	if names := attrAlwaysNames(env); strings.Join(names, ",") != "id,userName" {
		t.Errorf("attrAlwaysNames = %v", names)
	}
	full := attrTestUser()
	got := map[string]any{"id": "1", "displayName": "D"}
	problems, _ := attrJudge(env, full, got, attrSel{Include: []string{"displayName"}})
	if len(problems) != 1 || !strings.Contains(problems[0], "userName is missing") {
		t.Errorf("a returned:always userName left out was not reported: %q", problems)
	}
}
