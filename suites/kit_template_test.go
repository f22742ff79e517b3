package suites

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/scim"
)

func TestStampFillsWhatTheBodyLacks(t *testing.T) {
	env := &Env{Prefix: "scimconform-0a1b2c3d", Templates: map[string]map[string]any{
		"User": {
			"emails": []any{map[string]any{"value": "{name}@example.com", "primary": true}},
			"title":  "kept out",
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": map[string]any{"department": "{prefix}"},
		},
	}}
	body := map[string]any{"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": "scimconform-0a1b2c3d-u-1", "Title": "mine"}
	env.stamp("/Users", body)
	want := []any{map[string]any{"value": "scimconform-0a1b2c3d-u-1@example.com", "primary": true}}
	if !reflect.DeepEqual(body["emails"], want) {
		t.Errorf("emails %v", body["emails"])
	}
	if _, added := body["title"]; added || body["Title"] != "mine" {
		t.Errorf("the spec's own value (any case) must win: %v", body)
	}
	ext, _ := body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].(map[string]any)
	if ext["department"] != "scimconform-0a1b2c3d" || len(body["schemas"].([]any)) != 2 {
		t.Errorf("extension %v, schemas %v", ext, body["schemas"])
	}
	group := map[string]any{"displayName": "g"}
	env.stamp("/Groups", group)
	env.stamp("/Users/.search", map[string]any{})
	if len(group) != 1 {
		t.Errorf("a Group got the User template: %v", group)
	}
	// The template is copied, never shared between bodies.
	other := map[string]any{"userName": "scimconform-0a1b2c3d-u-2"}
	env.stamp("/Users/42", other)
	other["emails"].([]any)[0].(map[string]any)["value"] = "changed"
	if body["emails"].([]any)[0].(map[string]any)["value"] == "changed" {
		t.Error("bodies share template values")
	}
}

func TestTemplateHintOnlyWithoutATemplate(t *testing.T) {
	refused := &scim.Response{Status: http.StatusBadRequest}
	env := &Env{}
	if h := env.templateHint("/Users", refused); !strings.Contains(h, "--user-template") {
		t.Errorf("hint %q", h)
	}
	if h := env.templateHint("/Groups", &scim.Response{Status: http.StatusConflict}); h != "" {
		t.Errorf("a 409 is no business rule: %q", h)
	}
	env.Templates = map[string]map[string]any{"Group": {"description": "x"}}
	if h := env.templateHint("/Groups", refused); h != "" {
		t.Errorf("a template is configured: %q", h)
	}
}

func TestTemplatedResourcesAreNotCountedOnByQueriesNamingTheirAttributes(t *testing.T) {
	q := &QuerySet{Missing: map[string]string{}, Templated: map[string][]string{"u11": {"emails"}}}
	if got := q.templatedFor(`emails[type eq "work"]`); len(got) != 1 || got[0] != "u11" {
		t.Errorf("a query on emails: %v", got)
	}
	if got := q.templatedFor(`userName sw "x" and title pr`); len(got) != 0 {
		t.Errorf("a query on other attributes: %v", got)
	}
	q.Templated["u12"] = []string{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}
	if got := q.templatedFor(`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "x"`); len(got) != 1 || got[0] != "u12" {
		t.Errorf("a query on an extension attribute: %v", got)
	}
	if got := q.templatedFor(`myemails pr`); len(got) != 0 {
		t.Errorf("a name containing the attribute: %v", got)
	}
	if q.unusable("u11") == "" || q.unusable("u01") != "" {
		t.Error("unusable")
	}
}

func TestStampReachesBulkOperationData(t *testing.T) {
	env := &Env{Prefix: "scimconform-0a1b2c3d", Templates: map[string]map[string]any{
		"User": {"emails": []any{map[string]any{"value": "{name}@example.com"}}},
	}}
	post := map[string]any{"userName": "scimconform-0a1b2c3d-b-1"}
	put := map[string]any{"userName": "scimconform-0a1b2c3d-b-2"}
	patch := map[string]any{"Operations": []any{}}
	body := map[string]any{"Operations": []any{
		map[string]any{"method": "POST", "path": "/Users", "data": post},
		map[string]any{"method": "put", "path": "/Users/7", "data": put},
		map[string]any{"method": "PATCH", "path": "/Users/7", "data": patch},
		map[string]any{"method": "POST", "path": "/Groups", "data": map[string]any{"displayName": "g"}},
		"not an operation",
	}}
	env.stampRequest(scim.Request{Method: http.MethodPost, Path: "/Bulk", Body: body})
	if post["emails"] == nil || put["emails"] == nil {
		t.Errorf("POST and PUT data of a Bulk request must get the User template: %v %v", post, put)
	}
	if _, stamped := patch["emails"]; stamped {
		t.Error("PATCH data is not a representation and must be left alone")
	}
	if _, stamped := body["emails"]; stamped {
		t.Error("the Bulk envelope itself must not be stamped")
	}
}
