package spec_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/spec"
)

// coverageTSV mixes rows that count towards coverage (server or both, testable
// yes, MUST- or SHOULD-level) with rows that must be left out.
const coverageTSV = `id	rfc	section	keyword	binds	testable	area	summary
7644-3.6-01	7644	3.6	MUST	server	yes	delete	counted, covered
7644-3.6-02	7644	3.6	SHOULD NOT	server	yes	delete	counted, not covered
7644-3.6-03	7644	3.6	MAY	server	yes	delete	MAY: left out even when covered
7644-3.6-04	7644	3.6	MUST	client	yes	delete	client-side: left out
7644-3.6-05	7644	3.6	SHALL	both	yes	errors	counted, not covered
7644-3.12-01	7644	3.12	REQUIRED	server	partial	errors	partially testable: left out
7644-3.12-02	7644	3.12	OPTIONAL	server	yes	errors	OPTIONAL is MAY-level: left out
7643-3-02	7643	3	RECOMMENDED	both	yes	schema	counted, covered
7643-3-03	7643	3	MUST	server	no	schema	untestable: left out
`

func ids(rs []spec.Requirement) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func TestCoverageOfArithmetic(t *testing.T) {
	c, err := spec.ParseCatalog(strings.NewReader(coverageTSV))
	if err != nil {
		t.Fatalf("ParseCatalog: %v", err)
	}
	covered := map[string]bool{"7644-3.6-01": true, "7643-3-02": true, "7644-3.6-03": true, "7644-99-01": true}
	type row struct {
		area            string
		total, nCovered int
		uncovered       []string
		percent         float64
	}
	want := []row{
		{"delete", 2, 1, []string{"7644-3.6-02"}, 50},
		{"errors", 1, 0, []string{"7644-3.6-05"}, 0},
		{"schema", 1, 1, []string{}, 100},
		{"all", 4, 2, []string{"7644-3.6-02", "7644-3.6-05"}, 50},
	}
	got := c.CoverageOf(covered)
	if len(got) != len(want) {
		t.Fatalf("CoverageOf gave %d rows %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		g := got[i]
		gr := row{g.Area, g.Total, g.Covered, ids(g.Uncovered), g.Percent()}
		if !reflect.DeepEqual(gr, w) {
			t.Errorf("row %d = %+v, want %+v", i, gr, w)
		}
	}
	if p := (spec.Coverage{Area: "empty"}).Percent(); p != 100 {
		t.Errorf("Percent of an empty area = %v, want 100", p)
	}
}

func TestCoverageOfRealCatalog(t *testing.T) {
	c := loadCatalog(t)
	want := 0
	every := map[string]bool{}
	for _, r := range c.All() {
		every[r.ID] = true
		serverSide := r.Binds == "server" || r.Binds == "both"
		strong := r.Level() == spec.LevelMust || r.Level() == spec.LevelShould
		if serverSide && r.Testable == "yes" && strong {
			want++
		}
	}
	if want == 0 {
		t.Fatal("no coverable requirement in the catalog")
	}
	none := c.CoverageOf(nil)
	all := none[len(none)-1]
	if all.Area != "all" || all.Total != want || all.Covered != 0 || len(all.Uncovered) != want {
		t.Errorf("overall with nothing covered = %s %d/%d (%d uncovered), want all 0/%d", all.Area, all.Covered, all.Total, len(all.Uncovered), want)
	}
	sum := 0
	for _, a := range none[:len(none)-1] {
		sum += a.Total
	}
	if sum != want {
		t.Errorf("per-area totals add up to %d, want %d", sum, want)
	}
	full := c.CoverageOf(every)
	if a := full[len(full)-1]; a.Covered != want || len(a.Uncovered) != 0 || a.Percent() != 100 {
		t.Errorf("overall with everything covered = %d/%d, %d uncovered", a.Covered, a.Total, len(a.Uncovered))
	}
}
