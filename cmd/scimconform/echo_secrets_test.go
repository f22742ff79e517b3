package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/runner"
)

// echoLabels keeps the echo runs short while still covering creates (Location,
// meta.location), Groups ($ref), errors (detail), discovery, /Me and auth.
const echoLabels = "area:auth-security || area:discovery || area:create || area:errors || area:me || area:read"

// echoFront is a hostile front of the reference server: it accepts one
// credential and reflects it, in every form, into every response — a header,
// Set-Cookie, WWW-Authenticate, a member of every JSON object (so every
// ListResponse resource), every error detail — and names every Location,
// meta.location and $ref on another origin (trap), with the secret in the
// query.
type echoFront struct {
	accept  func(r *http.Request) bool
	secrets []string // raw secrets the server knows
	trap    string   // base URL of another origin
	proxy   *httputil.ReverseProxy
}

// echo is what the front reflects for one request: every form of every
// secret and the credential headers as received.
func (f *echoFront) echo(r *http.Request) string {
	var parts []string
	for _, s := range f.secrets {
		b := []byte(s)
		parts = append(parts, s, url.QueryEscape(s), url.PathEscape(s),
			base64.StdEncoding.EncodeToString(b), base64.URLEncoding.EncodeToString(b),
			base64.RawStdEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b))
	}
	parts = append(parts, "auth="+r.Header.Get("Authorization"), "key="+r.Header.Get("X-Api-Key"))
	return strings.Join(parts, " ")
}

// offOrigin moves a URL of the target to the trap origin, secret in the query.
func (f *echoFront) offOrigin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return f.trap + u.Path + "?echo=" + url.QueryEscape(f.secrets[0])
}

func (f *echoFront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	echo := f.echo(r)
	if !f.accept(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+strings.ReplaceAll(echo, `"`, "'")+`"`)
		w.Header().Set("Content-Type", "application/scim+json")
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:Error"},
			"status": "401", "detail": "rejected " + echo})
		return
	}
	r = r.WithContext(withEcho(r.Context(), echo))
	f.proxy.ServeHTTP(w, r)
}

// modify reflects the echo into a response of the reference server.
func (f *echoFront) modify(resp *http.Response) error {
	echo := echoOf(resp.Request.Context())
	resp.Header.Set("X-Echo", echo)
	resp.Header.Add("Set-Cookie", "session="+url.QueryEscape(f.secrets[0]))
	if loc := resp.Header.Get("Location"); loc != "" {
		resp.Header.Set("Location", f.offOrigin(loc))
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return err
	}
	var v any
	if json.Unmarshal(body, &v) == nil {
		v = f.poison(v, echo)
		body, _ = json.Marshal(v)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return nil
}

// poison adds the echo to every object and error detail and moves every
// meta.location and $ref off the target's origin.
func (f *echoFront) poison(v any, echo string) any {
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = f.poison(x[i], echo)
		}
	case map[string]any:
		for k, e := range x {
			switch s, isString := e.(string); {
			case isString && (k == "location" || k == "$ref"):
				x[k] = f.offOrigin(s)
			case isString && k == "detail":
				x[k] = s + " (" + echo + ")"
			default:
				x[k] = f.poison(e, echo)
			}
		}
		x["scimconformEcho"] = echo
	}
	return v
}

// startEchoFront starts the front of a fresh reference server and a trap
// server on another origin that counts what reaches it.
func startEchoFront(t *testing.T, accept func(*http.Request) bool, secrets ...string) (baseURL string, trapHits *atomic.Int32) {
	t.Helper()
	base, token := selftest.Refserver(t)
	target, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	trapHits = &atomic.Int32{}
	trap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		trapHits.Add(1)
		w.WriteHeader(http.StatusTeapot)
	}))
	t.Cleanup(trap.Close)
	f := &echoFront{accept: accept, secrets: secrets, trap: trap.URL}
	f.proxy = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(&url.URL{Scheme: target.Scheme, Host: target.Host})
			pr.Out.Header.Del("X-Api-Key")
			pr.Out.Header.Set("Authorization", "Bearer "+token)
		},
		ModifyResponse: f.modify,
		Transport:      selftest.WholeBodies{},
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return srv.URL + target.Path, trapHits
}

// assertNoSecretForm greps stdout, stderr and every report file for every
// form of every secret: the random core of each (which every raw, URL-,
// JSON-, HTML- or XML-escaped form and user:password contain) and its base64
// forms (standard and URL alphabets, padded or not, also HTML- or URL-escaped).
func assertNoSecretForm(t *testing.T, res selftest.Result, cores []string, secrets ...string) {
	t.Helper()
	forms := append([]string(nil), cores...)
	for _, s := range secrets {
		b := []byte(s)
		for _, f := range []string{base64.StdEncoding.EncodeToString(b), base64.URLEncoding.EncodeToString(b),
			base64.RawStdEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)} {
			forms = append(forms, f, html.EscapeString(strings.ReplaceAll(f, "+", "&#43;")), url.QueryEscape(f))
		}
	}
	texts := runTexts(t, res)
	if len(texts) < 6 {
		t.Errorf("only %d report files written", len(texts)-2)
	}
	for name, text := range texts {
		for _, f := range forms {
			if i := strings.Index(text, f); i >= 0 {
				t.Errorf("%s holds a secret form %q: ...%s...", name, f, text[max(0, i-80):min(len(text), i+len(f)+20)])
			}
		}
	}
}

// assertEchoRun checks that the run completed, saw the echo (redacted) in
// messages and notes, and never contacted the other origin.
func assertEchoRun(t *testing.T, res selftest.Result, trapHits *atomic.Int32) {
	t.Helper()
	if res.Doc == nil || res.ExitCode == runner.ExitUsage {
		t.Fatalf("run did not complete: exit %d\nstdout:\n%s\nstderr:\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	if n := trapHits.Load(); n != 0 {
		t.Errorf("the other origin named in Location/meta.location/$ref received %d request(s)", n)
	}
	sawRedactedMessage, sawNotFetched := false, false
	for _, r := range reports.Evaluate(*res.Doc).Results {
		texts := append(append([]string{r.Message}, r.Warnings...), r.Infos...)
		for _, s := range texts {
			sawRedactedMessage = sawRedactedMessage || strings.Contains(s, "[REDACTED]")
			sawNotFetched = sawNotFetched || strings.Contains(s, "not fetched: ")
		}
	}
	if !sawRedactedMessage {
		t.Error("no message, warning or info shows [REDACTED]: the echo did not reach the messages, so the test proves nothing")
	}
	if !sawNotFetched {
		t.Error("no spec says an off-origin URL was not fetched")
	}
	if !strings.Contains(res.Stdout, "[REDACTED]") {
		t.Error("stdout shows no [REDACTED]: the echo did not reach the terminal")
	}
}

func TestEchoedBearerTokenInNoForm(t *testing.T) {
	t.Parallel()
	core := runner.RandomToken()
	token := "tok+/=" + core
	base, trap := startEchoFront(t, func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer "+token }, token)
	res := selftest.Run(t, []string{"SCIMCONFORM_TOKEN=" + token}, "run", "--url", base, "--label-filter", echoLabels, "-v")
	assertEchoRun(t, res, trap)
	assertNoSecretForm(t, res, []string{core}, token)
}

func TestEchoedBasicCredentialsInNoForm(t *testing.T) {
	t.Parallel()
	core := runner.RandomToken()
	user, password := "alice", "pw +/&%"+core
	pair := user + ":" + password
	base, trap := startEchoFront(t, func(r *http.Request) bool {
		u, p, ok := r.BasicAuth()
		return ok && u == user && p == password
	}, password, pair, base64.StdEncoding.EncodeToString([]byte(pair)))
	res := selftest.Run(t, []string{"SCIMCONFORM_USER=" + user, "SCIMCONFORM_PASSWORD=" + password},
		"run", "--url", base, "--label-filter", echoLabels, "-v")
	assertEchoRun(t, res, trap)
	assertNoSecretForm(t, res, []string{core}, password, pair)
}

func TestEchoedAPIKeyInNoForm(t *testing.T) {
	t.Parallel()
	core := runner.RandomToken()
	key := "key/+=" + core
	base, trap := startEchoFront(t, func(r *http.Request) bool { return r.Header.Get("X-Api-Key") == key }, key)
	res := selftest.Run(t, []string{"SCIMCONFORM_AUTH_HEADER=X-Api-Key: " + key},
		"run", "--url", base, "--label-filter", echoLabels, "-v")
	assertEchoRun(t, res, trap)
	assertNoSecretForm(t, res, []string{core}, key)
}

func TestEchoedOAuth2SecretsInNoForm(t *testing.T) {
	t.Parallel()
	csCore, atCore := runner.RandomToken(), runner.RandomToken()
	clientID, clientSecret, accessToken := "scim-tests", "cs+/="+csCore, "at/+="+atCore
	issuer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
		if !ok || id != clientID || secret != clientSecret || r.FormValue("grant_type") != "client_credentials" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": accessToken, "token_type": "Bearer", "expires_in": 3600,
			"note": "issued for " + clientSecret})
	}))
	defer issuer.Close()
	base, trap := startEchoFront(t, func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer "+accessToken },
		accessToken, clientSecret, clientID+":"+clientSecret)
	res := selftest.Run(t, []string{"SCIMCONFORM_OAUTH2_CLIENT_SECRET=" + clientSecret},
		"run", "--url", base, "--oauth2-token-url", issuer.URL+"/token", "--oauth2-client-id", clientID,
		"--label-filter", echoLabels, "-v")
	assertEchoRun(t, res, trap)
	assertNoSecretForm(t, res, []string{csCore, atCore}, accessToken, clientSecret, clientID+":"+clientSecret)
}

type echoKey struct{}

func withEcho(ctx context.Context, echo string) context.Context {
	return context.WithValue(ctx, echoKey{}, echo)
}

func echoOf(ctx context.Context) string {
	s, _ := ctx.Value(echoKey{}).(string)
	return s
}
