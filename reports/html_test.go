package reports

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

func renderSample(t *testing.T, doc Document) string {
	t.Helper()
	var buf bytes.Buffer
	if err := renderHTML(&buf, doc, testCatalog(), nil); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestHTMLEscapesServerData(t *testing.T) {
	out := renderSample(t, sampleDoc())
	for _, raw := range []string{xss, xssHeader, xssBody, "<script"} {
		if strings.Contains(out, raw) {
			t.Errorf("report.html contains the raw %q", raw)
		}
	}
	for place, raw := range map[string]string{"failure message": xss, "header value": xssHeader, "exchange body": xssBody} {
		if esc := html.EscapeString(raw); !strings.Contains(out, esc) {
			t.Errorf("%s: escaped form %q not found", place, esc)
		}
	}
	if !strings.Contains(out, "X-Evil: "+html.EscapeString(xssHeader)) {
		t.Error("the hostile header is not shown in the exchange text")
	}
	if strings.Contains(out, "ZgotmplZ") {
		t.Error("html/template rejected a value (ZgotmplZ): a template context is wrong")
	}
}

func TestHTMLContent(t *testing.T) {
	out := renderSample(t, sampleDoc())
	for _, want := range []string{
		"NOT CONFORMANT", "v0.1.0-test", "1234", "2026-03-14 09:26:53 UTC", "3.00s",
		`<span class="badge fail">FAIL</span>`, `<span class="badge unsup">NOT SUPPORTED</span>`,
		"7644-3.4.2.2-14", "bad filter gives invalidFilter", // requirement id and catalog summary
		"<details class=\"xch\">", "GET https://scim.example.test/v2/Users?filter=userName&#43;eq → 200",
		"filter.maxResults", "overridden", "(advertised: yes)",
		"Leaked (still on the target)", "scimconform-0badc0de-user-3",
		"1 more spec(s) were left out by the selection",
		"<h3>Not supported, by reason</h3>", "patch is off (advertised)",
		// Configuration in plain words, not Go map syntax.
		`<td class="mono">token</td><td class="mono">[REDACTED]</td>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	// Sections in natural order.
	order := []string{"RFC 7643 §7", "RFC 7644 §3.4.2.2", "RFC 7644 §3.4.2.4", "RFC 7644 §3.10", "RFC 7644 §4", "RFC 9865 §2.1"}
	last := -1
	for _, s := range order {
		i := strings.Index(out, `<h3>`+s)
		if i < 0 {
			if s == "RFC 7643 §7" { // its only spec was skipped by the selection
				continue
			}
			t.Fatalf("section %q missing", s)
		}
		if i < last {
			t.Errorf("section %q is out of order", s)
		}
		last = i
	}
	// Self-contained: no external asset, no script.
	for _, bad := range []string{"<link", "src=", "@import", "url(", "http-equiv"} {
		if strings.Contains(out, bad) {
			t.Errorf("report.html is not self-contained: contains %q", bad)
		}
	}
}

func TestHTMLCoverage(t *testing.T) {
	out := renderSample(t, sampleDoc())
	// 8 countable requirements (partial and MAY rows excluded); every one has
	// a spec in the report; the judged ones exclude NOT SUPPORTED and SKIPPED.
	if !strings.Contains(out, `<tr class="total"><th>all</th><td class="num">8</td>`) {
		t.Error("coverage total should count 8 requirements")
	}
	if !strings.Contains(out, "8 (100%)") || !strings.Contains(out, "6 (75%)") {
		t.Error("coverage should be 8/8 in report and 6/8 judged")
	}
	if !strings.Contains(out, `style="width: 75%"`) {
		t.Error("coverage bar width missing")
	}
	// Failing requirements section lists FAIL first.
	i, j := strings.Index(out, "Requirements with failing specs"), strings.Index(out, `id="capabilities"`)
	if i < 0 || j < i {
		t.Fatal("failing requirements section missing")
	}
	failing := out[i:j]
	for _, id := range []string{"7644-3.4.2.2-14", "7644-3.6-01", "7644-4-06", "7644-3.10-01", "9865-2.1-01"} {
		if !strings.Contains(failing, id) {
			t.Errorf("failing requirements lack %s", id)
		}
	}
	if strings.Contains(failing, "7644-4-02") {
		t.Error("a passing requirement is listed as failing")
	}
	if strings.Index(failing, "7644-3.4.2.2-14") > strings.Index(failing, "7644-4-06") {
		t.Error("FAIL requirements must come before WARN ones")
	}
}

func TestHTMLExchangesFoldedUnlessTheSpecFailed(t *testing.T) {
	out := renderSample(t, sampleDoc())
	pass := out[strings.Index(out, "ServiceProviderConfig returns 200 with its schema"):]
	pass = pass[:strings.Index(pass, "</article>")]
	if !strings.Contains(pass, `<details class="xchs"><summary>HTTP exchanges (1)</summary>`) || strings.Contains(pass, " open") {
		t.Errorf("a passing spec's exchanges are folded:\n%s", pass)
	}
	fail := out[strings.LastIndex(out, "returns 400 invalidFilter for a malformed filter"):] // the spec, after its finding
	fail = fail[:strings.Index(fail, "</article>")]
	if !strings.Contains(fail, `<details class="xchs" open><summary>HTTP exchanges (2)</summary>`) ||
		strings.Count(fail, `<details class="xch" open>`) != 2 {
		t.Errorf("a failed spec's exchanges are unfolded:\n%s", fail)
	}
	unsup := out[strings.Index(out, "applies operations atomically"):]
	unsup = unsup[:strings.Index(unsup, "</article>")]
	if strings.Contains(unsup, `class="loc"`) {
		t.Errorf("a NOT SUPPORTED spec shows no code location:\n%s", unsup)
	}
}

func TestHTMLConfigValues(t *testing.T) {
	got := configOf(map[string]any{
		"url": "", "levels": []string{"must", "should"}, "sections": []any{},
		"headers": map[string]string{"X-Tenant": "acme", "B": "b"}, "features": map[string]bool{},
		"oauth2": map[string]any{"token-url": "https://t.example", "scopes": []string{}}, "retries": 2,
		"seed": float64(1795324928), "ratio": 0.5, // as read back from report.json
	})
	want := []keyValue{{"features", "—"}, {"headers", "B: b, X-Tenant: acme"}, {"levels", "must, should"},
		{"oauth2.scopes", "—"}, {"oauth2.token-url", "https://t.example"}, {"ratio", "0.5"}, {"retries", "2"},
		{"sections", "—"}, {"seed", "1795324928"}, {"url", "—"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("configOf:\n got %v\nwant %v", got, want)
	}
}

func TestBlamedReqs(t *testing.T) {
	r := SpecResult{Reqs: []string{"7643-3.1-02", "7644-3.3-07", "7644-3.3-09", "7644-3.3-1"},
		Message: "7644-3.3-09 (RFC 7644 §3.3): a 201 answer must carry a Location header; see 7644-3.3-07."}
	if got := fmt.Sprint(blamedReqs(r)); got != "[7644-3.3-07 7644-3.3-09]" {
		t.Errorf("blamed %s, want the two ids the message names (7644-3.3-1 is only a prefix of 7644-3.3-10)", got)
	}
	r.Message = "expected 201, got 200"
	if got := blamedReqs(r); len(got) != 4 {
		t.Errorf("a message naming no id blames every id, got %v", got)
	}
	r = SpecResult{Reqs: []string{"7644-3.3-09", "7644-3.3-10"}, Warnings: []string{"7644-3.3-10: duplicate accepted"}}
	if got := fmt.Sprint(blamedReqs(r)); got != "[7644-3.3-10]" {
		t.Errorf("warnings name ids too, got %s", got)
	}
}

func TestHTMLRunFacts(t *testing.T) {
	doc := sampleDoc()
	doc.Report.SuiteConfig.LabelFilter = ""
	doc.Report.SpecialSuiteFailureReasons = []string{"Interrupted by User"}
	doc.Metadata.Cleanup.Kept = true
	doc.Metadata.Notes = append(doc.Metadata.Notes, KeptNotePrefix+"/Users/42 (scimconform-0badc0de-kept-1)")
	out := renderSample(t, doc)
	for _, want := range []string{
		"The run stopped early: Interrupted by User. 1 selected spec(s) did not run",
		"Resources kept on the target (1; every name starts with scimconform-0badc0de)",
		"<li>/Users/42 (scimconform-0badc0de-kept-1)</li>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Contains(out, "kept (--keep)") || strings.Contains(out, "left out by the selection") {
		t.Error("kept resources belong to the test data section, and nothing was left out without a filter")
	}
}

func TestHTMLWithoutCatalog(t *testing.T) {
	var buf bytes.Buffer
	if err := renderHTML(&buf, sampleDoc(), nil, os.ErrNotExist); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "could not be loaded") {
		t.Error("a catalog error must be shown in the coverage section")
	}
}

func TestWriteHTMLFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteHTMLFile(path, sampleDoc()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "<!DOCTYPE html>") || !strings.HasSuffix(strings.TrimSpace(string(data)), "</html>") {
		t.Error("report.html is not a complete document")
	}
	if err := WriteHTMLFile(filepath.Join(path, "x.html"), sampleDoc()); err == nil {
		t.Error("want an error for an unwritable path")
	}
}

func TestNaturalLess(t *testing.T) {
	sorted := []string{"7643 2.1", "7643 7", "7643 10", "7644 3.4.2.2", "7644 3.4.2.10", "7644 3.10", "7644 4", "7644 A", "9865 2"}
	for i := 0; i+1 < len(sorted); i++ {
		if !naturalLess(sorted[i], sorted[i+1]) || naturalLess(sorted[i+1], sorted[i]) {
			t.Errorf("want %q < %q", sorted[i], sorted[i+1])
		}
	}
	if naturalLess("7644 3.4", "7644 3.4") {
		t.Error("a section is not less than itself")
	}
	if got := idKey("7644-3.4.2.2-04"); got != "7644 3.4.2.2.04" {
		t.Errorf("idKey = %q", got)
	}
}

func TestHTMLSuiteErrors(t *testing.T) {
	doc := sampleDoc()
	doc.Report.SpecReports = append(doc.Report.SpecReports, types.SpecReport{
		LeafNodeType: types.NodeTypeAfterSuite, LeafNodeText: "final sweep", State: types.SpecStateFailed,
		Failure: types.Failure{Message: "sweep failed: " + xss}})
	out := renderSample(t, doc)
	i := strings.Index(out, "<h3>Suite errors</h3>")
	if i < 0 || i > strings.Index(out, `id="capabilities"`) {
		t.Fatal("a failed suite node must be shown under Suite errors in the summary")
	}
	if !strings.Contains(out[i:], "AfterSuite final sweep") || !strings.Contains(out[i:], "sweep failed: "+html.EscapeString(xss)) {
		t.Error("suite error text missing")
	}
}
