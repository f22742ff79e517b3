package reports

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/spec"
)

// matrixDoc is a report of the given specs against target.
func matrixDoc(target string, specs ...types.SpecReport) Document {
	return Document{
		Metadata: Metadata{Tool: "scimconform", Target: target, Started: t0, Finished: t0},
		Report:   types.Report{SuiteDescription: "scimconform", SpecReports: specs},
	}
}

func matrixOf(t *testing.T, docs ...Document) Matrix {
	t.Helper()
	var in []MatrixInput
	for i, d := range docs {
		in = append(in, MatrixInput{Path: fmt.Sprintf("/r/%d/report.json", i), HTML: fmt.Sprintf("/r/%d/report.html", i), Doc: d})
	}
	return BuildMatrix(in, testCatalog())
}

// row finds the row of key, failing the test when there is none.
func row(t *testing.T, m Matrix, key string) MatrixRow {
	t.Helper()
	for _, s := range m.Sections {
		for _, r := range s.Rows {
			if r.Key == key {
				return r
			}
		}
	}
	t.Fatalf("no row %q in the matrix", key)
	return MatrixRow{}
}

func TestMatrixCellIsTheWorstVerdictOfTheSpecsCitingTheRequirement(t *testing.T) {
	id := "7644-3.6-01"
	pass := mkSpec("D", "passes", spec.LevelMust, []string{id})
	fail := mkSpec("D", "fails", spec.LevelMust, []string{id}, failed("deleted resource still served\nsecond line"))
	warn := mkSpec("D", "warns", spec.LevelMust, []string{id}, entry(spec.EntryWarning, "odd but allowed"))
	unsup := mkSpec("D", "unsupported", spec.LevelMust, []string{id}, skipped(spec.SkipUnsupportedPrefix+"delete is off"))
	harness := mkSpec("D", "errs", spec.LevelMust, []string{id}, failed("no HTTP response"), entry(spec.EntryError, "x"))
	cases := []struct {
		name  string
		specs []types.SpecReport
		want  string // code
	}{
		{"PASS and FAIL", []types.SpecReport{pass, fail}, "F"},
		{"FAIL and ERROR", []types.SpecReport{harness, fail}, "F"},
		{"ERROR and WARN", []types.SpecReport{warn, harness}, "E"},
		{"WARN and NOT SUPPORTED", []types.SpecReport{unsup, warn}, "W"},
		{"PASS and NOT SUPPORTED", []types.SpecReport{unsup, pass}, "P"},
		{"NOT SUPPORTED only", []types.SpecReport{unsup}, "NS"},
	}
	for _, c := range cases {
		m := matrixOf(t, matrixDoc("https://a.test/v2", c.specs...))
		cell := row(t, m, id).Cells[0]
		if cell.Code() != c.want || cell.Specs != len(c.specs) {
			t.Errorf("%s: cell %s over %d specs, want %s over %d", c.name, cell.Code(), cell.Specs, c.want, len(c.specs))
		}
	}
	m := matrixOf(t, matrixDoc("https://a.test/v2", pass, fail))
	if c := row(t, m, id).Cells[0]; c.Message != "deleted resource still served" || c.Spec != "D fails" || c.Anchor == "" {
		t.Errorf("the FAIL cell names its spec, anchor and first message line: %+v", c)
	}
}

func TestMatrixShowsExcusedFailuresAsExpected(t *testing.T) {
	id := "7644-3.6-01"
	doc := matrixDoc("https://a.test/v2",
		mkSpec("D", "passes", spec.LevelMust, []string{id}),
		mkSpec("D", "fails", spec.LevelMust, []string{id}, failed("still served")))
	doc.Metadata.Expectations = []Expectation{{Req: id, Verdict: FAIL, Reason: "ticket 12"}}
	cell := row(t, matrixOf(t, doc), id).Cells[0]
	if cell.Shown() != ExpectedFail || cell.Code() != "XF" || !strings.Contains(cell.Message, "ticket 12") {
		t.Errorf("an expected FAIL shows as XF with its reason, got %s %q", cell.Shown(), cell.Message)
	}
	if !cell.Failed() {
		t.Error("an expected FAIL is still a failure of the server")
	}
}

func TestMatrixChargesAFailureToTheRequirementItNames(t *testing.T) {
	named, other := "7644-3.6-01", "7644-3.12-01"
	doc := matrixDoc("https://a.test/v2",
		mkSpec("D", "fails", spec.LevelMust, []string{named, other}, failed(named+": deleted resource still served")),
		mkSpec("D", "warns", spec.LevelMust, []string{"7644-4-02", "7644-4-06"}, entry(spec.EntryWarning, "7644-4-06: no documentationUri")))
	m := matrixOf(t, doc)
	if c := row(t, m, named).Cells[0]; c.Code() != "F" {
		t.Errorf("%s: %s, want F", named, c.Code())
	}
	if c := row(t, m, other).Cells[0]; c.Code() != "S" || !strings.Contains(c.Message, "not judged") {
		t.Errorf("%s: %s %q, want S, not judged", other, c.Code(), c.Message)
	}
	if c := row(t, m, "7644-4-02").Cells[0]; c.Code() != "P" {
		t.Errorf("the requirement a WARN spec does not name held: %s, want P", c.Code())
	}
}

func TestMatrixGroupsByRFCAndSectionInOrder(t *testing.T) {
	ids := []string{"9865-2-05", "7644-3.10-01", "7644-3.4.2.2-14", "7644-3.4-02", "7643-2.4-03", "7644-3.4.2-08", "7644-3.4-10"}
	var specs []types.SpecReport
	for i, id := range ids {
		specs = append(specs, mkSpec("A", fmt.Sprintf("spec %d", i), spec.LevelMust, []string{id}))
	}
	noID := mkSpec("A", "cites nothing", spec.LevelShould, nil)
	m := matrixOf(t, matrixDoc("https://a.test/v2", append(specs, noID)...))
	var got []string
	for _, s := range m.Sections {
		var keys []string
		for _, r := range s.Rows {
			keys = append(keys, r.Key)
		}
		got = append(got, s.Title+": "+strings.Join(keys, " "))
	}
	want := []string{
		"RFC 7643 §2.4: 7643-2.4-03",
		"RFC 7644 §3.4: 7644-3.4-02 7644-3.4-10 7644-3.4.2-08 7644-3.4.2.2-14",
		"RFC 7644 §3.10: 7644-3.10-01",
		"RFC 9865 §2: 9865-2-05",
		"Other: A cites nothing",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sections:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if m.RowCount != len(ids)+1 {
		t.Errorf("RowCount %d, want %d", m.RowCount, len(ids)+1)
	}
	if r := row(t, m, "7644-3.4.2.2-14"); r.Level != spec.LevelMust || r.Summary == "" {
		t.Errorf("a catalogued requirement has its level and summary: %+v", r)
	}
	if r := row(t, m, "A cites nothing"); r.IsID || r.Level != spec.LevelShould {
		t.Errorf("a spec without requirement is keyed by its text, with its own level: %+v", r)
	}
}

func TestMatrixSinglesOutWhatEveryServerFails(t *testing.T) {
	id, other := "7644-3.6-01", "7644-3.12-01"
	failing := func(level spec.Level) types.SpecReport {
		return mkSpec("D", "checks", level, []string{id}, failed("no"))
	}
	passing := mkSpec("D", "checks", spec.LevelMust, []string{id})
	otherSpec := mkSpec("E", "errors", spec.LevelMust, []string{other}, failed("x"), entry(spec.EntryError, "x"))
	a := matrixDoc("https://a.test/v2", failing(spec.LevelMust), otherSpec)
	b := matrixDoc("https://b.test/v2", failing(spec.LevelShould), otherSpec) // a WARN
	c := matrixDoc("https://c.test/v2", passing, otherSpec)

	m := matrixOf(t, a, b)
	if len(m.FailedByAll) != 1 || m.FailedByAll[0].Key != id || !row(t, m, id).FailedByAll {
		t.Errorf("FAIL and WARN on %s by both servers: FailedByAll = %+v", id, m.FailedByAll)
	}
	if row(t, m, other).FailedByAll {
		t.Error("an ERROR everywhere is the harness's, not a rule every server fails")
	}
	if m := matrixOf(t, a, b, c); len(m.FailedByAll) != 0 {
		t.Errorf("one server passes: FailedByAll = %+v, want none", m.FailedByAll)
	}
	if m := matrixOf(t, a); len(m.FailedByAll) != 0 {
		t.Errorf("one server alone is never 'every server': %+v", m.FailedByAll)
	}
	absent := matrixDoc("https://d.test/v2", otherSpec)
	if m := matrixOf(t, a, absent); len(m.FailedByAll) != 0 || row(t, m, id).Cells[1].Code() != "—" {
		t.Errorf("a server whose run does not cite the requirement does not fail it: %+v", m.FailedByAll)
	}
}

func TestMatrixNamesAreOverridableAndUnique(t *testing.T) {
	embedded := matrixDoc("http://127.0.0.1:1/scim/v2")
	embedded.Metadata.Embedded = true
	faulty := embedded
	faulty.Metadata.Config = map[string]any{"ref-faults": []any{"create-no-location", "filter-co-as-sw"}}
	in := []MatrixInput{
		{Doc: matrixDoc("https://a.test/v2")},
		{Doc: matrixDoc("https://a.test/v2")},
		{Doc: matrixDoc("https://b.test/v2"), Name: "Acme"},
		{Doc: matrixDoc("https://c.test/v2"), Name: "Acme"},
		{Doc: embedded},
		{Doc: faulty},
		{Doc: matrixDoc("")},
	}
	got := MatrixNames(in)
	want := []string{"https://a.test/v2", "https://a.test/v2 #2", "Acme", "Acme #2", "reference server",
		"reference server (faults: create-no-location, filter-co-as-sw)", "unnamed server"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("names:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// hostileMatrix has a server name and a failure message full of HTML and
// Markdown table syntax.
func hostileMatrix(t *testing.T) Matrix {
	id := "7644-3.6-01"
	bad := matrixDoc("https://evil.test/v2?x="+xss,
		mkSpec("D", "fails | badly", spec.LevelMust, []string{id}, failed("got "+xss+" | col\nline two")))
	in := []MatrixInput{
		{Path: "/r/0/report.json", HTML: "/r/0/report.html", Name: "Evil " + xss + " | Corp\nInc", Doc: bad},
		{Path: "/r/1/report.json", Doc: matrixDoc("https://b.test/v2", mkSpec("D", "fails | badly", spec.LevelMust, []string{id}))},
	}
	return BuildMatrix(in, testCatalog())
}

func TestMatrixHTMLEscapesServerText(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMatrixHTML(&b, hostileMatrix(t), "/r"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "<script>alert") {
		t.Error("a server-supplied <script> reaches matrix.html unescaped")
	}
	if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the hostile name is not shown escaped")
	}
	for _, want := range []string{`href="0/report.html#spec-`, "position: sticky", `class="f"`} {
		if !strings.Contains(out, want) {
			t.Errorf("matrix.html lacks %q", want)
		}
	}
	if strings.Contains(out, "<script") || strings.Contains(out, "http://") && strings.Contains(out, "<link") {
		t.Error("matrix.html must be self-contained, without script")
	}
}

func TestMatrixMarkdownKeepsTablesIntact(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMatrixMarkdown(&b, hostileMatrix(t), "/r"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "<script>") {
		t.Error("raw <script> in the Markdown")
	}
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		// Every table line of the servers table has 12 columns, of a section 4.
		cols := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") - 1
		if cols != 12 && cols != 4 {
			t.Errorf("a table line has %d columns (an unescaped | or newline): %s", cols, line)
		}
	}
	if !strings.Contains(out, `Evil &lt;script&gt;alert(1)&lt;/script&gt; \| Corp; Inc`) {
		t.Errorf("the hostile name is not escaped as expected:\n%s", out)
	}
}

func TestMatrixMarkdownGolden(t *testing.T) {
	id := "7644-3.6-01"
	a := matrixDoc("https://a.test/v2",
		mkSpec("D", "gone after delete", spec.LevelMust, []string{id}, failed("still served")),
		mkSpec("S", "publishes schemas", spec.LevelMust, []string{"7643-7-01"}))
	b := matrixDoc("https://b.test/v2",
		mkSpec("D", "gone after delete", spec.LevelMust, []string{id}, failed("still \"served\"")))
	in := []MatrixInput{
		{Path: "/r/a/report.json", HTML: "/r/a/report.html", Doc: a},
		{Path: "/r/b c/report.json", HTML: "/r/b c/report.html", Name: "B", Doc: b},
	}
	var out bytes.Buffer
	if err := WriteMatrixMarkdown(&out, BuildMatrix(in, testCatalog()), "/r"); err != nil {
		t.Fatal(err)
	}
	anchor := stableAnchor("spec-", "D gone after delete")
	schemas := stableAnchor("spec-", "S publishes schemas")
	want := `# SCIM interop matrix

2 servers × 2 requirements (RFC 7643, 7644, 9865). One verdict per cell: the worst over the specs citing the requirement in that server's run; a cell links to that spec in the server's report.html.

## Servers

| # | server | verdict | PASS | FAIL | WARN | ERROR | NS | SKIP | XF | findings | evidence |
|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|
| 1 | https://a.test/v2 | NOT CONFORMANT | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | [report.html](a/report.html) |
| 2 | B | NOT CONFORMANT | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | [report.html](b%20c/report.html) |

XF counts the failures excused by ` + "`--expect` or `--baseline`" + ` (also counted under their verdict).

Legend: **F** FAIL · **E** ERROR · **W** WARN · **XF** expected-FAIL · **P** PASS · **NS** NOT SUPPORTED · **S** SKIPPED · **—** no spec of the run cites it · ⚑ failed by every server

## Failed by every server — possibly an ambiguous rule

- ⚑ ` + "`7644-3.6-01`" + ` MUST — deleted resources are gone

## Requirements

### RFC 7643 §7

| requirement | level | #1 | #2 |
|---|---|:-:|:-:|
| ` + "`7643-7-01`" + ` Schemas are published | MUST | [P](a/report.html#` + schemas + `) | — |

### RFC 7644 §3.6

| requirement | level | #1 | #2 |
|---|---|:-:|:-:|
| ⚑ ` + "`7644-3.6-01`" + ` deleted resources are gone | MUST | [F](a/report.html#` + anchor + ` "still served") | [F](b%20c/report.html#` + anchor + ` "still \"served\"") |
`
	if out.String() != want {
		t.Errorf("matrix.md:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestMatrixLinksMatchTheAnchorsOfReportHTML(t *testing.T) {
	doc := sampleDoc()
	m := BuildMatrix([]MatrixInput{{Path: "/r/report.json", HTML: "/r/report.html", Doc: doc}}, testCatalog())
	var page bytes.Buffer
	if err := renderHTML(&page, doc, testCatalog(), nil); err != nil {
		t.Fatal(err)
	}
	linked := 0
	for _, s := range m.Sections {
		for _, r := range s.Rows {
			c := r.Cells[0]
			if c.Anchor == "" {
				if c.Verdict != SKIPPED {
					t.Errorf("%s: a %s cell without anchor", r.Key, c.Verdict)
				}
				continue
			}
			linked++
			if !strings.Contains(page.String(), `id="`+c.Anchor+`"`) {
				t.Errorf("%s: anchor %s is not in report.html", r.Key, c.Anchor)
			}
		}
	}
	if linked == 0 {
		t.Fatal("no cell links to report.html")
	}
}

func TestSpecAnchorsDependOnlyOnTheSpecText(t *testing.T) {
	one := Evaluate(matrixDoc("x", mkSpec("A", "b", spec.LevelMust, []string{"7644-3.6-01"})))
	two := Evaluate(matrixDoc("x", mkSpec("0", "first", spec.LevelMust, []string{"7644-3.6-01"}),
		mkSpec("A", "b", spec.LevelMust, []string{"7644-3.6-01"})))
	if a, b := specAnchors(one)["A b"], specAnchors(two)["A b"]; a != b || !strings.HasPrefix(a, "spec-") {
		t.Errorf("anchor of the same spec in two runs: %q and %q", a, b)
	}
}

func TestRelLink(t *testing.T) {
	cases := []struct{ dir, target, want string }{
		{"/out", "/out/a/report.html", "a/report.html"},
		{"/out/m", "/runs/b c/report.html", "../../runs/b%20c/report.html"},
		{"/out", "/out/x:y/report.html", "./x:y/report.html"},
		{"/out", "", ""},
	}
	for _, c := range cases {
		if got := relLink(filepath.FromSlash(c.dir), filepath.FromSlash(c.target)); got != c.want {
			t.Errorf("relLink(%q, %q) = %q, want %q", c.dir, c.target, got, c.want)
		}
	}
}

// TestMatrixAtInteropScale renders 10 servers × 400 requirements and keeps
// the page small enough to open at once.
func TestMatrixAtInteropScale(t *testing.T) {
	var docs []Document
	for s := 0; s < 10; s++ {
		var specs []types.SpecReport
		for i := 0; i < 400; i++ {
			id := fmt.Sprintf("7644-%d.%d-%02d", 3+i/100, i%100/20+1, i%20+1)
			var opts []specOpt
			switch (i + s) % 13 {
			case 0:
				opts = append(opts, failed(fmt.Sprintf("server %d broke rule %d: expected 201, got 200", s, i)))
			case 5:
				opts = append(opts, skipped(spec.SkipUnsupportedPrefix+"bulk is off (advertised)"))
			}
			specs = append(specs, mkSpec("Area", fmt.Sprintf("behaviour %d", i), spec.LevelMust, []string{id}, opts...))
		}
		docs = append(docs, matrixDoc(fmt.Sprintf("https://scim%d.example.test/v2", s), specs...))
	}
	m := matrixOf(t, docs...)
	if m.RowCount != 400 || len(m.Servers) != 10 {
		t.Fatalf("%d rows × %d servers, want 400 × 10", m.RowCount, len(m.Servers))
	}
	var b bytes.Buffer
	if err := WriteMatrixHTML(&b, m, "/r"); err != nil {
		t.Fatal(err)
	}
	if n := b.Len(); n > 1<<20 {
		t.Errorf("matrix.html of 10 × 400 is %d bytes, want at most 1 MiB", n)
	}
	var md bytes.Buffer
	if err := WriteMatrixMarkdown(&md, m, "/r"); err != nil {
		t.Fatal(err)
	}
	if n := md.Len(); n > 1<<20 {
		t.Errorf("matrix.md of 10 × 400 is %d bytes, want at most 1 MiB", n)
	}
}
