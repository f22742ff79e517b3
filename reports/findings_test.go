package reports

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/spec"
)

// failedAt is failed(msg) with the failure's time, seq milliseconds after t0
// (exchange(seq, ...) starts at the same offset).
func failedAt(msg string, seq int) specOpt {
	return func(sr *types.SpecReport) {
		failed(msg)(sr)
		sr.Failure.TimelineLocation.Time = t0.Add(time.Duration(seq) * time.Millisecond)
	}
}

func cause(key, summary string) specOpt {
	return entry(spec.EntryCause, spec.Cause{Key: key, Summary: summary})
}

// findingsDoc is a run whose 9 problem specs come from 5 causes, one group
// per key kind, plus a WARN that shares a FAIL's cause but not its finding.
func findingsDoc() Document {
	base := "https://scim.example.test/v2"
	notJSON := func(seq int, method, path string, status int) specOpt {
		return exchanges(exchange(seq, method, base+path, status, "Not Found"))
	}
	specs := types.SpecReports{
		// (1) A named cause: three specs, different requests, one finding.
		mkSpec("Errors", "a GET of an unknown User id", spec.LevelMust, []string{"7644-3.12-01"},
			notJSON(1, http.MethodGet, "/Users/2819c223-7f76-453a-919d-413861904646", 404),
			cause("scim-error-body not-json", "error answers are not SCIM Error bodies: the body is not a JSON object"),
			failedAt("7644-3.12-01 (RFC 7644 §3.12): the 404 carries a SCIM Error\nBody: Not Found", 1)),
		mkSpec("Discovery", "an unknown schema URI", spec.LevelMust, []string{"7644-3.12-01", "7644-4-01"},
			notJSON(2, http.MethodGet, "/Schemas/urn:scimconform:0badc0de:no:such:schema", 404),
			cause("scim-error-body not-json", "error answers are not SCIM Error bodies: the body is not a JSON object"),
			failedAt("7644-3.12-01 (RFC 7644 §3.12): GET /Schemas/... names nothing", 2)),
		mkSpec("Create", "answers 409 to a duplicate userName", spec.LevelMust, []string{"7644-3.3-10"},
			notJSON(3, http.MethodPost, "/Users", 409),
			cause("scim-error-body not-json", "error answers are not SCIM Error bodies: the body is not a JSON object"),
			failedAt("7644-3.3-10: the 409 is not a SCIM Error", 3)),
		// A WARN with the same named cause forms a W finding of its own.
		mkSpec("Errors", "uses scimType invalidSyntax", spec.LevelShould, []string{"7644-3.12-05"},
			notJSON(4, http.MethodPost, "/Users", 400),
			cause("scim-error-body not-json", "error answers are not SCIM Error bodies: the body is not a JSON object"),
			failedAt("7644-3.12-05: want invalidSyntax", 4)),
		// (2) One failing exchange shape: the ids differ, the cleanup DELETE
		// after the failure does not count.
		mkSpec("Read", "returns id on GET", spec.LevelMust, []string{"7643-3.1-05"},
			exchanges(exchange(5, http.MethodGet, base+"/Users/11111111-2222-3333-4444-555555555555?attributes=userName", 200, `{}`),
				exchange(9, http.MethodDelete, base+"/Users/11111111-2222-3333-4444-555555555555", 204, "")),
			failedAt("7643-3.1-05: id is missing from GET /Users/11111111-2222-3333-4444-555555555555", 6)),
		mkSpec("Attributes", "keeps id with attributes=name", spec.LevelMust, []string{"7643-3.1-05", "7644-3.9-02"},
			exchanges(exchange(5, http.MethodPost, base+"/Users", 201, `{}`),
				exchange(6, http.MethodGet, base+"/Users/9876543210?attributes=name", 200, `{}`),
				exchange(9, http.MethodDelete, base+"/Users/9876543210", 204, "")),
			failedAt("7643-3.1-05: id is missing", 7)),
		// The same request and answer charged to another requirement is
		// another finding.
		mkSpec("Attributes", "returns the minimum set", spec.LevelMust, []string{"7644-3.9-02"},
			exchanges(exchange(6, http.MethodGet, base+"/Users/42?attributes=name", 200, `{}`)),
			failedAt("7644-3.9-02: wrong attributes", 7)),
		// (3) No exchange: the normalised messages group.
		mkSpec("Setup", "creates a data set of Users", spec.LevelMust, []string{"7644-3.3-07"},
			failed(`harness: creating "scimconform-0badc0de-qs-1-alice" failed after 3 attempts`)),
		mkSpec("Setup", "creates a data set of Groups", spec.LevelMust, []string{"7644-3.3-07"},
			failed(`harness: creating "scimconform-0badc0de-qs-2-admins" failed after 5 attempts`)),
		mkSpec("Schema", "declares the name attribute", spec.LevelMust, []string{"7643-7-01"},
			failed(`harness: schema "urn:x" failed after 500 attempts`+"\nExpected\n    <int>: 0\nnot to be zero-valued")),
		mkSpec("Discovery", "passes", spec.LevelMust, []string{"7644-4-02"}),
	}
	doc := sampleDoc()
	doc.Metadata.Target = base
	doc.Report.SpecReports = specs
	return doc
}

func TestFindingsGroupByCause(t *testing.T) {
	s := Evaluate(findingsDoc())
	type want struct {
		id, basis, summary string
		specs              int
		reqs               string
	}
	wants := []want{
		{"F1", BasisCause, "error answers are not SCIM Error bodies: the body is not a JSON object", 3, "7644-3.3-10 7644-3.12-01"},
		{"F2", BasisExchange, "GET /Users/{id}?attributes → 200 OK", 2, "7643-3.1-05"},
		{"F3", BasisMessage, `harness: creating "scimconform-0badc0de-qs-2-admins" failed after 5 attempts`, 2, "7644-3.3-07"}, // the first spec by name
		{"F4", BasisMessage, `harness: schema "urn:x" failed after 500 attempts`, 1, "7643-7-01"},
		{"F5", BasisExchange, "GET /Users/{id}?attributes → 200 OK", 1, "7644-3.9-02"},
		{"W1", BasisCause, "error answers are not SCIM Error bodies: the body is not a JSON object", 1, "7644-3.12-05"},
	}
	if len(s.Findings) != len(wants) {
		for _, f := range s.Findings {
			t.Logf("%s %s %q %d %v key %q", f.ID, f.Basis, f.Summary, len(f.Specs), f.Reqs, f.Key)
		}
		t.Fatalf("%d findings, want %d", len(s.Findings), len(wants))
	}
	for i, w := range wants {
		f := s.Findings[i]
		if f.ID != w.id || f.Basis != w.basis || f.Summary != w.summary || len(f.Specs) != w.specs || strings.Join(f.Reqs, " ") != w.reqs {
			t.Errorf("finding %d = %s %s %q %d specs %v, want %+v", i, f.ID, f.Basis, f.Summary, len(f.Specs), f.Reqs, w)
		}
	}
	f2 := s.Findings[1]
	if f2.Exchange != "GET https://scim.example.test/v2/Users/9876543210?attributes=name → 200 OK" {
		t.Errorf("F2 evidence exchange = %q (the first spec's failing exchange, not its cleanup)", f2.Exchange)
	}
	if f2.Level != spec.LevelMust || f2.Verdict != FAIL {
		t.Errorf("F2 level/verdict = %s %s", f2.Level, f2.Verdict)
	}
	// The matcher dump is left out of the evidence when the spec explains.
	if f4 := s.Findings[3]; strings.Contains(f4.Message, "<int>") || !strings.Contains(f4.Message, "raw output is in report.json") {
		t.Errorf("F4 evidence shows the raw matcher dump: %q", f4.Message)
	}
	for _, r := range s.Results {
		if (r.Verdict == PASS) != (r.Finding == "") {
			t.Errorf("%s: verdict %s, finding %q", r.Name, r.Verdict, r.Finding)
		}
	}
}

func TestPathTemplateAndNormalisedMessage(t *testing.T) {
	for raw, want := range map[string]string{
		"https://h/scim/v2/Users/2819c223-7f76-453a-919d-413861904646":                   "/Users/{id}",
		"https://h/scim/v2/Users/12345?attributes=userName&count=2":                      "/Users/{id}?attributes&count",
		"https://h/scim/v2/Groups/scimconform-0badc0de-group-3":                          "/Groups/{name}",
		"https://h/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User":           "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User",
		"https://h/scim/v2/ResourceTypes/User":                                           "/ResourceTypes/User",
		"https://h/scim/v2/Users/.search":                                                "/Users/.search",
		"https://h/scim/v2/Users/a1b2c3d4e5f6":                                           "/Users/{id}",
		"https://h/scim/v2/Schemas/urn:scimconform:0badc0de:no:such:schema:309":          "/Schemas/{name}",
		"https://other/api/Users/2819c223-7f76-453a-919d-413861904646?filter=a%20eq%20b": "/api/Users/{id}?filter",
	} {
		if got := pathTemplate(raw, "/scim/v2"); got != want {
			t.Errorf("pathTemplate(%q) = %q, want %q", raw, got, want)
		}
	}
	a := normaliseMessage(`7644-3.12-01 (RFC 7644 §3.12): GET /Users/2819c223-7f76-453a-919d-413861904646 got 404, "x" has 3 values`)
	b := normaliseMessage(`7644-3.12-01 (RFC 7644 §3.12): GET /Users/0aeae83c-6a82-4da1-9554-d45a5cd04853 got 404, "y" has 12 values`)
	if a != b {
		t.Errorf("ids, counts and quoted values should be set aside:\n%s\n%s", a, b)
	}
	if c := normaliseMessage(`7644-3.12-05 (RFC 7644 §3.12): GET /Users/x got 404`); c == a {
		t.Error("requirement ids tell messages apart")
	}
	if d := normaliseMessage(`7644-3.12-01 (RFC 7644 §3.12): GET /Users/2819c223-7f76-453a-919d-413861904646 got 400, "x" has 3 values`); d == a {
		t.Error("HTTP statuses tell messages apart")
	}
}

func TestShownMessage(t *testing.T) {
	dump := "the id must be set\nExpected\n    <string>: \nnot to be empty"
	if got := shownMessage(dump); got != "the id must be set\n(the matcher's raw output is in report.json and with -v)" {
		t.Errorf("shownMessage = %q", got)
	}
	bare := "Expected\n    <int>: 0\nnot to be zero-valued"
	if got := shownMessage(bare); got != bare {
		t.Errorf("a bare dump is kept: %q", got)
	}
	long := strings.Repeat("x", 1000) + "\n" + strings.Repeat("line\n", 100)
	got := shownMessage(long)
	if n := len(strings.Split(got, "\n")); n != shownLines+1 || !strings.Contains(got, "… (+700 chars)") || !strings.Contains(got, "61 more lines in report.json") {
		t.Errorf("long message not capped (%d lines):\n%s", n, got)
	}
}

func TestFindingsInTerminalRecap(t *testing.T) {
	doc := findingsDoc()
	out := summaryOf(doc)
	for _, want := range []string{
		"FAIL (9): 9 failing specs from 5 findings\n",
		"\n  F1  FAIL  MUST 7644-3.3-10 7644-3.12-01 RFC 7644 §3.3, RFC 7644 §3.12 (3 specs)\n" +
			"        error answers are not SCIM Error bodies: the body is not a JSON object\n" +
			"        7644-3.3-10: the 409 is not a SCIM Error\n" +
			"        exchange: POST https://scim.example.test/v2/Users → 409 Conflict\n" +
			"        specs:\n" +
			"          - Create answers 409 to a duplicate userName\n" +
			"          - Discovery an unknown schema URI\n" +
			"          - Errors a GET of an unknown User id\n",
		"WARN (1): 1 warning spec from 1 finding\n",
		"  W1  WARN  SHOULD 7644-3.12-05 RFC 7644 §3.12 (1 spec)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("recap lacks\n%s\n--- in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<int>") {
		t.Errorf("recap shows a raw matcher dump:\n%s", out)
	}
	// Long spec lists are cut.
	var many types.SpecReports
	for i := range 13 {
		many = append(many, mkSpec("Errors", "case "+string(rune('a'+i)), spec.LevelMust, []string{"7644-3.12-01"},
			cause("k", "one cause"), failed("boom")))
	}
	doc.Report.SpecReports = many
	out = summaryOf(doc)
	if !strings.Contains(out, "13 failing specs from 1 finding") || !strings.Contains(out, "          - Errors case j\n") ||
		strings.Contains(out, "case k") || !strings.Contains(out, "… and 3 more (report.html lists every spec)") {
		t.Errorf("a finding lists 10 specs and counts the rest:\n%s", out)
	}
}

func TestFindingsInHTMLAreEscapedAndLinked(t *testing.T) {
	doc := findingsDoc()
	doc.Report.SpecReports[0].ReportEntries = append(doc.Report.SpecReports[0].ReportEntries,
		types.ReportEntry{Name: spec.EntryCause, Value: types.WrapEntryValue(spec.Cause{Key: "x", Summary: "cause " + xss})})
	out := renderSample(t, doc)
	if strings.Contains(out, xss) || !strings.Contains(out, "cause &lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("a finding's summary must be escaped")
	}
	for _, want := range []string{`<section id="findings">`, `9 failing spec(s) from 6 finding(s)`, `id="finding-F1"`,
		`<a href="#spec-`, `<a class="flink" href="#finding-F1">F1</a>`} {
		if !strings.Contains(out, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Index(out, `id="findings"`) > strings.Index(out, `id="results"`) {
		t.Error("findings come before the results")
	}
	// Every link of a finding names an existing spec anchor.
	for _, part := range strings.Split(out, `<a href="#spec-`)[1:] {
		anchor := "spec-" + part[:strings.IndexByte(part, '"')]
		if !strings.Contains(out, `id="`+anchor+`"`) {
			t.Errorf("link to missing anchor %s", anchor)
		}
	}
}

func TestFindingsInJUnit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junit.xml")
	if err := WriteJUnit(path, findingsDoc(), false); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`name="SpecialSuiteFailureReason" value="9 failing specs from 5 findings"`)) {
		t.Errorf("junit.xml lacks the findings count:\n%s", data)
	}
	suite := readJUnit(t, path).TestSuites[0]
	if c := caseByText(t, suite, "an unknown schema URI"); c.Failure == nil || !strings.HasPrefix(c.Failure.Message, "[F1] FAIL: ") {
		t.Errorf("failure message not prefixed by its finding: %+v", c.Failure)
	}
	if c := caseByText(t, suite, "uses scimType invalidSyntax"); c.Skipped == nil || !strings.Contains(c.Skipped.Message, "[W1] WARN: ") {
		t.Errorf("WARN message not prefixed by its finding: %+v", c.Skipped)
	}
}
