package suites_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/suites"
)

// The lint walks the spec tree with ginkgo.PreviewSpecs. PreviewSpecs may not
// share a process with RunSpecs, so no test of package suites may call
// RunSpecs; self-tests run the built binary instead.

// lintSpec is what the linter sees of one spec: its full text and every label
// it carries, inherited ones included.
type lintSpec struct {
	Text   string
	Labels []string
	Leaf   string // the It text, without containers
}

// Kinds of lint problem.
const (
	kindNoReq          = "no-req"           // no req: label at all
	kindMalformedReq   = "malformed-req"    // req: label whose id has the wrong shape
	kindUnknownReq     = "unknown-req"      // well-formed id missing from the catalog
	kindLevelCount     = "level-count"      // zero or several level: labels
	kindUnknownLevel   = "unknown-level"    // level: other than must, should, may
	kindTooStrict      = "level-too-strict" // level stricter than every requirement's keyword
	kindUnknownFeature = "unknown-feature"  // feature: or absent: name not in spec.AllFeatures
	kindFeatureClash   = "feature-clash"    // feature:X and absent:X together: never runs
	kindUnknownArea    = "unknown-area"     // area: not used by any catalog requirement
	kindDuplicate      = "duplicate-text"   // two specs with one full text
	kindBadLabel       = "bad-label"        // empty, whitespace, &|!,()/ or a dangling colon
	kindUnknownLabel   = "unknown-label"    // not part of the label vocabulary
	kindSection        = "section-mismatch" // rfcNNNN: labels differ from the req ids' sections
)

// lintProblem is one rule one spec breaks.
type lintProblem struct {
	Spec, Kind, Detail string
}

func (p lintProblem) String() string { return fmt.Sprintf("%q: %s: %s", p.Spec, p.Kind, p.Detail) }

// linter holds what the checks read from the catalog.
type linter struct {
	cat   *spec.Catalog
	areas map[string]bool
}

func newLinter(cat *spec.Catalog) linter {
	l := linter{cat: cat, areas: map[string]bool{}}
	for _, r := range cat.All() {
		l.areas[r.Area] = true
	}
	return l
}

// lint checks every spec and returns the problems found, in spec order.
func (l linter) lint(specs []lintSpec) []lintProblem {
	var out []lintProblem
	seen := map[string]int{}
	for _, s := range specs {
		if seen[s.Text]++; seen[s.Text] == 2 {
			out = append(out, lintProblem{s.Text, kindDuplicate, "another spec has the same full text"})
		}
		for _, c := range []func(lintSpec) []lintProblem{l.checkLabelSyntax, l.checkReqs, l.checkLevel, l.checkFeatures} {
			out = append(out, c(s)...)
		}
	}
	return out
}

var sectionLabel = regexp.MustCompile(`^rfc(7643|7644|9865):[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$`)

// knownLabel reports whether label belongs to the vocabulary of package spec.
func (l linter) knownLabel(label string) bool {
	for _, p := range []string{spec.PrefixReq, spec.PrefixLevel, spec.PrefixFeature, spec.PrefixAbsent, spec.PrefixArea} {
		if strings.HasPrefix(label, p) {
			return true
		}
	}
	return label == spec.LabelMutating || label == spec.LabelInterop || label == spec.LabelSerial ||
		label == spec.LabelScenario || sectionLabel.MatchString(label)
}

func (l linter) checkLabelSyntax(s lintSpec) []lintProblem {
	var out []lintProblem
	for _, label := range s.Labels {
		bad := label == "" || strings.ContainsAny(label, "&|!,()/") ||
			strings.IndexFunc(label, unicode.IsSpace) >= 0 ||
			strings.HasPrefix(label, ":") || strings.HasSuffix(label, ":")
		switch {
		case bad:
			out = append(out, lintProblem{s.Text, kindBadLabel, fmt.Sprintf("label %q is empty or holds whitespace, one of &|!,()/ or a dangling colon", label)})
		case !l.knownLabel(label):
			out = append(out, lintProblem{s.Text, kindUnknownLabel, fmt.Sprintf("label %q is not in the spec label vocabulary", label)})
		case strings.HasPrefix(label, spec.PrefixArea) && !l.areas[strings.TrimPrefix(label, spec.PrefixArea)]:
			out = append(out, lintProblem{s.Text, kindUnknownArea, fmt.Sprintf("label %q names no catalog area", label)})
		}
	}
	return out
}

// checkReqs checks the requirement ids and that the section labels are
// exactly the sections of those ids.
func (l linter) checkReqs(s lintSpec) []lintProblem {
	var out []lintProblem
	want := map[string]bool{}
	found := false
	for _, label := range s.Labels {
		id, ok := strings.CutPrefix(label, spec.PrefixReq)
		if !ok {
			continue
		}
		found = true
		rfc, section, err := spec.ParseReqID(id)
		if err != nil {
			out = append(out, lintProblem{s.Text, kindMalformedReq, err.Error()})
			continue
		}
		want[spec.SectionLabel(rfc, section)] = true
		if _, ok := l.cat.Get(id); !ok {
			out = append(out, lintProblem{s.Text, kindUnknownReq, fmt.Sprintf("requirement %s is not in the catalog", id)})
		}
	}
	if !found {
		return append(out, lintProblem{s.Text, kindNoReq, "no req: label; declare the spec with spec.Req(ids...)"})
	}
	have := map[string]bool{}
	for _, label := range s.Labels {
		if sectionLabel.MatchString(label) {
			have[label] = true
			if !want[label] {
				out = append(out, lintProblem{s.Text, kindSection, fmt.Sprintf("section label %s belongs to none of the spec's requirement ids", label)})
			}
		}
	}
	for _, w := range sortedKeys(want) {
		if !have[w] {
			out = append(out, lintProblem{s.Text, kindSection, fmt.Sprintf("section label %s of a requirement id is missing", w)})
		}
	}
	return out
}

// checkLevel wants exactly one known level, no stricter than the strictest
// keyword among the spec's requirements (interop probes may be stricter:
// they never FAIL).
func (l linter) checkLevel(s lintSpec) []lintProblem {
	var levels []string
	for _, label := range s.Labels {
		if v, ok := strings.CutPrefix(label, spec.PrefixLevel); ok {
			levels = append(levels, v)
		}
	}
	if len(levels) != 1 {
		return []lintProblem{{s.Text, kindLevelCount, fmt.Sprintf("want exactly one level: label, found %d %v", len(levels), levels)}}
	}
	level := spec.Level(levels[0])
	if level.Rank() == len(spec.Levels) {
		return []lintProblem{{s.Text, kindUnknownLevel, fmt.Sprintf("level %q is not must, should or may", levels[0])}}
	}
	info := spec.ParseLabels(s.Labels)
	if info.Interop {
		return nil
	}
	strictest, keywords := spec.Level(""), []string{}
	for _, id := range info.Reqs {
		r, ok := l.cat.Get(id)
		if !ok {
			continue
		}
		keywords = append(keywords, id+" "+r.Keyword)
		if strictest == "" || r.Level().Rank() < strictest.Rank() {
			strictest = r.Level()
		}
	}
	if strictest != "" && level.Rank() < strictest.Rank() {
		return []lintProblem{{s.Text, kindTooStrict, fmt.Sprintf("level:%s is stricter than its requirements (%s); use level:%s or profile:interop",
			level, strings.Join(keywords, ", "), strictest)}}
	}
	return nil
}

func (l linter) checkFeatures(s lintSpec) []lintProblem {
	var out []lintProblem
	info := spec.ParseLabels(s.Labels)
	need := map[spec.Feature]bool{}
	for _, f := range info.Features {
		need[f] = true
	}
	for _, group := range [][]spec.Feature{info.Features, info.Absent} {
		for _, f := range group {
			if !f.IsKnown() {
				out = append(out, lintProblem{s.Text, kindUnknownFeature, fmt.Sprintf("feature %q is not one of spec.AllFeatures", f)})
			}
		}
	}
	for _, f := range info.Absent {
		if need[f] {
			out = append(out, lintProblem{s.Text, kindFeatureClash, fmt.Sprintf("both feature:%s and absent:%s: the spec can never run", f, f)})
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

// tree builds the spec tree once per test process (Build must not run twice:
// it would declare every container again) and returns its It specs.
var tree struct {
	once  sync.Once
	env   *suites.Env
	specs []lintSpec
}

func previewTree() []lintSpec {
	tree.once.Do(func() {
		tree.env = &suites.Env{}
		suites.Build(tree.env)
		report := ginkgo.PreviewSpecs("scimconform lint")
		for _, r := range report.SpecReports {
			if r.LeafNodeType == types.NodeTypeIt {
				tree.specs = append(tree.specs, lintSpec{Text: r.FullText(), Labels: r.Labels(), Leaf: r.LeafNodeText})
			}
		}
	})
	return tree.specs
}

func TestLint(t *testing.T) {
	cat, err := spec.LoadCatalog()
	if err != nil {
		t.Fatalf("load catalog: %v", err)
	}
	specs := previewTree()
	if len(specs) == 0 {
		t.Logf("no specs registered (%d containers): nothing to lint; TestLintCatchesBadSpecs checks the checker", len(suites.Registered()))
		return
	}
	problems := newLinter(cat).lint(specs)
	if len(problems) > 0 {
		lines := make([]string, len(problems))
		for i, p := range problems {
			lines[i] = "  " + p.String()
		}
		t.Errorf("%d lint problems in the spec tree:\n%s", len(problems), strings.Join(lines, "\n"))
	}
	t.Logf("linted %d specs", len(specs))
}

// Requirement ids used by the synthetic specs, one per keyword strength.
const (
	idMust   = "7644-3.6-05" // SHALL, RFC 7644 §3.6
	idShould = "7644-3.6-03" // SHOULD NOT, RFC 7644 §3.6
	idMay    = "7644-3.4-01" // MAY, RFC 7644 §3.4
)

// labels flattens decorator label sets into one label list.
func labels(parts ...ginkgo.Labels) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func kinds(problems []lintProblem) []string {
	set := map[string]bool{}
	for _, p := range problems {
		set[p.Kind] = true
	}
	return sortedKeys(set)
}

func TestLintCatchesBadSpecs(t *testing.T) {
	cat, err := spec.LoadCatalog()
	if err != nil {
		t.Fatalf("load catalog: %v", err)
	}
	l := newLinter(cat)
	must := labels(spec.Req(idMust), spec.MUST, spec.Area("delete"))
	cases := []struct {
		name   string
		labels []string
		want   []string
	}{
		{"must spec on a SHALL", must, nil},
		{"should spec on a SHALL", labels(spec.Req(idMust), spec.SHOULD), nil},
		{"must spec on MUST and SHOULD ids", labels(spec.Req(idShould, idMust, "7643-3.1-05"), spec.MUST, spec.Mutating), nil},
		{"must interop probe on a SHOULD", labels(spec.Req(idShould), spec.MUST, spec.Interop), nil},
		{"may spec with features", labels(spec.Req(idMay), spec.MAY, spec.Requires(spec.FeatureBulk), spec.Absent(spec.FeatureMe)), nil},
		{"no requirement", labels(spec.MUST, spec.Area("delete")), []string{kindNoReq}},
		{"unknown requirement", labels(spec.Req("7644-3.6-99"), spec.MUST), []string{kindUnknownReq}},
		{"malformed requirement", labels(ginkgo.Label("req:7644-3.6"), spec.MUST), []string{kindMalformedReq}},
		{"no level", labels(spec.Req(idMust)), []string{kindLevelCount}},
		{"two levels", labels(spec.Req(idMust), spec.MUST, spec.SHOULD), []string{kindLevelCount}},
		{"unknown level", labels(spec.Req(idMust), ginkgo.Label("level:critical")), []string{kindUnknownLevel}},
		{"must on a SHOULD", labels(spec.Req(idShould), spec.MUST), []string{kindTooStrict}},
		{"must on SHOULD and MAY", labels(spec.Req(idShould, idMay), spec.MUST), []string{kindTooStrict}},
		{"should on a MAY", labels(spec.Req(idMay), spec.SHOULD), []string{kindTooStrict}},
		{"unknown feature", labels(must, spec.Requires("teleport")), []string{kindUnknownFeature}},
		{"unknown absent feature", labels(must, spec.Absent("Bulk")), []string{kindUnknownFeature}},
		{"feature and its absence", labels(must, spec.Requires(spec.FeatureBulk), spec.Absent(spec.FeatureBulk)), []string{kindFeatureClash}},
		{"unknown area", labels(spec.Req(idMust), spec.MUST, spec.Area("nowhere")), []string{kindUnknownArea}},
		{"label with a slash", append(labels(must), "area:a/b"), []string{kindBadLabel}},
		{"label with a comma", append(labels(must), "mutating,slow"), []string{kindBadLabel}},
		{"label with a space", append(labels(must), "profile: interop"), []string{kindBadLabel}},
		{"label with a dangling colon", append(labels(must), "feature:"), []string{kindBadLabel, kindUnknownFeature}},
		{"empty label", append(labels(must), ""), []string{kindBadLabel}},
		{"label outside the vocabulary", append(labels(must), "lvl:should"), []string{kindUnknownLabel}},
		{"section of no requirement", append(labels(must), "rfc7644:3.5"), []string{kindSection}},
		{"section label missing", labels(ginkgo.Label("req:"+idMust), spec.MUST), []string{kindSection}},
		{"malformed section label", append(labels(must), "rfc7644:3..5"), []string{kindUnknownLabel}},
	}
	for _, tc := range cases {
		text := "Synthetic " + tc.name
		problems := l.lint([]lintSpec{{Text: text, Labels: tc.labels}})
		if got := kinds(problems); strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s %v: problems %v, want kinds %v", tc.name, tc.labels, problems, tc.want)
		}
		for _, p := range problems {
			if p.Spec != text || p.Detail == "" {
				t.Errorf("%s: problem %+v does not name the spec or lacks detail", tc.name, p)
			}
		}
	}
}

func TestLintCatchesDuplicateTexts(t *testing.T) {
	cat, err := spec.LoadCatalog()
	if err != nil {
		t.Fatalf("load catalog: %v", err)
	}
	good := labels(spec.Req(idMust), spec.MUST)
	specs := []lintSpec{{Text: "Deleting returns 204", Labels: good}, {Text: "Deleting returns 404 after", Labels: good}, {Text: "Deleting returns 204", Labels: good}, {Text: "Deleting returns 204", Labels: good}}
	problems := newLinter(cat).lint(specs)
	if len(problems) != 1 || problems[0].Kind != kindDuplicate || problems[0].Spec != "Deleting returns 204" {
		t.Errorf("three specs sharing a text gave %v, want one %s problem", problems, kindDuplicate)
	}
}
