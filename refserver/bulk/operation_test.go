package bulk

import (
	"testing"
)

func TestOperationValidation(t *testing.T) {
	user := map[string]any{"userName": "a"}
	cases := []struct {
		name     string
		op       any
		scimType string
		location bool
	}{
		{"not an object", "POST /Users", "invalidSyntax", false},
		{"method missing", map[string]any{"path": "/Users", "bulkId": "a", "data": user}, "invalidSyntax", false},
		{"method unknown", map[string]any{"method": "GET", "path": "/Users/1"}, "invalidSyntax", false},
		{"method not string", map[string]any{"method": 1, "path": "/Users/1"}, "invalidSyntax", false},
		{"bulkId missing on POST", map[string]any{"method": "POST", "path": "/Users", "data": user}, "invalidValue", false},
		{"bulkId not string", map[string]any{"method": "POST", "path": "/Users", "bulkId": 7, "data": user}, "invalidSyntax", false},
		{"path missing", map[string]any{"method": "POST", "bulkId": "a", "data": user}, "invalidValue", false},
		{"path not string", map[string]any{"method": "DELETE", "path": []any{"/Users/1"}}, "invalidSyntax", false},
		{"path to Bulk", map[string]any{"method": "POST", "path": "/Bulk", "bulkId": "a", "data": user}, "invalidValue", false},
		{"path to Bulk any case", map[string]any{"method": "DELETE", "path": "/bulk/1"}, "invalidValue", false},
		{"POST to a resource", map[string]any{"method": "POST", "path": "/Users/1", "bulkId": "a", "data": user}, "invalidValue", false},
		{"PUT to a collection", map[string]any{"method": "PUT", "path": "/Users", "data": user}, "invalidValue", false},
		{"DELETE too deep", map[string]any{"method": "DELETE", "path": "/Users/1/x"}, "invalidValue", false},
		{"absolute URL", map[string]any{"method": "DELETE", "path": "https://evil.example/Users/1"}, "invalidValue", false},
		{"dot segment", map[string]any{"method": "DELETE", "path": "/Users/../Bulk"}, "invalidValue", false},
		{"empty segment", map[string]any{"method": "DELETE", "path": "/Users//1"}, "invalidValue", false},
		{"data missing", map[string]any{"method": "PUT", "path": "/Users/1"}, "invalidValue", true},
		{"data not object", map[string]any{"method": "PATCH", "path": "/Users/1", "data": []any{}}, "invalidSyntax", true},
		{"version not string", map[string]any{"method": "DELETE", "path": "/Users/1", "version": 3}, "invalidSyntax", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, fake := newHandler()
			res := doBulk(t, h, map[string]any{"schemas": []string{BulkRequestURN}, "Operations": []any{c.op}})
			if res.Code != 200 || len(res.Operations) != 1 {
				t.Fatalf("got %d %v", res.Code, res.Raw)
			}
			op := res.Operations[0]
			if op.Status != "400" || op.Response["scimType"] != c.scimType || op.Response["status"] != "400" ||
				op.Response["detail"] == "" {
				t.Errorf("result %+v, want 400 %s with an error response", op, c.scimType)
			}
			if (op.Location != "") != c.location {
				t.Errorf("location %q, want present=%v", op.Location, c.location)
			}
			if len(fake.calls) != 0 {
				t.Errorf("Inner was called for an invalid operation")
			}
		})
	}
}

func TestDuplicateBulkID(t *testing.T) {
	h, fake := newHandler()
	res := doBulk(t, h, bulkReq(postUser("a", "alice"), postUser("a", "bob")))
	if res.Operations[0].Status != "201" || res.Operations[1].Status != "400" ||
		res.Operations[1].Response["scimType"] != "invalidValue" || res.Operations[1].BulkID != "a" {
		t.Fatalf("got %+v", res.Operations)
	}
	if len(fake.calls) != 1 {
		t.Errorf("Inner called %d times, want 1", len(fake.calls))
	}
}

func TestLenientMethodAndPath(t *testing.T) {
	h, fake := newHandler()
	res := doBulk(t, h, bulkReq(map[string]any{"Method": "post", "PATH": "Users/", "BULKID": "x", "Data": map[string]any{"userName": "a"}}))
	op := res.Operations[0]
	if op.Status != "201" || op.Method != "POST" || op.BulkID != "x" {
		t.Fatalf("got %+v", op)
	}
	if fake.calls[0].Method != "POST" || fake.calls[0].Path != testBase+"/Users" {
		t.Errorf("inner call %+v", fake.calls[0])
	}
}

func TestQueryForwarded(t *testing.T) {
	h, fake := newHandler()
	doBulk(t, h, bulkReq(map[string]any{"method": "POST", "path": "/Users?attributes=userName", "bulkId": "x", "data": map[string]any{"userName": "a"}}))
	if fake.calls[0].Query != "attributes=userName" || fake.calls[0].Path != testBase+"/Users" {
		t.Errorf("inner call %+v", fake.calls[0])
	}
}

func TestVersionIgnoredOnPost(t *testing.T) {
	h, fake := newHandler()
	op := postUser("a", "alice")
	op["version"] = `W/"1"`
	if res := doBulk(t, h, bulkReq(op)); res.Operations[0].Status != "201" || fake.calls[0].IfMatch != "" {
		t.Fatalf("got %+v, If-Match %q", res.Operations, fake.calls[0].IfMatch)
	}
}

func TestDeleteIgnoresData(t *testing.T) {
	h, fake := newHandler()
	res := doBulk(t, h, bulkReq(postUser("a", "alice"),
		map[string]any{"method": "DELETE", "path": "/Users/bulkId:a", "data": map[string]any{"x": "bulkId:nobody"}}))
	if res.Operations[1].Status != "204" || fake.calls[1].RawBody != "" || fake.calls[1].ContentType != "" {
		t.Fatalf("got %+v, call %+v", res.Operations, fake.calls[1])
	}
}
