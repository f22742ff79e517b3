package reports

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// bigRun is a synthetic run of n specs with k exchanges each, as the runner
// hands it over (report entries with raw values, not yet serialised).
func bigRun(n, k int) (Document, []scim.Exchange) {
	doc := sampleDoc()
	doc.Report.SpecReports = make(types.SpecReports, 0, n)
	ids := []string{"7644-3.4.2.2-04", "7644-3.5.2-05", "7643-7-01", "7644-4-03", "7644-3.4.2.4-04", "7644-3.12-01"}
	body := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"2819c223","userName":"bjensen","name":{"familyName":"Jensen","givenName":"Barbara"},"emails":[{"value":"bjensen@example.com","type":"work","primary":true}],"meta":{"resourceType":"User","version":"W/\"a330bc54f0671c9\""}}`
	var all []scim.Exchange
	for i := 0; i < n; i++ {
		xs := make([]scim.Exchange, 0, k)
		for j := 0; j < k; j++ {
			x := exchange(i*k+j, http.MethodGet, fmt.Sprintf("https://scim.example.test/v2/Users/%d?attributes=userName", i*k+j), 200, body)
			xs = append(xs, x)
		}
		all = append(all, xs...)
		opts := []specOpt{exchanges(xs...)}
		switch i % 10 {
		case 0:
			opts = append(opts, failed("expected 400 invalidFilter, got 200\n"+strings.Repeat("detail line\n", 5)))
		case 1:
			opts = append(opts, entry(spec.EntryWarning, "lenient reading of an ambiguity"))
		case 2:
			opts = append(opts, skipped(spec.SkipUnsupportedPrefix+"bulk is off"))
		}
		id := ids[i%len(ids)]
		doc.Report.SpecReports = append(doc.Report.SpecReports,
			mkSpec("Area "+id, fmt.Sprintf("behaviour %d holds", i), spec.LevelMust, []string{id}, opts...))
	}
	return doc, all
}

func BenchmarkWriteAll(b *testing.B) {
	doc, all := bigRun(500, 5)
	dir := b.TempDir()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := WriteAll(dir, doc, all, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestWriteAll(t *testing.T) {
	doc, all := bigRun(20, 3)
	dir := t.TempDir() + "/nested/out"
	p, err := WriteAll(dir, doc, all, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{p.JUnit, p.JSON, p.HTML, p.HAR} {
		if !strings.HasPrefix(path, dir) {
			t.Errorf("path %q not in %s", path, dir)
		}
	}
	back, err := ReadJSON(p.JSON)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(Evaluate(back).Results), 20; got != want {
		t.Errorf("report.json has %d results, want %d", got, want)
	}
	// An unwritable directory gives an error and no paths.
	blocked := p.JSON + "/sub"
	if p2, err := WriteAll(blocked, doc, all, WriteOptions{}); err == nil || p2 != (Paths{}) {
		t.Errorf("want an error for an unwritable directory, got %v %+v", err, p2)
	}
}
