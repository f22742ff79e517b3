package scim

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Authenticator adds credentials to requests.
type Authenticator interface {
	// Apply adds valid credentials.
	Apply(ctx context.Context, req *http.Request) error
	// ApplyInvalid adds credentials of the same scheme that must be rejected.
	ApplyInvalid(req *http.Request) error
	// Secrets lists strings that must never appear in any output.
	Secrets() []string
	// HeaderNames lists the headers that carry credentials.
	HeaderNames() []string
	// Scheme names the scheme for reports ("bearer", "basic", "oauth2", "none").
	Scheme() string
}

// Bearer authenticates with a static bearer token.
type Bearer struct{ Token string }

// Apply implements Authenticator.
func (b Bearer) Apply(_ context.Context, req *http.Request) error {
	req.Header.Set("Authorization", "Bearer "+b.Token)
	return nil
}

// ApplyInvalid implements Authenticator.
func (b Bearer) ApplyInvalid(req *http.Request) error {
	req.Header.Set("Authorization", "Bearer scimconform-invalid-token")
	return nil
}

// Secrets implements Authenticator.
func (b Bearer) Secrets() []string { return []string{b.Token} }

// HeaderNames implements Authenticator.
func (b Bearer) HeaderNames() []string { return []string{"Authorization"} }

// Scheme implements Authenticator.
func (b Bearer) Scheme() string { return "bearer" }

// Basic authenticates with HTTP basic credentials.
type Basic struct{ User, Password string }

// Apply implements Authenticator.
func (b Basic) Apply(_ context.Context, req *http.Request) error {
	req.SetBasicAuth(b.User, b.Password)
	return nil
}

// ApplyInvalid implements Authenticator.
func (b Basic) ApplyInvalid(req *http.Request) error {
	req.SetBasicAuth(b.User, "scimconform-invalid-password")
	return nil
}

// Secrets implements Authenticator.
func (b Basic) Secrets() []string {
	return []string{b.Password, base64.StdEncoding.EncodeToString([]byte(b.User + ":" + b.Password))}
}

// HeaderNames implements Authenticator.
func (b Basic) HeaderNames() []string { return []string{"Authorization"} }

// Scheme implements Authenticator.
func (b Basic) Scheme() string { return "basic" }

// OAuth2ClientCredentials fetches and caches a bearer token with the OAuth 2.0
// client credentials grant (RFC 6749 §4.4).
type OAuth2ClientCredentials struct {
	TokenURL     string
	ClientID     string
	ClientSecret string
	Scopes       []string
	// HTTP is the client used for the token endpoint (nil: a 30s-timeout client).
	HTTP *http.Client

	mu      sync.Mutex
	token   string
	expires time.Time
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

// Secrets implements Authenticator.
func (o *OAuth2ClientCredentials) Secrets() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return []string{o.ClientSecret, o.token}
}

// HeaderNames implements Authenticator.
func (o *OAuth2ClientCredentials) HeaderNames() []string { return []string{"Authorization"} }

// Scheme implements Authenticator.
func (o *OAuth2ClientCredentials) Scheme() string { return "oauth2" }

// Token returns a cached access token, fetching a new one when it expires.
func (o *OAuth2ClientCredentials) Token(ctx context.Context) (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.token != "" && time.Now().Before(o.expires) {
		return o.token, nil
	}
	form := url.Values{"grant_type": {"client_credentials"}}
	if len(o.Scopes) > 0 {
		form.Set("scope", strings.Join(o.Scopes, " "))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("oauth2 token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(o.ClientID), url.QueryEscape(o.ClientSecret))
	hc := o.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("oauth2 token endpoint: %s", describeTransportError(err))
	}
	defer resp.Body.Close()
	body, _, _ := readBounded(resp.Body, 1<<20)
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("oauth2 token endpoint answered %d", resp.StatusCode)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.Unmarshal(body, &tr); err != nil || tr.AccessToken == "" {
		return "", fmt.Errorf("oauth2 token endpoint: no access_token in the response")
	}
	o.token = tr.AccessToken
	ttl := time.Duration(tr.ExpiresIn) * time.Second
	if ttl <= 0 {
		ttl = time.Hour
	}
	o.expires = time.Now().Add(ttl - ttl/10)
	return o.token, nil
}

// HeaderAuth sends fixed headers (e.g. an API key header) as credentials.
type HeaderAuth struct{ Headers http.Header }

// Apply implements Authenticator.
func (h HeaderAuth) Apply(_ context.Context, req *http.Request) error {
	for k, vs := range h.Headers {
		req.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	return nil
}

// ApplyInvalid implements Authenticator.
func (h HeaderAuth) ApplyInvalid(req *http.Request) error {
	for k := range h.Headers {
		req.Header.Set(k, "scimconform-invalid")
	}
	return nil
}

// Secrets implements Authenticator.
func (h HeaderAuth) Secrets() []string {
	var s []string
	for _, vs := range h.Headers {
		s = append(s, vs...)
	}
	return s
}

// HeaderNames implements Authenticator.
func (h HeaderAuth) HeaderNames() []string {
	var s []string
	for k := range h.Headers {
		s = append(s, k)
	}
	return s
}

// Scheme implements Authenticator.
func (h HeaderAuth) Scheme() string { return "header" }
