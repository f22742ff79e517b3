package refserver

import (
	"net/http"
	"testing"
)

func TestUserLifecycle(t *testing.T) {
	h := newHarness(t)
	r := h.mustCreate("/Users", user("life", "displayName", "Life", "title", "T",
		"id", "client-id", "meta", map[string]any{"created": "1999-01-01T00:00:00Z"}))
	id, m := r.str("id"), metaOf(r.body)
	if id == "client-id" || m["created"] == "1999-01-01T00:00:00.000Z" {
		t.Fatalf("readOnly input used: %s", r.raw)
	}
	if r.header.Get("Location") != m["location"] || m["resourceType"] != "User" || r.header.Get("ETag") != m["version"] {
		t.Fatalf("headers %v meta %v", r.header, m)
	}
	// PUT replaces: title is cleared, id in body ignored
	p := h.do("PUT", "/Users/"+id, user("life", "displayName", "Life 2", "id", "other"))
	if p.status != http.StatusOK || p.str("id") != id || p.body["title"] != nil || p.str("displayName") != "Life 2" {
		t.Fatalf("PUT: %d %s", p.status, p.raw)
	}
	if metaOf(p.body)["created"] != m["created"] {
		t.Fatal("PUT changed created")
	}
	// PATCH returns 200 with the resource
	pa := h.do("PATCH", "/Users/"+id, map[string]any{
		"schemas":    []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []any{map[string]any{"op": "Add", "path": "emails", "value": []any{map[string]any{"value": "l@x", "type": "work"}}}},
	})
	if pa.status != http.StatusOK || pa.body["emails"] == nil || pa.header.Get("ETag") != metaOf(pa.body)["version"] {
		t.Fatalf("PATCH: %d %s", pa.status, pa.raw)
	}
	if d := h.do("DELETE", "/Users/"+id, nil); d.status != http.StatusNoContent || len(d.raw) != 0 {
		t.Fatalf("DELETE: %d %s", d.status, d.raw)
	}
	for _, method := range []string{"GET", "PUT", "PATCH", "DELETE"} {
		var body any
		switch method {
		case "PUT":
			body = user("life")
		case "PATCH":
			body = map[string]any{"Operations": []any{map[string]any{"op": "add", "path": "title", "value": "x"}}}
		}
		if r := h.do(method, "/Users/"+id, body); r.status != http.StatusNotFound {
			t.Errorf("%s after delete: %d", method, r.status)
		}
	}
	if r := h.do("GET", `/Users?filter=userName+eq+"life"`, nil); r.body["totalResults"] != 0.0 {
		t.Errorf("deleted user listed: %s", r.raw)
	}
	if r := h.do("GET", "/Groups/"+h.createUser("typed"), nil); r.status != http.StatusNotFound {
		t.Errorf("User id under /Groups: %d", r.status)
	}
}

func TestPatchRules(t *testing.T) {
	h := newHarness(t)
	id := h.createUser("pr", "displayName", "PR")
	ops := func(o ...map[string]any) map[string]any {
		list := []any{}
		for _, e := range o {
			list = append(list, e)
		}
		return map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}, "Operations": list}
	}
	cases := []struct {
		body     any
		status   int
		scimType string
	}{
		{ops(map[string]any{"op": "replace", "path": "groups", "value": []any{}}), 400, "mutability"},
		{ops(map[string]any{"op": "add", "path": "nope[", "value": 1}), 400, "invalidPath"},
		{ops(map[string]any{"op": "replace", "path": "active", "value": "yes"}), 400, "invalidValue"},
		{ops(map[string]any{"op": "remove", "path": "userName"}), 400, "mutability"},
		{ops(map[string]any{"op": "replace", "path": "displayName", "value": "ok"}, map[string]any{"op": "bogus"}), 400, "invalidSyntax"},
		{map[string]any{"schemas": []any{"urn:wrong"}, "Operations": []any{}}, 400, "invalidSyntax"},
		{map[string]any{"Operations": []any{}}, 400, "invalidSyntax"},
		{map[string]any{"Operations": []any{"x"}}, 400, "invalidSyntax"},
		{map[string]any{"Operations": []any{map[string]any{"path": "x"}}}, 400, "invalidSyntax"},
		{map[string]any{"Operations": []any{map[string]any{"op": "add", "path": 3}}}, 400, "invalidSyntax"},
	}
	for _, c := range cases {
		r := h.do("PATCH", "/Users/"+id, c.body)
		if r.status != c.status || r.scimType() != c.scimType {
			t.Errorf("%v: %d %q %s", c.body, r.status, r.scimType(), r.raw)
		}
	}
	if r := h.do("GET", "/Users/"+id, nil); r.str("displayName") != "PR" {
		t.Fatalf("failed PATCH left changes (not atomic): %s", r.raw)
	}
	other := h.createUser("taken")
	_ = other
	if r := h.do("PATCH", "/Users/"+id, ops(map[string]any{"op": "replace", "path": "userName", "value": "TAKEN"})); r.status != http.StatusConflict {
		t.Fatalf("PATCH to a taken userName: %d", r.status)
	}
	r := h.do("PATCH", "/Users/"+id+"?attributes=displayName", ops(
		map[string]any{"op": "replace", "value": map[string]any{"displayName": "New", "password": "pw1"}}))
	if r.status != http.StatusOK || r.str("displayName") != "New" || r.body["userName"] != nil || r.str("id") != id {
		t.Fatalf("PATCH with attributes: %s", r.raw)
	}
	rec, _ := h.s.store.get(h.s.users, id)
	if !passwordMatches(rec.pwHash, "pw1") {
		t.Fatal("PATCH did not set the password")
	}
}

func TestPatchNotAtomicFault(t *testing.T) {
	h := newHarness(t, patchNotAtomic)
	id := h.createUser("na", "displayName", "Before")
	r := h.do("PATCH", "/Users/"+id, map[string]any{"Operations": []any{
		map[string]any{"op": "replace", "path": "displayName", "value": "After"},
		map[string]any{"op": "replace", "path": "active", "value": "notbool"},
	}})
	if r.status != http.StatusBadRequest {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if got := h.do("GET", "/Users/"+id, nil).str("displayName"); got != "After" {
		t.Fatalf("patch-not-atomic must keep the first change, got %q", got)
	}
}

func TestGroupsCRUD(t *testing.T) {
	h := newHarness(t)
	u1, u2 := h.createUser("g1"), h.createUser("g2")
	g := h.mustCreate("/Groups", group("Team", u1))
	gid := g.str("id")
	r := h.do("PATCH", "/Groups/"+gid, map[string]any{"Operations": []any{
		map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": u2}}},
		map[string]any{"op": "remove", "path": `members[value eq "` + u1 + `"]`},
	}})
	ms, _ := r.body["members"].([]any)
	if r.status != http.StatusOK || len(ms) != 1 || ms[0].(map[string]any)["value"] != u2 || ms[0].(map[string]any)["$ref"] == nil {
		t.Fatalf("PATCH members: %s", r.raw)
	}
	if _, has := h.do("GET", "/Users/"+u1, nil).body["groups"]; has {
		t.Fatal("removed member still lists the group")
	}
	if got := groupsOf(h.do("GET", "/Users/"+u2, nil).body); len(got) != 1 {
		t.Fatalf("added member groups: %v", got)
	}
	if r := h.do("POST", "/Groups", group("Team")); r.status != http.StatusCreated {
		t.Fatalf("Group displayName is not unique: %d", r.status)
	}
	if r := h.do("GET", `/Groups?filter=displayName+eq+"team"&attributes=displayName`, nil); r.body["totalResults"] != 2.0 {
		t.Fatalf("list groups: %s", r.raw)
	}
}

func TestHeadAndOptions(t *testing.T) {
	h := newHarness(t)
	id := h.createUser("head")
	r := h.do("HEAD", "/Users/"+id, nil)
	if r.status != http.StatusOK || len(r.raw) != 0 || r.header.Get("ETag") == "" {
		t.Fatalf("HEAD: %d %v %q", r.status, r.header, r.raw)
	}
	if r := h.do("OPTIONS", "/Users", nil); r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET, POST" {
		t.Fatalf("OPTIONS: %d %v", r.status, r.header)
	}
}
