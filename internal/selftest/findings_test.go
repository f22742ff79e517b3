package selftest_test

import (
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/reports"
)

// A server whose error answers are not SCIM Error bodies breaks one rule
// seen by many specs: the report must group them into a few findings, each
// listing its specs, rather than present each FAIL as its own problem.
func TestOneServerDefectIsOneFinding(t *testing.T) {
	res := selftest.Run(t, nil, "run", "--ref-fault", "errors-not-json", "--section", "7644/3.12", "--section", "7644/3.6")
	if res.Doc == nil {
		t.Fatalf("no report.json; exit %d\n%s", res.ExitCode, res.Stderr)
	}
	failing := res.CountVerdict(reports.FAIL) + res.CountVerdict(reports.ERROR)
	var findings, covered int
	for _, f := range res.Doc.Metadata.Findings {
		if f.Verdict == reports.FAIL || f.Verdict == reports.ERROR {
			findings++
			covered += len(f.Specs)
		}
	}
	if failing < 3 || findings == 0 || findings >= failing || covered != failing {
		t.Errorf("%d failing specs grouped into %d findings covering %d specs; want fewer findings than specs, covering all", failing, findings, covered)
	}
}
