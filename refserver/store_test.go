package refserver

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStoreVersionsChangeOnlyOnModification(t *testing.T) {
	h := newHarness(t)
	r := h.mustCreate("/Users", user("v", "displayName", "V"))
	id, v1 := r.str("id"), r.header.Get("ETag")
	if v1 == "" || v1 != metaOf(r.body)["version"] || !strings.HasPrefix(v1, `W/"`) {
		t.Fatalf("ETag %q vs meta.version %v", v1, metaOf(r.body)["version"])
	}
	same := h.do("PUT", "/Users/"+id, user("v", "displayName", "V"))
	if same.status != http.StatusOK || same.header.Get("ETag") != v1 {
		t.Fatalf("no-op PUT changed the version: %s -> %s", v1, same.header.Get("ETag"))
	}
	h.now = h.now.Add(time.Minute)
	changed := h.do("PUT", "/Users/"+id, user("v", "displayName", "W"))
	v2 := changed.header.Get("ETag")
	if v2 == v1 || v2 != metaOf(changed.body)["version"] {
		t.Fatalf("version after change: %s (was %s)", v2, v1)
	}
	m := metaOf(changed.body)
	if m["created"] == m["lastModified"] {
		t.Error("lastModified not updated")
	}
	if m := metaOf(r.body); m["created"] != m["lastModified"] {
		t.Error("fresh resource: lastModified != created")
	}
}

func TestStoreUserNameUniqueness(t *testing.T) {
	h := newHarness(t)
	a := h.createUser("Carol")
	r := h.do("POST", "/Users", user("CAROL"))
	if r.status != http.StatusConflict || r.scimType() != "uniqueness" {
		t.Fatalf("duplicate create: %d %s", r.status, r.raw)
	}
	b := h.createUser("dave")
	if r := h.do("PUT", "/Users/"+b, user("carol")); r.status != http.StatusConflict {
		t.Fatalf("PUT onto a taken userName: %d", r.status)
	}
	if r := h.do("PUT", "/Users/"+a, user("carol")); r.status != http.StatusOK {
		t.Fatalf("PUT changing only case of own userName: %d %s", r.status, r.raw)
	}
	h.do("DELETE", "/Users/"+a, nil)
	h.createUser("Carol")
}

func TestStorePasswordHashed(t *testing.T) {
	h := newHarness(t)
	r := h.mustCreate("/Users", user("pw", "password", "hunter2"))
	if strings.Contains(string(r.raw), "hunter2") || strings.Contains(string(r.raw), "password") {
		t.Fatalf("password returned: %s", r.raw)
	}
	rec, _ := h.s.store.get(h.s.users, r.str("id"))
	if rec.pwHash == "" || strings.Contains(rec.pwHash, "hunter2") || !passwordMatches(rec.pwHash, "hunter2") || passwordMatches(rec.pwHash, "x") {
		t.Fatalf("hash %q", rec.pwHash)
	}
	// PUT without password keeps it; PUT with the same password is no change.
	v := r.header.Get("ETag")
	if r2 := h.do("PUT", "/Users/"+r.str("id"), user("pw")); r2.header.Get("ETag") != v {
		t.Error("PUT without password changed the resource")
	}
	if r2 := h.do("PUT", "/Users/"+r.str("id"), user("pw", "password", "hunter2")); r2.header.Get("ETag") != v {
		t.Error("PUT with the same password changed the version")
	}
	if r2 := h.do("PUT", "/Users/"+r.str("id"), user("pw", "password", "new")); r2.header.Get("ETag") == v {
		t.Error("password change kept the version")
	}
}

func groupsOf(body map[string]any) []string {
	var out []string
	list, _ := body["groups"].([]any)
	for _, e := range list {
		m, _ := e.(map[string]any)
		out = append(out, m["display"].(string))
	}
	return out
}

func TestStoreMembershipDerivedAndCleaned(t *testing.T) {
	h := newHarness(t)
	u := h.createUser("m1", "displayName", "Member One")
	g := h.mustCreate("/Groups", group("team", u))
	gid := g.str("id")
	members, _ := g.body["members"].([]any)
	m0, _ := members[0].(map[string]any)
	if m0["type"] != "User" || m0["display"] != "Member One" || !strings.HasSuffix(m0["$ref"].(string), "/scim/v2/Users/"+u) ||
		!strings.HasPrefix(m0["$ref"].(string), "http://") {
		t.Fatalf("member: %v", m0)
	}
	ur := h.do("GET", "/Users/"+u, nil)
	if got := groupsOf(ur.body); len(got) != 1 || got[0] != "team" {
		t.Fatalf("groups: %v", got)
	}
	if r := h.do("GET", `/Users?filter=groups.value+eq+"`+gid+`"`, nil); r.body["totalResults"] != 1.0 {
		t.Fatalf("filter on groups.value: %s", r.raw)
	}
	before := ur.header.Get("ETag")
	h.do("PATCH", "/Groups/"+gid, map[string]any{"Operations": []any{map[string]any{"op": "replace", "path": "displayName", "value": "crew"}}})
	ur2 := h.do("GET", "/Users/"+u, nil)
	if got := groupsOf(ur2.body); len(got) != 1 || got[0] != "crew" || ur2.header.Get("ETag") == before {
		t.Fatalf("after rename: %v, etag %s", got, ur2.header.Get("ETag"))
	}
	gBefore := h.do("GET", "/Groups/"+gid, nil).header.Get("ETag")
	h.do("DELETE", "/Users/"+u, nil)
	gr := h.do("GET", "/Groups/"+gid, nil)
	if _, has := gr.body["members"]; has || gr.header.Get("ETag") == gBefore {
		t.Fatalf("group after member delete: %s", gr.raw)
	}
	u2 := h.createUser("m2")
	h.do("PUT", "/Groups/"+gid, group("crew", u2))
	h.do("DELETE", "/Groups/"+gid, nil)
	if _, has := h.do("GET", "/Users/"+u2, nil).body["groups"]; has {
		t.Fatal("groups kept after group delete")
	}
}

func TestStoreMemberValidation(t *testing.T) {
	h := newHarness(t)
	for _, g := range []map[string]any{
		group("bad", "no-such-id"),
		{"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:Group"}, "displayName": "x", "members": []any{map[string]any{"display": "d"}}},
	} {
		if r := h.do("POST", "/Groups", g); r.status != http.StatusBadRequest || r.scimType() != "invalidValue" {
			t.Errorf("%v: %d %s", g, r.status, r.raw)
		}
	}
	inner := h.mustCreate("/Groups", group("inner")).str("id")
	outer := h.mustCreate("/Groups", group("outer", inner, inner))
	if ms, _ := outer.body["members"].([]any); len(ms) != 1 || ms[0].(map[string]any)["type"] != "Group" {
		t.Fatalf("nested member: %v", outer.body["members"])
	}
	if r := h.do("PUT", "/Groups/"+inner, group("inner", inner)); r.status != http.StatusBadRequest {
		t.Fatalf("self membership: %d", r.status)
	}
	h.do("DELETE", "/Groups/"+inner, nil)
	if _, has := h.do("GET", "/Groups/"+outer.str("id"), nil).body["members"]; has {
		t.Fatal("deleted nested group still a member")
	}
}

// TestMaxResources fills a store of four resources (the /Me principal and
// three more) and checks that POST, a Bulk POST and a PUT that creates
// (replace-creates) are answered 507 with a detail naming the limit, and
// that deleting one makes room again.
func TestMaxResources(t *testing.T) {
	h := newHarness(t, FaultReplaceCreates)
	s, err := New(Options{Token: testToken, MaxResources: 4, Faults: h.s.faults, Now: h.s.opts.Now})
	if err != nil {
		t.Fatal(err)
	}
	h.s = s
	a := h.mustCreate("/Users", user("a")).str("id")
	h.mustCreate("/Groups", group("g", a))
	h.mustCreate("/Users", user("b"))
	full := func(r *resp, what string) {
		t.Helper()
		if r.status != http.StatusInsufficientStorage || !strings.Contains(r.str("detail"), "maximum of 4 resources (--max-resources)") {
			t.Fatalf("%s: %d %s, want 507 naming the limit", what, r.status, r.raw)
		}
	}
	full(h.do("POST", "/Users", user("c")), "POST")
	full(h.do("PUT", "/Users/no-such-id", user("c")), "PUT that creates")
	bulk := h.do("POST", "/Bulk", map[string]any{
		"schemas":    []any{"urn:ietf:params:scim:api:messages:2.0:BulkRequest"},
		"Operations": []any{map[string]any{"method": "POST", "path": "/Users", "bulkId": "c", "data": user("c")}},
	})
	ops, _ := bulk.body["Operations"].([]any)
	if bulk.status != http.StatusOK || len(ops) != 1 || ops[0].(map[string]any)["status"] != "507" {
		t.Fatalf("Bulk: %d %s, want the operation answered 507", bulk.status, bulk.raw)
	}
	if r := h.do("PATCH", "/Users/"+a, map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []any{map[string]any{"op": "replace", "path": "title", "value": "t"}}}); r.status != http.StatusOK {
		t.Fatalf("PATCH of a stored resource: %d %s", r.status, r.raw)
	}
	if r := h.do("DELETE", "/Users/"+a, nil); r.status != http.StatusNoContent {
		t.Fatalf("DELETE: %d", r.status)
	}
	h.mustCreate("/Users", user("c"))
}
