package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/runner"
)

// TestTenantTokenNeverInAnyArtifact runs the tenant isolation specs against
// the embedded server with a configured tenant token (every exchange kept in
// full) and greps every artifact for both tokens.
func TestTenantTokenNeverInAnyArtifact(t *testing.T) {
	t.Parallel()
	token, tenantToken := "tok-"+runner.RandomToken(), "tenant-"+runner.RandomToken()
	cfg := filepath.Join(t.TempDir(), "scimconform.yaml")
	if err := os.WriteFile(cfg, []byte("tenants:\n  - name: acme\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := selftest.Run(t, []string{"SCIMCONFORM_TOKEN=" + token, "SCIMCONFORM_TENANT_ACME_TOKEN=" + tenantToken},
		"run", "-v", "--config", cfg, "--transcripts", "all", "--label-filter", "area:auth-security")
	if res.Doc == nil || res.ExitCode != runner.ExitConformant {
		t.Fatalf("run did not pass: exit %d\n%s\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	passed := 0
	for _, r := range reports.Evaluate(*res.Doc).Results {
		if strings.HasPrefix(r.Name, "Tenant isolation") && r.Verdict == reports.PASS {
			passed++
		}
	}
	if passed < 5 {
		t.Errorf("only %d tenant isolation specs passed: the tenant credential was not used", passed)
	}
	if cfgDump := readFile(t, filepath.Join(res.Dir, reports.FileJSON)); !strings.Contains(cfgDump, `"name": "acme"`) && !strings.Contains(cfgDump, `"name":"acme"`) {
		t.Error("report.json does not list the tenant in its config")
	}
	assertNoSecret(t, res, token, tenantToken)
}

// TestTenantConfigErrors: a secret in a tenant entry, an unknown key and a
// tenant without credentials against a URL are usage errors naming the key.
func TestTenantConfigErrors(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		"tenants:\n  - name: b\n    token: x\n":                 "SCIMCONFORM_TENANT_<NAME>_TOKEN",
		"tenants:\n  - name: b\n    colour: x\n":                `unknown key "tenants[0].colour"`,
		"url: http://127.0.0.1:1/scim\ntenants:\n  - name: b\n": "SCIMCONFORM_TENANT_B_TOKEN",
		"tenants:\n  - name: 'b c'\n":                           "tenants[0]: name",
	} {
		cfg := filepath.Join(t.TempDir(), "scimconform.yaml")
		if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		res := selftest.Run(t, nil, "run", "--config", cfg)
		if res.ExitCode != runner.ExitUsage || !strings.Contains(res.Stderr, want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 naming %q", body, res.ExitCode, res.Stderr, want)
		}
	}
}
