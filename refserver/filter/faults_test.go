package filter

import (
	"os"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/refserver/filter/filtertest"
)

// outcome is the result of parsing and matching: "true", "false" or "error".
func outcome(t *testing.T, in string, faults fault.Set) string {
	t.Helper()
	f, err := Parse(in, filtertest.User(), faults)
	if err != nil {
		return "error"
	}
	if f.Match(filtertest.Barbara()) {
		return "true"
	}
	return "false"
}

func TestFaultsChangeBehaviour(t *testing.T) {
	tests := []struct {
		fault, in, correct, faulty string
	}{
		{faultUsernameCaseSensitive, `userName eq "BJENSEN@example.com"`, "true", "false"},
		{faultIgnoreAnd, `title pr and userType eq "Intern"`, "false", "true"},
		{faultCoAsSw, `userName co "jensen"`, "true", "false"},
		{faultValuePathAnyElement, `emails[type eq "work" and value co "@jensen.org"]`, "false", "true"},
		{faultNoInvalidFilter, `userName regex "x"`, "error", "true"},
		{faultNoInvalidFilter, `userName eq "x" and`, "error", "true"},
		{faultGtAsGe, `loginCount gt 42`, "false", "true"},
		{faultNotIgnored, `not (userType eq "Intern")`, "true", "false"},
		{faultBooleanOrderAllowed, `active gt false`, "error", "true"},
		{faultLeftToRight, `userType eq "Employee" or title eq "x" and nickName eq "y"`, "true", "false"},
		{faultMultiValuedFirstOnly, `emails.value eq "babs@jensen.org"`, "true", "false"},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			if got := outcome(t, tt.in, nil); got != tt.correct {
				t.Errorf("without fault: %q → %s, want %s", tt.in, got, tt.correct)
			}
			if got := outcome(t, tt.in, fault.Set{tt.fault: true}); got != tt.faulty {
				t.Errorf("with %s: %q → %s, want %s", tt.fault, tt.in, got, tt.faulty)
			}
		})
	}
}

func TestFaultPrIgnoresEmpty(t *testing.T) {
	for in, doc := range map[string]map[string]any{
		`title pr`:  {"title": ""},
		`emails pr`: {"emails": []any{map[string]any{}}},
		`name pr`:   {"name": map[string]any{"givenName": ""}},
	} {
		f, _ := Parse(in, filtertest.User(), nil)
		bad, _ := Parse(in, filtertest.User(), fault.Set{faultPrIgnoresEmpty: true})
		if f.Match(doc) || !bad.Match(doc) {
			t.Errorf("%q on %v: correct=%v faulty=%v, want false/true", in, doc, f.Match(doc), bad.Match(doc))
		}
	}
}

func TestFaultNoInvalidFilterKeepsSemanticErrors(t *testing.T) {
	// The switch only hides grammar errors; type errors keep their 400.
	if got := outcome(t, `active gt true`, fault.Set{faultNoInvalidFilter: true}); got != "error" {
		t.Errorf("semantic error hidden by %s: %s", faultNoInvalidFilter, got)
	}
}

// TestFaultRegistry checks every switch is unique, in the filter area, used
// by the code, and cites a requirement.
func TestFaultRegistry(t *testing.T) {
	src := sourceText(t)
	seen := map[string]bool{}
	if len(Faults) < 6 {
		t.Errorf("only %d filter faults", len(Faults))
	}
	for _, f := range Faults {
		if seen[f.Name] || !strings.HasPrefix(f.Name, "filter-") || f.Area != "filter" || f.Summary == "" {
			t.Errorf("bad fault entry %+v", f)
		}
		seen[f.Name] = true
		if f.Req == "" {
			t.Errorf("%s cites no requirement (ids are checked against the catalog in package refserver)", f.Name)
		}
		if !strings.Contains(src, `"`+f.Name+`"`) {
			t.Errorf("%s is not declared in the source", f.Name)
		}
	}
}

func sourceText(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("faults.go")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
