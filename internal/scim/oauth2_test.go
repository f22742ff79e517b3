package scim

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testClientID     = "client id/1"
	testClientSecret = "cl!ent+secret value"
)

// tokenEndpoint is a fake OAuth2 token endpoint issuing tok-N tokens.
func tokenEndpoint(t *testing.T, expiresIn any) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var issued atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		idDec, _ := url.QueryUnescape(id)
		secretDec, _ := url.QueryUnescape(secret)
		if err := r.ParseForm(); err != nil || r.Method != http.MethodPost ||
			r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" ||
			r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("scope") != "scim.read scim.write" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"invalid_request"}`))
			return
		}
		if !ok || idDec != testClientID || secretDec != testClientSecret {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"bad secret ` + secretDec + `"}`))
			return
		}
		n := issued.Add(1)
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "tok-" + strconv.Itoa(int(n)) + "-opaque",
			"token_type": "Bearer", "expires_in": expiresIn})
	}))
	t.Cleanup(srv.Close)
	return srv, &issued
}

func TestOAuth2ClientCredentials(t *testing.T) {
	ep, issued := tokenEndpoint(t, 100)
	now := time.Unix(1_000_000, 0)
	var mu sync.Mutex
	o := &OAuth2ClientCredentials{TokenURL: ep.URL, ClientID: testClientID, ClientSecret: testClientSecret,
		Scopes: []string{"scim.read", "scim.write"},
		now:    func() time.Time { mu.Lock(); defer mu.Unlock(); return now }}
	srv, s := echoServer(t)
	rec := NewRecorder()
	c := newTestClient(t, srv.URL, Options{Auth: o, Recorder: rec})
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := c.Get(ctx, "Users", nil); err != nil {
			t.Fatal(err)
		}
	}
	if issued.Load() != 1 || s.last(t).Header.Get("Authorization") != "Bearer tok-1-opaque" {
		t.Fatalf("issued %d, sent %q: want one cached token", issued.Load(), s.last(t).Header.Get("Authorization"))
	}
	mu.Lock()
	now = now.Add(89 * time.Second) // still inside 90% of expires_in
	mu.Unlock()
	if _, err := c.Get(ctx, "Users", nil); err != nil || issued.Load() != 1 {
		t.Fatalf("refetched too early: issued %d, %v", issued.Load(), err)
	}
	mu.Lock()
	now = now.Add(2 * time.Second)
	mu.Unlock()
	if _, err := c.Get(ctx, "Users", nil); err != nil || issued.Load() != 2 {
		t.Fatalf("not refetched after expiry: issued %d, %v", issued.Load(), err)
	}
	if got := s.last(t).Header.Get("Authorization"); got != "Bearer tok-2-opaque" {
		t.Errorf("sent %q after refresh", got)
	}
	// A token fetched after New is still redacted.
	if got := c.Redactor().String("echo tok-2-opaque tok-1-opaque"); got != "echo "+Redacted+" "+Redacted {
		t.Errorf("fresh token not redacted: %q", got)
	}
	assertNoLeak(t, transcriptJSON(t, rec), "tok-1-opaque", "tok-2-opaque", testClientSecret)
}

func TestOAuth2AdoptsATokenAnotherClientHolds(t *testing.T) {
	ep, issued := tokenEndpoint(t, 100)
	newCreds := func() *OAuth2ClientCredentials {
		return &OAuth2ClientCredentials{TokenURL: ep.URL, ClientID: testClientID, ClientSecret: testClientSecret,
			Scopes: []string{"scim.read", "scim.write"}}
	}
	ctx := context.Background()
	parent := newCreds()
	tok, err := parent.Token(ctx)
	if err != nil || issued.Load() != 1 {
		t.Fatalf("parent token: %q %v (issued %d)", tok, err, issued.Load())
	}
	worker := newCreds()
	worker.Adopt(parent.Current())
	if got, err := worker.Token(ctx); err != nil || got != tok || issued.Load() != 1 {
		t.Errorf("worker token %q %v, want the adopted %q without a request (issued %d)", got, err, tok, issued.Load())
	}
	if secrets := strings.Join(worker.Secrets(), " "); !strings.Contains(secrets, tok) {
		t.Error("an adopted token must be redacted like a fetched one")
	}
	stale := newCreds()
	stale.Adopt("tok-stale", time.Now().Add(-time.Second))
	stale.Adopt("", time.Now().Add(time.Hour))
	if got, err := stale.Token(ctx); err != nil || got == "tok-stale" || got == "" || issued.Load() != 2 {
		t.Errorf("an expired or empty adopted token must be fetched anew: %q %v (issued %d)", got, err, issued.Load())
	}
}

func TestOAuth2TokenAnswerCutShortIsSaidSo(t *testing.T) {
	ep := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", "200")
		_, _ = w.Write([]byte(`{"access_token":"tok`)) // then the connection closes
	}))
	defer ep.Close()
	o := &OAuth2ClientCredentials{TokenURL: ep.URL, ClientID: testClientID, ClientSecret: testClientSecret}
	_, err := o.Token(context.Background())
	if err == nil || !strings.Contains(err.Error(), "answer was cut short") {
		t.Fatalf("err = %v, want the cut-short answer named", err)
	}
	assertNoLeak(t, err.Error(), testClientSecret, "client secret")
}

func TestOAuth2ConcurrentFetchOnce(t *testing.T) {
	ep, issued := tokenEndpoint(t, "3600")
	o := &OAuth2ClientCredentials{TokenURL: ep.URL, ClientID: testClientID, ClientSecret: testClientSecret,
		Scopes: []string{"scim.read", "scim.write"}}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := o.Token(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if issued.Load() != 1 {
		t.Errorf("8 concurrent callers caused %d token requests", issued.Load())
	}
}

func TestOAuth2Errors(t *testing.T) {
	ep, _ := tokenEndpoint(t, 60)
	wrong := &OAuth2ClientCredentials{TokenURL: ep.URL, ClientID: testClientID, ClientSecret: "wrong-secret-xyz",
		Scopes: []string{"scim.read", "scim.write"}}
	_, err := wrong.Token(context.Background())
	if err == nil || !strings.Contains(err.Error(), "answered 401 (invalid_client)") {
		t.Fatalf("err = %v", err)
	}
	assertNoLeak(t, err.Error(), "wrong-secret-xyz", "bad secret")

	srv, s := echoServer(t)
	c := newTestClient(t, srv.URL, Options{Auth: wrong})
	if _, err := c.Get(context.Background(), "Users", nil); err == nil || !strings.Contains(err.Error(), "authenticate request") {
		t.Errorf("request with a failing token fetch: %v", err)
	}
	if s.count() != 0 {
		t.Error("a request went out without a token")
	}

	down := &OAuth2ClientCredentials{TokenURL: "http://127.0.0.1:1/token?client_secret=" + url.QueryEscape(testClientSecret),
		ClientID: testClientID, ClientSecret: testClientSecret}
	_, err = down.Token(context.Background())
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("err = %v", err)
	}
	assertNoLeak(t, err.Error(), testClientSecret, url.QueryEscape(testClientSecret))

	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"token_type":"bearer"}`))
	}))
	defer bad.Close()
	o := &OAuth2ClientCredentials{TokenURL: bad.URL, ClientID: "a", ClientSecret: "b-secret"}
	if _, err := o.Token(context.Background()); err == nil || !strings.Contains(err.Error(), "no access_token") {
		t.Errorf("err = %v", err)
	}
	if o.Scheme() != "oauth2" || (&OAuth2ClientCredentials{}).Secrets() != nil {
		t.Error("scheme/secrets")
	}
}

func TestExpiresIn(t *testing.T) {
	cases := map[string]time.Duration{`60`: time.Minute, `"120"`: 2 * time.Minute, ``: time.Hour, `-1`: time.Hour,
		`"x"`: time.Hour, `1e3`: time.Hour, `99999999999`: time.Hour}
	for in, want := range cases {
		if got := expiresIn(json.RawMessage(in)); got != want {
			t.Errorf("expiresIn(%s) = %s, want %s", in, got, want)
		}
	}
}

// TestOAuth2TokenRequestNeverFollowsRedirects: a token endpoint redirecting
// (307/308, to another port of the same host, from https to http, or on the
// same origin) never gets the client credentials sent on, and the token
// request fails naming the redirect.
func TestOAuth2TokenRequestNeverFollowsRedirects(t *testing.T) {
	landing, landingSeen := echoServer(t) // plain http, another port of 127.0.0.1
	for _, tc := range []struct {
		name   string
		tls    bool
		status int
		target string // "" = the same server's /elsewhere
	}{
		{"307 to another port", false, http.StatusTemporaryRedirect, landing.URL + "/token"},
		{"308 to another port", false, http.StatusPermanentRedirect, landing.URL + "/token"},
		{"307 from https to http", true, http.StatusTemporaryRedirect, landing.URL + "/token"},
		{"308 from https to http", true, http.StatusPermanentRedirect, landing.URL + "/token"},
		{"308 on the same origin", false, http.StatusPermanentRedirect, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hits atomic.Int32
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if hits.Add(1) > 1 {
					t.Errorf("the token endpoint got a second request: %s", r.URL)
				}
				target := tc.target
				if target == "" {
					target = "/elsewhere"
				}
				http.Redirect(w, r, target, tc.status)
			})
			var srv *httptest.Server
			if tc.tls {
				srv = httptest.NewTLSServer(h)
			} else {
				srv = httptest.NewServer(h)
			}
			defer srv.Close()
			hc := srv.Client() // trusts the test certificate; its redirect policy must not matter
			hc.CheckRedirect = nil
			o := &OAuth2ClientCredentials{TokenURL: srv.URL + "/token", ClientID: testClientID,
				ClientSecret: testClientSecret, HTTP: hc}
			_, err := o.Token(context.Background())
			if err == nil || !strings.Contains(err.Error(), "a redirect") || !strings.Contains(err.Error(), "not followed") {
				t.Fatalf("err = %v", err)
			}
			assertNoLeak(t, err.Error(), testClientSecret, o.basicValue())
			if n := landingSeen.count(); n != 0 {
				t.Fatalf("the redirect target received %d request(s); Authorization %q", n, landingSeen.last(t).Header.Get("Authorization"))
			}
			if hits.Load() != 1 {
				t.Errorf("token endpoint saw %d requests", hits.Load())
			}
		})
	}
}
