package runner

import (
	"context"
	"fmt"
	"net/http"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/ledger"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/suites"
)

// embeddedTenants gives the embedded server its further tenants: those of
// the config, each with its configured bearer token or a random one, or
// when the config names none, DefaultEmbeddedTenant with a random token.
// Random tokens are put into the config's secrets (so the tenant clients
// authenticate with them and every artifact redacts them).
func (r *run) embeddedTenants() ([]refserver.Tenant, error) {
	if len(r.cfg.Tenants) == 0 {
		r.cfg.Tenants = []TenantConfig{{Name: DefaultEmbeddedTenant}}
		r.defaultTenant = true
	}
	out := make([]refserver.Tenant, 0, len(r.cfg.Tenants))
	for i := range r.cfg.Tenants {
		t := &r.cfg.Tenants[i]
		tok, err := t.asMain(r.cfg).bearerToken()
		if err != nil {
			return nil, err
		}
		if tok == "" {
			tok = RandomToken()
			t.Secrets.Token, t.randomToken = tok, true
		}
		out = append(out, refserver.Tenant{Name: t.Name, Token: tok})
	}
	return out, nil
}

// tenantClients builds one client per configured tenant (newTenantClients).
func (r *run) tenantClients(rec *scim.Recorder, main scim.Authenticator, auths []scim.Authenticator) (map[string]*scim.Client, error) {
	return newTenantClients(r.cfg, r.baseURL, rec, r.env.Ledger, main, auths)
}

// newTenantClients builds one client per configured tenant, recording into
// rec and guarded by the run's ledger (the tenant isolation specs write to
// resources the run owns in the main tenant; nothing else). Every client
// redacts the secrets of every credential of the run. The parent of a
// parallel run and each worker build the same clients.
func newTenantClients(cfg Config, baseURL string, rec *scim.Recorder, led *ledger.Ledger, main scim.Authenticator, auths []scim.Authenticator) (map[string]*scim.Client, error) {
	clients := map[string]*scim.Client{}
	for i, t := range cfg.Tenants {
		others := append([]scim.Authenticator{main}, auths[:i]...)
		others = append(others, auths[i+1:]...)
		c, err := cfg.newClientWith(baseURL, auths[i], others, rec, led)
		if err != nil {
			return nil, err
		}
		clients[t.Name] = c
	}
	return clients, nil
}

// tenantAuthenticators builds the credentials of every tenant, in order.
func (c Config) tenantAuthenticators() ([]scim.Authenticator, error) {
	auths := make([]scim.Authenticator, len(c.Tenants))
	for i, t := range c.Tenants {
		a, err := t.authenticator(c)
		if err != nil {
			return nil, err
		}
		auths[i] = a
	}
	return auths, nil
}

// preflightTenants checks each tenant's credential is accepted: a GET of
// /ResourceTypes answered 401 (or no answer) is a preflight error.
func (r *run) preflightTenants(ctx context.Context, auths []scim.Authenticator) error {
	for i, t := range r.cfg.Tenants {
		c := r.tenants[t.Name]
		if o, ok := auths[i].(*scim.OAuth2ClientCredentials); ok {
			if _, err := o.Token(ctx); err != nil {
				return &PreflightError{Msg: fmt.Sprintf("tenants: %s: cannot get an OAuth2 token from %s: %s", t.Name,
					c.Redactor().URL(o.TokenURL), oneLine(c.Redactor().String(err.Error())))}
			}
		}
		resp, err := c.Get(ctx, "/ResourceTypes", nil)
		switch {
		case err != nil:
			return &PreflightError{Msg: fmt.Sprintf("tenants: %s: GET /ResourceTypes: %s", t.Name, oneLine(err.Error()))}
		case resp.Status == http.StatusUnauthorized:
			return &PreflightError{Msg: fmt.Sprintf("tenants: %s: the target rejects the tenant's credential (GET /ResourceTypes answered 401)", t.Name)}
		}
	}
	return nil
}

// tenantEnv is the Env of the first configured tenant (newTenantEnv).
func (r *run) tenantEnv(clients map[string]*scim.Client) *suites.Env {
	return newTenantEnv(r.cfg, r.env, clients)
}

// newTenantEnv is the Env of the first configured tenant: its own client,
// and everything else shared with the main Env e (prefix, ledger, recorder,
// capabilities, coordinator). Nil without tenants.
func newTenantEnv(cfg Config, e *suites.Env, clients map[string]*scim.Client) *suites.Env {
	if len(cfg.Tenants) == 0 {
		return nil
	}
	name := cfg.Tenants[0].Name
	return &suites.Env{Client: clients[name], Recorder: e.Recorder, Caps: e.Caps, Prefix: e.Prefix, Keep: e.Keep,
		Ledger: e.Ledger, Credentialed: true, Templates: e.Templates, TenantName: name,
		Coordinator: e.Coordinator, Worker: e.Worker}
}

// setTenantsCapability records whether the tenant isolation specs can run.
func (r *run) setTenantsCapability(c *caps.Capabilities) {
	switch {
	case len(r.cfg.Tenants) == 0:
		c.Set(spec.FeatureTenants, false, caps.SourceConfigured,
			"no second credential: add a tenants: entry to the config file (see README, Tenant isolation)")
	case r.defaultTenant:
		c.Set(spec.FeatureTenants, true, caps.SourceConfigured,
			"the embedded reference server's second tenant "+DefaultEmbeddedTenant)
	default:
		c.Set(spec.FeatureTenants, true, caps.SourceConfigured, "tenant "+r.cfg.Tenants[0].Name)
	}
}
