package spec

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"
)

// catalogTSV is the project's requirement catalog: the ids, sections, levels,
// binding and testability of shared/spec/requirements.tsv, each with a one-line
// summary in the project's own words (never the RFC sentence).
//
//go:embed catalog.tsv
var catalogTSV string

// Requirement is one numbered normative statement of RFC 7643, 7644 or 9865.
type Requirement struct {
	ID       string `json:"id"`
	RFC      string `json:"rfc"`
	Section  string `json:"section"`
	Keyword  string `json:"keyword"`  // MUST, SHALL NOT, SHOULD, MAY, ...
	Binds    string `json:"binds"`    // server, client or both
	Testable string `json:"testable"` // yes, partial or no
	Area     string `json:"area"`     // filter, patch, bulk, ...
	Summary  string `json:"summary"`
}

// Level is the spec level that enforces the requirement's keyword.
func (r Requirement) Level() Level { return LevelOfKeyword(r.Keyword) }

// ServerTestable reports whether a black-box client can check the requirement
// against a server: it binds the server and is testable "yes".
func (r Requirement) ServerTestable() bool {
	return (r.Binds == "server" || r.Binds == "both") && r.Testable == "yes"
}

// Catalog is the read-only set of requirements, indexed by id.
type Catalog struct {
	byID  map[string]Requirement
	order []string
}

// LoadCatalog parses the embedded catalog.
func LoadCatalog() (*Catalog, error) { return ParseCatalog(strings.NewReader(catalogTSV)) }

// ParseCatalog reads a catalog TSV with the header
// id, rfc, section, keyword, binds, testable, area, summary.
func ParseCatalog(r io.Reader) (*Catalog, error) {
	cr := csv.NewReader(r)
	cr.Comma = '\t'
	cr.FieldsPerRecord = 8
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("requirement catalog: %w", err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("requirement catalog: empty")
	}
	c := &Catalog{byID: map[string]Requirement{}}
	for _, row := range rows[1:] {
		req := Requirement{ID: row[0], RFC: row[1], Section: row[2], Keyword: row[3],
			Binds: row[4], Testable: row[5], Area: row[6], Summary: row[7]}
		if _, dup := c.byID[req.ID]; dup {
			return nil, fmt.Errorf("requirement catalog: duplicate id %s", req.ID)
		}
		c.byID[req.ID] = req
		c.order = append(c.order, req.ID)
	}
	return c, nil
}

// Get returns the requirement with the given id.
func (c *Catalog) Get(id string) (Requirement, bool) {
	r, ok := c.byID[id]
	return r, ok
}

// All returns every requirement in catalog order.
func (c *Catalog) All() []Requirement {
	out := make([]Requirement, 0, len(c.order))
	for _, id := range c.order {
		out = append(out, c.byID[id])
	}
	return out
}

// Coverage is how many coverable requirements of one area have a spec.
type Coverage struct {
	Area      string        `json:"area"`
	Total     int           `json:"total"`
	Covered   int           `json:"covered"`
	Uncovered []Requirement `json:"uncovered,omitempty"`
}

// Percent is the covered share in percent (100 for an empty area).
func (c Coverage) Percent() float64 {
	if c.Total == 0 {
		return 100
	}
	return 100 * float64(c.Covered) / float64(c.Total)
}

// CoverageOf reports, per area and overall (area "all", last), how many
// server-side, testable (yes) MUST/SHOULD requirements appear in covered.
func (c *Catalog) CoverageOf(covered map[string]bool) []Coverage {
	perArea := map[string]*Coverage{}
	all := &Coverage{Area: "all"}
	for _, r := range c.All() {
		if !r.ServerTestable() || r.Level() == LevelMay {
			continue
		}
		cov := perArea[r.Area]
		if cov == nil {
			cov = &Coverage{Area: r.Area}
			perArea[r.Area] = cov
		}
		for _, x := range []*Coverage{cov, all} {
			x.Total++
			if covered[r.ID] {
				x.Covered++
			} else {
				x.Uncovered = append(x.Uncovered, r)
			}
		}
	}
	areas := make([]string, 0, len(perArea))
	for a := range perArea {
		areas = append(areas, a)
	}
	sort.Strings(areas)
	out := make([]Coverage, 0, len(areas)+1)
	for _, a := range areas {
		out = append(out, *perArea[a])
	}
	return append(out, *all)
}
