package refserver

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

var fuzzMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

// fuzzHarness builds a server with one User and one Group whose ids
// replace {user} and {group} in fuzzed paths and bodies.
func fuzzHarness(t testing.TB) (*harness, *strings.Replacer) {
	h := newHarness(t)
	u := h.createUser("fuzz-user", "emails", []any{map[string]any{"value": "f@x", "primary": true}})
	g := h.mustCreate("/Groups", group("fuzz-group", u)).str("id")
	return h, strings.NewReplacer("{user}", u, "{group}", g)
}

// FuzzHandler sends arbitrary methods, paths and bodies: the server must
// never answer 5xx to client input.
func FuzzHandler(f *testing.F) {
	seeds := []struct {
		m          byte
		path, body string
	}{
		{0, "/Users?filter=userName%20sw%20%22f%22&sortBy=emails.value&attributes=name.givenName", ""},
		{1, "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","emails":[{"value":1}]}`},
		{1, "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"g","members":[{"value":"{user}"},null,7]}`},
		{2, "/Users/{user}", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"b","name":{"givenName":[1]}}`},
		{3, "/Users/{user}", `{"Operations":[{"op":"replace","path":"emails[value eq \"f@x\"].primary","value":false}]}`},
		{3, "/Groups/{group}", `{"Operations":[{"op":"remove","path":"members[value eq \"{user}\"]"},{"op":"add","value":{"members":[{"value":"{group}"}]}}]}`},
		{3, "/Me", `{"Operations":[{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":"{user}"}}]}`},
		{1, "/.search", `{"filter":"meta.lastModified gt \"2020-01-01T00:00:00Z\"","cursor":"","count":1e308,"sortBy":"meta.created"}`},
		{1, "/Users/.search", `{"attributes":"userName,","startIndex":-1e9,"count":"-5","excludedAttributes":[null]}`},
		{0, "/Users?cursor=AAAA&count=1", ""},
		{4, "/Groups/{group}", ""},
		{1, "/Bulk", `{"Operations":[{"method":"PATCH","path":"/Users/{user}","data":{"Operations":[]}}]}`},
		{0, "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User?filter=(", ""},
		{1, "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","x509Certificates":[{"value":"%%%"}],"active":"true"}`},
	}
	for _, s := range seeds {
		f.Add(s.m, s.path, s.body)
	}
	h, repl := fuzzHarness(f)
	f.Fuzz(func(t *testing.T, m byte, path, body string) {
		method := fuzzMethods[int(m)%len(fuzzMethods)]
		target := "/scim/v2" + repl.Replace(path)
		if _, err := url.ParseRequestURI(target); err != nil {
			return
		}
		req, err := http.NewRequest(method, target, strings.NewReader(repl.Replace(body)))
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Content-Type", "application/scim+json")
		w := httptest.NewRecorder()
		h.s.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s %q → %d %s", method, target, body, w.Code, w.Body)
		}
	})
}

// FuzzQuery fuzzes the query parameters of GET lists and of .search.
func FuzzQuery(f *testing.F) {
	for _, s := range [][4]string{
		{`userName sw "f"`, "userName", "descending", "name.givenName"},
		{`emails[type eq "work" and value co "@"] or not (active eq true)`, "emails", "", ""},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value pr`, ent + ":employeeNumber", "x", ent},
		{`meta.created ge "2020-01-01T00:00:00Z"`, "meta.created", "ascending", "meta"},
		{`groups.value eq "x"`, "groups.display", "", "groups"},
		{`(((`, "...", "", ",,"},
	} {
		f.Add(s[0], s[1], s[2], s[3], "1", "10")
	}
	h, _ := fuzzHarness(f)
	f.Fuzz(func(t *testing.T, filter, sortBy, sortOrder, attrs, start, count string) {
		h.t = t // targets run one at a time in a process
		q := url.Values{"filter": {filter}, "sortBy": {sortBy}, "sortOrder": {sortOrder}, "attributes": {attrs},
			"startIndex": {start}, "count": {count}}
		for _, path := range []string{"/Users?", "/?", "/Groups?cursor&"} {
			if r := h.do("GET", path+q.Encode(), nil); r.status >= 500 {
				t.Fatalf("GET %s: %d %s", q.Encode(), r.status, r.raw)
			}
		}
		body := map[string]any{"filter": filter, "sortBy": sortBy, "sortOrder": sortOrder, "attributes": attrs,
			"startIndex": start, "count": count, "excludedAttributes": attrs}
		if r := h.do("POST", "/.search", body); r.status >= 500 {
			t.Fatalf("POST .search %v: %d %s", body, r.status, r.raw)
		}
	})
}
