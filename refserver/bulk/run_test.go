package bulk

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// The RFC 7644 §3.7.2 example: a user and a group referencing it.
func TestCreateWithBulkIDReference(t *testing.T) {
	h, fake := newHandler()
	res := doBulk(t, h, bulkReq(postUser("qwerty", "alice"), postGroup("ytrewq", "Tour Guides", "bulkId:qwerty")))
	if res.Code != 200 || !contains(res.Schemas, BulkResponseURN) || len(res.Operations) != 2 {
		t.Fatalf("got %d %v", res.Code, res.Raw)
	}
	for i, want := range []string{"qwerty", "ytrewq"} {
		op := res.Operations[i]
		if op.Method != "POST" || op.BulkID != want || op.Status != "201" || op.Version == "" || op.Response != nil {
			t.Errorf("result %d = %+v, want POST %s 201 with version and no response", i, op, want)
		}
		if !strings.HasPrefix(op.Location, "http://example.test/scim/v2/") {
			t.Errorf("result %d location %q", i, op.Location)
		}
	}
	userID := idFromLocation(t, res.Operations[0].Location)
	groupID := idFromLocation(t, res.Operations[1].Location)
	if got := fake.memberValues(groupID); !slices.Equal(got, []string{userID}) {
		t.Errorf("group members %v, want [%s]", got, userID)
	}
}

// Status must be a JSON string (RFC 7644 §3.7.3).
func TestStatusIsString(t *testing.T) {
	h, _ := newHandler()
	res := doBulk(t, h, bulkReq(postUser("a", "alice")))
	op := res.Raw["Operations"].([]any)[0].(map[string]any)
	if s, ok := op["status"].(string); !ok || s != "201" {
		t.Fatalf("status = %#v, want the string \"201\"", op["status"])
	}
}

func TestForwardReferenceIsReordered(t *testing.T) {
	h, fake := newHandler()
	res := doBulk(t, h, bulkReq(postGroup("g", "Guides", "bulkId:u"), postUser("u", "alice")))
	if len(res.Operations) != 2 || res.Operations[0].BulkID != "g" || res.Operations[1].BulkID != "u" {
		t.Fatalf("results not in request order: %+v", res.Operations)
	}
	for _, op := range res.Operations {
		if op.Status != "201" {
			t.Fatalf("result %+v, want 201", op)
		}
	}
	if fake.calls[0].Path != testBase+"/Users" {
		t.Errorf("first Inner call %s, want the user create first", fake.calls[0].Path)
	}
	userID := idFromLocation(t, res.Operations[1].Location)
	if got := fake.memberValues(idFromLocation(t, res.Operations[0].Location)); !slices.Equal(got, []string{userID}) {
		t.Errorf("members %v, want [%s]", got, userID)
	}
}

// The RFC 7644 §3.7.1 example: two groups referencing each other.
func TestCircularReferencesResolved(t *testing.T) {
	h, fake := newHandler()
	res := doBulk(t, h, bulkReq(postGroup("qwerty", "Group A", "bulkId:ytrewq"), postGroup("ytrewq", "Group B", "bulkId:qwerty")))
	if len(res.Operations) != 2 || res.Operations[0].Status != "201" || res.Operations[1].Status != "201" {
		t.Fatalf("got %+v", res.Operations)
	}
	a := idFromLocation(t, res.Operations[0].Location)
	b := idFromLocation(t, res.Operations[1].Location)
	if got := fake.memberValues(a); !slices.Equal(got, []string{b}) {
		t.Errorf("Group A members %v, want [%s]", got, b)
	}
	if got := fake.memberValues(b); !slices.Equal(got, []string{a}) {
		t.Errorf("Group B members %v, want [%s]", got, a)
	}
	var patched bool
	for _, c := range fake.calls {
		patched = patched || c.Method == http.MethodPatch
	}
	if !patched {
		t.Error("no follow-up PATCH reached Inner")
	}
	// The reported version is the one after the follow-up PATCH.
	for i, op := range res.Operations {
		id := idFromLocation(t, op.Location)
		if want := fake.store["Groups"][id]["meta"].(map[string]any)["version"]; op.Version != want {
			t.Errorf("result %d version %q, want current %q", i, op.Version, want)
		}
	}
}

func TestSelfAndThreeWayCircles(t *testing.T) {
	h, fake := newHandler()
	res := doBulk(t, h, bulkReq(
		postGroup("a", "A", "bulkId:b", "bulkId:a"),
		postGroup("b", "B", "bulkId:c"),
		postGroup("c", "C", "bulkId:a")))
	ids := map[string]string{}
	for _, op := range res.Operations {
		if op.Status != "201" {
			t.Fatalf("result %+v, want 201", op)
		}
		ids[op.BulkID] = idFromLocation(t, op.Location)
	}
	want := map[string][]string{"a": {ids["b"], ids["a"]}, "b": {ids["c"]}, "c": {ids["a"]}}
	for k, members := range want {
		got := fake.memberValues(ids[k])
		slices.Sort(got)
		slices.Sort(members)
		if !slices.Equal(got, members) {
			t.Errorf("group %s members %v, want %v", k, got, members)
		}
	}
}

func TestCircularFollowUpFailureIs409(t *testing.T) {
	h, fake := newHandler()
	fake.failPatch = true
	res := doBulk(t, h, bulkReq(postGroup("a", "A", "bulkId:b"), postGroup("b", "B", "bulkId:a")))
	var conflicts int
	for _, op := range res.Operations {
		if op.Status == "409" {
			conflicts++
			if op.Location == "" || op.Response["status"] != "409" {
				t.Errorf("409 result %+v lacks location or error response", op)
			}
		}
	}
	if conflicts != 1 {
		t.Fatalf("got %d conflicts in %+v, want 1", conflicts, res.Operations)
	}
}

func TestExtensionReferenceResolved(t *testing.T) {
	h, fake := newHandler()
	bob := postUser("ytrewq", "bob")
	bob["data"].(map[string]any)[entURN] = map[string]any{"employeeNumber": "11250", "manager": map[string]any{"value": "bulkId:qwerty"}}
	res := doBulk(t, h, bulkReq(bob, postUser("qwerty", "alice")))
	if res.Operations[0].Status != "201" || res.Operations[1].Status != "201" {
		t.Fatalf("got %+v", res.Operations)
	}
	alice := idFromLocation(t, res.Operations[1].Location)
	ext := fake.store["Users"][idFromLocation(t, res.Operations[0].Location)][entURN].(map[string]any)
	if ext["manager"].(map[string]any)["value"] != alice || ext["employeeNumber"] != "11250" {
		t.Errorf("enterprise extension %v, want manager %s", ext, alice)
	}
}

func TestCircularExtensionReference(t *testing.T) {
	h, fake := newHandler()
	a, b := postUser("a", "alice"), postUser("b", "bob")
	a["data"].(map[string]any)[entURN] = map[string]any{"employeeNumber": "1", "manager": map[string]any{"value": "bulkId:b"}}
	b["data"].(map[string]any)[entURN] = map[string]any{"manager": map[string]any{"value": "bulkId:a"}}
	res := doBulk(t, h, bulkReq(a, b))
	ids := map[string]string{}
	for _, op := range res.Operations {
		if op.Status != "201" {
			t.Fatalf("got %+v", res.Operations)
		}
		ids[op.BulkID] = idFromLocation(t, op.Location)
	}
	for self, other := range map[string]string{"a": "b", "b": "a"} {
		ext := fake.store["Users"][ids[self]][entURN].(map[string]any)
		if ext["manager"].(map[string]any)["value"] != ids[other] {
			t.Errorf("user %s manager %v, want %s", self, ext["manager"], ids[other])
		}
	}
	if fake.store["Users"][ids["a"]][entURN].(map[string]any)["employeeNumber"] != "1" {
		t.Error("employeeNumber lost while deferring the manager")
	}
}

func TestPathReferencesAndAllMethods(t *testing.T) {
	h, fake := newHandler()
	res := doBulk(t, h, bulkReq(
		map[string]any{"method": "patch", "path": "/Groups/bulkId:g", "data": map[string]any{
			"schemas": []string{patchOpURN}, "Operations": []any{map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": "bulkId:u"}}}}}},
		postGroup("g", "G"),
		postUser("u", "alice"),
		map[string]any{"method": "PUT", "path": "/Users/bulkId:u", "data": map[string]any{"userName": "alice2"}},
		map[string]any{"method": "DELETE", "path": "/Users/bulkId:u"},
	))
	wantStatus := []string{"200", "201", "201", "200", "204"}
	wantMethod := []string{"PATCH", "POST", "POST", "PUT", "DELETE"}
	for i, op := range res.Operations {
		if op.Status != wantStatus[i] || op.Method != wantMethod[i] || op.Location == "" {
			t.Errorf("result %d = %+v, want %s %s with location", i, op, wantMethod[i], wantStatus[i])
		}
	}
	g := idFromLocation(t, res.Operations[1].Location)
	u := idFromLocation(t, res.Operations[2].Location)
	if got := fake.memberValues(g); !slices.Equal(got, []string{u}) {
		t.Errorf("members %v, want [%s]", got, u)
	}
	if res.Operations[4].Location != "http://example.test/scim/v2/Users/"+u {
		t.Errorf("DELETE location %q", res.Operations[4].Location)
	}
	if _, ok := fake.store["Users"][u]; ok {
		t.Error("user not deleted")
	}
}

func TestReferenceErrors(t *testing.T) {
	h, fake := newHandler()
	fake.store["Users"]["taken"] = map[string]any{"userName": "alice"}
	res := doBulk(t, h, bulkReq(
		postGroup("g1", "G1", "bulkId:nobody"),
		postUser("dup", "alice"), // 409 uniqueness from Inner
		postGroup("g2", "G2", "bulkId:dup"),
		map[string]any{"method": "DELETE", "path": "/Users/bulkId:dup"},
	))
	want := []struct{ status, scimType string }{{"400", "invalidValue"}, {"409", "uniqueness"}, {"409", ""}, {"409", ""}}
	for i, op := range res.Operations {
		if op.Status != want[i].status || op.Response == nil || op.Response["status"] != want[i].status {
			t.Errorf("result %d = %+v, want %s with an error response", i, op, want[i].status)
			continue
		}
		if st, _ := op.Response["scimType"].(string); st != want[i].scimType {
			t.Errorf("result %d scimType %q, want %q", i, st, want[i].scimType)
		}
	}
	if res.Operations[1].Location != "" {
		t.Errorf("failed POST has location %q", res.Operations[1].Location)
	}
}

func TestFailOnErrors(t *testing.T) {
	bad := map[string]any{"method": "DELETE", "path": "/Users/missing"}
	ops := []map[string]any{postUser("a", "a"), bad, postUser("b", "b"), bad, postUser("c", "c"), bad}
	for _, c := range []struct {
		name    string
		limit   any
		results int
	}{{"absent", nil, 6}, {"zero", 0, 6}, {"one", 1, 2}, {"two", 2, 4}, {"large", 100, 6}} {
		t.Run(c.name, func(t *testing.T) {
			h, fake := newHandler()
			req := bulkReq(ops...)
			if c.limit != nil {
				req["failOnErrors"] = c.limit
			}
			res := doBulk(t, h, req)
			if res.Code != 200 || len(res.Operations) != c.results {
				t.Fatalf("got %d with %d results, want 200 with %d", res.Code, len(res.Operations), c.results)
			}
			if len(fake.calls) != c.results {
				t.Errorf("Inner ran %d operations, want %d", len(fake.calls), c.results)
			}
			if last := res.Operations[len(res.Operations)-1]; c.results < 6 && last.Status != "404" {
				t.Errorf("last reported %+v, want the error that reached the limit", last)
			}
		})
	}
}

func TestFailOnErrorsCountsValidationErrors(t *testing.T) {
	h, fake := newHandler()
	req := bulkReq(map[string]any{"method": "GET", "path": "/Users"}, postUser("a", "a"))
	req["failOnErrors"] = 1
	res := doBulk(t, h, req)
	if len(res.Operations) != 1 || res.Operations[0].Status != "400" || len(fake.calls) != 0 {
		t.Fatalf("got %+v with %d calls, want only the invalid operation", res.Operations, len(fake.calls))
	}
}

func TestFailOnErrorsStopsInsideCircle(t *testing.T) {
	h, _ := newHandler()
	req := bulkReq(
		postGroup("a", "A", "bulkId:b", "bulkId:c"),
		postGroup("b", "B", "bulkId:a"),
		map[string]any{"method": "POST", "path": "/Groups", "bulkId": "c", "data": map[string]any{}}, // 400 from Inner
	)
	req["failOnErrors"] = 1
	res := doBulk(t, h, req)
	got := map[string]string{}
	for _, op := range res.Operations {
		got[op.BulkID] = op.Status
	}
	if got["b"] != "409" || got["c"] != "400" || got["a"] != "" {
		t.Fatalf("statuses %v, want b 409 (never completed), c 400, a not processed", got)
	}
}

func TestVersionBecomesIfMatch(t *testing.T) {
	h, fake := newHandler()
	res := doBulk(t, h, bulkReq(postUser("u", "alice")))
	loc := res.Operations[0].Location
	id := idFromLocation(t, loc)
	res = doBulk(t, h, bulkReq(
		map[string]any{"method": "PUT", "path": "/Users/" + id, "version": `W/"9"`, "data": map[string]any{"userName": "x"}},
		map[string]any{"method": "PUT", "path": "/Users/" + id, "version": `W/"1"`, "data": map[string]any{"userName": "y"}},
		map[string]any{"method": "DELETE", "path": "/Users/" + id, "version": `W/"1"`},
	))
	want := []string{"412", "200", "412"}
	for i, op := range res.Operations {
		if op.Status != want[i] || op.Location != loc {
			t.Errorf("result %d = %+v, want %s at %s", i, op, want[i], loc)
		}
	}
	if res.Operations[1].Version != `W/"2"` {
		t.Errorf("version %q, want W/\"2\"", res.Operations[1].Version)
	}
	if got := fake.calls[len(fake.calls)-1].IfMatch; got != `W/"1"` {
		t.Errorf("If-Match %q", got)
	}
}

func TestOuterHeadersCopied(t *testing.T) {
	h, fake := newHandler()
	req := httptest.NewRequest(http.MethodPost, "https://scim.example"+testBase+"/Bulk",
		strings.NewReader(`{"schemas":["`+BulkRequestURN+`"],"Operations":[{"method":"POST","path":"Users","bulkId":"a","data":{"userName":"a"}}]}`))
	req.Header.Set("Authorization", testToken)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/scim+json")
	req.Header.Set("If-Match", `W/"outer"`)
	res := serve(t, h, req)
	if res.Operations[0].Status != "201" {
		t.Fatalf("got %+v", res.Operations)
	}
	c := fake.calls[0]
	if c.Auth != testToken || c.ContentType != "application/json" || c.Accept != "application/scim+json" ||
		c.IfMatch != "" || c.Host != "scim.example" || c.Path != testBase+"/Users" {
		t.Errorf("inner request %+v", c)
	}
	if !strings.HasPrefix(res.Operations[0].Location, "http://example.test/") {
		t.Errorf("location %q should be Inner's", res.Operations[0].Location)
	}
	// Without credentials every operation fails as Inner says.
	req = httptest.NewRequest(http.MethodPost, testBase+"/Bulk", strings.NewReader(`{"schemas":["`+BulkRequestURN+`"],"Operations":[{"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"b"}}]}`))
	if res := serve(t, h, req); res.Operations[0].Status != "401" {
		t.Errorf("without token: %+v", res.Operations)
	}
}

func TestLocationFallbacks(t *testing.T) {
	h, fake := newHandler()
	fake.noLocation = true
	res := doBulk(t, h, bulkReq(postUser("a", "alice")))
	if got := res.Operations[0].Location; !strings.HasPrefix(got, "http://example.test/scim/v2/Users/") {
		t.Fatalf("location %q, want meta.location", got)
	}
	// A DELETE has neither header nor body: the location is built from the path.
	id := idFromLocation(t, res.Operations[0].Location)
	req := httptest.NewRequest(http.MethodPost, "https://tls.example"+testBase+"/Bulk",
		strings.NewReader(`{"schemas":["`+BulkRequestURN+`"],"Operations":[{"method":"DELETE","path":"/Users/`+id+`"}]}`))
	req.Header.Set("Authorization", testToken)
	res = serve(t, h, req)
	if got := res.Operations[0].Location; got != "https://tls.example/scim/v2/Users/"+id {
		t.Errorf("DELETE location %q", got)
	}
}

func TestNonJSONErrorFromInnerIsWrapped(t *testing.T) {
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "teapot says no", http.StatusTeapot)
	})
	h := &Handler{Inner: inner, BasePath: testBase}
	res := doBulk(t, h, bulkReq(postUser("a", "alice")))
	r := res.Operations[0].Response
	if res.Operations[0].Status != "418" || r["status"] != "418" || !strings.Contains(r["detail"].(string), "teapot says no") ||
		!slices.Contains(r["schemas"].([]any), any(errorURN)) {
		t.Fatalf("got %+v", res.Operations[0])
	}
}

func TestNumbersAndEscapesForwardedUnchanged(t *testing.T) {
	h, fake := newHandler()
	body := `{"schemas":["` + BulkRequestURN + `"],"Operations":[{"method":"POST","path":"/Users","bulkId":"a",` +
		`"data":{"userName":"a<&>","x":12345678901234567890}}]}`
	doBulk(t, h, body)
	if got := fake.calls[0].Body["userName"]; got != "a<&>" {
		t.Errorf("userName %v", got)
	}
	if raw := fake.calls[0].RawBody; !strings.Contains(raw, `"x":12345678901234567890`) || !strings.Contains(raw, `"a<&>"`) {
		t.Errorf("forwarded body %s changed the number or escaped HTML", raw)
	}
}
