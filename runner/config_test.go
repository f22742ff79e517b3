package runner

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scimconform/scimconform/reports"
)

// envOf returns a LookupEnv over a fixed map.
func envOf(m map[string]string) LookupEnv {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// load parses args, writes yaml (if any) as ./scimconform.yaml of a temp dir
// and resolves the configuration.
func load(t *testing.T, yaml string, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	dir := t.TempDir()
	if yaml != "" {
		if err := os.WriteFile(filepath.Join(dir, DefaultConfigFile), []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	fs := NewFlagSet("run", false)
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	return fs.Config(envOf(env), dir)
}

func mustLoad(t *testing.T, yaml string, env map[string]string, args ...string) Config {
	t.Helper()
	c, err := load(t, yaml, env, args...)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return c
}

func TestPrecedenceDefaultsFileEnvFlags(t *testing.T) {
	yaml := "url: https://file.example/scim\nout: file-out\nretries: 5\nstrict: true\nlevels: [must, should]\n"
	env := map[string]string{"SCIMCONFORM_OUT": "env-out", "SCIMCONFORM_RETRIES": "3", "SCIMCONFORM_LEVELS": "may"}

	c := mustLoad(t, "", nil)
	if c.Out != DefaultOut || c.Retries != 2 || c.Timeout != time.Hour || c.Strict {
		t.Errorf("defaults: got out=%q retries=%d timeout=%s strict=%v", c.Out, c.Retries, c.Timeout, c.Strict)
	}

	c = mustLoad(t, yaml, nil)
	if c.URL != "https://file.example/scim" || c.Out != "file-out" || c.Retries != 5 || !c.Strict {
		t.Errorf("file over defaults: got %+v", c)
	}
	if strings.Join(c.Levels, ",") != "must,should" {
		t.Errorf("file levels: got %v", c.Levels)
	}

	c = mustLoad(t, yaml, env)
	if c.Out != "env-out" || c.Retries != 3 || c.URL != "https://file.example/scim" {
		t.Errorf("env over file: got out=%q retries=%d url=%q", c.Out, c.Retries, c.URL)
	}
	if strings.Join(c.Levels, ",") != "may" {
		t.Errorf("env list replaces file list: got %v", c.Levels)
	}

	c = mustLoad(t, yaml, env, "--out", "flag-out", "--strict=false", "--level", "must", "--level", "should")
	if c.Out != "flag-out" || c.Strict || c.Retries != 3 {
		t.Errorf("flags over env: got out=%q strict=%v retries=%d", c.Out, c.Strict, c.Retries)
	}
	if strings.Join(c.Levels, ",") != "must,should" {
		t.Errorf("repeated flag accumulates and replaces lower layers: got %v", c.Levels)
	}
}

func TestUnsetFlagsDoNotOverride(t *testing.T) {
	c := mustLoad(t, "insecure: true\nseed: 42\n", map[string]string{"SCIMCONFORM_KEEP": "on"}, "--verbose")
	if !c.Insecure || c.Seed != 42 || !c.Keep || !c.Verbose {
		t.Errorf("got insecure=%v seed=%d keep=%v verbose=%v", c.Insecure, c.Seed, c.Keep, c.Verbose)
	}
}

func TestExplicitConfigFileAndEnvConfig(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "other.yaml")
	if err := os.WriteFile(p, []byte("out: from-explicit\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := mustLoad(t, "out: from-default-file\n", nil, "--config", p)
	if c.Out != "from-explicit" || c.ConfigFile != p {
		t.Errorf("--config: got out=%q file=%q", c.Out, c.ConfigFile)
	}
	c = mustLoad(t, "out: from-default-file\n", map[string]string{EnvConfig: p})
	if c.Out != "from-explicit" {
		t.Errorf("%s: got out=%q", EnvConfig, c.Out)
	}
	if _, err := load(t, "", nil, "--config", filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("a missing --config file must be an error")
	}
}

func TestMapsMergePerKey(t *testing.T) {
	yaml := "features: {bulk: false, sort: true}\nheaders: {X-Tenant: a, X-Trace: file}\n"
	c := mustLoad(t, yaml, map[string]string{"SCIMCONFORM_FEATURES": "sort=off"},
		"--feature", "etag=off", "--header", "X-Tenant: b")
	want := map[string]bool{"bulk": false, "sort": false, "etag": false}
	if len(c.Features) != 3 || c.Features["bulk"] != want["bulk"] || c.Features["sort"] || c.Features["etag"] {
		t.Errorf("features: got %v", c.Features)
	}
	if c.Headers["X-Tenant"] != "b" || c.Headers["X-Trace"] != "file" {
		t.Errorf("headers: got %v", c.Headers)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("validate: %v", err)
	}
}

func TestConfigErrorsNameTheProblem(t *testing.T) {
	cases := []struct {
		name, yaml string
		env        map[string]string
		args       []string
		want       string
	}{
		{"unknown key", "url: https://x\nlabelfilter: a\n", nil, nil, `unknown key "labelfilter"`},
		{"unknown nested key", "oauth2:\n  tokenurl: https://x\n", nil, nil, `unknown key "oauth2.tokenurl"`},
		{"secret token", "token: s3cr3t-value\n", nil, nil, "put it in SCIMCONFORM_TOKEN"},
		{"secret password", "password: hunter22\n", nil, nil, "SCIMCONFORM_PASSWORD"},
		{"secret client secret", "oauth2:\n  client-secret: abc123\n", nil, nil, "SCIMCONFORM_OAUTH2_CLIENT_SECRET"},
		{"credential header in file", "headers:\n  Authorization: Bearer abc\n", nil, nil, "carries credentials"},
		{"wrong type", "retries: many\n", nil, nil, "retries"},
		{"not a mapping", "- a\n- b\n", nil, nil, "want a mapping"},
		{"bad env bool", "", map[string]string{"SCIMCONFORM_STRICT": "perhaps"}, nil, "SCIMCONFORM_STRICT"},
		{"bad env duration", "", map[string]string{"SCIMCONFORM_TIMEOUT": "soon"}, nil, "SCIMCONFORM_TIMEOUT"},
		{"token flag", "", nil, []string{"--token", "abc"}, "--token is not accepted"},
		{"password flag", "", nil, []string{"--password=abc"}, "SCIMCONFORM_PASSWORD"},
		{"bad header flag", "", nil, []string{"--header", "nocolon"}, "flag --header"},
		{"bad size", "", nil, []string{"--max-body-bytes", "lots"}, "flag --max-body-bytes"},
		{"bad transcripts flag", "", nil, []string{"--transcripts", "some"}, "all, failures or none"},
		{"bad transcripts env", "", map[string]string{"SCIMCONFORM_TRANSCRIPTS": "most"}, nil, "SCIMCONFORM_TRANSCRIPTS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, tc.yaml, tc.env, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error containing %q, got %v", tc.want, err)
			}
			if strings.Contains(err.Error(), "s3cr3t-value") || strings.Contains(err.Error(), "hunter22") || strings.Contains(err.Error(), "abc123") {
				t.Errorf("the error echoes the secret: %v", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("the error is not one line: %q", err)
			}
		})
	}
}

func TestValidateErrors(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"malformed url", nil, []string{"--url", "not a url"}, "url:"},
		{"url with query", nil, []string{"--url", "https://x/scim?a=1"}, "query"},
		{"bad level", nil, []string{"--level", "must,often"}, `unknown level "often"`},
		{"bad req", nil, []string{"--req", "7644-x"}, "malformed requirement id"},
		{"bad section", nil, []string{"--section", "1234/5"}, "--section"},
		{"bad label filter", nil, []string{"--label-filter", "a && (b"}, "label-filter"},
		{"bad focus", nil, []string{"--focus", "a["}, "focus"},
		{"unknown feature", nil, []string{"--feature", "teleport=on"}, `unknown feature "teleport"`},
		{"credential header flag", nil, []string{"--header", "Authorization: Bearer x"}, "carries credentials"},
		{"two credentials", map[string]string{EnvToken: "tok-1234", EnvUser: "u", EnvPassword: "p-1234"}, []string{"--url", "https://x"}, "several credentials"},
		{"half basic", map[string]string{EnvUser: "u"}, []string{"--url", "https://x"}, "needs both"},
		{"half oauth2", map[string]string{EnvOAuth2ClientSecret: "sec-1234"}, []string{"--url", "https://x"}, "oauth2 needs"},
		{"basic on embedded", map[string]string{EnvUser: "u", EnvPassword: "p-1234"}, nil, "bearer token only"},
		{"ref-fault with url", nil, []string{"--url", "https://x", "--ref-fault", "x"}, "embedded reference server only"},
		{"zero timeout", nil, []string{"--timeout", "0s"}, "timeout must be positive"},
		{"retries", nil, []string{"--retries", "99"}, "retries"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustLoad(t, "", tc.env, tc.args...)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error containing %q, got %v", tc.want, err)
			}
			for _, s := range []string{"tok-1234", "p-1234", "sec-1234"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("the error echoes a secret: %v", err)
				}
			}
		})
	}
}

func TestValidConfigs(t *testing.T) {
	for _, env := range []map[string]string{
		nil,
		{EnvToken: "tok"},
		{EnvUser: "u", EnvPassword: "p"},
		{EnvAuthHeader: "X-Api-Key: k"},
		{EnvOAuth2ClientSecret: "s", "SCIMCONFORM_OAUTH2_TOKEN_URL": "https://auth/token", "SCIMCONFORM_OAUTH2_CLIENT_ID": "id"},
	} {
		c := mustLoad(t, "", env, "--url", "https://idp.example.com/scim/v2", "--section", "7644/3.4.2,7643", "--read-only")
		if err := c.Validate(); err != nil {
			t.Errorf("env %v: %v", env, err)
		}
	}
}

func TestSecretsComeFromEnvOnly(t *testing.T) {
	env := map[string]string{EnvToken: " tok-secret-1 ", EnvUser: "alice", EnvPassword: "pw-secret-2",
		EnvOAuth2ClientSecret: "cs-secret-3", EnvAuthHeader: "X-Api-Key: key-secret-4"}
	c := mustLoad(t, "", env)
	s := c.Secrets
	if s.Token != "tok-secret-1" || s.User != "alice" || s.Password != "pw-secret-2" || s.OAuth2ClientSecret != "cs-secret-3" {
		t.Errorf("secrets: got %+v", s)
	}
	vals := strings.Join(s.Values(), " ")
	for _, want := range []string{"tok-secret-1", "pw-secret-2", "cs-secret-3", "key-secret-4"} {
		if !strings.Contains(vals, want) {
			t.Errorf("Values() misses %s", want)
		}
	}
	red, err := json.Marshal(c.Redacted())
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"tok-secret-1", "pw-secret-2", "cs-secret-3", "key-secret-4"} {
		if strings.Contains(string(red), secret) {
			t.Errorf("Redacted() leaks %s: %s", secret, red)
		}
	}
	if !strings.Contains(string(red), "SCIMCONFORM_TOKEN") {
		t.Errorf("Redacted() should say which credentials were used: %s", red)
	}
}

func TestTokenFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(p, []byte("\n  file-token  \nsecond line\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := mustLoad(t, "", nil, "--token-file", p)
	tok, err := c.bearerToken()
	if err != nil || tok != "file-token" {
		t.Fatalf("bearerToken: %q, %v", tok, err)
	}
	c = mustLoad(t, "", nil, "--token-file", filepath.Join(t.TempDir(), "missing"))
	if _, err := c.bearerToken(); err == nil || !strings.Contains(err.Error(), "token-file") {
		t.Fatalf("missing token file: %v", err)
	}
}

func TestEverySettingHasThreeNames(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Settings {
		for _, n := range []string{"flag:" + s.Flag, "key:" + s.Key, "env:" + s.Env} {
			if seen[n] {
				t.Errorf("duplicate %s", n)
			}
			seen[n] = true
		}
		if s.Flag == "" || s.Key == "" || !strings.HasPrefix(s.Env, "SCIMCONFORM_") || s.Usage == "" || s.apply == nil {
			t.Errorf("setting %+v is incomplete", s.Flag)
		}
		if s.Kind != KindBool && s.Arg == "" {
			t.Errorf("setting %s needs an Arg name for help", s.Flag)
		}
	}
}

func TestSizes(t *testing.T) {
	for in, want := range map[string]int64{"1024": 1024, "8MiB": 8 << 20, "2 KiB": 2048, "1GB": 1e9} {
		got, err := parseSize(in)
		if err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "8XB", "1.5MiB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) should fail", in)
		}
	}
}

func TestTranscriptsSetting(t *testing.T) {
	if c := mustLoad(t, "", nil); c.Transcripts != reports.TranscriptsFailures || c.Redacted()["transcripts"] != "failures" {
		t.Errorf("default: %q (%v in the report)", c.Transcripts, c.Redacted()["transcripts"])
	}
	c := mustLoad(t, "transcripts: none\n", nil)
	if c.Transcripts != reports.TranscriptsNone {
		t.Errorf("file: %q", c.Transcripts)
	}
	c = mustLoad(t, "transcripts: none\n", map[string]string{"SCIMCONFORM_TRANSCRIPTS": "all"})
	if c.Transcripts != reports.TranscriptsAll {
		t.Errorf("env over file: %q", c.Transcripts)
	}
	c = mustLoad(t, "", map[string]string{"SCIMCONFORM_TRANSCRIPTS": "all"}, "--transcripts", "Failures")
	if c.Transcripts != reports.TranscriptsFailures {
		t.Errorf("flag over env: %q", c.Transcripts)
	}
	// The file is decoded as is, so Validate catches a bad value there.
	c = mustLoad(t, "transcripts: most\n", nil)
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "transcripts:") {
		t.Errorf("a bad transcripts value in the file: %v", err)
	}
}

func TestSummaryMDSetting(t *testing.T) {
	if c := mustLoad(t, "", nil); c.SummaryMD != "" || c.Redacted()["summary-md"] != nil {
		t.Errorf("default: %q (%v in the report)", c.SummaryMD, c.Redacted()["summary-md"])
	}
	c := mustLoad(t, "summary-md: file.md\n", nil)
	if c.SummaryMD != "file.md" || c.Redacted()["summary-md"] != "file.md" {
		t.Errorf("file: %q", c.SummaryMD)
	}
	c = mustLoad(t, "summary-md: file.md\n", map[string]string{"SCIMCONFORM_SUMMARY_MD": "env.md"})
	if c.SummaryMD != "env.md" {
		t.Errorf("env over file: %q", c.SummaryMD)
	}
	c = mustLoad(t, "", map[string]string{"SCIMCONFORM_SUMMARY_MD": "env.md"}, "--summary-md", "flag.md")
	if c.SummaryMD != "flag.md" {
		t.Errorf("flag over env: %q", c.SummaryMD)
	}
}
