package runner

import (
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/scim"
)

func TestRequestBudgetSettings(t *testing.T) {
	c := mustLoad(t, "", nil)
	if c.MaxRPS != 0 || c.MaxInFlight != DefaultMaxInFlight || c.Validate() != nil {
		t.Errorf("defaults: max-rps %v max-in-flight %d (%v), want 0 and %d", c.MaxRPS, c.MaxInFlight, c.Validate(), DefaultMaxInFlight)
	}
	file := "max-rps: 2.5\nmax-in-flight: 4\n"
	c = mustLoad(t, file, nil)
	if c.MaxRPS != 2.5 || c.MaxInFlight != 4 {
		t.Errorf("file: %v %d", c.MaxRPS, c.MaxInFlight)
	}
	env := map[string]string{"SCIMCONFORM_MAX_RPS": "10", "SCIMCONFORM_MAX_IN_FLIGHT": "0"}
	c = mustLoad(t, file, env)
	if c.MaxRPS != 10 || c.MaxInFlight != 0 {
		t.Errorf("env over file: %v %d", c.MaxRPS, c.MaxInFlight)
	}
	c = mustLoad(t, file, env, "--max-rps", "0", "--max-in-flight=32")
	if c.MaxRPS != 0 || c.MaxInFlight != 32 || c.Validate() != nil {
		t.Errorf("flags over env: %v %d (%v)", c.MaxRPS, c.MaxInFlight, c.Validate())
	}
	if r := c.Redacted(); r["max-rps"] != 0.0 || r["max-in-flight"] != 32 {
		t.Errorf("the report's config: max-rps %v max-in-flight %v", r["max-rps"], r["max-in-flight"])
	}
	if p, ok := c.newBudget().(scim.Peaker); !ok || p.Peak() != 0 {
		t.Errorf("the run's budget does not report its peak in flight")
	}
}

func TestRequestBudgetSettingErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		yaml string
		env  map[string]string
		args []string
		want string
	}{
		{"negative rps flag", "", nil, []string{"--max-rps", "-1"}, "flag --max-rps"},
		{"garbage rps flag", "", nil, []string{"--max-rps", "fast"}, "flag --max-rps"},
		{"infinite rps flag", "", nil, []string{"--max-rps", "Inf"}, "flag --max-rps"},
		{"NaN rps env", "", map[string]string{"SCIMCONFORM_MAX_RPS": "NaN"}, nil, "SCIMCONFORM_MAX_RPS"},
		{"negative in-flight flag", "", nil, []string{"--max-in-flight", "-2"}, "flag --max-in-flight"},
		{"fractional in-flight env", "", map[string]string{"SCIMCONFORM_MAX_IN_FLIGHT": "1.5"}, nil, "SCIMCONFORM_MAX_IN_FLIGHT"},
		{"garbage in-flight file", "max-in-flight: many\n", nil, nil, "max-in-flight"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, tc.yaml, tc.env, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("want one line containing %q, got %v", tc.want, err)
			}
		})
	}
	// The file is decoded as is: Validate catches what the parsers would refuse.
	for yaml, want := range map[string]string{
		"max-rps: -3\n":       "max-rps:",
		"max-rps: .nan\n":     "max-rps:",
		"max-rps: .inf\n":     "max-rps:",
		"max-rps: 0.0001\n":   "max-rps:",
		"max-in-flight: -1\n": "max-in-flight -1",
	} {
		c := mustLoad(t, yaml, nil)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("file %q: Validate() = %v, want one line containing %q", yaml, err, want)
		}
	}
}
