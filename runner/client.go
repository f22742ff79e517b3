package runner

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/scimconform/scimconform/internal/scim"
)

// bearerToken returns the configured bearer token: SCIMCONFORM_TOKEN or the
// first non-empty line of the token file ("" when neither is set).
func (c Config) bearerToken() (string, error) {
	if c.Secrets.Token != "" {
		return c.Secrets.Token, nil
	}
	if c.TokenFile == "" {
		return "", nil
	}
	data, err := os.ReadFile(c.TokenFile)
	if err != nil {
		return "", fmt.Errorf("token-file: %w", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if t := strings.TrimSpace(line); t != "" {
			return t, nil
		}
	}
	return "", fmt.Errorf("token-file %s is empty", c.TokenFile)
}

// authenticator builds the credentials of the run; nil when none are given.
func (c Config) authenticator() (scim.Authenticator, error) {
	tok, err := c.bearerToken()
	if err != nil {
		return nil, err
	}
	s := c.Secrets
	switch {
	case tok != "":
		return scim.Bearer{Token: tok}, nil
	case s.User != "":
		return scim.Basic{User: s.User, Password: s.Password}, nil
	case c.OAuth2.TokenURL != "":
		tlsConf, err := c.tlsConfig()
		if err != nil {
			return nil, err
		}
		// The same transport and TLS settings as the SCIM client; the token
		// request never follows redirects (scim.OAuth2ClientCredentials).
		hc := &http.Client{Timeout: c.RequestTimeout, Transport: scim.NewTransport(tlsConf)}
		return &scim.OAuth2ClientCredentials{TokenURL: c.OAuth2.TokenURL, ClientID: c.OAuth2.ClientID,
			ClientSecret: s.OAuth2ClientSecret, Scopes: c.OAuth2.Scopes, HTTP: hc}, nil
	case s.AuthHeader != "":
		name, value, _ := strings.Cut(s.AuthHeader, ":")
		return scim.HeaderAuth{Headers: http.Header{http.CanonicalHeaderKey(strings.TrimSpace(name)): {strings.TrimSpace(value)}}}, nil
	}
	return nil, nil
}

// tlsConfig returns the TLS settings (nil: system roots, verification on).
func (c Config) tlsConfig() (*tls.Config, error) {
	if c.CAFile == "" && !c.Insecure {
		return nil, nil
	}
	return scim.TLSConfig(c.CAFile, c.Insecure)
}

// newBudget builds the request budget of a run (--max-rps,
// --max-in-flight): every request of the run's one client passes through it.
func (c Config) newBudget() scim.Budget {
	return scim.NewBudget(c.MaxRPS, c.MaxInFlight)
}

// sharedBudget is the run's budget when it has one, else a new one.
func (c Config) sharedBudget() scim.Budget {
	if c.budget != nil {
		return c.budget
	}
	return c.newBudget()
}

// newClient builds the SCIM client of the run with its credentials (nil: none).
// Every write the client sends is vetted by guard (nil: none, for requests
// that never write).
func (c Config) newClient(baseURL string, auth scim.Authenticator, rec *scim.Recorder, guard scim.WriteGuard) (*scim.Client, error) {
	return c.newClientWith(baseURL, auth, nil, rec, guard)
}

// newClientWith is newClient that also redacts the secrets of others, the
// credentials of the run's other clients (further tenants).
func (c Config) newClientWith(baseURL string, auth scim.Authenticator, others []scim.Authenticator, rec *scim.Recorder, guard scim.WriteGuard) (*scim.Client, error) {
	tlsConf, err := c.tlsConfig()
	if err != nil {
		return nil, err
	}
	headers := http.Header{}
	for k, v := range c.Headers {
		headers.Set(k, v)
	}
	retries := c.Retries
	if retries == 0 {
		retries = -1 // scim.Options: 0 means the default, negative means none
	}
	client, err := scim.New(scim.Options{
		BaseURL: baseURL, Auth: auth, Headers: headers, RequestTimeout: c.RequestTimeout,
		MaxBodyBytes: c.MaxBodyBytes, MaxRetries: retries, MaxRetryWait: 10 * time.Second,
		TLS: tlsConf, Recorder: rec, Secrets: c.secretValues(),
		UserAgent: "scimconform/" + Version(), Guard: guard, Budget: c.sharedBudget(), OtherAuth: others,
	})
	if err != nil {
		return nil, fmt.Errorf("url: %w", err)
	}
	return client, nil
}

// errNoSpecs is returned when the selection matches no spec.
var errNoSpecs = errors.New("no spec matches the selection (see scimconform list)")
