package runner

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/reports"
)

// Validate checks every setting and the credentials. Errors name the setting
// and never contain a secret.
func (c Config) Validate() error {
	if !c.Embedded() {
		if _, err := scim.ParseBaseURL(c.URL); err != nil {
			return fmt.Errorf("url: %w", err)
		}
		if len(c.RefFaults) > 0 {
			return errors.New("ref-fault: fault switches apply to the embedded reference server only; drop --url or --ref-fault")
		}
	}
	if strings.TrimSpace(c.Out) == "" {
		return errors.New("out: the report directory is empty")
	}
	for name := range c.Headers {
		if sensitiveHeader(name) {
			return fmt.Errorf("header %q carries credentials: put the token in %s or the header in %s", name, EnvToken, EnvAuthHeader)
		}
	}
	if _, err := c.FeatureOverrides(); err != nil {
		return err
	}
	for name, t := range map[string]Template{"user-template": c.UserTemplate, "group-template": c.GroupTemplate} {
		if _, err := t.normalised(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if _, err := reports.ParseTranscripts(string(c.Transcripts)); err != nil {
		return fmt.Errorf("transcripts: %w", err)
	}
	if _, err := c.Selection(); err != nil {
		return err
	}
	if err := c.validateLimits(); err != nil {
		return err
	}
	if err := c.validateCredentials(); err != nil {
		return err
	}
	return c.validateTenants()
}

func (c Config) validateLimits() error {
	switch {
	case c.RequestTimeout <= 0:
		return errors.New("request-timeout must be positive")
	case c.Timeout <= 0:
		return errors.New("timeout must be positive")
	case c.Timeout < time.Second:
		return fmt.Errorf("timeout %s is too short for any run", c.Timeout)
	case c.MaxBodyBytes < 1024:
		return fmt.Errorf("max-body-bytes %d is below 1024", c.MaxBodyBytes)
	case c.Retries < 0 || c.Retries > 10:
		return fmt.Errorf("retries %d: want 0 to 10", c.Retries)
	case c.MaxInFlight < 0:
		return fmt.Errorf("max-in-flight %d: want 0 (unlimited) or more", c.MaxInFlight)
	case c.Parallel < 1 || c.Parallel > MaxParallel:
		return fmt.Errorf("parallel %d: want 1 to %d", c.Parallel, MaxParallel)
	}
	if err := validRate(c.MaxRPS); err != nil {
		return fmt.Errorf("max-rps: %w", err)
	}
	return nil
}

// validateCredentials allows at most one kind of credentials and checks each
// kind is complete.
func (c Config) validateCredentials() error {
	s := c.Secrets
	var kinds []string
	if s.Token != "" {
		kinds = append(kinds, EnvToken)
	}
	if c.TokenFile != "" {
		kinds = append(kinds, "token-file")
	}
	if s.User != "" || s.Password != "" {
		kinds = append(kinds, EnvUser+"/"+EnvPassword)
		if s.User == "" || s.Password == "" {
			return fmt.Errorf("basic auth needs both %s and %s", EnvUser, EnvPassword)
		}
	}
	if c.OAuth2.TokenURL != "" || c.OAuth2.ClientID != "" || s.OAuth2ClientSecret != "" {
		kinds = append(kinds, "oauth2")
		if c.OAuth2.TokenURL == "" || c.OAuth2.ClientID == "" || s.OAuth2ClientSecret == "" {
			return fmt.Errorf("oauth2 needs --oauth2-token-url, --oauth2-client-id and %s", EnvOAuth2ClientSecret)
		}
		if _, err := scim.ParseBaseURL(c.OAuth2.TokenURL); err != nil {
			return fmt.Errorf("oauth2-token-url: %w", err)
		}
	}
	if s.AuthHeader != "" {
		kinds = append(kinds, EnvAuthHeader)
		name, value, ok := strings.Cut(s.AuthHeader, ":")
		if !ok || strings.TrimSpace(name) == "" || strings.ContainsAny(strings.TrimSpace(name), " \t") || strings.TrimSpace(value) == "" {
			return fmt.Errorf("%s: want 'Name: value'", EnvAuthHeader)
		}
	}
	if len(kinds) > 1 {
		return fmt.Errorf("several credentials given (%s): give exactly one", strings.Join(kinds, ", "))
	}
	if c.Embedded() && len(kinds) == 1 && kinds[0] != EnvToken && kinds[0] != "token-file" {
		return fmt.Errorf("the embedded reference server (no --url) accepts a bearer token only, not %s", kinds[0])
	}
	return nil
}
