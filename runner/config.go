// Package runner runs scimconform: it loads the configuration (defaults <
// YAML file < SCIMCONFORM_* environment < flags the user set), composes the
// ginkgo label filter of the selection, runs the preflight discovery, runs the
// selected specs once, sweeps the run's test data, writes the reports and
// turns the verdicts into an exit code. Run is also the embedding API.
package runner

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/scimconform/scimconform/internal/scim"

	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/reports"
)

// DefaultParallel is how many worker processes a run starts by default.
const DefaultParallel = 8

// MaxParallel bounds --parallel.
const MaxParallel = 64

// DefaultOut is the report directory used when none is configured.
const DefaultOut = "./scimconform-report"

// DefaultMaxInFlight bounds the requests in flight at once by default: twice
// the most a spec sends at once (8 racing writers in the concurrency suite,
// 8 concurrent deletes of a large fixture), so no spec is slowed or weakened
// by the default, while a runaway fan-out cannot flood the target.
const DefaultMaxInFlight = 16

// Config is every setting of a run. The yaml tags are the keys of the config
// file; each key also has a flag and a SCIMCONFORM_* environment variable
// (see Settings). Secrets are never part of the file: they live in Secrets and
// come from the environment or from files.
type Config struct {
	// URL is the SCIM base URL; empty runs against the embedded reference server.
	URL string `yaml:"url"`
	// Out is the report directory.
	Out string `yaml:"out"`
	// SummaryMD is a file for the short Markdown summary ("" = none).
	SummaryMD string `yaml:"summary-md"`
	// TokenFile holds a bearer token (first line; surrounding space trimmed).
	TokenFile string `yaml:"token-file"`
	// CAFile is a PEM bundle of extra trusted roots.
	CAFile string `yaml:"ca-file"`
	// Insecure skips TLS certificate verification.
	Insecure bool `yaml:"insecure"`
	// Headers are sent with every request (not credentials).
	Headers map[string]string `yaml:"headers"`
	// OAuth2 configures the client credentials grant; the secret comes from
	// SCIMCONFORM_OAUTH2_CLIENT_SECRET.
	OAuth2 OAuth2Config `yaml:"oauth2"`

	// LabelFilter is a ginkgo label filter expression.
	LabelFilter string `yaml:"label-filter"`
	// Sections are RFC section prefixes such as 7644/3.5.2.
	Sections StringList `yaml:"sections"`
	// Levels restrict the run to must, should and/or may specs.
	Levels StringList `yaml:"levels"`
	// Reqs restrict the run to specs of these requirement ids.
	Reqs StringList `yaml:"reqs"`
	// ReadOnly excludes every spec that writes to the target.
	ReadOnly bool `yaml:"read-only"`
	// Profile is spec (single-requirement specs), scenario (end-to-end
	// journeys) or all (the default, "").
	Profile string `yaml:"profile"`
	// Focus is a regular expression over full spec texts.
	Focus string `yaml:"focus"`
	// Seed orders the specs; 0 picks one from the clock.
	Seed int64 `yaml:"seed"`
	// FailFast stops after the first failing spec.
	FailFast bool `yaml:"fail-fast"`
	// Parallel is how many worker processes run the specs (1: one process,
	// the serial run).
	Parallel int `yaml:"parallel"`
	// Executable is the program started as a worker process ("" = this
	// one, os.Executable); a test binary that calls Run sets it, or
	// dispatches WorkerCommand from its TestMain.
	Executable string `yaml:"-" json:"-"`
	// Verbose prints every spec's HTTP exchanges.
	Verbose bool `yaml:"verbose"`
	// Strict makes a WARN (failed SHOULD) non-conformant.
	Strict bool `yaml:"strict"`
	// Keep leaves the data the run created on the target.
	Keep bool `yaml:"keep"`
	// Transcripts is which HTTP exchanges the reports keep in full.
	Transcripts reports.Transcripts `yaml:"transcripts"`
	// Features override advertised capabilities: {bulk: false}.
	Features map[string]bool `yaml:"features"`
	// UserTemplate and GroupTemplate hold attributes the target requires
	// on every User or Group beyond the RFC (see Template).
	UserTemplate  Template `yaml:"user-template"`
	GroupTemplate Template `yaml:"group-template"`

	// Expect is a YAML file of known failures (reports.Expectation): the
	// failures it expects do not fail the run.
	Expect string `yaml:"expect"`
	// Baseline is an earlier report.json: only verdicts worse than its
	// verdicts for the same spec fail the run.
	Baseline string `yaml:"baseline"`

	// RequestTimeout bounds one HTTP request attempt.
	RequestTimeout time.Duration `yaml:"request-timeout"`
	// Timeout bounds the whole run.
	Timeout time.Duration `yaml:"timeout"`
	// MaxBodyBytes caps how much of a response body is read.
	MaxBodyBytes int64 `yaml:"max-body-bytes"`
	// Retries bounds retries of 429/503 per request (0 = none).
	Retries int `yaml:"retries"`
	// MaxRPS caps the requests sent per second (0 = unlimited).
	MaxRPS float64 `yaml:"max-rps"`
	// MaxInFlight caps the requests in flight at once (0 = unlimited).
	MaxInFlight int `yaml:"max-in-flight"`
	// budget is the run's one request budget, shared by every client of the
	// run (main and tenants); nil: a client builds its own.
	budget scim.Budget

	// RefFaults are fault switches of the embedded reference server (only
	// used without URL).
	RefFaults StringList `yaml:"ref-faults"`

	// Tenants are further credentials, each of another tenant of the
	// target, for the tenant isolation specs (file only; secrets from
	// SCIMCONFORM_TENANT_<NAME>_* variables, see TenantConfig).
	Tenants []TenantConfig `yaml:"tenants"`

	// Secrets are the credentials; they never come from the file or flags.
	Secrets Secrets `yaml:"-"`
	// ConfigFile is the YAML file that was loaded ("" when none).
	ConfigFile string `yaml:"-"`
}

// OAuth2Config is the non-secret part of the OAuth 2.0 client credentials grant.
type OAuth2Config struct {
	TokenURL string     `yaml:"token-url"`
	ClientID string     `yaml:"client-id"`
	Scopes   StringList `yaml:"scopes"`
}

// Secrets are credentials from the environment (or, for TokenFile, a file).
type Secrets struct {
	// Token is a bearer token (SCIMCONFORM_TOKEN).
	Token string
	// User and Password are basic credentials (SCIMCONFORM_USER, SCIMCONFORM_PASSWORD).
	User, Password string
	// OAuth2ClientSecret is SCIMCONFORM_OAUTH2_CLIENT_SECRET.
	OAuth2ClientSecret string
	// AuthHeader is a credential header "Name: value" (SCIMCONFORM_AUTH_HEADER),
	// e.g. an API key header.
	AuthHeader string
}

// Values returns every non-empty secret string (for redaction and tests).
func (s Secrets) Values() []string {
	var out []string
	for _, v := range []string{s.Token, s.Password, s.OAuth2ClientSecret} {
		if v != "" {
			out = append(out, v)
		}
	}
	if _, v, ok := strings.Cut(s.AuthHeader, ":"); ok && strings.TrimSpace(v) != "" {
		out = append(out, strings.TrimSpace(v))
	}
	return out
}

// StringList is a list setting. In YAML it is a sequence or a comma-separated
// string; on the command line its flag is repeatable and comma-separated.
type StringList []string

// UnmarshalYAML accepts a sequence of strings or one comma-separated string.
func (l *StringList) UnmarshalYAML(unmarshal func(any) error) error {
	var seq []string
	if err := unmarshal(&seq); err == nil {
		*l = nil
		for _, s := range seq {
			*l = l.appendSplit(s)
		}
		return nil
	}
	var one string
	if err := unmarshal(&one); err != nil {
		return fmt.Errorf("want a list of strings or a comma-separated string")
	}
	*l = StringList(nil).appendSplit(one)
	return nil
}

// appendSplit appends the non-empty comma-separated parts of s.
func (l StringList) appendSplit(s string) StringList {
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			l = append(l, p)
		}
	}
	return l
}

// Defaults returns the configuration before any file, environment or flag.
func Defaults() Config {
	return Config{
		Out:            DefaultOut,
		RequestTimeout: 30 * time.Second,
		Timeout:        time.Hour,
		MaxBodyBytes:   8 << 20,
		Retries:        2,
		MaxInFlight:    DefaultMaxInFlight,
		Parallel:       DefaultParallel,
		Transcripts:    reports.TranscriptsFailures,
	}
}

// Embedded reports whether the run targets the embedded reference server.
func (c Config) Embedded() bool { return strings.TrimSpace(c.URL) == "" }

// FeatureOverrides returns the features map as validated overrides.
func (c Config) FeatureOverrides() (map[spec.Feature]bool, error) {
	out := map[spec.Feature]bool{}
	for name, on := range c.Features {
		f, err := spec.ParseFeature(name)
		if err != nil {
			return nil, fmt.Errorf("features: %w", err)
		}
		out[f] = on
	}
	return out, nil
}

// Redacted returns the effective configuration as a map for the reports, with
// every secret replaced: only which credentials were given is kept.
func (c Config) Redacted() map[string]any {
	m := map[string]any{
		"url": c.URL, "out": c.Out, "token-file": c.TokenFile, "ca-file": c.CAFile,
		"insecure": c.Insecure, "label-filter": c.LabelFilter,
		"sections": nonNil(c.Sections), "levels": nonNil(c.Levels), "reqs": nonNil(c.Reqs),
		"read-only": c.ReadOnly, "profile": c.Profile, "focus": c.Focus, "seed": c.Seed, "fail-fast": c.FailFast, "parallel": c.Parallel,
		"verbose": c.Verbose, "strict": c.Strict, "keep": c.Keep,
		"transcripts":     string(c.Transcripts),
		"request-timeout": c.RequestTimeout.String(), "timeout": c.Timeout.String(),
		"max-body-bytes": c.MaxBodyBytes, "retries": c.Retries,
		"max-rps": c.MaxRPS, "max-in-flight": c.MaxInFlight,
		"auth": c.AuthDescription(),
	}
	if c.ConfigFile != "" {
		m["config-file"] = c.ConfigFile
	}
	headers := map[string]string{}
	for k, v := range c.Headers {
		if sensitiveHeader(k) {
			v = "[REDACTED]"
		}
		headers[k] = v
	}
	m["headers"] = headers
	features := map[string]bool{}
	for k, v := range c.Features {
		features[k] = v
	}
	m["features"] = features
	m["oauth2"] = map[string]any{"token-url": c.OAuth2.TokenURL, "client-id": c.OAuth2.ClientID,
		"scopes": nonNil(c.OAuth2.Scopes)}
	if c.Expect != "" {
		m["expect"] = c.Expect
	}
	if c.Baseline != "" {
		m["baseline"] = c.Baseline
	}
	if c.SummaryMD != "" {
		m["summary-md"] = c.SummaryMD
	}
	if len(c.RefFaults) > 0 {
		m["ref-faults"] = []string(c.RefFaults)
	}
	if len(c.Tenants) > 0 {
		m["tenants"] = c.tenantsRedacted()
	}
	if len(c.UserTemplate) > 0 {
		m["user-template"] = map[string]any(c.UserTemplate)
	}
	if len(c.GroupTemplate) > 0 {
		m["group-template"] = map[string]any(c.GroupTemplate)
	}
	return m
}

// AuthDescription says which credentials the run uses, without any secret.
func (c Config) AuthDescription() string {
	var parts []string
	s := c.Secrets
	if s.Token != "" {
		parts = append(parts, "bearer (SCIMCONFORM_TOKEN)")
	}
	if c.TokenFile != "" {
		parts = append(parts, "bearer (token-file)")
	}
	if s.User != "" || s.Password != "" {
		parts = append(parts, "basic (SCIMCONFORM_USER/SCIMCONFORM_PASSWORD)")
	}
	if c.OAuth2.TokenURL != "" || s.OAuth2ClientSecret != "" {
		parts = append(parts, "oauth2 client credentials")
	}
	if s.AuthHeader != "" {
		name, _, _ := strings.Cut(s.AuthHeader, ":")
		parts = append(parts, "header "+strings.TrimSpace(name)+" (SCIMCONFORM_AUTH_HEADER)")
	}
	if len(parts) == 0 {
		return "none"
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

func nonNil(l StringList) []string {
	if l == nil {
		return []string{}
	}
	return []string(l)
}

// sensitiveHeader reports header names that carry credentials.
func sensitiveHeader(name string) bool {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-auth-token":
		return true
	}
	return false
}
