package refserver

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestSearchPost(t *testing.T) {
	h := newHarness(t)
	seedPaging(h, 4)
	h.mustCreate("/Groups", group("p-group"))
	req := func(extra map[string]any) map[string]any {
		b := map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:SearchRequest"},
			"filter": `userName sw "p-"`, "sortBy": "userName", "sortOrder": "descending"}
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	r := h.do("POST", "/Users/.search", req(map[string]any{"attributes": []any{"userName"}, "startIndex": 2, "count": 2}))
	names := firstNames(r)
	if r.status != 200 || r.body["totalResults"] != 4.0 || len(names) != 2 || names[0] != "p-03" || r.body["startIndex"] != 2.0 {
		t.Fatalf("array form: %s", r.raw)
	}
	if _, has := r.list()[0]["meta"]; has {
		t.Fatal("attributes not applied")
	}
	r = h.do("POST", "/Users/.search", req(map[string]any{"attributes": "userName, displayName", "startIndex": "1", "count": "1",
		"excludedAttributes": []any{"id"}}))
	if r.status != 200 || len(r.list()) != 1 || r.list()[0]["id"] == nil {
		t.Fatalf("string form: %s", r.raw)
	}
	bad := []map[string]any{
		req(map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:ListResponse"}}),
		req(map[string]any{"filter": 7}),
		req(map[string]any{"attributes": 7}),
		req(map[string]any{"count": 1.5}),
		req(map[string]any{"startIndex": "x"}),
		req(map[string]any{"filter": `userName zz "p"`}),
	}
	for _, b := range bad {
		if r := h.do("POST", "/Users/.search", b); r.status != http.StatusBadRequest {
			t.Errorf("%v: %d", b, r.status)
		}
	}
	root := h.do("POST", "/.search", map[string]any{"filter": `meta.resourceType eq "Group" or userName eq "p-01"`})
	if root.body["totalResults"] != 2.0 {
		t.Fatalf("root search: %s", root.raw)
	}
	types := map[string]bool{}
	for _, res := range root.list() {
		types[metaOf(res)["resourceType"].(string)] = true
	}
	if !types["User"] || !types["Group"] {
		t.Fatalf("root search types: %v", types)
	}
	if r := h.do("GET", `/?filter=displayName+eq+"p-group"`, nil); r.body["totalResults"] != 1.0 {
		t.Fatalf("GET at root: %s", r.raw)
	}
	if r := h.do("GET", `/?filter=displayName+eq`, nil); r.status != 400 || r.scimType() != "invalidFilter" {
		t.Fatalf("bad filter at root: %s", r.raw)
	}
}

func TestMe(t *testing.T) {
	h := newHarness(t)
	r := h.do("GET", "/Me", nil)
	id := r.str("id")
	if r.status != 200 || r.str("userName") != "principal" || r.header.Get("Location") != metaOf(r.body)["location"] ||
		!strings.HasSuffix(r.header.Get("Location"), "/Users/"+id) || r.header.Get("ETag") == "" {
		t.Fatalf("GET /Me: %v %s", r.header, r.raw)
	}
	p := h.do("PATCH", "/Me", map[string]any{"Operations": []any{map[string]any{"op": "replace", "path": "nickName", "value": "boss"}}})
	if p.status != 200 || p.str("nickName") != "boss" || p.header.Get("Location") == "" {
		t.Fatalf("PATCH /Me: %s", p.raw)
	}
	u := h.do("PUT", "/Me?attributes=userName", user("principal", "title", "Chief"))
	if u.status != 200 || u.body["title"] != nil || u.str("userName") != "principal" {
		t.Fatalf("PUT /Me: %s", u.raw)
	}
	if g := h.do("GET", "/Users/"+id, nil); g.str("title") != "Chief" || g.body["nickName"] != nil {
		t.Fatalf("/Me did not act on the principal: %s", g.raw)
	}
	if d := h.do("DELETE", "/Me", nil); d.status != http.StatusNoContent || d.header.Get("Location") == "" {
		t.Fatalf("DELETE /Me: %d %v", d.status, d.header)
	}
	if r := h.do("GET", "/Me", nil); r.status != http.StatusNotFound {
		t.Fatalf("/Me after delete: %d", r.status)
	}
	again := h.createUser("Principal")
	if r := h.do("GET", "/Me", nil); r.str("id") != again {
		t.Fatalf("/Me after re-create: %s", r.raw)
	}
}

func TestBulkWiring(t *testing.T) {
	h := newHarness(t)
	r := h.do("POST", "/Bulk", map[string]any{
		"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:BulkRequest"},
		"Operations": []any{
			map[string]any{"method": "POST", "path": "/Users", "bulkId": "u1", "data": user("bulk-user")},
			map[string]any{"method": "POST", "path": "/Groups", "bulkId": "g1", "data": map[string]any{
				"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:Group"}, "displayName": "bulk-group",
				"members": []any{map[string]any{"value": "bulkId:u1"}}}},
		},
	})
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	u := h.do("GET", `/Users?filter=userName+eq+"bulk-user"`, nil)
	if len(u.list()) != 1 || len(groupsOf(u.list()[0])) != 1 {
		t.Fatalf("bulk results not stored: %s\n%s", r.raw, u.raw)
	}
	if r := h.do("GET", "/Bulk", nil); r.status != http.StatusMethodNotAllowed {
		t.Fatalf("GET /Bulk: %d", r.status)
	}
}

func TestListen(t *testing.T) {
	run, err := Listen("127.0.0.1:0", Options{Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", run.URL+"/ServiceProviderConfig", nil)
	req.Header.Set("Authorization", "Bearer t")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasSuffix(run.URL, "/scim/v2") {
		t.Fatalf("%d %s", res.StatusCode, run.URL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := run.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := Listen("256.0.0.1:0", Options{}); err == nil {
		t.Fatal("bad address accepted")
	}
	if _, err := New(Options{BasePath: "scim"}); err == nil {
		t.Fatal("relative base path accepted")
	}
}
