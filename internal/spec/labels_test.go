package spec_test

import (
	"reflect"
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/spec"
)

func TestParseReqID(t *testing.T) {
	good := map[string][2]string{
		"7644-3.4.2.2-04": {"7644", "3.4.2.2"},
		"7643-4.1.1-17":   {"7643", "4.1.1"},
		"9865-2-01":       {"9865", "2"},
		"7644-3.7-100":    {"7644", "3.7"},
	}
	for id, want := range good {
		rfc, sec, err := spec.ParseReqID(id)
		if err != nil || rfc != want[0] || sec != want[1] {
			t.Errorf("ParseReqID(%q) = %q, %q, %v; want %q, %q", id, rfc, sec, err, want[0], want[1])
		}
	}
	for _, id := range []string{"", "7644", "7645-3.4-01", "7644-3.4-1", "7644-3.4-0001", "req:7644-3.4-01", "7644-3 4-01"} {
		if _, _, err := spec.ParseReqID(id); err == nil {
			t.Errorf("ParseReqID(%q) accepted a malformed id", id)
		}
	}
}

func TestReqLabels(t *testing.T) {
	got := spec.Req("7644-3.5.2-14", "7644-3.5.2-15", "7643-3.1-05")
	want := ginkgo.Labels{"req:7644-3.5.2-14", "rfc7644:3.5.2", "req:7644-3.5.2-15", "req:7643-3.1-05", "rfc7643:3.1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Req = %v, want %v", got, want)
	}
	defer func() {
		if recover() == nil {
			t.Error("Req with a malformed id did not panic")
		}
	}()
	spec.Req("7644-3.5.2")
}

func TestDecoratorLabels(t *testing.T) {
	cases := map[string]struct{ got, want ginkgo.Labels }{
		"MUST":     {spec.MUST, ginkgo.Labels{"level:must"}},
		"SHOULD":   {spec.SHOULD, ginkgo.Labels{"level:should"}},
		"MAY":      {spec.MAY, ginkgo.Labels{"level:may"}},
		"Mutating": {spec.Mutating, ginkgo.Labels{"mutating"}},
		"Interop":  {spec.Interop, ginkgo.Labels{"profile:interop"}},
		"Area":     {spec.Area("filter"), ginkgo.Labels{"area:filter"}},
		"Requires": {spec.Requires(spec.FeatureBulk, spec.FeatureETag), ginkgo.Labels{"feature:bulk", "feature:etag"}},
		"Absent":   {spec.Absent(spec.FeatureMe), ginkgo.Labels{"absent:me"}},
	}
	for name, tc := range cases {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s = %v, want %v", name, tc.got, tc.want)
		}
	}
}

func TestSectionFilter(t *testing.T) {
	cases := []struct {
		prefix string
		match  []string
		reject []string
	}{
		{"7644/3.5.2", []string{"rfc7644:3.5.2", "rfc7644:3.5.2.1", "rfc7644:3.5.2.3"},
			[]string{"rfc7644:3.5.20", "rfc7644:3.5", "rfc7643:3.5.2", "rfc7644:13.5.2", "req:7644-3.5.2-01"}},
		{"rfc7644/3.5", []string{"rfc7644:3.5", "rfc7644:3.5.1", "rfc7644:3.5.2.2"}, []string{"rfc7644:3.50", "rfc7644:3"}},
		{" RFC7643/4.1.1 ", []string{"rfc7643:4.1.1", "rfc7643:4.1.1.9"}, []string{"rfc7643:4.1.10", "rfc7643:4.1.2"}},
		{"9865", []string{"rfc9865:2", "rfc9865:5.2"}, []string{"rfc7644:2", "req:9865-2-01"}},
	}
	for _, tc := range cases {
		expr, err := spec.SectionFilter(tc.prefix)
		if err != nil {
			t.Errorf("SectionFilter(%q): %v", tc.prefix, err)
			continue
		}
		filter, err := types.ParseLabelFilter(expr)
		if err != nil {
			t.Errorf("SectionFilter(%q) = %q, not a ginkgo label filter: %v", tc.prefix, expr, err)
			continue
		}
		for _, l := range tc.match {
			if !filter([]string{"level:must", l}) {
				t.Errorf("SectionFilter(%q) = %q does not match %q", tc.prefix, expr, l)
			}
		}
		for _, l := range tc.reject {
			if filter([]string{"level:must", l}) {
				t.Errorf("SectionFilter(%q) = %q matches %q", tc.prefix, expr, l)
			}
		}
	}
	for _, bad := range []string{"", "7645/3.5", "3.5.2", "7644/3..5", "7644/3.5/2", "7644/3.5)", "7644/3.5|x"} {
		if expr, err := spec.SectionFilter(bad); err == nil {
			t.Errorf("SectionFilter(%q) = %q, want an error", bad, expr)
		}
	}
}

func TestParseLabels(t *testing.T) {
	labels := append(append(append(append(
		spec.Req("7644-3.5.2-14", "7643-3.1-05"), spec.MUST...), spec.Requires(spec.FeaturePatch)...),
		spec.Absent(spec.FeatureBulk)...), "area:patch", "mutating", "profile:interop", "unrelated")
	got := spec.ParseLabels(labels)
	want := spec.LabelInfo{
		Reqs:     []string{"7643-3.1-05", "7644-3.5.2-14"},
		Sections: []string{"7644 3.5.2", "7643 3.1"},
		Levels:   []spec.Level{spec.LevelMust},
		Features: []spec.Feature{spec.FeaturePatch},
		Absent:   []spec.Feature{spec.FeatureBulk},
		Areas:    []string{"patch"},
		Mutating: true,
		Interop:  true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseLabels =\n%+v\nwant\n%+v", got, want)
	}
	if got.Level() != spec.LevelMust {
		t.Errorf("Level() = %q, want must", got.Level())
	}
	two := spec.ParseLabels([]string{"level:must", "level:should"})
	if len(two.Levels) != 2 || two.Level() != "" {
		t.Errorf("two levels: %+v, Level() = %q", two.Levels, two.Level())
	}
	if none := spec.ParseLabels(nil); none.Level() != "" || none.Mutating || len(none.Reqs) != 0 {
		t.Errorf("no labels gives %+v", none)
	}
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]spec.Level{"must": spec.LevelMust, "SHOULD": spec.LevelShould, " May ": spec.LevelMay} {
		if got, err := spec.ParseLevel(in); err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "must not", "optional", "level:must"} {
		if got, err := spec.ParseLevel(in); err == nil {
			t.Errorf("ParseLevel(%q) = %q, want an error", in, got)
		}
	}
}

func TestLevelRankAndLabel(t *testing.T) {
	if !(spec.LevelMust.Rank() < spec.LevelShould.Rank() && spec.LevelShould.Rank() < spec.LevelMay.Rank()) {
		t.Error("ranks are not must < should < may")
	}
	if r := spec.Level("critical").Rank(); r != len(spec.Levels) {
		t.Errorf("unknown level ranks %d, want %d", r, len(spec.Levels))
	}
	if l := spec.LevelShould.Label(); l != "level:should" {
		t.Errorf("Label() = %q", l)
	}
}

func TestLevelOfKeyword(t *testing.T) {
	want := map[string]spec.Level{
		"MUST": spec.LevelMust, "MUST NOT": spec.LevelMust, "SHALL": spec.LevelMust,
		"SHALL NOT": spec.LevelMust, "REQUIRED": spec.LevelMust, " must ": spec.LevelMust,
		"SHOULD": spec.LevelShould, "SHOULD NOT": spec.LevelShould, "RECOMMENDED": spec.LevelShould,
		"NOT RECOMMENDED": spec.LevelShould,
		"MAY":             spec.LevelMay, "OPTIONAL": spec.LevelMay, "": spec.LevelMay,
	}
	for kw, lvl := range want {
		if got := spec.LevelOfKeyword(kw); got != lvl {
			t.Errorf("LevelOfKeyword(%q) = %q, want %q", kw, got, lvl)
		}
	}
	// Every keyword the catalog uses maps to the level the lint expects.
	for _, r := range loadCatalog(t).All() {
		if _, ok := want[r.Keyword]; !ok {
			t.Errorf("%s: keyword %q has no expected level in this test", r.ID, r.Keyword)
		}
	}
}
