package runner

import (
	"fmt"

	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/suites"
)

// List declares the spec tree with an empty Env and previews it with the
// configured selection, without any network access. It returns every spec in
// tree order with Selected set for those the selection keeps. Like Run, it
// can be called once per process.
func List(cfg Config) ([]SpecInfo, error) {
	sel, err := cfg.Selection()
	if err != nil {
		return nil, err
	}
	env := &suites.Env{}
	if err := buildTree(env); err != nil {
		return nil, err
	}
	seed := cfg.Seed
	if seed == 0 {
		seed = 1 // a listing is in declaration order; the seed only matters to runs
	}
	specs := preview(suiteConfig(sel, seed, false, cfg.Timeout))
	for i := range specs {
		if plan, ok := env.JourneyPlan(specs[i].leaf); ok && spec.ParseLabels(specs[i].Labels).Scenario {
			specs[i].Steps = plan
		}
	}
	return specs, nil
}

// Selected returns the specs the selection keeps.
func Selected(specs []SpecInfo) []SpecInfo {
	var out []SpecInfo
	for _, s := range specs {
		if s.Selected {
			out = append(out, s)
		}
	}
	return out
}

// Coverage reports, per catalog area and overall (area "all", last), how many
// of the catalog's server-side, testable MUST/SHOULD requirements have at
// least one of the given specs.
func Coverage(specs []SpecInfo) ([]spec.Coverage, error) {
	cat, err := spec.LoadCatalog()
	if err != nil {
		return nil, fmt.Errorf("requirement catalog: %w", err)
	}
	covered := map[string]bool{}
	for _, s := range specs {
		for _, id := range s.Reqs {
			covered[id] = true
		}
	}
	return cat.CoverageOf(covered), nil
}
