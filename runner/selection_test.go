package runner

import (
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

func TestSelectionComposesLabelFilter(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"nothing", Config{}, ""},
		{"user filter", Config{LabelFilter: "area:filter"}, "(area:filter)"},
		{"one level", Config{Levels: StringList{"MUST"}}, "level:must"},
		{"levels", Config{Levels: StringList{"must", "should"}}, "(level:must || level:should)"},
		{"req", Config{Reqs: StringList{"7644-3.4.2.2-04"}}, "req:7644-3.4.2.2-04"},
		{"read-only", Config{ReadOnly: true}, "!mutating"},
		{"profile scenario", Config{Profile: "scenario"}, "profile:scenario"},
		{"profile spec", Config{Profile: "spec"}, "!profile:scenario"},
		{"profile all", Config{Profile: "all"}, ""},
		{"section", Config{Sections: StringList{"7644/3.5.2"}}, `/^rfc7644:3\.5\.2(\.|$)/`},
		{"all", Config{LabelFilter: "a || b", Sections: StringList{"7644", "7643/5"}, Levels: StringList{"must"},
			Reqs: StringList{"7644-4-01", "7644-4-02"}, ReadOnly: true},
			`(a || b) && (/^rfc7644:/ || /^rfc7643:5(\.|$)/) && level:must && (req:7644-4-01 || req:7644-4-02) && !mutating`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sel, err := tc.cfg.Selection()
			if err != nil {
				t.Fatal(err)
			}
			if sel.LabelFilter != tc.want {
				t.Errorf("got  %s\nwant %s", sel.LabelFilter, tc.want)
			}
		})
	}
}

// TestSelectionMatchesLabels evaluates composed filters against spec labels.
func TestSelectionMatchesLabels(t *testing.T) {
	spec := []string{"req:7644-3.5.2-01", "rfc7644:3.5.2", "level:must", "mutating", "area:patch"}
	sub := []string{"req:7644-3.5.2.1-03", "rfc7644:3.5.2.1", "level:should", "area:patch"}
	other := []string{"req:7644-3.5.20-01", "rfc7644:3.5.20", "level:must"}
	cases := []struct {
		cfg              Config
		spec, sub, other bool
	}{
		{Config{Sections: StringList{"7644/3.5.2"}}, true, true, false},
		{Config{Sections: StringList{"7644/3.5.2"}, ReadOnly: true}, false, true, false},
		{Config{Levels: StringList{"must"}}, true, false, true},
		{Config{Reqs: StringList{"7644-3.5.2.1-03"}}, false, true, false},
		{Config{LabelFilter: "area:patch && !level:should"}, true, false, false},
		{Config{Profile: "spec"}, true, true, true},
		{Config{Profile: "scenario"}, false, false, false},
	}
	for _, tc := range cases {
		sel, err := tc.cfg.Selection()
		if err != nil {
			t.Fatal(err)
		}
		f := types.MustParseLabelFilter(sel.LabelFilter)
		if f(spec) != tc.spec || f(sub) != tc.sub || f(other) != tc.other {
			t.Errorf("%q: got %v %v %v, want %v %v %v", sel.LabelFilter, f(spec), f(sub), f(other), tc.spec, tc.sub, tc.other)
		}
	}
}

func TestSelectionErrorsAreOneLine(t *testing.T) {
	for _, cfg := range []Config{
		{LabelFilter: "a &&"}, {LabelFilter: "(a"}, {LabelFilter: "a & b"},
		{Levels: StringList{"sometimes"}}, {Reqs: StringList{"RFC7644"}}, {Sections: StringList{"x/1"}},
		{Focus: "(("}, {Profile: "journeys"},
	} {
		_, err := cfg.Selection()
		if err == nil {
			t.Errorf("%+v: want an error", cfg)
			continue
		}
		if strings.ContainsAny(err.Error(), "\n\x1b{") {
			t.Errorf("error is not one plain line: %q", err)
		}
	}
}

// TestProfileSelectsScenarios: --profile scenario keeps exactly the
// journeys, --profile spec exactly the others.
func TestProfileSelectsScenarios(t *testing.T) {
	journey := []string{"req:7644-3.3-07", "rfc7644:3.3", "level:must", "mutating", "profile:scenario"}
	single := []string{"req:7644-3.3-07", "rfc7644:3.3", "level:must", "mutating"}
	for profile, want := range map[string][2]bool{"scenario": {true, false}, "spec": {false, true}, "": {true, true}} {
		sel, err := Config{Profile: profile}.Selection()
		if err != nil {
			t.Fatal(err)
		}
		keep := func([]string) bool { return true }
		if sel.LabelFilter != "" {
			keep = types.MustParseLabelFilter(sel.LabelFilter)
		}
		if keep(journey) != want[0] || keep(single) != want[1] {
			t.Errorf("profile %q: keeps journey %v, single spec %v; want %v", profile, keep(journey), keep(single), want)
		}
	}
}
