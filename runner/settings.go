package runner

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/reports"
)

// Kind is the value type of a setting.
type Kind string

// Setting kinds.
const (
	KindString   Kind = "string"
	KindBool     Kind = "bool"
	KindInt      Kind = "int"
	KindNumber   Kind = "number"
	KindDuration Kind = "duration"
	KindSize     Kind = "bytes"
	KindList     Kind = "list"
)

// Setting is one configuration setting with its three names: the flag, the
// key of the config file and the environment variable.
type Setting struct {
	Flag  string // run flag name, without dashes
	Alias string // short alias flag ("v")
	Key   string // config file key ("oauth2.token-url")
	Env   string // environment variable
	Kind  Kind
	// Arg names the flag's value in help ("URL"); empty for booleans.
	Arg string
	// Group places the setting in the help text.
	Group string
	Usage string
	// Default is shown in help ("" = none).
	Default string
	// Hidden settings are left out of --help (documented in the README).
	Hidden bool
	// Selection settings are accepted by `list` too.
	Selection bool

	apply func(c *Config, v string) error
	// reset clears lower layers before a repeatable setting's first value;
	// nil means values merge with lower layers (maps).
	reset func(c *Config)
	// envSep splits list values from the environment ("," unless set).
	envSep string
}

// Groups of the help text, in order.
var Groups = []string{"Target", "Authentication", "Selection", "Run", "Limits"}

// Settings is the table of every setting. It is never written after
// initialisation.
var Settings = []Setting{
	{Flag: "url", Arg: "URL", Key: "url", Env: "SCIMCONFORM_URL", Kind: KindString, Group: "Target",
		Usage:   "SCIM base URL, e.g. https://idp.example.com/scim/v2 (none: the embedded reference server)",
		apply:   func(c *Config, v string) error { c.URL = v; return nil },
		Default: ""},
	{Flag: "out", Arg: "DIR", Key: "out", Env: "SCIMCONFORM_OUT", Kind: KindString, Group: "Target", Default: DefaultOut,
		Usage: "directory for junit.xml, report.json, report.html, exchanges.har",
		apply: func(c *Config, v string) error { c.Out = v; return nil }},
	{Flag: "summary-md", Arg: "FILE", Key: "summary-md", Env: "SCIMCONFORM_SUMMARY_MD", Kind: KindString, Group: "Target",
		Usage: "also write a short Markdown summary of the run to FILE (for $GITHUB_STEP_SUMMARY or a merge-request note)",
		apply: func(c *Config, v string) error { c.SummaryMD = v; return nil }},
	{Flag: "ca-file", Arg: "FILE", Key: "ca-file", Env: "SCIMCONFORM_CA_FILE", Kind: KindString, Group: "Target",
		Usage: "PEM file of extra CA certificates to trust",
		apply: func(c *Config, v string) error { c.CAFile = v; return nil }},
	{Flag: "insecure", Key: "insecure", Env: "SCIMCONFORM_INSECURE", Kind: KindBool, Group: "Target",
		Usage: "skip TLS certificate verification (test servers only)",
		apply: boolSetter(func(c *Config, b bool) { c.Insecure = b })},
	{Flag: "header", Arg: "'NAME: VALUE'", Key: "headers", Env: "SCIMCONFORM_HEADERS", Kind: KindList, Group: "Target", envSep: "\n",
		Usage: "extra request header 'Name: value' (repeatable; not for credentials)",
		apply: addHeader},
	{Flag: "token-file", Arg: "FILE", Key: "token-file", Env: "SCIMCONFORM_TOKEN_FILE", Kind: KindString, Group: "Authentication",
		Usage: "file holding a bearer token (or set SCIMCONFORM_TOKEN)",
		apply: func(c *Config, v string) error { c.TokenFile = v; return nil }},
	{Flag: "oauth2-token-url", Arg: "URL", Key: "oauth2.token-url", Env: "SCIMCONFORM_OAUTH2_TOKEN_URL", Kind: KindString, Group: "Authentication",
		Usage: "OAuth2 token endpoint for the client credentials grant (secret: SCIMCONFORM_OAUTH2_CLIENT_SECRET)",
		apply: func(c *Config, v string) error { c.OAuth2.TokenURL = v; return nil }},
	{Flag: "oauth2-client-id", Arg: "ID", Key: "oauth2.client-id", Env: "SCIMCONFORM_OAUTH2_CLIENT_ID", Kind: KindString, Group: "Authentication",
		Usage: "OAuth2 client id",
		apply: func(c *Config, v string) error { c.OAuth2.ClientID = v; return nil }},
	{Flag: "oauth2-scope", Arg: "SCOPE", Key: "oauth2.scopes", Env: "SCIMCONFORM_OAUTH2_SCOPES", Kind: KindList, Group: "Authentication",
		Usage: "OAuth2 scope to request (repeatable, comma-separated)",
		apply: func(c *Config, v string) error { c.OAuth2.Scopes = c.OAuth2.Scopes.appendSplit(v); return nil },
		reset: func(c *Config) { c.OAuth2.Scopes = nil }},
	{Flag: "label-filter", Arg: "EXPR", Key: "label-filter", Env: "SCIMCONFORM_LABEL_FILTER", Kind: KindString, Group: "Selection", Selection: true,
		Usage: "ginkgo label filter, e.g. 'area:filter && !feature:bulk'",
		apply: func(c *Config, v string) error { c.LabelFilter = v; return nil }},
	{Flag: "section", Arg: "RFC/SECTION", Key: "sections", Env: "SCIMCONFORM_SECTIONS", Kind: KindList, Group: "Selection", Selection: true,
		Usage: "RFC section prefix, e.g. 7644/3.5.2 (repeatable, comma-separated)",
		apply: func(c *Config, v string) error { c.Sections = c.Sections.appendSplit(v); return nil },
		reset: func(c *Config) { c.Sections = nil }},
	{Flag: "level", Arg: "LEVEL", Key: "levels", Env: "SCIMCONFORM_LEVELS", Kind: KindList, Group: "Selection", Selection: true,
		Usage: "levels to run: must, should, may (repeatable, comma-separated)",
		apply: func(c *Config, v string) error { c.Levels = c.Levels.appendSplit(v); return nil },
		reset: func(c *Config) { c.Levels = nil }},
	{Flag: "req", Arg: "ID", Key: "reqs", Env: "SCIMCONFORM_REQS", Kind: KindList, Group: "Selection", Selection: true,
		Usage: "requirement id, e.g. 7644-3.4.2.2-04 (repeatable, comma-separated)",
		apply: func(c *Config, v string) error { c.Reqs = c.Reqs.appendSplit(v); return nil },
		reset: func(c *Config) { c.Reqs = nil }},
	{Flag: "read-only", Key: "read-only", Env: "SCIMCONFORM_READ_ONLY", Kind: KindBool, Group: "Selection", Selection: true,
		Usage: "run no spec that writes to the target",
		apply: boolSetter(func(c *Config, b bool) { c.ReadOnly = b })},
	{Flag: "profile", Arg: "PROFILE", Key: "profile", Env: "SCIMCONFORM_PROFILE", Kind: KindString, Group: "Selection", Selection: true, Default: string(spec.ProfileAll),
		Usage: "spec (single-requirement specs), scenario (end-to-end journeys) or all",
		apply: func(c *Config, v string) error {
			p, err := spec.ParseProfile(v)
			c.Profile = string(p)
			return err
		}},
	{Flag: "focus", Arg: "REGEX", Key: "focus", Env: "SCIMCONFORM_FOCUS", Kind: KindString, Group: "Selection", Selection: true,
		Usage: "regular expression over full spec texts",
		apply: func(c *Config, v string) error { c.Focus = v; return nil }},
	{Flag: "feature", Arg: "NAME=on|off", Key: "features", Env: "SCIMCONFORM_FEATURES", Kind: KindList, Group: "Run",
		Usage: "override a capability: NAME=on|off, e.g. bulk=off (repeatable)",
		apply: addFeature},
	{Flag: "user-template", Arg: "JSON|@FILE", Key: "user-template", Env: "SCIMCONFORM_USER_TEMPLATE", Kind: KindString, Group: "Run",
		Usage: "attributes the target requires on every User, merged into each User the run sends, e.g. '{\"emails\":[{\"value\":\"{name}@example.com\"}]}'",
		apply: func(c *Config, v string) (err error) { c.UserTemplate, err = parseTemplate(v); return err }},
	{Flag: "group-template", Arg: "JSON|@FILE", Key: "group-template", Env: "SCIMCONFORM_GROUP_TEMPLATE", Kind: KindString, Group: "Run",
		Usage: "attributes the target requires on every Group, merged like --user-template",
		apply: func(c *Config, v string) (err error) { c.GroupTemplate, err = parseTemplate(v); return err }},
	{Flag: "seed", Arg: "N", Key: "seed", Env: "SCIMCONFORM_SEED", Kind: KindInt, Group: "Run",
		Usage: "random seed of the spec order (0: from the clock)",
		apply: func(c *Config, v string) error {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return fmt.Errorf("%q is not an integer", v)
			}
			c.Seed = n
			return nil
		}},
	{Flag: "fail-fast", Key: "fail-fast", Env: "SCIMCONFORM_FAIL_FAST", Kind: KindBool, Group: "Run",
		Usage: "stop after the first failing spec",
		apply: boolSetter(func(c *Config, b bool) { c.FailFast = b })},
	{Flag: "parallel", Arg: "N", Key: "parallel", Env: "SCIMCONFORM_PARALLEL", Kind: KindInt, Group: "Run", Default: strconv.Itoa(DefaultParallel),
		Usage: "worker processes running specs at once (1: one process, one spec at a time); specs that must run alone still do",
		apply: func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return fmt.Errorf("%q is not an integer", v)
			}
			c.Parallel = n
			return nil
		}},
	{Flag: "verbose", Alias: "v", Key: "verbose", Env: "SCIMCONFORM_VERBOSE", Kind: KindBool, Group: "Run",
		Usage: "print every spec's HTTP exchanges",
		apply: boolSetter(func(c *Config, b bool) { c.Verbose = b })},
	{Flag: "strict", Key: "strict", Env: "SCIMCONFORM_STRICT", Kind: KindBool, Group: "Run",
		Usage: "a failed SHOULD (WARN) makes the run not conformant",
		apply: boolSetter(func(c *Config, b bool) { c.Strict = b })},
	{Flag: "expect", Arg: "FILE", Key: "expect", Env: "SCIMCONFORM_EXPECT", Kind: KindString, Group: "Run",
		Usage: "YAML file of known failures (req or spec, verdict, reason, expires): an expected failure does not fail the run",
		apply: func(c *Config, v string) error { c.Expect = v; return nil }},
	{Flag: "baseline", Arg: "FILE", Key: "baseline", Env: "SCIMCONFORM_BASELINE", Kind: KindString, Group: "Run",
		Usage: "report.json of an earlier run: only verdicts worse than its verdicts for the same spec fail the run",
		apply: func(c *Config, v string) error { c.Baseline = v; return nil }},
	{Flag: "keep", Key: "keep", Env: "SCIMCONFORM_KEEP", Kind: KindBool, Group: "Run",
		Usage: "keep the data the run created on the target (listed in the report)",
		apply: boolSetter(func(c *Config, b bool) { c.Keep = b })},
	{Flag: "transcripts", Arg: "MODE", Key: "transcripts", Env: "SCIMCONFORM_TRANSCRIPTS", Kind: KindString, Group: "Run", Default: string(reports.TranscriptsFailures),
		Usage: "HTTP exchanges the reports keep in full: all, failures (of FAIL, ERROR and WARN specs; the others as one-line summaries) or none",
		apply: func(c *Config, v string) (err error) { c.Transcripts, err = reports.ParseTranscripts(v); return err }},
	{Flag: "ref-fault", Arg: "NAME", Key: "ref-faults", Env: "SCIMCONFORM_REF_FAULTS", Kind: KindList, Group: "Run", Hidden: true,
		Usage: "run the embedded reference server with a fault switch (repeatable; see serve --list-faults)",
		apply: func(c *Config, v string) error { c.RefFaults = c.RefFaults.appendSplit(v); return nil },
		reset: func(c *Config) { c.RefFaults = nil }},
	{Flag: "request-timeout", Arg: "DURATION", Key: "request-timeout", Env: "SCIMCONFORM_REQUEST_TIMEOUT", Kind: KindDuration, Group: "Limits", Default: "30s",
		Usage: "timeout of one HTTP request",
		apply: durationSetter(func(c *Config, d time.Duration) { c.RequestTimeout = d })},
	{Flag: "timeout", Arg: "DURATION", Key: "timeout", Env: "SCIMCONFORM_TIMEOUT", Kind: KindDuration, Group: "Limits", Default: "1h",
		Usage: "timeout of the whole run",
		apply: durationSetter(func(c *Config, d time.Duration) { c.Timeout = d })},
	{Flag: "max-body-bytes", Arg: "BYTES", Key: "max-body-bytes", Env: "SCIMCONFORM_MAX_BODY_BYTES", Kind: KindSize, Group: "Limits", Default: "8MiB",
		Usage: "cap on a response body read (bytes; KiB/MiB/GiB suffixes)",
		apply: func(c *Config, v string) error {
			n, err := parseSize(v)
			c.MaxBodyBytes = n
			return err
		}},
	{Flag: "retries", Arg: "N", Key: "retries", Env: "SCIMCONFORM_RETRIES", Kind: KindInt, Group: "Limits", Default: "2",
		Usage: "retries of a 429/503 answer per request (honours Retry-After)",
		apply: func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return fmt.Errorf("%q is not an integer", v)
			}
			c.Retries = n
			return nil
		}},
	{Flag: "max-rps", Arg: "N", Key: "max-rps", Env: "SCIMCONFORM_MAX_RPS", Kind: KindNumber, Group: "Limits", Default: "0 (unlimited)",
		Usage: "most requests sent per second, e.g. 20 or 2.5 (0: unlimited); a 429/503 pauses every request for its Retry-After",
		apply: func(c *Config, v string) (err error) { c.MaxRPS, err = parseRate(v); return err }},
	{Flag: "max-in-flight", Arg: "N", Key: "max-in-flight", Env: "SCIMCONFORM_MAX_IN_FLIGHT", Kind: KindInt, Group: "Limits", Default: strconv.Itoa(DefaultMaxInFlight),
		Usage: "most requests in flight at once (0: unlimited; below 8 the concurrency specs race fewer requests)",
		apply: func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 {
				return fmt.Errorf("%q is not a request count (0 or more; 0: unlimited)", v)
			}
			c.MaxInFlight = n
			return nil
		}},
}

// Secret environment variables: the only way to pass credentials.
const (
	EnvToken              = "SCIMCONFORM_TOKEN"
	EnvUser               = "SCIMCONFORM_USER"
	EnvPassword           = "SCIMCONFORM_PASSWORD"
	EnvOAuth2ClientSecret = "SCIMCONFORM_OAUTH2_CLIENT_SECRET"
	EnvAuthHeader         = "SCIMCONFORM_AUTH_HEADER"
	// EnvConfig names the config file when --config is not given.
	EnvConfig = "SCIMCONFORM_CONFIG"
)

func boolSetter(set func(c *Config, b bool)) func(c *Config, v string) error {
	return func(c *Config, v string) error {
		b, err := parseBool(v)
		if err != nil {
			return err
		}
		set(c, b)
		return nil
	}
}

func durationSetter(set func(c *Config, d time.Duration)) func(c *Config, v string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("%q is not a duration (e.g. 30s, 5m)", v)
		}
		set(c, d)
		return nil
	}
}

// parseRate reads a requests-per-second rate: a finite number, 0 or more.
func parseRate(v string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || validRate(f) != nil {
		return 0, fmt.Errorf("%q is not a rate (requests per second, e.g. 20 or 2.5; 0: unlimited)", v)
	}
	return f, nil
}

// validRate accepts 0 (unlimited) and finite rates of at least one request
// per hour.
func validRate(f float64) error {
	if f == 0 || (f >= 1.0/3600 && !math.IsInf(f, 1)) {
		return nil
	}
	return fmt.Errorf("%v is not 0 (unlimited) or a rate of at least one request per hour", f)
}

// parseBool accepts true/false, on/off, yes/no, 1/0.
func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "t", "true", "on", "yes", "y":
		return true, nil
	case "0", "f", "false", "off", "no", "n", "":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean (true/false, on/off)", v)
}

// parseSize reads a byte count with an optional KiB/MiB/GiB (or KB/MB/GB) suffix.
func parseSize(v string) (int64, error) {
	s := strings.ToUpper(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a byte size (e.g. 8388608, 8MiB)", v)
	}
	return n * mult, nil
}

// addHeader merges one "Name: value" header.
func addHeader(c *Config, v string) error {
	name, value, ok := strings.Cut(v, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " \t\r\n") {
		return fmt.Errorf("%q is not a header; want 'Name: value'", v)
	}
	if c.Headers == nil {
		c.Headers = map[string]string{}
	}
	c.Headers[name] = strings.TrimSpace(value)
	return nil
}

// addFeature merges one NAME=on|off override.
func addFeature(c *Config, v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("%q: want NAME=on|off, e.g. bulk=off", v)
	}
	on, err := parseBool(value)
	if err != nil || strings.TrimSpace(value) == "" {
		return fmt.Errorf("%q: want NAME=on|off, e.g. bulk=off", v)
	}
	if c.Features == nil {
		c.Features = map[string]bool{}
	}
	c.Features[strings.ToLower(strings.TrimSpace(name))] = on
	return nil
}

// settingByFlag finds a setting by its flag name or alias.
func settingByFlag(name string) (Setting, bool) {
	for _, s := range Settings {
		if s.Flag == name || (s.Alias != "" && s.Alias == name) {
			return s, true
		}
	}
	return Setting{}, false
}
