package refserver

import (
	"net/http"
	"testing"

	"github.com/scimconform/scimconform/refserver/schema"
)

func sub(m map[string]any, name string) map[string]any {
	v, _ := m[name].(map[string]any)
	return v
}

func TestServiceProviderConfig(t *testing.T) {
	h := newHarness(t)
	r := h.do("GET", "/ServiceProviderConfig?filter=x&count=1", nil)
	if r.status != http.StatusOK || r.header.Get("Content-Type") != mediaSCIM {
		t.Fatalf("%d %v", r.status, r.header)
	}
	for _, f := range []string{"patch", "changePassword", "sort", "etag"} {
		if sub(r.body, f)["supported"] != true {
			t.Errorf("%s not supported", f)
		}
	}
	if b := sub(r.body, "bulk"); b["supported"] != true || b["maxOperations"] != 1000.0 || b["maxPayloadSize"] != 1048576.0 {
		t.Errorf("bulk %v", b)
	}
	if f := sub(r.body, "filter"); f["maxResults"] != 1000.0 {
		t.Errorf("filter %v", f)
	}
	p := sub(r.body, "pagination")
	if p["cursor"] != true || p["index"] != true || p["defaultPaginationMethod"] != "index" ||
		p["defaultPageSize"] != 100.0 || p["maxPageSize"] != 500.0 || p["cursorTimeout"] != 3600.0 {
		t.Errorf("pagination %v", p)
	}
	schemes, _ := r.body["authenticationSchemes"].([]any)
	if len(schemes) != 1 || schemes[0].(map[string]any)["type"] != "oauthbearertoken" {
		t.Errorf("authenticationSchemes %v", schemes)
	}
	if sub(r.body, "meta")["resourceType"] != "ServiceProviderConfig" {
		t.Errorf("meta %v", r.body["meta"])
	}
}

func TestResourceTypes(t *testing.T) {
	h := newHarness(t)
	r := h.do("GET", "/ResourceTypes?filter=name+eq+%22User%22", nil)
	if r.status != http.StatusOK || r.body["totalResults"] != 3.0 || len(r.list()) != 3 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	u := h.do("GET", "/ResourceTypes/User", nil)
	exts, _ := u.body["schemaExtensions"].([]any)
	if u.str("endpoint") != "/Users" || u.str("schema") != schema.URNUser || len(exts) != 1 ||
		exts[0].(map[string]any)["schema"] != schema.URNEnterpriseUser || exts[0].(map[string]any)["required"] != false {
		t.Fatalf("User: %s", u.raw)
	}
	if g := h.do("GET", "/ResourceTypes/Group", nil); g.str("endpoint") != "/Groups" || sub(g.body, "meta")["resourceType"] != "ResourceType" {
		t.Fatalf("Group: %s", g.raw)
	}
	if r := h.do("GET", "/ResourceTypes/Nope", nil); r.status != http.StatusNotFound {
		t.Fatalf("unknown: %d", r.status)
	}
}

func TestSchemasEndpoint(t *testing.T) {
	h := newHarness(t)
	r := h.do("GET", "/Schemas?startIndex=3&count=1", nil)
	if r.status != http.StatusOK || r.body["totalResults"] != 8.0 || len(r.list()) != 8 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	for _, sc := range r.list() {
		s, _ := sc["schemas"].([]any)
		if len(s) != 1 || s[0] != schema.URNSchema || sub(sc, "meta")["resourceType"] != "Schema" {
			t.Errorf("%v: schemas/meta missing (erratum 8417)", sc["id"])
		}
	}
	g := h.do("GET", "/Schemas/"+schema.URNGroup, nil)
	attrs, _ := g.body["attributes"].([]any)
	dn := attrs[0].(map[string]any)
	if dn["name"] != "displayName" || dn["required"] != true {
		t.Fatalf("Group displayName: %v", dn)
	}
	u := h.do("GET", "/Schemas/"+schema.URNUser, nil)
	attrs, _ = u.body["attributes"].([]any)
	un := attrs[0].(map[string]any)
	if un["name"] != "userName" || un["uniqueness"] != "server" || un["caseExact"] != false || un["required"] != true {
		t.Fatalf("userName: %v", un)
	}
	if r := h.do("GET", "/Schemas/urn:nope", nil); r.status != http.StatusNotFound {
		t.Fatalf("unknown schema: %d", r.status)
	}
}
