package spec

import (
	"fmt"
	"strings"
)

// Profile selects a family of specs: the single-requirement specs, the
// end-to-end scenarios, or both.
type Profile string

// The profiles of --profile.
const (
	// ProfileAll runs every spec (the default).
	ProfileAll Profile = "all"
	// ProfileSpec runs the single-requirement specs only.
	ProfileSpec Profile = "spec"
	// ProfileScenario runs the end-to-end journeys only.
	ProfileScenario Profile = "scenario"
)

// ParseProfile accepts all, spec or scenario in any case ("" is all).
func ParseProfile(s string) (Profile, error) {
	p := Profile(strings.ToLower(strings.TrimSpace(s)))
	switch p {
	case "":
		return ProfileAll, nil
	case ProfileAll, ProfileSpec, ProfileScenario:
		return p, nil
	}
	return "", fmt.Errorf("unknown profile %q (want spec, scenario or all)", s)
}

// LabelFilter is the ginkgo label filter of the profile ("" keeps every spec).
func (p Profile) LabelFilter() string {
	switch p {
	case ProfileSpec:
		return "!" + LabelScenario
	case ProfileScenario:
		return LabelScenario
	}
	return ""
}
