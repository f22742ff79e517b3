package scim

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRedirectToAnotherOriginIsNotFollowed(t *testing.T) {
	other, otherSeen := echoServer(t) // same host 127.0.0.1, another port
	mainSeen := &seen{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mainSeen.add(r)
		switch r.URL.Path {
		case "/scim/Away":
			http.Redirect(w, r, other.URL+"/landing?x=1", http.StatusPermanentRedirect)
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
		resp, err := c.Do(context.Background(), Request{Method: http.MethodPost, Path: "Away", Body: map[string]any{"password": "pw"},
			Header: http.Header{"Cookie": {"s=1"}}})
		if err != nil || resp.Status != http.StatusPermanentRedirect {
			t.Fatalf("%s: %v %v", auth.Scheme(), resp, err)
		}
		if n := otherSeen.count(); n != 0 {
			t.Fatalf("%s: the other origin received %d request(s)", auth.Scheme(), n)
		}
		if resp.NotFollowed != other.URL+"/landing?x=1" {
			t.Errorf("NotFollowed = %q", resp.NotFollowed)
		}
		if len(rec.All()) != 1 {
			t.Errorf("recorded %d exchanges, want the one redirect", len(rec.All()))
		}

		if _, err := c.Get(context.Background(), "Moved", nil); err != nil {
			t.Fatal(err)
		}
		r := mainSeen.last(t)
		if r.URL.Path != "/scim/Here" {
			t.Fatalf("same origin saw %s", r.URL.Path)
		}
		if r.Header.Get("X-Tenant") != "t1" {
			t.Errorf("%s: same-origin redirect lost the configured header", auth.Scheme())
		}
		if auth.Scheme() == "header" {
			if r.Header.Get("X-Api-Key") != "key-abcdef" {
				t.Errorf("same-origin redirect lost the API key")
			}
		} else if r.Header.Get("Authorization") == "" {
			t.Errorf("%s: same-origin redirect lost Authorization", auth.Scheme())
		}
	}
}

func TestRedirectFromHTTPSToHTTPIsNotFollowed(t *testing.T) {
	plain, plainSeen := echoServer(t)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/x", http.StatusMovedPermanently)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, Options{Auth: Bearer{Token: "tok-abcdef"}, Transport: srv.Client().Transport})
	resp, err := c.Get(context.Background(), "Users", nil)
	if err != nil || resp.Status != http.StatusMovedPermanently || resp.NotFollowed == "" {
		t.Fatalf("%+v %v", resp, err)
	}
	if plainSeen.count() != 0 {
		t.Error("the plain-http server received the request")
	}
}

func TestAbsoluteURLOnAnotherOriginIsNotFetched(t *testing.T) {
	other, otherSeen := echoServer(t)
	srv, mainSeen := echoServer(t)
	rec := NewRecorder()
	c := newTestClient(t, srv.URL+"/scim", Options{Auth: Bearer{Token: "tok-abcdef"}, Recorder: rec,
		Headers: http.Header{"X-Tenant": {"t1"}}})
	ctx := context.Background()
	_, err := c.Get(ctx, other.URL+"/scim/Users/1?access_token=tok-abcdef", nil) // a hostile meta.location
	var off *OffOriginError
	if !errors.As(err, &off) {
		t.Fatalf("err = %v, want *OffOriginError", err)
	}
	if otherSeen.count() != 0 || len(rec.All()) != 0 {
		t.Fatal("a request was sent to (or recorded for) another origin")
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "not fetched: "+other.URL+"/scim/Users/1?access_token=[REDACTED]") ||
		!strings.HasSuffix(msg, "is off the target's origin "+srv.URL) || strings.Contains(msg, "tok-abcdef") {
		t.Errorf("err = %q", msg)
	}
	if _, err := c.Get(ctx, srv.URL+"/scim/Users/1", nil); err != nil { // a genuine one
		t.Fatal(err)
	}
	if mainSeen.last(t).Header.Get("Authorization") != "Bearer tok-abcdef" {
		t.Error("meta.location on the base origin lost its credentials")
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
