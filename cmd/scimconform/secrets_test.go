package main

import (
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/runner"
)

// runTexts returns everything a run printed or wrote: stdout, stderr and
// every file of its report directory, by name.
func runTexts(t *testing.T, res selftest.Result) map[string]string {
	t.Helper()
	texts := map[string]string{"stdout": res.Stdout, "stderr": res.Stderr}
	entries, err := os.ReadDir(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(res.Dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		texts[e.Name()] = string(data)
	}
	return texts
}

// assertNoSecret greps stdout, stderr and every file of the report directory.
func assertNoSecret(t *testing.T, res selftest.Result, secrets ...string) {
	t.Helper()
	texts := runTexts(t, res)
	for _, name := range []string{reports.FileJUnit, reports.FileJSON, reports.FileHTML, reports.FileHAR} {
		if _, ok := texts[name]; !ok {
			t.Errorf("%s was not written", name)
		}
	}
	for name, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("secret %.6s... appears in %s", s, name)
			}
		}
	}
}

func TestBearerTokenNeverInAnyArtifact(t *testing.T) {
	t.Parallel()
	token := "tok-" + runner.RandomToken()
	res := selftest.Run(t, []string{"SCIMCONFORM_TOKEN=" + token}, "run", "-v")
	if res.Doc == nil || res.ExitCode == runner.ExitUsage {
		t.Fatalf("run did not complete: exit %d\n%s", res.ExitCode, res.Stderr)
	}
	if !strings.Contains(res.Stdout, "target: embedded reference server (no --url given) at http://127.0.0.1:") {
		t.Errorf("the embedded target is not announced:\n%s", firstLine(res.Stdout))
	}
	if !strings.Contains(readFile(t, filepath.Join(res.Dir, reports.FileHAR)), "Bearer [REDACTED]") {
		t.Error("exchanges.har should show the redacted Authorization header")
	}
	assertNoSecret(t, res, token)
}

// TestBasicCredentialsNeverInAnyArtifact runs through a proxy that demands
// basic credentials and forwards to the reference server with its token.
func TestBasicCredentialsNeverInAnyArtifact(t *testing.T) {
	t.Parallel()
	base, token := selftest.Refserver(t)
	target, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	user, password := "alice", "pw-"+runner.RandomToken()
	proxy := selftest.ReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || u != user || p != password {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		r.Header.Set("Authorization", "Bearer "+token)
		proxy.ServeHTTP(w, r)
	}))
	defer srv.Close()
	res := selftest.Run(t, []string{"SCIMCONFORM_USER=" + user, "SCIMCONFORM_PASSWORD=" + password},
		"run", "--url", srv.URL+target.Path, "-v")
	if res.Doc == nil || res.ExitCode == runner.ExitUsage {
		t.Fatalf("run did not complete: exit %d\n%s", res.ExitCode, res.Stderr)
	}
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
	assertNoSecret(t, res, password, basic)
}

// TestCAFileTrustsTheTarget runs over TLS with the server's certificate given
// by --ca-file (and fails without it).
func TestCAFileTrustsTheTarget(t *testing.T) {
	t.Parallel()
	base, token := selftest.Refserver(t)
	target, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(selftest.ReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host}))
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	block := &pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}
	if err := os.WriteFile(ca, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"SCIMCONFORM_TOKEN=" + token}
	res := selftest.Run(t, env, "run", "--url", srv.URL+target.Path, "--ca-file", ca, "--read-only")
	if res.Doc == nil || res.ExitCode == runner.ExitUsage {
		t.Fatalf("--ca-file run: exit %d\n%s", res.ExitCode, res.Stderr)
	}
	res = selftest.Run(t, env, "run", "--url", srv.URL+target.Path, "--insecure", "--read-only")
	if res.Doc == nil || res.ExitCode == runner.ExitUsage {
		t.Fatalf("--insecure run: exit %d\n%s", res.ExitCode, res.Stderr)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestOAuth2SecretsNeverInAnyArtifact runs with the client credentials grant
// against a fake token endpoint and a front that accepts only the issued
// access token; neither the client secret nor the access token may leak.
func TestOAuth2SecretsNeverInAnyArtifact(t *testing.T) {
	t.Parallel()
	base, token := selftest.Refserver(t)
	target, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	clientSecret, accessToken := "cs-"+runner.RandomToken(), "at-"+runner.RandomToken()
	issuer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		if !ok || id != "scim-tests" || secret != clientSecret || r.FormValue("grant_type") != "client_credentials" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"` + accessToken + `","token_type":"Bearer","expires_in":3600}`))
	}))
	defer issuer.Close()
	proxy := selftest.ReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+accessToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		r.Header.Set("Authorization", "Bearer "+token)
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()
	args := []string{"run", "--url", front.URL + target.Path, "--oauth2-token-url", issuer.URL + "/token",
		"--oauth2-client-id", "scim-tests", "--oauth2-scope", "scim", "-v"}
	res := selftest.Run(t, []string{"SCIMCONFORM_OAUTH2_CLIENT_SECRET=" + clientSecret}, args...)
	if res.Doc == nil || res.ExitCode == runner.ExitUsage {
		t.Fatalf("run did not complete: exit %d\n%s", res.ExitCode, res.Stderr)
	}
	assertNoSecret(t, res, clientSecret, accessToken)

	bad := selftest.Run(t, []string{"SCIMCONFORM_OAUTH2_CLIENT_SECRET=wrong-secret-value"}, args...)
	oneLine(t, bad, "cannot get an OAuth2 token")
	if strings.Contains(bad.Stderr, "wrong-secret-value") {
		t.Error("the client secret appears on stderr")
	}
}

// TestAuthHeaderSecretNeverInAnyArtifact runs with an API-key header from
// SCIMCONFORM_AUTH_HEADER through a front that accepts only that key.
func TestAuthHeaderSecretNeverInAnyArtifact(t *testing.T) {
	t.Parallel()
	base, token := selftest.Refserver(t)
	target, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	key := "key-" + runner.RandomToken()
	proxy := selftest.ReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != key {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		r.Header.Del("X-Api-Key")
		r.Header.Set("Authorization", "Bearer "+token)
		proxy.ServeHTTP(w, r)
	}))
	defer srv.Close()
	res := selftest.Run(t, []string{"SCIMCONFORM_AUTH_HEADER=X-Api-Key: " + key},
		"run", "--url", srv.URL+target.Path, "--label-filter", "area:auth-security || area:discovery || area:create", "-v")
	if res.Doc == nil || res.ExitCode == runner.ExitUsage {
		t.Fatalf("run did not complete: exit %d\n%s", res.ExitCode, res.Stderr)
	}
	if !strings.Contains(res.Stdout, "X-Api-Key: [REDACTED]") {
		t.Error("-v should show the credential header, redacted")
	}
	assertNoSecret(t, res, key)
}
