// Package spec holds the label vocabulary every scimconform spec is declared with
// (requirement ids, RFC sections, levels, features, areas) and the requirement
// catalog the project embeds.
//
// Labels are plain strings so that ginkgo label filters can select them:
//
//	req:7644-3.4.2.2-04   a requirement id from the catalog
//	rfc7644:3.4.2.2       the RFC section of that requirement
//	level:must            exactly one per spec: must, should or may
//	feature:bulk          the spec needs an optional capability
//	absent:bulk           the spec checks how a server without the capability answers
//	area:filter           the catalog area the spec belongs to
//	mutating              the spec writes to the target
//	profile:interop       a compatibility probe: never a FAIL
//	profile:scenario      an end-to-end journey of several steps (see Profile)
package spec

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/onsi/ginkgo/v2"
)

// Label prefixes of the vocabulary.
const (
	PrefixReq     = "req:"
	PrefixLevel   = "level:"
	PrefixFeature = "feature:"
	PrefixAbsent  = "absent:"
	PrefixArea    = "area:"
	PrefixProfile = "profile:"
)

// LabelSerial is the label ginkgo gives every spec under its Serial
// decorator: in a parallel run such a spec runs alone, after the others.
const LabelSerial = "Serial"

// LabelMutating marks a spec that creates, changes or deletes data on the target.
const LabelMutating = "mutating"

// LabelInterop marks a compatibility probe: reported as WARN at worst, never FAIL.
const LabelInterop = "profile:interop"

// LabelScenario marks an end-to-end journey (a scenario): one spec whose
// named steps each rely on one requirement. --profile scenario selects these,
// --profile spec every other spec.
const LabelScenario = "profile:scenario"

// Level is the strength of a requirement as a spec enforces it.
type Level string

// The three levels a spec may carry. A failed MUST spec is a FAIL; a failed
// SHOULD or MAY spec is a WARN.
const (
	LevelMust   Level = "must"
	LevelShould Level = "should"
	LevelMay    Level = "may"
)

// Levels lists the levels from strictest to weakest.
var Levels = []Level{LevelMust, LevelShould, LevelMay}

// Rank orders levels: must < should < may. Unknown levels rank last.
func (l Level) Rank() int {
	for i, x := range Levels {
		if x == l {
			return i
		}
	}
	return len(Levels)
}

// Label returns the ginkgo label of the level.
func (l Level) Label() string { return PrefixLevel + string(l) }

// ParseLevel accepts must/should/may in any case.
func ParseLevel(s string) (Level, error) {
	l := Level(strings.ToLower(strings.TrimSpace(s)))
	if l.Rank() == len(Levels) {
		return "", fmt.Errorf("unknown level %q (want must, should or may)", s)
	}
	return l, nil
}

// LevelOfKeyword maps an RFC 2119 keyword (MUST, SHALL NOT, RECOMMENDED, ...) to a Level.
func LevelOfKeyword(keyword string) Level {
	switch strings.ToUpper(strings.TrimSpace(keyword)) {
	case "MUST", "MUST NOT", "SHALL", "SHALL NOT", "REQUIRED":
		return LevelMust
	case "SHOULD", "SHOULD NOT", "RECOMMENDED", "NOT RECOMMENDED":
		return LevelShould
	default:
		return LevelMay
	}
}

// Decorators a spec is declared with.
var (
	// MUST marks a spec whose failure makes the server non-conformant.
	MUST = ginkgo.Label(LevelMust.Label())
	// SHOULD marks a spec whose failure is a WARN (a FAIL under --strict).
	SHOULD = ginkgo.Label(LevelShould.Label())
	// MAY marks a spec for optional behaviour; failure is a WARN.
	MAY = ginkgo.Label(LevelMay.Label())
	// Mutating marks a spec that writes to the target; --read-only excludes it.
	Mutating = ginkgo.Label(LabelMutating)
	// Interop marks a compatibility probe (docs/interpretations.md): never a FAIL.
	Interop = ginkgo.Label(LabelInterop)
	// Scenario marks an end-to-end journey (see LabelScenario).
	Scenario = ginkgo.Label(LabelScenario)
)

var reqIDPattern = regexp.MustCompile(`^(7643|7644|9865)-([0-9A-Za-z.]+)-([0-9]{2,3})$`)

// ParseReqID splits a requirement id such as 7644-3.4.2.2-04 into RFC number and section.
func ParseReqID(id string) (rfc, section string, err error) {
	m := reqIDPattern.FindStringSubmatch(id)
	if m == nil {
		return "", "", fmt.Errorf("malformed requirement id %q (want RFC-SECTION-NN, e.g. 7644-3.4.2.2-04)", id)
	}
	return m[1], m[2], nil
}

// SectionLabel is the RFC section label of a requirement: rfc7644:3.4.2.2.
func SectionLabel(rfc, section string) string { return "rfc" + rfc + ":" + section }

// Req returns the labels of one or more requirement ids: req:ID and its section
// label for each. It panics on a malformed id, which the lint test reports at
// tree-construction time (a programming error, never a runtime condition).
func Req(ids ...string) ginkgo.Labels {
	var labels ginkgo.Labels
	for _, id := range ids {
		rfc, section, err := ParseReqID(id)
		if err != nil {
			panic(err)
		}
		labels = append(labels, PrefixReq+id, SectionLabel(rfc, section))
	}
	return dedupe(labels)
}

// Area labels a container with its catalog area (filter, patch, ...).
func Area(area string) ginkgo.Labels { return ginkgo.Label(PrefixArea + area) }

// Requires labels a spec or container with the optional features it needs.
func Requires(features ...Feature) ginkgo.Labels {
	var labels ginkgo.Labels
	for _, f := range features {
		labels = append(labels, PrefixFeature+string(f))
	}
	return labels
}

// Absent labels a spec that runs only when the feature is NOT available, to
// check the server reports its absence properly (e.g. 501).
func Absent(features ...Feature) ginkgo.Labels {
	var labels ginkgo.Labels
	for _, f := range features {
		labels = append(labels, PrefixAbsent+string(f))
	}
	return labels
}

func dedupe(in ginkgo.Labels) ginkgo.Labels {
	seen := map[string]bool{}
	out := ginkgo.Labels{}
	for _, l := range in {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// LabelInfo is what a spec's labels say about it.
type LabelInfo struct {
	Reqs     []string // requirement ids
	Sections []string // "7644 3.4.2.2"
	Levels   []Level
	Features []Feature
	Absent   []Feature
	Areas    []string
	Mutating bool
	Interop  bool
	Scenario bool
}

// Level returns the single level of the spec, or "" when it has none or several.
func (i LabelInfo) Level() Level {
	if len(i.Levels) != 1 {
		return ""
	}
	return i.Levels[0]
}

// ParseLabels reads the vocabulary back from a spec's labels.
func ParseLabels(labels []string) LabelInfo {
	var info LabelInfo
	for _, l := range labels {
		switch {
		case strings.HasPrefix(l, PrefixReq):
			info.Reqs = append(info.Reqs, strings.TrimPrefix(l, PrefixReq))
		case strings.HasPrefix(l, "rfc") && strings.Contains(l, ":"):
			rfc, sec, _ := strings.Cut(strings.TrimPrefix(l, "rfc"), ":")
			info.Sections = append(info.Sections, rfc+" "+sec)
		case strings.HasPrefix(l, PrefixLevel):
			info.Levels = append(info.Levels, Level(strings.TrimPrefix(l, PrefixLevel)))
		case strings.HasPrefix(l, PrefixFeature):
			info.Features = append(info.Features, Feature(strings.TrimPrefix(l, PrefixFeature)))
		case strings.HasPrefix(l, PrefixAbsent):
			info.Absent = append(info.Absent, Feature(strings.TrimPrefix(l, PrefixAbsent)))
		case strings.HasPrefix(l, PrefixArea):
			info.Areas = append(info.Areas, strings.TrimPrefix(l, PrefixArea))
		case l == LabelMutating:
			info.Mutating = true
		case l == LabelInterop:
			info.Interop = true
		case l == LabelScenario:
			info.Scenario = true
		}
	}
	sort.Strings(info.Reqs)
	return info
}

// SectionFilter compiles a section prefix such as "7644/3.5.2" (or "7644",
// "rfc7644/3.5") into a ginkgo label filter that matches that section and
// every subsection.
func SectionFilter(prefix string) (string, error) {
	p := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(prefix)), "rfc")
	rfc, section, _ := strings.Cut(p, "/")
	if rfc != "7643" && rfc != "7644" && rfc != "9865" {
		return "", fmt.Errorf("--section %q: want RFC/SECTION, e.g. 7644/3.5.2 (RFC 7643, 7644 or 9865)", prefix)
	}
	if section != "" && !regexp.MustCompile(`^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$`).MatchString(section) {
		return "", fmt.Errorf("--section %q: malformed section %q", prefix, section)
	}
	if section == "" {
		return "/^rfc" + rfc + ":/", nil
	}
	return "/^rfc" + rfc + ":" + regexp.QuoteMeta(section) + `(\.|$)/`, nil
}
