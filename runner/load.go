package runner

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DefaultConfigFile is read from the working directory when no --config is given.
const DefaultConfigFile = "scimconform.yaml"

// LookupEnv reads one environment variable (os.LookupEnv in production).
type LookupEnv func(key string) (string, bool)

// FlagSet is the stdlib flag set of one subcommand. It records the flags the
// user actually set, so that they override the file and the environment and
// nothing else does. It never touches the global flag set (ginkgo owns that).
type FlagSet struct {
	fs         *flag.FlagSet
	raw        map[string][]string // setting flag name -> values, in order
	configPath *string
	trapErr    error
	selection  bool
}

// secretFlags are refused with a pointer to the right place: a secret on the
// command line ends up in shell history and process listings.
var secretFlags = map[string]string{
	"token": EnvToken + " or --token-file", "bearer-token": EnvToken + " or --token-file",
	"password": EnvPassword, "user": EnvUser, "client-secret": EnvOAuth2ClientSecret,
	"oauth2-client-secret": EnvOAuth2ClientSecret, "auth-header": EnvAuthHeader,
}

// NewFlagSet returns the flag set of subcommand cmd. With selectionOnly, only
// the selection settings (and --config) are flags: `scimconform list`.
func NewFlagSet(cmd string, selectionOnly bool) *FlagSet {
	f := &FlagSet{fs: flag.NewFlagSet(cmd, flag.ContinueOnError), raw: map[string][]string{}, selection: selectionOnly}
	f.fs.SetOutput(io.Discard)
	f.fs.Usage = func() {}
	f.configPath = f.fs.String("config", "", "YAML config file (default ./"+DefaultConfigFile+" if present)")
	for _, s := range Settings {
		if selectionOnly && !s.Selection {
			continue
		}
		v := &rawValue{set: f, name: s.Flag, isBool: s.Kind == KindBool}
		f.fs.Var(v, s.Flag, s.Usage)
		if s.Alias != "" {
			f.fs.Var(v, s.Alias, s.Usage)
		}
	}
	if !selectionOnly {
		for name, where := range secretFlags {
			f.fs.Var(&trapValue{set: f, name: name, where: where}, name, "")
		}
	}
	return f
}

// Flags returns the underlying flag set, for subcommand-specific flags.
func (f *FlagSet) Flags() *flag.FlagSet { return f.fs }

// Parse parses the subcommand's arguments. It returns flag.ErrHelp for
// -h/--help and an error naming the problem otherwise; it never prints.
func (f *FlagSet) Parse(args []string) error {
	err := f.fs.Parse(args)
	if f.trapErr != nil {
		return f.trapErr
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errors.New(strings.Replace(err.Error(), " -", " --", 1))
	}
	if f.fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (this command takes flags only)", f.fs.Arg(0))
	}
	return nil
}

// Config resolves the configuration: defaults < config file < environment <
// flags the user set. cwd is where ./scimconform.yaml is looked for.
func (f *FlagSet) Config(env LookupEnv, cwd string) (Config, error) {
	c := Defaults()
	path, explicit := *f.configPath, *f.configPath != ""
	if !explicit {
		if p, ok := env(EnvConfig); ok && p != "" {
			path, explicit = p, true
		} else {
			path = filepath.Join(cwd, DefaultConfigFile)
		}
	}
	if err := loadFile(path, explicit, &c); err != nil {
		return Config{}, err
	}
	if err := applyEnv(&c, env); err != nil {
		return Config{}, err
	}
	if err := f.applyFlags(&c); err != nil {
		return Config{}, err
	}
	c.Secrets = secretsFromEnv(env)
	tenantSecretsFromEnv(c.Tenants, env)
	return c, nil
}

// Set reports whether the user set the named flag (or its alias).
func (f *FlagSet) Set(name string) bool { return len(f.raw[name]) > 0 }

func (f *FlagSet) applyFlags(c *Config) error {
	names := make([]string, 0, len(f.raw))
	for n := range f.raw {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s, _ := settingByFlag(n)
		if s.reset != nil {
			s.reset(c)
		}
		for _, v := range f.raw[n] {
			if err := s.apply(c, v); err != nil {
				return fmt.Errorf("flag --%s: %w", s.Flag, err)
			}
		}
	}
	return nil
}

// applyEnv applies every SCIMCONFORM_* variable that is set and not empty.
func applyEnv(c *Config, env LookupEnv) error {
	for _, s := range Settings {
		v, ok := env(s.Env)
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		if s.Kind != KindList {
			if err := s.apply(c, v); err != nil {
				return fmt.Errorf("%s: %w", s.Env, err)
			}
			continue
		}
		if s.reset != nil {
			s.reset(c)
		}
		sep := s.envSep
		if sep == "" {
			sep = ","
		}
		for _, part := range strings.Split(v, sep) {
			if strings.TrimSpace(part) == "" {
				continue
			}
			if err := s.apply(c, part); err != nil {
				return fmt.Errorf("%s: %w", s.Env, err)
			}
		}
	}
	return nil
}

func secretsFromEnv(env LookupEnv) Secrets {
	get := func(k string) string { v, _ := env(k); return v }
	return Secrets{
		Token: strings.TrimSpace(get(EnvToken)), User: get(EnvUser), Password: get(EnvPassword),
		OAuth2ClientSecret: get(EnvOAuth2ClientSecret), AuthHeader: strings.TrimSpace(get(EnvAuthHeader)),
	}
}

// loadFile decodes the YAML config file at path into c. A missing file is an
// error only when it was asked for explicitly.
func loadFile(path string, explicit bool, c *Config) error {
	data, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("config file: %w", err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return fmt.Errorf("config file %s: %s", path, oneLine(err.Error()))
	}
	if len(root.Content) == 0 {
		return nil // empty file
	}
	if err := checkKeys(root.Content[0], ""); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		msg := oneLine(strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:"))
		if key := keyAtLine(root.Content[0], "", lineOf(msg)); key != "" {
			msg = fmt.Sprintf("key %q: %s", key, msg)
		}
		return fmt.Errorf("config file %s: %s", path, msg)
	}
	c.ConfigFile = path
	return nil
}

// lineOf reads the line number of a yaml error message ("line 3: ...").
func lineOf(msg string) int {
	var n int
	if i := strings.Index(msg, "line "); i >= 0 {
		_, _ = fmt.Sscanf(msg[i:], "line %d", &n)
	}
	return n
}

// keyAtLine returns the dotted key whose value starts at line (0: none).
func keyAtLine(n *yaml.Node, parent string, line int) string {
	if line == 0 || n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		full := strings.TrimPrefix(parent+"."+k.Value, ".")
		if inner := keyAtLine(v, full, line); inner != "" {
			return inner
		}
		if k.Line == line || v.Line == line {
			return full
		}
	}
	return ""
}

// secretKeys are config keys that would hold a secret, with where it belongs.
var secretKeys = map[string]string{
	"token": EnvToken + " (or token-file)", "bearer-token": EnvToken + " (or token-file)",
	"access-token": EnvToken + " (or token-file)", "password": EnvPassword, "user": EnvUser,
	"username": EnvUser, "client-secret": EnvOAuth2ClientSecret, "secret": EnvOAuth2ClientSecret,
	"auth-header": EnvAuthHeader, "api-key": EnvAuthHeader,
}

// checkKeys walks the file's mappings: every key must be a known setting,
// secrets are refused, and credential headers too. It names the line.
func checkKeys(n *yaml.Node, parent string) error {
	if n.Kind != yaml.MappingNode {
		if parent == "" {
			return fmt.Errorf("line %d: want a mapping of settings", n.Line)
		}
		return nil
	}
	known := knownKeys(parent)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := strings.ToLower(k.Value)
		full := strings.TrimPrefix(parent+"."+k.Value, ".")
		if where, secret := secretKeys[key]; secret && parent != "headers" && parent != "features" {
			return fmt.Errorf("line %d: %q holds a secret and is not accepted in a file: put it in %s", k.Line, full, where)
		}
		switch parent {
		case "headers":
			if sensitiveHeader(k.Value) {
				return fmt.Errorf("line %d: header %q carries credentials: put the token in %s or the header in %s", k.Line, k.Value, EnvToken, EnvAuthHeader)
			}
			continue
		case "features":
			continue
		}
		if !known[k.Value] {
			return fmt.Errorf("line %d: unknown key %q (known keys: %s)", k.Line, full, strings.Join(sortedKeys(known), ", "))
		}
		if k.Value == "tenants" {
			if err := checkTenantKeys(v); err != nil {
				return err
			}
			continue
		}
		if k.Value == "oauth2" || k.Value == "headers" || k.Value == "features" {
			if err := checkKeys(v, k.Value); err != nil {
				return err
			}
		}
	}
	return nil
}

// tenantKeys are the keys of one entry of tenants.
var tenantKeys = map[string]bool{"name": true, "token-file": true, "oauth2": true}

// checkTenantKeys checks the tenants sequence: mappings of tenantKeys
// (oauth2 as under the top level), no secrets.
func checkTenantKeys(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return fmt.Errorf("line %d: tenants: want a list of {name, token-file or oauth2}", n.Line)
	}
	for i, e := range n.Content {
		if e.Kind != yaml.MappingNode {
			return fmt.Errorf("line %d: tenants[%d]: want a mapping such as {name: b}", e.Line, i)
		}
		for j := 0; j+1 < len(e.Content); j += 2 {
			k, v := e.Content[j], e.Content[j+1]
			full := fmt.Sprintf("tenants[%d].%s", i, k.Value)
			if where, secret := secretKeys[strings.ToLower(k.Value)]; secret {
				where = strings.Replace(where, "SCIMCONFORM_", EnvTenantPrefix+"<NAME>_", 1)
				return fmt.Errorf("line %d: %q holds a secret and is not accepted in a file: put it in %s", k.Line, full, where)
			}
			if !tenantKeys[k.Value] {
				return fmt.Errorf("line %d: unknown key %q (known keys: name, oauth2, token-file)", k.Line, full)
			}
			if k.Value == "oauth2" {
				if err := checkKeys(v, "oauth2"); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// knownKeys lists the config keys directly under parent ("" = top level).
func knownKeys(parent string) map[string]bool {
	out := map[string]bool{}
	if parent == "" {
		out["tenants"] = true
	}
	for _, s := range Settings {
		head, tail, nested := strings.Cut(s.Key, ".")
		switch {
		case parent == "" && !nested:
			out[s.Key] = true
		case parent == "" && nested:
			out[head] = true
		case nested && head == parent:
			out[tail] = true
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// oneLine folds a multi-line message into one line.
func oneLine(s string) string {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	return strings.Join(fields, "; ")
}

// rawValue records every value given to one flag.
type rawValue struct {
	set    *FlagSet
	name   string
	isBool bool
}

func (v *rawValue) String() string { return "" }

func (v *rawValue) Set(s string) error {
	name := v.name
	v.set.raw[name] = append(v.set.raw[name], s)
	return nil
}

func (v *rawValue) IsBoolFlag() bool { return v.isBool }

// trapValue refuses a secret given as a flag, without echoing it.
type trapValue struct {
	set   *FlagSet
	name  string
	where string
}

func (t *trapValue) String() string { return "" }

func (t *trapValue) Set(string) error {
	if t.set.trapErr == nil {
		t.set.trapErr = fmt.Errorf("--%s is not accepted: secrets never go on the command line; set %s", t.name, t.where)
	}
	return nil
}
