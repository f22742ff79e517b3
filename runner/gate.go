package runner

import (
	"strings"

	"github.com/scimconform/scimconform/reports"
)

// gate is what --expect and --baseline loaded before the run.
type gate struct {
	expect   []reports.Expectation
	baseline *reports.Baseline
}

// loadGate reads the --expect file and the --baseline report, so a bad file
// stops the run before any spec runs (exit 2, one line).
func (c Config) loadGate() (gate, error) {
	var g gate
	var err error
	if p := strings.TrimSpace(c.Expect); p != "" {
		if g.expect, err = reports.LoadExpectations(p); err != nil {
			return gate{}, err
		}
	}
	if p := strings.TrimSpace(c.Baseline); p != "" {
		if g.baseline, err = reports.LoadBaseline(p); err != nil {
			return gate{}, err
		}
	}
	return g, nil
}
