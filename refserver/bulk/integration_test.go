package bulk_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/bulk"
	"github.com/scimconform/scimconform/refserver/fault"
)

// These tests run Bulk inside the real reference server.

const (
	token   = "itest"
	base    = "/scim/v2"
	userURN = "urn:ietf:params:scim:schemas:core:2.0:User"
	grpURN  = "urn:ietf:params:scim:schemas:core:2.0:Group"
	entURN  = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
)

type opResult struct {
	Location string         `json:"location"`
	Method   string         `json:"method"`
	BulkID   string         `json:"bulkId"`
	Version  string         `json:"version"`
	Status   string         `json:"status"`
	Response map[string]any `json:"response"`
}

type bulkResponse struct {
	Schemas    []string   `json:"schemas"`
	Detail     string     `json:"detail"`
	Operations []opResult `json:"Operations"`
}

func newServer(t *testing.T, opts refserver.Options, faults ...string) *refserver.Server {
	t.Helper()
	opts.Token = token
	set, err := fault.NewSet(refserver.AllFaults(), faults...)
	if err != nil {
		t.Fatal(err)
	}
	opts.Faults = set
	s, err := refserver.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// call sends one request and decodes a JSON object answer.
func call(t *testing.T, s http.Handler, method, url string, body any, hdr ...string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	var raw string
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		raw = string(b)
	}
	req := httptest.NewRequest(method, url, strings.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	var doc map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &doc)
	return rec, doc
}

func runBulk(t *testing.T, s http.Handler, ops ...map[string]any) (int, bulkResponse) {
	t.Helper()
	return runBulkReq(t, s, map[string]any{"schemas": []string{bulk.BulkRequestURN}, "Operations": ops})
}

func runBulkReq(t *testing.T, s http.Handler, req map[string]any) (int, bulkResponse) {
	t.Helper()
	rec, _ := call(t, s, http.MethodPost, "http://scim.test"+base+"/Bulk", req)
	var res bulkResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatalf("bulk answer is not JSON: %v: %s", err, rec.Body.String())
	}
	return rec.Code, res
}

func user(bulkID, name string) map[string]any {
	return map[string]any{"method": "POST", "path": "/Users", "bulkId": bulkID,
		"data": map[string]any{"schemas": []string{userURN}, "userName": name}}
}

func group(bulkID, name, memberType string, refs ...string) map[string]any {
	members := []any{}
	for _, r := range refs {
		members = append(members, map[string]any{"type": memberType, "value": r})
	}
	return map[string]any{"method": "POST", "path": "/Groups", "bulkId": bulkID,
		"data": map[string]any{"schemas": []string{grpURN}, "displayName": name, "members": members}}
}

// get fetches a resource by its location and checks the bulk result agrees.
func get(t *testing.T, s http.Handler, op opResult) map[string]any {
	t.Helper()
	rec, doc := call(t, s, http.MethodGet, op.Location, nil)
	if rec.Code != 200 {
		t.Fatalf("GET %s: %d %s", op.Location, rec.Code, rec.Body.String())
	}
	meta, _ := doc["meta"].(map[string]any)
	if meta["location"] != op.Location {
		t.Errorf("bulk location %q, meta.location %v", op.Location, meta["location"])
	}
	return doc
}

func memberValues(doc map[string]any) []string {
	var out []string
	members, _ := doc["members"].([]any)
	for _, m := range members {
		v, _ := m.(map[string]any)["value"].(string)
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

func TestRefserverBulkIDReferences(t *testing.T) {
	s := newServer(t, refserver.Options{})
	code, res := runBulk(t, s, group("g", "Tour Guides", "User", "bulkId:u"), user("u", "alice"))
	if code != 200 || len(res.Operations) != 2 {
		t.Fatalf("got %d %+v", code, res)
	}
	for _, op := range res.Operations {
		if op.Status != "201" || op.Version == "" || op.Location == "" {
			t.Fatalf("result %+v", op)
		}
	}
	g := get(t, s, res.Operations[0])
	u := get(t, s, res.Operations[1])
	if got := memberValues(g); !slices.Equal(got, []string{u["id"].(string)}) {
		t.Errorf("members %v, want [%v]", got, u["id"])
	}
	if rec, _ := call(t, s, http.MethodGet, res.Operations[0].Location, nil); rec.Header().Get("ETag") == "" {
		t.Error("no ETag on the group")
	}
}

func TestRefserverCircularGroups(t *testing.T) {
	s := newServer(t, refserver.Options{})
	code, res := runBulk(t, s, group("qwerty", "Group A", "Group", "bulkId:ytrewq"), group("ytrewq", "Group B", "Group", "bulkId:qwerty"))
	if code != 200 || len(res.Operations) != 2 {
		t.Fatalf("got %d %+v", code, res)
	}
	for _, op := range res.Operations {
		if op.Status != "201" {
			t.Fatalf("result %+v", op)
		}
	}
	a, b := get(t, s, res.Operations[0]), get(t, s, res.Operations[1])
	if got := memberValues(a); !slices.Equal(got, []string{b["id"].(string)}) {
		t.Errorf("Group A members %v, want [%v]", got, b["id"])
	}
	if got := memberValues(b); !slices.Equal(got, []string{a["id"].(string)}) {
		t.Errorf("Group B members %v, want [%v]", got, a["id"])
	}
	rec, _ := call(t, s, http.MethodGet, res.Operations[0].Location, nil)
	if etag := rec.Header().Get("ETag"); etag != res.Operations[0].Version {
		t.Errorf("reported version %q, current ETag %q", res.Operations[0].Version, etag)
	}
}

func TestRefserverEnterpriseManager(t *testing.T) {
	s := newServer(t, refserver.Options{})
	bob := user("b", "bob")
	data := bob["data"].(map[string]any)
	data["schemas"] = []string{userURN, entURN}
	data[entURN] = map[string]any{"employeeNumber": "11250", "manager": map[string]any{"value": "bulkId:a"}}
	_, res := runBulk(t, s, bob, user("a", "alice"))
	if res.Operations[0].Status != "201" || res.Operations[1].Status != "201" {
		t.Fatalf("got %+v", res.Operations)
	}
	doc := get(t, s, res.Operations[0])
	alice := get(t, s, res.Operations[1])
	ext, _ := doc[entURN].(map[string]any)
	mgr, _ := ext["manager"].(map[string]any)
	if mgr["value"] != alice["id"] || ext["employeeNumber"] != "11250" {
		t.Errorf("enterprise extension %v, want manager %v", ext, alice["id"])
	}
}

func TestRefserverAllMethodsAndVersions(t *testing.T) {
	s := newServer(t, refserver.Options{})
	_, res := runBulk(t, s, user("u", "carol"), group("g", "G", "User"))
	uLoc, uVer := res.Operations[0].Location, res.Operations[0].Version
	id := uLoc[strings.LastIndex(uLoc, "/")+1:]
	gid := res.Operations[1].Location[strings.LastIndex(res.Operations[1].Location, "/")+1:]
	_, res = runBulk(t, s,
		map[string]any{"method": "PUT", "path": "/Users/" + id, "version": `W/"nope"`, "data": map[string]any{"schemas": []string{userURN}, "userName": "x"}},
		map[string]any{"method": "PUT", "path": "/Users/" + id, "version": uVer, "data": map[string]any{"schemas": []string{userURN}, "userName": "carol2"}},
		map[string]any{"method": "PATCH", "path": "/Groups/" + gid, "data": map[string]any{
			"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
			"Operations": []any{map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": id}}}}}},
		map[string]any{"method": "DELETE", "path": "/Users/" + id},
		map[string]any{"method": "DELETE", "path": "/Users/" + id},
	)
	want := []string{"412", "200", "200", "204", "404"}
	for i, op := range res.Operations {
		if op.Status != want[i] || op.Location == "" {
			t.Errorf("result %d = %+v, want %s with location", i, op, want[i])
		}
		if op.Status >= "400" && op.Response["detail"] == nil {
			t.Errorf("result %d has no error response", i)
		}
	}
	if res.Operations[1].Version == uVer || res.Operations[1].Version == "" {
		t.Errorf("PUT version %q, old %q", res.Operations[1].Version, uVer)
	}
	if _, g := call(t, s, http.MethodGet, res.Operations[2].Location, nil); len(memberValues(g)) != 0 {
		t.Errorf("deleted user still a member: %v", g["members"])
	}
}

func TestRefserverFailOnErrors(t *testing.T) {
	s := newServer(t, refserver.Options{})
	req := map[string]any{"schemas": []string{bulk.BulkRequestURN}, "failOnErrors": 1,
		"Operations": []any{user("a", "dave"), user("b", "dave"), user("c", "erin")}}
	code, res := runBulkReq(t, s, req)
	if code != 200 || len(res.Operations) != 2 || res.Operations[1].Status != "409" ||
		res.Operations[1].Response["scimType"] != "uniqueness" || res.Operations[1].Location != "" {
		t.Fatalf("got %d %+v", code, res.Operations)
	}
	if rec, doc := call(t, s, http.MethodGet, "http://scim.test"+base+`/Users?filter=userName%20eq%20%22erin%22`, nil); rec.Code != 200 || doc["totalResults"] != 0.0 {
		t.Errorf("operation after the limit ran: %d %v", rec.Code, doc)
	}
}

func TestRefserverLimits(t *testing.T) {
	s := newServer(t, refserver.Options{BulkMaxOperations: 2, BulkMaxPayloadSize: 2048})
	code, res := runBulk(t, s, user("a", "a"), user("b", "b"), user("c", "c"))
	if code != 413 || !strings.Contains(res.Detail, "maxOperations") {
		t.Errorf("3 operations: %d %q", code, res.Detail)
	}
	code, res = runBulk(t, s, user("a", strings.Repeat("a", 3000)))
	if code != 413 || !strings.Contains(res.Detail, "maxPayloadSize") {
		t.Errorf("large body: %d %q", code, res.Detail)
	}
	rec, doc := call(t, s, http.MethodGet, "http://scim.test"+base+"/ServiceProviderConfig", nil)
	b, _ := doc["bulk"].(map[string]any)
	if rec.Code != 200 || b["maxOperations"] != 2.0 || b["maxPayloadSize"] != 2048.0 {
		t.Errorf("advertised bulk %v", b)
	}
}

// Every bulk fault shows against the real server.
func TestRefserverBulkFaults(t *testing.T) {
	checks := map[string]func(s http.Handler) bool{
		bulk.FaultBulkIDUnresolved: func(s http.Handler) bool {
			_, res := runBulk(t, s, user("u", "f1"), group("g", "G", "User", "bulkId:u"))
			if res.Operations[1].Status != "201" {
				return true
			}
			_, g := call(t, s, http.MethodGet, res.Operations[1].Location, nil)
			return slices.Contains(memberValues(g), "bulkId:u")
		},
		bulk.FaultIgnoreFailOnErrors: func(s http.Handler) bool {
			_, res := runBulkReq(t, s, map[string]any{"schemas": []string{bulk.BulkRequestURN}, "failOnErrors": 1,
				"Operations": []any{map[string]any{"method": "DELETE", "path": "/Users/none"}, user("a", "f2")}})
			return len(res.Operations) == 2
		},
		bulk.FaultStopOnFirstError: func(s http.Handler) bool {
			_, res := runBulk(t, s, map[string]any{"method": "DELETE", "path": "/Users/none"}, user("a", "f3"))
			return len(res.Operations) == 1
		},
		bulk.FaultNoMaxOperations: func(s http.Handler) bool {
			var ops []map[string]any
			for i := 0; i < 3; i++ {
				ops = append(ops, user(fmt.Sprint(i), fmt.Sprint("f4-", i)))
			}
			code, _ := runBulk(t, s, ops...)
			return code != 413
		},
		bulk.FaultNoPayloadLimit: func(s http.Handler) bool {
			code, _ := runBulk(t, s, user("a", strings.Repeat("b", 3000)))
			return code != 413
		},
		bulk.FaultLimitNotNamed: func(s http.Handler) bool {
			_, res := runBulk(t, s, user("a", strings.Repeat("b", 3000)))
			return !strings.Contains(res.Detail, "maxPayloadSize")
		},
		bulk.FaultNoLocation: func(s http.Handler) bool {
			_, res := runBulk(t, s, user("a", "f5"))
			return res.Operations[0].Location == ""
		},
		bulk.FaultStatusWrong: func(s http.Handler) bool {
			_, res := runBulk(t, s, user("a", "f6"))
			return res.Operations[0].Status != "201"
		},
		bulk.FaultNoBulkIDEcho: func(s http.Handler) bool {
			_, res := runBulk(t, s, user("a", "f7"))
			return res.Operations[0].BulkID != "a"
		},
		bulk.FaultNoErrorResponse: func(s http.Handler) bool {
			_, res := runBulk(t, s, map[string]any{"method": "DELETE", "path": "/Users/none"})
			return res.Operations[0].Response == nil
		},
		bulk.FaultHTTPStatusWrong: func(s http.Handler) bool {
			code, _ := runBulk(t, s, user("a", "f8"))
			return code != 200
		},
		bulk.FaultVersionNotETag: func(s http.Handler) bool {
			_, res := runBulk(t, s, user("a", "f9"))
			rec, _ := call(t, s, http.MethodGet, res.Operations[0].Location, nil)
			return rec.Header().Get("ETag") != res.Operations[0].Version
		},
	}
	for _, f := range bulk.Faults {
		check := checks[f.Name]
		if check == nil {
			t.Errorf("no check for %s", f.Name)
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			opts := refserver.Options{BulkMaxOperations: 2, BulkMaxPayloadSize: 2048}
			if check(newServer(t, opts)) {
				t.Fatal("defect shows without the fault")
			}
			if !check(newServer(t, opts, f.Name)) {
				t.Fatal("defect does not show with the fault")
			}
		})
	}
}
