package scim

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// OAuth2ClientCredentials fetches and caches a bearer token with the OAuth 2.0
// client credentials grant (RFC 6749 §4.4), authenticating the client with
// HTTP basic (RFC 6749 §2.3.1). It is safe for concurrent use; use it by
// pointer.
type OAuth2ClientCredentials struct {
	TokenURL     string
	ClientID     string
	ClientSecret string
	Scopes       []string
	// HTTP is the client used for the token endpoint (nil: a 30s-timeout
	// client with NewTransport(nil)). Its redirect policy is not used: the
	// token request never follows a redirect, since it carries the client
	// secret.
	HTTP *http.Client

	fetchMu sync.Mutex // one token request at a time
	mu      sync.Mutex // guards token, expires and previous
	token   string
	expires time.Time
	// previous tokens stay redacted after a refresh (bounded).
	previous []string
	now      func() time.Time // tests
}

// Apply implements Authenticator.
func (o *OAuth2ClientCredentials) Apply(ctx context.Context, req *http.Request) error {
	tok, err := o.Token(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// ApplyInvalid implements Authenticator.
func (o *OAuth2ClientCredentials) ApplyInvalid(req *http.Request) error {
	req.Header.Set("Authorization", "Bearer scimconform-invalid-token")
	return nil
}

// Secrets implements Authenticator: the client secret, its basic-auth form
// (and the base64 of the unescaped id:secret pair a server may echo), the
// current access token and the last few replaced ones.
func (o *OAuth2ClientCredentials) Secrets() []string {
	var s []string
	if o.ClientSecret != "" {
		s = append(s, o.ClientSecret, o.basicValue(),
			base64.StdEncoding.EncodeToString([]byte(o.ClientID+":"+o.ClientSecret)))
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.token != "" {
		s = append(s, o.token)
	}
	return append(s, o.previous...)
}

// HeaderNames implements Authenticator.
func (o *OAuth2ClientCredentials) HeaderNames() []string { return []string{"Authorization"} }

// Scheme implements Authenticator.
func (o *OAuth2ClientCredentials) Scheme() string { return "oauth2" }

// basicValue is the base64 client credential of the token request
// (id and secret form-encoded first, RFC 6749 §2.3.1).
func (o *OAuth2ClientCredentials) basicValue() string {
	pair := url.QueryEscape(o.ClientID) + ":" + url.QueryEscape(o.ClientSecret)
	return base64.StdEncoding.EncodeToString([]byte(pair))
}

func (o *OAuth2ClientCredentials) clock() time.Time {
	if o.now != nil {
		return o.now()
	}
	return time.Now()
}

// cached returns the token when it is still valid.
func (o *OAuth2ClientCredentials) cached() (string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.token != "" && o.clock().Before(o.expires) {
		return o.token, true
	}
	return "", false
}

// Current returns the cached access token and when it stops being used
// ("" when none is cached).
func (o *OAuth2ClientCredentials) Current() (token string, expires time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.token, o.expires
}

// Adopt caches a token another client of the same credential fetched (the
// parent of a parallel run hands its token to every worker, so one run asks
// the token endpoint once, not once per process). A token past expires is
// ignored; the next Token call fetches a new one as usual.
func (o *OAuth2ClientCredentials) Adopt(token string, expires time.Time) {
	if token == "" || !o.clock().Before(expires) {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.token, o.expires = token, expires
}

// Token returns a cached access token, fetching a new one when it has
// expired (10% before expires_in runs out; one hour when not given).
func (o *OAuth2ClientCredentials) Token(ctx context.Context) (string, error) {
	if tok, ok := o.cached(); ok {
		return tok, nil
	}
	o.fetchMu.Lock()
	defer o.fetchMu.Unlock()
	if tok, ok := o.cached(); ok { // fetched by another caller meanwhile
		return tok, nil
	}
	tok, ttl, err := o.fetch(ctx)
	if err != nil {
		return "", err
	}
	o.mu.Lock()
	if o.token != "" && o.token != tok {
		o.previous = append(o.previous, o.token)
		if len(o.previous) > 16 {
			o.previous = o.previous[1:]
		}
	}
	o.token, o.expires = tok, o.clock().Add(ttl-ttl/10)
	o.mu.Unlock()
	return tok, nil
}

// fetch runs one token request. Its errors never carry the secret.
func (o *OAuth2ClientCredentials) fetch(ctx context.Context) (string, time.Duration, error) {
	form := url.Values{"grant_type": {"client_credentials"}}
	if len(o.Scopes) > 0 {
		form.Set("scope", strings.Join(o.Scopes, " "))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, fmt.Errorf("oauth2 token URL is not valid: %s", NewRedactor(o.Secrets()).String(err.Error()))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Basic "+o.basicValue())
	hc := http.Client{Timeout: 30 * time.Second, Transport: NewTransport(nil)}
	if o.HTTP != nil {
		hc = *o.HTTP
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		msg := NewRedactor(o.Secrets()).String(describeTransportError(err))
		return "", 0, &TransportError{Method: http.MethodPost, URL: NewRedactor(nil).URL(o.TokenURL),
			Reason: "oauth2 token endpoint: " + msg, Err: err}
	}
	defer resp.Body.Close()
	body, _, readErr := readBounded(resp.Body, 1<<20, 0)
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if readErr != nil {
		msg := NewRedactor(o.Secrets()).String(describeTransportError(readErr))
		return "", 0, &TransportError{Method: http.MethodPost, URL: NewRedactor(nil).URL(o.TokenURL),
			Reason: fmt.Sprintf("oauth2 token endpoint: the %d answer was cut short: %s", resp.StatusCode, msg), Err: readErr}
	}
	var tr struct {
		AccessToken string          `json:"access_token"`
		TokenType   string          `json:"token_type"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
		Error       string          `json:"error"`
	}
	jsonErr := json.Unmarshal(body, &tr)
	if isRedirect(resp.StatusCode) {
		where := ""
		if u, err := resp.Request.URL.Parse(resp.Header.Get("Location")); err == nil && resp.Header.Get("Location") != "" {
			where = " to " + NewRedactor(o.Secrets()).URL(u.String())
		}
		return "", 0, fmt.Errorf("oauth2 token endpoint answered %d, a redirect%s; not followed, since the request carries the client secret: configure the final token URL (--oauth2-token-url)",
			resp.StatusCode, where)
	}
	if resp.StatusCode != http.StatusOK {
		code := NewRedactor(o.Secrets()).String(oauthErrorCode(tr.Error))
		return "", 0, fmt.Errorf("oauth2 token endpoint answered %d%s", resp.StatusCode, code)
	}
	if jsonErr != nil || tr.AccessToken == "" {
		return "", 0, fmt.Errorf("oauth2 token endpoint: no access_token in the response")
	}
	if tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "bearer") {
		return "", 0, fmt.Errorf("oauth2 token endpoint: token_type is not bearer")
	}
	return tr.AccessToken, expiresIn(tr.ExpiresIn), nil
}

// expiresIn reads expires_in, a number or a numeric string; one hour when
// absent or unusable.
func expiresIn(raw json.RawMessage) time.Duration {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	secs, err := strconv.ParseInt(s, 10, 64)
	if err != nil || secs <= 0 || secs > 366*24*3600 {
		return time.Hour
	}
	return time.Duration(secs) * time.Second
}

// oauthErrorCode renders an OAuth error code (RFC 6749 §5.2) safely: only
// code characters, bounded; the free-text description is never shown.
func oauthErrorCode(code string) string {
	var b strings.Builder
	for _, c := range code {
		if b.Len() >= 64 {
			break
		}
		if c == '_' || c == '-' || c == '.' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return " (" + b.String() + ")"
}
