package scim

import (
	"context"
	"encoding/base64"
	"net/http"
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
func (b Bearer) Secrets() []string {
	if b.Token == "" {
		return nil
	}
	return []string{b.Token}
}

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

// Secrets implements Authenticator: the password, the user:password pair and
// its base64 form (the Authorization value). Encoded forms are the
// Redactor's business.
func (b Basic) Secrets() []string {
	if b.Password == "" {
		return nil
	}
	pair := b.User + ":" + b.Password
	return []string{b.Password, pair, base64.StdEncoding.EncodeToString([]byte(pair))}
}

// HeaderNames implements Authenticator.
func (b Basic) HeaderNames() []string { return []string{"Authorization"} }

// Scheme implements Authenticator.
func (b Basic) Scheme() string { return "basic" }

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
