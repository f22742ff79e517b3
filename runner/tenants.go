package runner

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/scimconform/scimconform/internal/scim"
)

// TenantConfig is one further credential of the target, for the tenant
// isolation specs: a client of another tenant (RFC 7644 §6). Like the main
// credential its secrets never come from the file: they are read from
// SCIMCONFORM_TENANT_<NAME>_TOKEN, _USER and _PASSWORD,
// _OAUTH2_CLIENT_SECRET or _AUTH_HEADER, where <NAME> is the name in upper
// case with every other character than a letter or digit turned into _.
type TenantConfig struct {
	// Name identifies the tenant in messages and environment variables.
	Name string `yaml:"name"`
	// TokenFile holds the tenant's bearer token (first line).
	TokenFile string `yaml:"token-file"`
	// OAuth2 configures the tenant's client credentials grant.
	OAuth2 OAuth2Config `yaml:"oauth2"`
	// Secrets are the tenant's credentials from the environment.
	Secrets Secrets `yaml:"-"`
	// randomToken: the embedded server's tenant token was generated.
	randomToken bool
}

// tenantName is the form of a tenant name.
var tenantName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$`)

// EnvTenantPrefix starts every environment variable of a tenant's secrets.
const EnvTenantPrefix = "SCIMCONFORM_TENANT_"

// Env is the environment variable of the tenant's secret kind (TOKEN, USER,
// PASSWORD, OAUTH2_CLIENT_SECRET, AUTH_HEADER).
func (t TenantConfig) Env(kind string) string {
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			return r
		}
		return '_'
	}, t.Name)
	return EnvTenantPrefix + name + "_" + kind
}

// tenantSecretsFromEnv fills each tenant's secrets from its variables.
func tenantSecretsFromEnv(tenants []TenantConfig, env LookupEnv) {
	for i := range tenants {
		t := &tenants[i]
		get := func(kind string) string { v, _ := env(t.Env(kind)); return v }
		t.Secrets = Secrets{Token: strings.TrimSpace(get("TOKEN")), User: get("USER"), Password: get("PASSWORD"),
			OAuth2ClientSecret: get("OAUTH2_CLIENT_SECRET"), AuthHeader: strings.TrimSpace(get("AUTH_HEADER"))}
	}
}

// asMain is c with the tenant's credentials in place of the main ones, to
// build the tenant's authenticator with the same code.
func (t TenantConfig) asMain(c Config) Config {
	c.TokenFile, c.OAuth2, c.Secrets = t.TokenFile, t.OAuth2, t.Secrets
	return c
}

// authenticator builds the tenant's credentials (never nil once validated).
func (t TenantConfig) authenticator(c Config) (scim.Authenticator, error) {
	a, err := t.asMain(c).authenticator()
	if err != nil {
		return nil, fmt.Errorf("tenants: %s: %w", t.Name, err)
	}
	return a, nil
}

// kinds lists the kinds of credentials the tenant was given.
func (t TenantConfig) kinds() ([]string, error) {
	s := t.Secrets
	var kinds []string
	if s.Token != "" || t.TokenFile != "" {
		kinds = append(kinds, "bearer")
	}
	if s.Token != "" && t.TokenFile != "" {
		return nil, fmt.Errorf("both %s and token-file are set", t.Env("TOKEN"))
	}
	if s.User != "" || s.Password != "" {
		kinds = append(kinds, "basic")
		if s.User == "" || s.Password == "" {
			return nil, fmt.Errorf("basic auth needs both %s and %s", t.Env("USER"), t.Env("PASSWORD"))
		}
	}
	if t.OAuth2.TokenURL != "" || t.OAuth2.ClientID != "" || s.OAuth2ClientSecret != "" {
		kinds = append(kinds, "oauth2")
		if t.OAuth2.TokenURL == "" || t.OAuth2.ClientID == "" || s.OAuth2ClientSecret == "" {
			return nil, fmt.Errorf("oauth2 needs oauth2.token-url, oauth2.client-id and %s", t.Env("OAUTH2_CLIENT_SECRET"))
		}
		if _, err := scim.ParseBaseURL(t.OAuth2.TokenURL); err != nil {
			return nil, fmt.Errorf("oauth2.token-url: %w", err)
		}
	}
	if s.AuthHeader != "" {
		kinds = append(kinds, "header")
		name, value, ok := strings.Cut(s.AuthHeader, ":")
		if !ok || strings.TrimSpace(name) == "" || strings.ContainsAny(strings.TrimSpace(name), " \t") || strings.TrimSpace(value) == "" {
			return nil, fmt.Errorf("%s: want 'Name: value'", t.Env("AUTH_HEADER"))
		}
	}
	return kinds, nil
}

// validateTenants checks names and credentials of every tenant. Against the
// embedded server a tenant without credentials gets a random bearer token,
// and only bearer tokens are accepted.
func (c Config) validateTenants() error {
	seen := map[string]bool{}
	for i, t := range c.Tenants {
		if !tenantName.MatchString(t.Name) {
			return fmt.Errorf("tenants[%d]: name %q: want 1 to 40 letters, digits, '.', '_' or '-'", i, t.Name)
		}
		key := t.Env("")
		if seen[key] {
			return fmt.Errorf("tenants: %s: the name is given twice (or maps to the same %s* variables as another)", t.Name, key)
		}
		seen[key] = true
		kinds, err := t.kinds()
		switch {
		case err != nil:
			return fmt.Errorf("tenants: %s: %w", t.Name, err)
		case len(kinds) > 1:
			return fmt.Errorf("tenants: %s: several credentials given (%s): give exactly one", t.Name, strings.Join(kinds, ", "))
		case c.Embedded() && len(kinds) == 1 && kinds[0] != "bearer":
			return fmt.Errorf("tenants: %s: the embedded reference server (no --url) accepts bearer tokens only, not %s", t.Name, kinds[0])
		case !c.Embedded() && len(kinds) == 0:
			return fmt.Errorf("tenants: %s: no credential: set %s (or token-file, basic, oauth2 or %s)", t.Name, t.Env("TOKEN"), t.Env("AUTH_HEADER"))
		}
	}
	return nil
}

// secretValues returns every secret of the run: the main credential's and
// every tenant's (for redaction).
func (c Config) secretValues() []string {
	out := c.Secrets.Values()
	for _, t := range c.Tenants {
		out = append(out, t.Secrets.Values()...)
		if t.Secrets.User != "" {
			out = append(out, scim.Basic{User: t.Secrets.User, Password: t.Secrets.Password}.Secrets()...)
		}
	}
	return out
}

// tenantsRedacted describes the tenants for the report's config dump: names,
// non-secret settings and which kind of credential, never a secret.
func (c Config) tenantsRedacted() []any {
	out := make([]any, 0, len(c.Tenants))
	for _, t := range c.Tenants {
		m := map[string]any{"name": t.Name, "auth": t.authDescription()}
		if t.TokenFile != "" {
			m["token-file"] = t.TokenFile
		}
		if t.OAuth2.TokenURL != "" || t.OAuth2.ClientID != "" {
			m["oauth2"] = map[string]any{"token-url": t.OAuth2.TokenURL, "client-id": t.OAuth2.ClientID,
				"scopes": nonNil(t.OAuth2.Scopes)}
		}
		out = append(out, m)
	}
	return out
}

// authDescription says which credential the tenant uses, without secrets.
func (t TenantConfig) authDescription() string {
	kinds, _ := t.kinds()
	if len(kinds) == 0 || t.randomToken {
		return "bearer (random token of the embedded reference server)"
	}
	sort.Strings(kinds)
	return strings.Join(kinds, ", ")
}
