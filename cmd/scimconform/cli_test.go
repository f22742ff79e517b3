package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/runner"
)

// These tests run the built binary as a user does (one harness run per
// process): exit codes, the one-line errors of exit 2, and that no secret
// reaches any artifact.

// oneLine fails unless stderr is exactly one line containing want.
func oneLine(t *testing.T, res selftest.Result, want string) {
	t.Helper()
	if res.ExitCode != runner.ExitUsage {
		t.Errorf("exit code %d, want 2\nstdout:\n%s\nstderr:\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	lines := strings.Split(strings.TrimRight(res.Stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "scimconform: ") {
		t.Errorf("stderr must be exactly one 'scimconform: ...' line, got %d:\n%s", len(lines), res.Stderr)
	}
	if !strings.Contains(res.Stderr, want) {
		t.Errorf("stderr %q does not mention %q", res.Stderr, want)
	}
	if strings.Contains(res.Stderr+res.Stdout, "goroutine ") || strings.Contains(res.Stderr, "panic") {
		t.Errorf("stack trace or panic in the output:\n%s", res.Stderr)
	}
}

func TestUnreachableTargetExits2WithOneLine(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/scim/v2"
	srv.Close() // nothing listens there any more
	res := selftest.Run(t, nil, "run", "--url", url)
	oneLine(t, res, "cannot reach "+url)
	if res.Doc != nil {
		t.Error("no report may be written when preflight fails")
	}
}

func TestRejectedCredentialsExit2WithOneLine(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="scim"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	res := selftest.Run(t, []string{"SCIMCONFORM_TOKEN=wrong-token-value"}, "run", "--url", srv.URL)
	oneLine(t, res, "rejected the credentials")
	if strings.Contains(res.Stderr, "wrong-token-value") {
		t.Error("the token appears on stderr")
	}
	res = selftest.Run(t, nil, "run", "--url", srv.URL)
	oneLine(t, res, "requires credentials")
}

func TestTLSVerificationFailureExits2(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	res := selftest.Run(t, nil, "run", "--url", srv.URL+"/scim/v2")
	oneLine(t, res, "TLS")
}

func TestBadConfigurationExits2NamingTheProblem(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	unknown := write("unknown.yaml", "url: https://idp.example.com/scim/v2\nlevle: must\n")
	secret := write("secret.yaml", "token: yaml-secret-value\n")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown yaml key", []string{"run", "--config", unknown}, `unknown key "levle"`}, //nolint:misspell // the typo is the input under test
		{"secret in yaml", []string{"run", "--config", secret}, "put it in SCIMCONFORM_TOKEN"},
		{"bad label filter", []string{"run", "--label-filter", "area:filter &&"}, "label-filter"},
		{"malformed url", []string{"run", "--url", "idp.example.com/scim"}, "url:"},
		{"unknown flag", []string{"run", "--colour"}, "--colour"},
		{"secret flag", []string{"run", "--token", "flag-secret-value"}, "SCIMCONFORM_TOKEN"},
		{"unknown command", []string{"runn"}, `unknown command "runn"`},
		{"unknown fault", []string{"run", "--ref-fault", "no-such-fault"}, "no-such-fault"},
		{"unknown level", []string{"run", "--level", "mustt"}, `unknown level "mustt"`},
		{"unknown feature", []string{"run", "--feature", "bolk=off"}, `unknown feature "bolk"`},
		{"bad section", []string{"run", "--section", "7645/3"}, "7645/3"},
		{"bad seed", []string{"run", "--seed", "abc"}, "--seed"},
		{"bad duration", []string{"run", "--timeout", "5"}, "not a duration"},
		{"negative max-rps", []string{"run", "--max-rps", "-5"}, "--max-rps"},
		{"garbage max-in-flight", []string{"run", "--max-in-flight", "lots"}, "--max-in-flight"},
		{"negative max-in-flight on cleanup", []string{"cleanup", "--url", "https://idp.example.com/scim", "--prefix", "scimconform-0123abcd", "--max-in-flight", "-1"}, "--max-in-flight"},
		{"url with a query", []string{"run", "--url", "https://idp.example.com/scim?tenant=a"}, "url:"},
		{"stray argument", []string{"run", "https://idp.example.com/scim"}, "unexpected argument"},
		{"bad list format", []string{"list", "--format", "xml"}, `--format "xml"`},
		{"fault with a url", []string{"run", "--url", "https://idp.example.com/scim", "--ref-fault", "create-no-location"}, "embedded reference server only"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := selftest.Run(t, nil, tc.args...)
			oneLine(t, res, tc.want)
			if strings.Contains(res.Stderr, "secret-value") {
				t.Errorf("a secret is echoed: %s", res.Stderr)
			}
		})
	}
}

func TestEmptySelectionExits2(t *testing.T) {
	t.Parallel()
	res := selftest.Run(t, nil, "run", "--label-filter", "no-such-label")
	oneLine(t, res, "no spec matches the selection")
	res = selftest.Run(t, nil, "list", "--req", "7644-99.99-99")
	oneLine(t, res, "no spec matches the selection")
}

func TestHelpOnEveryCommand(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"help"}, {"help", "run"}, {"run", "--help"}, {"list", "-h"},
		{"report", "--help"}, {"cleanup", "--help"}, {"serve", "--help"}, {"version", "--help"}} {
		res := selftest.Run(t, nil, args...)
		if res.ExitCode != 0 || !strings.Contains(res.Stdout, "Usage:") || res.Stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, res.ExitCode, firstLine(res.Stdout), res.Stderr)
		}
	}
	res := selftest.Run(t, nil, "run", "--help")
	for _, want := range []string{"--url URL", "--section RFC/SECTION", "SCIMCONFORM_STRICT", "SCIMCONFORM_TOKEN", "Exit codes",
		"--max-rps N", "--max-in-flight N"} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("run --help lacks %q", want)
		}
	}
	res = selftest.Run(t, nil, "cleanup", "--help")
	for _, want := range []string{"--max-rps N", "--max-in-flight N"} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("cleanup --help lacks %q (its sweep sends requests too)", want)
		}
	}
	if strings.Contains(res.Stdout, "--ref-fault") {
		t.Error("--ref-fault is a hidden flag")
	}
	if res := selftest.Run(t, nil); res.ExitCode != runner.ExitUsage || !strings.Contains(res.Stderr, "Usage:") {
		t.Errorf("no command: exit %d", res.ExitCode)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func TestVersion(t *testing.T) {
	t.Parallel()
	res := selftest.Run(t, nil, "version")
	if res.ExitCode != 0 || !strings.HasPrefix(res.Stdout, "scimconform ") {
		t.Errorf("version: exit %d, %q", res.ExitCode, res.Stdout)
	}
}

func TestListFormats(t *testing.T) {
	t.Parallel()
	res := selftest.Run(t, nil, "list", "--format", "json", "--coverage")
	if res.ExitCode != 0 {
		t.Fatalf("list json: exit %d: %s", res.ExitCode, res.Stderr)
	}
	var out struct {
		Specs []struct {
			Text     string   `json:"text"`
			Reqs     []string `json:"reqs"`
			Level    string   `json:"level"`
			Location string   `json:"location"`
		} `json:"specs"`
		Coverage []struct {
			Area  string `json:"area"`
			Total int    `json:"total"`
		} `json:"coverage"`
	}
	if err := json.Unmarshal([]byte(res.Stdout), &out); err != nil {
		t.Fatalf("list --format json is not JSON: %v", err)
	}
	if len(out.Specs) == 0 || len(out.Coverage) == 0 || out.Coverage[len(out.Coverage)-1].Area != "all" {
		t.Fatalf("list json: %d specs, coverage %+v", len(out.Specs), out.Coverage)
	}
	for _, s := range out.Specs {
		if len(s.Reqs) == 0 || s.Level == "" || s.Text == "" {
			t.Errorf("spec without id or level: %+v", s)
		}
		checkSourceLocation(t, s.Text, s.Location)
	}
	md := selftest.Run(t, nil, "list", "--format", "markdown", "--level", "must")
	if md.ExitCode != 0 || !strings.HasPrefix(md.Stdout, "| Requirement | Section | Level | Spec |") || strings.Contains(md.Stdout, "| should |") {
		t.Errorf("markdown: exit %d\n%s", md.ExitCode, md.Stdout)
	}
	text := selftest.Run(t, nil, "list", "--coverage")
	if text.ExitCode != 0 || !strings.Contains(text.Stdout, "Requirement coverage") {
		t.Errorf("text coverage: exit %d\n%s", text.ExitCode, text.Stdout)
	}
}

func TestFaultyEmbeddedServerExits1AndReportRerenders(t *testing.T) {
	t.Parallel()
	var name string
	for _, f := range refserver.AllFaults() {
		if f.Area == "discovery" {
			name = f.Name
			break
		}
	}
	if name == "" {
		t.Skip("the reference server has no discovery fault yet")
	}
	res := selftest.Run(t, nil, "run", "--ref-fault", name)
	if res.ExitCode != runner.ExitNotConformant || res.Doc == nil {
		t.Fatalf("--ref-fault %s: exit %d, want 1\n%s\n%s", name, res.ExitCode, res.Stdout, res.Stderr)
	}
	if len(res.FailedReqs()) == 0 {
		t.Error("no failing requirement reported")
	}
	out := filepath.Join(t.TempDir(), "again.html")
	re := selftest.Run(t, nil, "report", "--json", filepath.Join(res.Dir, reports.FileJSON), "--html", out)
	if re.ExitCode != 0 {
		t.Fatalf("report: exit %d: %s", re.ExitCode, re.Stderr)
	}
	html, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(html), "<html") {
		t.Fatalf("re-rendered HTML: %v", err)
	}
	// report.json is the complete record: the offline rendering is the
	// run's own report.html, byte for byte.
	if orig := readFile(t, filepath.Join(res.Dir, reports.FileHTML)); orig != string(html) {
		t.Error("scimconform report renders a different report.html than the run wrote")
	}
	bad := selftest.Run(t, nil, "report", "--json", filepath.Join(t.TempDir(), "missing.json"))
	oneLine(t, bad, "missing.json")
}

func TestSectionText(t *testing.T) {
	got := sectionText([]string{"7644 3.12", "7643 4.1.1", "7644 3.3", "9865 2"})
	if want := "RFC 7643 §4.1.1, RFC 7644 §3.3, RFC 7644 §3.12, RFC 9865 §2"; got != want {
		t.Errorf("sectionText = %q, want %q", got, want)
	}
}

// TestListProfiles: --profile scenario lists only the journeys, each with
// its numbered steps and their requirement ids; --profile spec lists none of
// them; an unknown profile is a usage error.
func TestListProfiles(t *testing.T) {
	t.Parallel()
	scen := selftest.Run(t, nil, "list", "--profile", "scenario")
	if scen.ExitCode != 0 {
		t.Fatalf("list --profile scenario: exit %d: %s", scen.ExitCode, scen.Stderr)
	}
	journeys := 0
	for _, line := range strings.Split(strings.TrimSpace(scen.Stdout), "\n") {
		switch {
		case strings.HasPrefix(line, "must "):
			journeys++
			if !strings.Contains(line, "Scenarios ") {
				t.Errorf("--profile scenario lists a spec that is not a journey: %s", line)
			}
		case strings.HasPrefix(strings.TrimSpace(line), "step "):
			if !strings.Contains(line, "[7") {
				t.Errorf("step line without a requirement id: %s", line)
			}
		}
	}
	if journeys < 10 || !strings.Contains(scen.Stdout, "step 1: ") {
		t.Errorf("list --profile scenario: %d journeys, output:\n%s", journeys, scen.Stdout)
	}
	specs := selftest.Run(t, nil, "list", "--profile", "spec")
	if specs.ExitCode != 0 || strings.Contains(specs.Stdout, "Scenarios ") || strings.Contains(specs.Stdout, "step 1: ") {
		t.Errorf("list --profile spec: exit %d, lists journeys:\n%.2000s", specs.ExitCode, specs.Stdout)
	}
	bad := selftest.Run(t, nil, "list", "--profile", "journeys")
	if bad.ExitCode != 2 || !strings.Contains(bad.Stderr, "profile") {
		t.Errorf("list --profile journeys: exit %d, stderr %q; want 2 naming the profile", bad.ExitCode, bad.Stderr)
	}
}

// checkSourceLocation asserts that a listed spec's location is a
// module-relative file:line naming a line of the checkout that declares a
// spec (It or Entry).
func checkSourceLocation(t *testing.T, text, loc string) {
	t.Helper()
	file, lineText, ok := strings.Cut(loc, ":")
	line, err := strconv.Atoi(lineText)
	if !ok || err != nil || filepath.IsAbs(file) || !strings.HasPrefix(file, "suites/") {
		t.Errorf("%s: location %q is not a module-relative file:line", text, loc)
		return
	}
	src, err := os.ReadFile(filepath.Join("..", "..", file))
	if err != nil {
		t.Errorf("%s: location %q: %v", text, loc, err)
		return
	}
	lines := strings.Split(string(src), "\n")
	if line < 1 || line > len(lines) || !strings.Contains(lines[line-1], "It(") && !strings.Contains(lines[line-1], "Entry(") && !strings.Contains(lines[line-1], "declareJourney(") {
		t.Errorf("%s: %s does not declare a spec", text, loc)
	}
}
