package selftest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// discoveryFake is a small SCIM service provider that serves only the
// discovery endpoints (RFC 7644 §4), correctly unless a test breaks it. Every
// optional feature is unadvertised, so suites other than discovery report NOT
// SUPPORTED. Discovery is public; every other path needs the bearer token and
// answers 404 (there are no resources), or 501 for /Bulk and /Me. Each test builds its own fake.
type discoveryFake struct {
	token         string
	spc           map[string]any
	resourceTypes []map[string]any
	schemas       []map[string]any
	// override may answer a request itself (return true) before the
	// default handling; a test uses it to break one rule.
	override func(w http.ResponseWriter, r *http.Request, path string) bool
	// headers are added to every response.
	headers http.Header
}

const (
	fakeBasePath   = "/scim/v2"
	fakeToken      = "fake-discovery-token"
	urnUser        = "urn:ietf:params:scim:schemas:core:2.0:User"
	urnGroup       = "urn:ietf:params:scim:schemas:core:2.0:Group"
	urnEnterprise  = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	urnSPC         = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	urnRT          = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	urnSchema      = "urn:ietf:params:scim:schemas:core:2.0:Schema"
	urnList        = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	urnError       = "urn:ietf:params:scim:api:messages:2.0:Error"
	scimMediaType  = "application/scim+json"
	tokenEnvForRun = "SCIMCONFORM_TOKEN=" + fakeToken
)

// newDiscoveryFake returns a correct fake. With resources it publishes the
// User (with the enterprise extension) and Group resource types and their
// schemas; without, it publishes none (so no resource suite runs).
func newDiscoveryFake(resources bool) *discoveryFake {
	f := &discoveryFake{token: fakeToken, spc: fakeSPC()}
	if resources {
		f.resourceTypes = []map[string]any{
			fakeResourceType("User", "/Users", urnUser, map[string]any{"schema": urnEnterprise, "required": false}),
			fakeResourceType("Group", "/Groups", urnGroup, nil),
		}
		f.schemas = []map[string]any{fakeUserSchema(), fakeEnterpriseSchema(), fakeGroupSchema()}
	}
	return f
}

// start serves the fake on a loopback port and returns its base URL.
func (f *discoveryFake) start(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return srv.URL + fakeBasePath
}

func (f *discoveryFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for k, vs := range f.headers {
		w.Header()[k] = vs
	}
	path, ok := strings.CutPrefix(r.URL.Path, fakeBasePath)
	if !ok {
		writeSCIMError(w, http.StatusNotFound, "not a SCIM path")
		return
	}
	if f.override != nil && f.override(w, r, path) {
		return
	}
	switch {
	case path == "/ServiceProviderConfig":
		writeJSON(w, http.StatusOK, f.spc)
	case path == "/ResourceTypes":
		writeJSON(w, http.StatusOK, listResponse(f.resourceTypes))
	case path == "/Schemas":
		writeJSON(w, http.StatusOK, listResponse(f.schemas))
	case strings.HasPrefix(path, "/ResourceTypes/"):
		f.serveByID(w, f.resourceTypes, strings.TrimPrefix(path, "/ResourceTypes/"))
	case strings.HasPrefix(path, "/Schemas/"):
		f.serveByID(w, f.schemas, strings.TrimPrefix(path, "/Schemas/"))
	case r.Header.Get("Authorization") != "Bearer "+f.token:
		w.Header().Set("WWW-Authenticate", `Bearer realm="fake"`)
		writeSCIMError(w, http.StatusUnauthorized, "a bearer token is required")
	case path == "/Bulk" || path == "/Me":
		// Bulk is not advertised and there is no /Me subject: a correct
		// server says it does not implement them (RFC 7644 §3.7, §3.11).
		writeSCIMError(w, http.StatusNotImplemented, "not implemented")
	default:
		writeSCIMError(w, http.StatusNotFound, "no such endpoint or resource")
	}
}

func (f *discoveryFake) serveByID(w http.ResponseWriter, items []map[string]any, id string) {
	for _, it := range items {
		if it["id"] == id {
			writeJSON(w, http.StatusOK, it)
			return
		}
	}
	writeSCIMError(w, http.StatusNotFound, "unknown id")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", scimMediaType)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeSCIMError(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, map[string]any{"schemas": []any{urnError}, "status": strconv.Itoa(status), "detail": detail})
}

func listResponse(items []map[string]any) map[string]any {
	res := make([]any, len(items))
	for i, it := range items {
		res[i] = it
	}
	return map[string]any{"schemas": []any{urnList}, "totalResults": len(items), "itemsPerPage": len(items),
		"startIndex": 1, "Resources": res}
}

func fakeSPC() map[string]any {
	off := func() map[string]any { return map[string]any{"supported": false} }
	return map[string]any{
		"schemas":          []any{urnSPC},
		"documentationUri": "https://example.com/help",
		"patch":            off(),
		"bulk":             map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           map[string]any{"supported": false, "maxResults": 0},
		"changePassword":   off(),
		"sort":             off(),
		"etag":             off(),
		"authenticationSchemes": []any{map[string]any{"type": "oauthbearertoken", "name": "OAuth Bearer Token",
			"description": "Authentication with a bearer token", "primary": true}},
		"meta": map[string]any{"resourceType": "ServiceProviderConfig", "location": "https://example.com/scim/v2/ServiceProviderConfig"},
	}
}

func fakeResourceType(name, endpoint, schema string, ext map[string]any) map[string]any {
	rt := map[string]any{"schemas": []any{urnRT}, "id": name, "name": name, "endpoint": endpoint,
		"description": name + " resources", "schema": schema,
		"meta": map[string]any{"resourceType": "ResourceType", "location": "https://example.com/scim/v2/ResourceTypes/" + name}}
	if ext != nil {
		rt["schemaExtensions"] = []any{ext}
	}
	return rt
}

// fakeAttr builds an attribute definition carrying every characteristic.
func fakeAttr(name, typ string, multi, required bool, subs ...map[string]any) map[string]any {
	a := map[string]any{"name": name, "type": typ, "multiValued": multi, "description": "The " + name + ".",
		"required": required, "caseExact": false, "mutability": "readWrite", "returned": "default", "uniqueness": "none"}
	if typ == "reference" {
		a["referenceTypes"] = []any{"external"}
	}
	if len(subs) > 0 {
		list := make([]any, len(subs))
		for i, s := range subs {
			list[i] = s
		}
		a["subAttributes"] = list
	}
	return a
}

func fakeSchema(id, name string, attrs ...map[string]any) map[string]any {
	list := make([]any, len(attrs))
	for i, a := range attrs {
		list[i] = a
	}
	return map[string]any{"schemas": []any{urnSchema}, "id": id, "name": name, "description": name + " schema",
		"attributes": list, "meta": map[string]any{"resourceType": "Schema", "location": "https://example.com/scim/v2/Schemas/" + id}}
}

func fakeUserSchema() map[string]any {
	userName := fakeAttr("userName", "string", false, true)
	userName["uniqueness"] = "server"
	return fakeSchema(urnUser, "User", userName,
		fakeAttr("name", "complex", false, false, fakeAttr("givenName", "string", false, false), fakeAttr("familyName", "string", false, false)),
		fakeAttr("active", "boolean", false, false),
		fakeAttr("emails", "complex", true, false, fakeAttr("value", "string", false, false), fakeAttr("type", "string", false, false),
			fakeAttr("primary", "boolean", false, false)),
		fakeAttr("profileUrl", "reference", false, false))
}

func fakeEnterpriseSchema() map[string]any {
	return fakeSchema(urnEnterprise, "EnterpriseUser", fakeAttr("employeeNumber", "string", false, false),
		fakeAttr("manager", "complex", false, false, fakeAttr("value", "string", false, false), fakeAttr("displayName", "string", false, false)))
}

func fakeGroupSchema() map[string]any {
	return fakeSchema(urnGroup, "Group", fakeAttr("displayName", "string", false, true),
		fakeAttr("members", "complex", true, false, fakeAttr("value", "string", false, false), fakeAttr("display", "string", false, false)))
}

// serveHuge answers with a JSON body of about n bytes, streamed without
// holding it in memory, and gives up when the client stops reading.
func serveHuge(w http.ResponseWriter, r *http.Request, n int) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(10 * time.Second))
	w.Header().Set("Content-Type", scimMediaType)
	if _, err := w.Write([]byte(`{"schemas":["` + urnList + `"],"totalResults":1,"Resources":[{"id":"`)); err != nil {
		return
	}
	chunk := []byte(strings.Repeat("A", 64<<10))
	for written := 0; written < n; written += len(chunk) {
		if r.Context().Err() != nil {
			return
		}
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
	_, _ = w.Write([]byte(`"}]}`))
}

// serveSlow starts a JSON body and then drips one byte every 250ms for five
// seconds, stopping when the client gives up.
func serveSlow(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", scimMediaType)
	_, _ = w.Write([]byte(`{"id":"User","name":"`))
	_ = rc.Flush()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for i := 0; i < 20; i++ {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			_ = rc.Flush()
		}
	}
	_, _ = w.Write([]byte(`"}`))
}

// hostile is what a hostile server puts in every string it controls.
const hostile = `<script>alert(1)</script>`

// makeHostile puts the hostile string in every string value and a header,
// breaks JSON on some endpoints, and serves a huge and a slow body.
func makeHostile(f *discoveryFake) {
	f.headers = http.Header{"X-Evil": {hostile}}
	f.spc = poison(f.spc).(map[string]any)
	f.spc["schemas"] = []any{urnSPC}
	for i := range f.resourceTypes {
		f.resourceTypes[i] = poison(f.resourceTypes[i]).(map[string]any)
	}
	f.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
		switch {
		case path == "/Schemas":
			serveHuge(w, r, 24<<20)
		case path == "/ResourceTypes" && r.URL.RawQuery != "":
			w.Header().Set("Content-Type", scimMediaType)
			_, _ = w.Write([]byte(`{"schemas":["` + hostile + `"],"totalResults":`))
		case strings.HasPrefix(path, "/ResourceTypes/"):
			serveSlow(w, r)
		case strings.HasPrefix(path, "/Schemas/"):
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(hostile))
		default:
			return false
		}
		return true
	}
}

// poison replaces every string value of a decoded document by the hostile string.
func poison(v any) any {
	switch x := v.(type) {
	case string:
		return hostile
	case []any:
		for i := range x {
			x[i] = poison(x[i])
		}
		return x
	case map[string]any:
		for k := range x {
			x[k] = poison(x[k])
		}
		return x
	default:
		return v
	}
}
