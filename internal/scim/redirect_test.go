package scim

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// credentialHeaders are what must never reach another host.
var credentialHeaders = []string{"Authorization", "X-Api-Key", "X-Tenant", "Cookie"}

func TestRedirectToAnotherHostDropsCredentials(t *testing.T) {
	other, otherSeen := echoServer(t)
	mainSeen := &seen{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mainSeen.add(r)
		switch r.URL.Path {
		case "/scim/Away":
			http.Redirect(w, r, other.URL+"/landing?x=1", http.StatusFound)
		case "/scim/Moved":
			http.Redirect(w, r, "/scim/Here", http.StatusTemporaryRedirect)
		default:
			_, _ = w.Write([]byte(`{}`))
		}
	}))
	defer srv.Close()
	for _, auth := range []Authenticator{Bearer{Token: "tok-abcdef"}, Basic{User: "u", Password: "pw-abcdef"},
		HeaderAuth{Headers: http.Header{"X-Api-Key": {"key-abcdef"}}}} {
		rec := NewRecorder()
		c := newTestClient(t, srv.URL+"/scim", Options{Auth: auth, Recorder: rec,
			Headers: http.Header{"X-Tenant": {"t1"}}})
		resp, err := c.Do(context.Background(), Request{Path: "Away", Header: http.Header{"Cookie": {"s=1"}}})
		if err != nil || resp.Status != 200 {
			t.Fatalf("%s: %v %v", auth.Scheme(), resp, err)
		}
		r := otherSeen.last(t)
		if r.URL.Path != "/landing" {
			t.Fatalf("other host saw %s", r.URL)
		}
		for _, h := range credentialHeaders {
			if v := r.Header.Get(h); v != "" {
				t.Errorf("%s: other host received %s: %s", auth.Scheme(), h, v)
			}
		}
		if !strings.HasPrefix(resp.URL, other.URL) {
			t.Errorf("Response.URL = %s, want the final URL", resp.URL)
		}
		if x := rec.All()[0]; x.Response.URL == "" || !strings.Contains(x.String(), "redirected to") {
			t.Errorf("transcript does not show the redirect:\n%s", x.String())
		}

		if _, err := c.Get(context.Background(), "Moved", nil); err != nil {
			t.Fatal(err)
		}
		r = mainSeen.last(t)
		if r.URL.Path != "/scim/Here" {
			t.Fatalf("same host saw %s", r.URL.Path)
		}
		if r.Header.Get("X-Tenant") != "t1" {
			t.Errorf("%s: same-host redirect lost the configured header", auth.Scheme())
		}
		if auth.Scheme() == "header" {
			if r.Header.Get("X-Api-Key") != "key-abcdef" {
				t.Errorf("same-host redirect lost the API key")
			}
		} else if r.Header.Get("Authorization") == "" {
			t.Errorf("%s: same-host redirect lost Authorization", auth.Scheme())
		}
	}
}

func TestRedirectDowngradeOrPortChangeDropsCredentials(t *testing.T) {
	other, otherSeen := echoServer(t) // same host 127.0.0.1, another port
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/x", http.StatusMovedPermanently)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, Options{Auth: Bearer{Token: "tok-abcdef"}})
	if _, err := c.Get(context.Background(), "Users", nil); err != nil {
		t.Fatal(err)
	}
	if v := otherSeen.last(t).Header.Get("Authorization"); v != "" {
		t.Errorf("another port received Authorization %q", v)
	}
}

func TestAbsoluteURLToAnotherHostGetsNoCredentials(t *testing.T) {
	other, otherSeen := echoServer(t)
	srv, mainSeen := echoServer(t)
	c := newTestClient(t, srv.URL+"/scim", Options{Auth: Bearer{Token: "tok-abcdef"}, Headers: http.Header{"X-Tenant": {"t1"}}})
	ctx := context.Background()
	if _, err := c.Get(ctx, other.URL+"/scim/Users/1", nil); err != nil { // a hostile meta.location
		t.Fatal(err)
	}
	for _, h := range credentialHeaders {
		if v := otherSeen.last(t).Header.Get(h); v != "" {
			t.Errorf("meta.location on another host received %s: %s", h, v)
		}
	}
	if _, err := c.Get(ctx, srv.URL+"/scim/Users/1", nil); err != nil { // a genuine one
		t.Fatal(err)
	}
	if mainSeen.last(t).Header.Get("Authorization") != "Bearer tok-abcdef" {
		t.Error("meta.location on the base host lost its credentials")
	}
}

func TestRedirectLoopStops(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL+r.URL.Path+"x", http.StatusFound)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, Options{})
	_, err := c.Get(context.Background(), "Users", nil)
	if err == nil || !strings.Contains(err.Error(), "stopped after 5 redirects") {
		t.Fatalf("err = %v", err)
	}
}
