package runner

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

const spcDoc = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
"patch":{"supported":true},"bulk":{"supported":true,"maxOperations":10,"maxPayloadSize":1000},
"filter":{"supported":true,"maxResults":50},"changePassword":{"supported":false},
"sort":{"supported":false},"etag":{"supported":true}}`

const rtDoc = `{"Resources":[{"id":"User","name":"User","endpoint":"/Users","schema":"urn:ietf:params:scim:schemas:core:2.0:User"},
{"id":"Group","name":"Group","endpoint":"/Groups","schema":"urn:ietf:params:scim:schemas:core:2.0:Group"}]}`

// discoveryFake serves the three discovery documents, with overrides per path
// (status code; body).
func discoveryFake(t *testing.T, status map[string]int, body map[string]string) *httptest.Server {
	t.Helper()
	docs := map[string]string{"/ServiceProviderConfig": spcDoc, "/ResourceTypes": rtDoc, "/Schemas": `{"Resources":[]}`}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, "/scim")
		if b, ok := body[p]; ok {
			docs[p] = b
		}
		if s, ok := status[p]; ok {
			w.WriteHeader(s)
			return
		}
		w.Header().Set("Content-Type", "application/scim+json")
		_, _ = w.Write([]byte(docs[p]))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func testClient(t *testing.T, base string, rec *scim.Recorder) *scim.Client {
	t.Helper()
	c, err := scim.New(scim.Options{BaseURL: base, RequestTimeout: 2 * time.Second, Recorder: rec, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPreflightReadsCapabilitiesOnce(t *testing.T) {
	srv := discoveryFake(t, nil, nil)
	rec := scim.NewRecorder()
	pf, err := preflight(context.Background(), testClient(t, srv.URL+"/scim", rec), true)
	if err != nil {
		t.Fatal(err)
	}
	if !pf.Caps.Has(spec.FeatureBulk) || pf.Caps.Has(spec.FeatureSort) || !pf.Caps.Has(spec.FeatureGroups) {
		t.Errorf("capabilities: %+v", pf.Caps.List())
	}
	if pf.Caps.Limits.FilterMaxResults != 50 {
		t.Errorf("limits: %+v", pf.Caps.Limits)
	}
	if n := len(rec.All()); n != 3 {
		t.Errorf("preflight made %d requests, want 3 (recorded)", n)
	}
}

func TestPreflightStopsWithOneLine(t *testing.T) {
	cases := []struct {
		name         string
		status       map[string]int
		body         map[string]string
		credentialed bool
		want         string
	}{
		{"401 without credentials", map[string]int{"/ServiceProviderConfig": 401}, nil, false, "requires credentials"},
		{"401 with credentials", map[string]int{"/ServiceProviderConfig": 401}, nil, true, "rejected the credentials"},
		{"403 on schemas", map[string]int{"/Schemas": 403}, nil, true, "403"},
		{"404 spc", map[string]int{"/ServiceProviderConfig": 404}, nil, true, "is this the SCIM base URL"},
		{"html spc", nil, map[string]string{"/ServiceProviderConfig": "<html>login</html>"}, true, "not return a JSON object"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := discoveryFake(t, tc.status, tc.body)
			_, err := preflight(context.Background(), testClient(t, srv.URL+"/scim", nil), tc.credentialed)
			var pe *PreflightError
			if err == nil || !asPreflight(err, &pe) {
				t.Fatalf("want a PreflightError, got %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %q, want one line containing %q", err, tc.want)
			}
		})
	}
}

func asPreflight(err error, target **PreflightError) bool {
	pe, ok := err.(*PreflightError)
	*target = pe
	return ok
}

func TestPreflightUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	_, err := preflight(context.Background(), testClient(t, base, nil), false)
	if err == nil || !strings.HasPrefix(err.Error(), "cannot reach "+base) {
		t.Fatalf("got %v", err)
	}
}

func TestPreflightNotesBrokenSecondaryDocuments(t *testing.T) {
	srv := discoveryFake(t, map[string]int{"/ResourceTypes": 500}, map[string]string{"/Schemas": "not json"})
	pf, err := preflight(context.Background(), testClient(t, srv.URL, nil), true)
	if err != nil {
		t.Fatalf("a broken /ResourceTypes is for the discovery suite to judge, not a preflight error: %v", err)
	}
	if len(pf.Notes) == 0 || !strings.Contains(strings.Join(pf.Notes, "\n"), "/ResourceTypes answered 500") {
		t.Errorf("notes: %v", pf.Notes)
	}
	// The User and Group suites still run: assumed, and the report says so.
	if !pf.Caps.Has(spec.FeatureUsers) || !strings.Contains(strings.Join(pf.Notes, "\n"), "Users and Groups are assumed") {
		t.Errorf("users %v, notes %v", pf.Caps.Has(spec.FeatureUsers), pf.Notes)
	}
}

func TestTransportReason(t *testing.T) {
	cases := map[string]string{
		"GET http://h:1/scim/ServiceProviderConfig: cannot connect (connection refused)": "cannot connect (connection refused)",
		"something else": "something else",
	}
	for in, want := range cases {
		if got := transportReason(errString(in)); got != want {
			t.Errorf("transportReason(%q) = %q, want %q", in, got, want)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }

// jsonOnly wraps h: 406 to any Accept naming the SCIM media type (a server
// that speaks only application/json), or to every request when always.
func jsonOnly(h http.Handler, always bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if always || strings.Contains(r.Header.Get("Accept"), scim.MediaType) {
			w.WriteHeader(http.StatusNotAcceptable)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func TestPreflightFallsBackToPlainJSONWhenTheSCIMMediaTypeIsRefused(t *testing.T) {
	srv := discoveryFake(t, nil, nil)
	only := httptest.NewServer(jsonOnly(srv.Config.Handler, false))
	t.Cleanup(only.Close)
	client := testClient(t, only.URL+"/scim", nil)
	pf, err := preflight(context.Background(), client, true)
	if err != nil {
		t.Fatalf("a server refusing only the SCIM media type must not stop the run: %v", err)
	}
	if client.Accept() != "application/json" || !pf.Caps.Has(spec.FeatureBulk) {
		t.Errorf("the run must go on with Accept: application/json and the capabilities read: accept %q", client.Accept())
	}
	if len(pf.Notes) == 0 || !strings.Contains(pf.Notes[0], "7644-3.8-05") {
		t.Errorf("the fallback must be noted, naming the rule that judges it: %q", pf.Notes)
	}

	never := httptest.NewServer(jsonOnly(srv.Config.Handler, true))
	t.Cleanup(never.Close)
	client = testClient(t, never.URL+"/scim", nil)
	_, err = preflight(context.Background(), client, true)
	var pe *PreflightError
	if !errors.As(err, &pe) || !strings.Contains(pe.Msg, "406") || client.Accept() != scim.DefaultAccept {
		t.Errorf("406 to every Accept is a preflight error naming it, the Accept unchanged: %v (accept %q)", err, client.Accept())
	}
}
