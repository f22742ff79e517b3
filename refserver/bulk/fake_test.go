package bulk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const (
	testBase  = "/scim/v2"
	testToken = "Bearer s3cret"
	entURN    = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
)

// fakeSCIM is a tiny in-memory SCIM service for /Users and /Groups, standing
// in for the reference server: it checks the bearer token, If-Match, unique
// userName and that member and manager ids exist, and records every call.
type fakeSCIM struct {
	mu         sync.Mutex
	noLocation bool // omit the Location header (meta.location stays)
	failPatch  bool // answer every PATCH with 500
	seq        int
	store      map[string]map[string]map[string]any // "Users"/"Groups" → id → doc
	calls      []fakeCall
}

type fakeCall struct {
	Method, Path, Query, IfMatch, Auth, ContentType, Accept, Host string
	Body                                                          map[string]any
	RawBody                                                       string
}

func newFake() *fakeSCIM {
	return &fakeSCIM{store: map[string]map[string]map[string]any{"Users": {}, "Groups": {}}}
}

func (f *fakeSCIM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	_ = json.Unmarshal(raw, &body)
	f.calls = append(f.calls, fakeCall{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		IfMatch: r.Header.Get("If-Match"), Auth: r.Header.Get("Authorization"),
		ContentType: r.Header.Get("Content-Type"), Accept: r.Header.Get("Accept"), Host: r.Host, Body: body, RawBody: string(raw)})
	if r.Header.Get("Authorization") != testToken {
		fakeError(w, 401, "", "bad token")
		return
	}
	segs := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, testBase), "/"), "/")
	coll, ok := f.store[segs[0]]
	if !ok || len(segs) > 2 {
		fakeError(w, 404, "", "no such endpoint")
		return
	}
	if len(segs) == 1 {
		if r.Method != http.MethodPost {
			fakeError(w, 405, "", "method not allowed")
			return
		}
		f.create(w, r, segs[0], body)
		return
	}
	doc, ok := coll[segs[1]]
	if !ok {
		fakeError(w, 404, "", "resource not found")
		return
	}
	if m := r.Header.Get("If-Match"); m != "" && m != doc["meta"].(map[string]any)["version"] {
		fakeError(w, 412, "", "version mismatch")
		return
	}
	f.modify(w, r, segs[0], segs[1], doc, body)
}

func (f *fakeSCIM) create(w http.ResponseWriter, r *http.Request, typ string, body map[string]any) {
	if body == nil {
		fakeError(w, 400, "invalidSyntax", "no body")
		return
	}
	f.seq++
	id := fmt.Sprintf("%s-%d", strings.ToLower(typ[:1]), f.seq)
	if msg := f.validate(typ, id, body); msg != "" {
		fakeError(w, 400, "invalidValue", msg)
		return
	}
	if typ == "Users" && f.userNameTaken(body["userName"]) {
		fakeError(w, 409, "uniqueness", "userName taken")
		return
	}
	f.save(typ, id, body, 1)
	f.respond(w, r, 201, typ, id)
}

func (f *fakeSCIM) modify(w http.ResponseWriter, r *http.Request, typ, id string, doc, body map[string]any) {
	version := doc["meta"].(map[string]any)["v"].(int)
	switch r.Method {
	case http.MethodDelete:
		delete(f.store[typ], id)
		w.WriteHeader(204)
		return
	case http.MethodPut:
	case http.MethodPatch:
		if f.failPatch {
			fakeError(w, 500, "", "patch broken")
			return
		}
		body = applyFakePatch(doc, body)
	default:
		fakeError(w, 405, "", "method not allowed")
		return
	}
	if msg := f.validate(typ, id, body); msg != "" {
		fakeError(w, 400, "invalidValue", msg)
		return
	}
	f.save(typ, id, body, version+1)
	f.respond(w, r, 200, typ, id)
}

// validate checks required names and that referenced ids exist.
func (f *fakeSCIM) validate(typ, self string, body map[string]any) string {
	if typ == "Users" {
		if s, _ := body["userName"].(string); s == "" {
			return "userName required"
		}
		ext, _ := body[entURN].(map[string]any)
		mgr, _ := ext["manager"].(map[string]any)
		if v, ok := mgr["value"].(string); ok && f.store["Users"][v] == nil {
			return "unknown manager " + v
		}
		return ""
	}
	if s, _ := body["displayName"].(string); s == "" {
		return "displayName required"
	}
	members, _ := body["members"].([]any)
	for _, m := range members {
		v, _ := m.(map[string]any)["value"].(string)
		if f.store["Users"][v] == nil && f.store["Groups"][v] == nil && v != self {
			return "unknown member " + v
		}
	}
	return ""
}

func (f *fakeSCIM) userNameTaken(name any) bool {
	for _, u := range f.store["Users"] {
		if u["userName"] == name {
			return true
		}
	}
	return false
}

func (f *fakeSCIM) save(typ, id string, body map[string]any, version int) {
	doc := map[string]any{}
	for k, v := range body {
		doc[k] = v
	}
	doc["id"] = id
	doc["meta"] = map[string]any{"resourceType": typ[:len(typ)-1], "v": version,
		"version": fmt.Sprintf(`W/"%d"`, version), "location": "http://example.test" + testBase + "/" + typ + "/" + id}
	f.store[typ][id] = doc
}

func (f *fakeSCIM) respond(w http.ResponseWriter, r *http.Request, status int, typ, id string) {
	doc := f.store[typ][id]
	meta := doc["meta"].(map[string]any)
	if !f.noLocation {
		w.Header().Set("Location", meta["location"].(string))
	}
	w.Header().Set("ETag", meta["version"].(string))
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(doc)
}

// applyFakePatch supports add (with and without path) and replace.
func applyFakePatch(doc, body map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range doc {
		out[k] = v
	}
	ops, _ := body["Operations"].([]any)
	for _, o := range ops {
		op, _ := o.(map[string]any)
		path, _ := op["path"].(string)
		switch {
		case path == "members":
			cur, _ := out["members"].([]any)
			add, _ := op["value"].([]any)
			out["members"] = append(append([]any(nil), cur...), add...)
		case strings.HasPrefix(path, entURN+":"):
			ext, _ := out[entURN].(map[string]any)
			next := map[string]any{}
			for k, v := range ext {
				next[k] = v
			}
			next[strings.TrimPrefix(path, entURN+":")] = op["value"]
			out[entURN] = next
		case path != "":
			out[path] = op["value"]
		default:
			vals, _ := op["value"].(map[string]any)
			for k, v := range vals {
				out[k] = v
			}
		}
	}
	return out
}

func fakeError(w http.ResponseWriter, status int, scimType, detail string) {
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(status)
	body := map[string]any{"schemas": []string{errorURN}, "status": fmt.Sprint(status), "detail": detail}
	if scimType != "" {
		body["scimType"] = scimType
	}
	_ = json.NewEncoder(w).Encode(body)
}

// bulkResult is the decoded BulkResponse of a test.
type bulkResult struct {
	Code       int
	Raw        map[string]any
	Schemas    []string `json:"schemas"`
	Detail     string   `json:"detail"`
	ScimType   string   `json:"scimType"`
	Status     string   `json:"status"`
	Operations []struct {
		Location string         `json:"location"`
		Method   string         `json:"method"`
		BulkID   string         `json:"bulkId"`
		Version  string         `json:"version"`
		Status   string         `json:"status"`
		Response map[string]any `json:"response"`
	} `json:"Operations"`
}

// newHandler wires a Handler to a fresh fake.
func newHandler(faults ...string) (*Handler, *fakeSCIM) {
	fake := newFake()
	set := map[string]bool{}
	for _, n := range faults {
		set[n] = true
	}
	return &Handler{Inner: fake, BasePath: testBase, MaxOperations: 10, MaxPayloadSize: 4096, Faults: set}, fake
}

// doBulk posts body (a string or a value to marshal) to h.
func doBulk(t *testing.T, h http.Handler, body any) bulkResult {
	t.Helper()
	raw, ok := body.(string)
	if !ok {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		raw = string(b)
	}
	req := httptest.NewRequest(http.MethodPost, "http://example.test"+testBase+"/Bulk", strings.NewReader(raw))
	req.Header.Set("Authorization", testToken)
	req.Header.Set("Content-Type", "application/scim+json")
	return serve(t, h, req)
}

func serve(t *testing.T, h http.Handler, req *http.Request) bulkResult {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if ct := rec.Header().Get("Content-Type"); ct != "application/scim+json" {
		t.Errorf("Content-Type = %q, want application/scim+json", ct)
	}
	res := bulkResult{Code: rec.Code}
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, rec.Body.String())
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &res.Raw)
	return res
}

// bulkReq builds a BulkRequest with the given operations.
func bulkReq(ops ...map[string]any) map[string]any {
	return map[string]any{"schemas": []string{BulkRequestURN}, "Operations": ops}
}

func postUser(bulkID, userName string) map[string]any {
	return map[string]any{"method": "POST", "path": "/Users", "bulkId": bulkID,
		"data": map[string]any{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": userName}}
}

func postGroup(bulkID, name string, memberValues ...string) map[string]any {
	members := []any{}
	for _, v := range memberValues {
		members = append(members, map[string]any{"value": v})
	}
	return map[string]any{"method": "POST", "path": "/Groups", "bulkId": bulkID,
		"data": map[string]any{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Group"},
			"displayName": name, "members": members}}
}

// memberValues lists the member values of a stored group.
func (f *fakeSCIM) memberValues(id string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	members, _ := f.store["Groups"][id]["members"].([]any)
	for _, m := range members {
		v, _ := m.(map[string]any)["value"].(string)
		out = append(out, v)
	}
	return out
}

// idFromLocation is the last path segment of a location URL.
func idFromLocation(t *testing.T, loc string) string {
	t.Helper()
	i := strings.LastIndex(loc, "/")
	if loc == "" || i < 0 {
		t.Fatalf("no id in location %q", loc)
	}
	return loc[i+1:]
}
