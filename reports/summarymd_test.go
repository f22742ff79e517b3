package reports

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/spec"
)

func summaryMD(t *testing.T, doc Document) string {
	t.Helper()
	var b bytes.Buffer
	paths := Paths{JUnit: "out/junit.xml", JSON: "out/report.json", HTML: "out/report.html", HAR: "out/exchanges.har"}
	if err := WriteSummaryMarkdown(&b, doc, Evaluate(doc), paths); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestSummaryMarkdownSaysWhatTheTerminalSays(t *testing.T) {
	doc := sampleDoc()
	md := summaryMD(t, doc)
	s := Evaluate(doc)
	verdict := verdictLine(newPalette(false), doc, s)
	for _, want := range []string{
		"### ❌ scimconform: " + verdict + "\n",
		// The one SKIPPED spec is left out by the label filter: no column.
		"| level | FAIL | ERROR | WARN | PASS | NOT SUPPORTED | all |",
		fmt.Sprintf("| **total** | %d | %d | %d | %d | %d | %d |", s.Totals[FAIL], s.Totals[ERROR], s.Totals[WARN], s.Totals[PASS],
			s.Totals[NotSupported], len(s.Results)-1),
		"1 more spec left out by the selection",
		"#### Failures: 3 failing specs from 3 findings",
		"#### Warnings: 3 warning specs from 3 findings",
		"| F1 | FAIL (MUST) | 7644-3.4.2.2-14 (RFC 7644 §3.4.2.2) |",
		"**Test data:** 7 created, 1 deleted by the final sweep, 1 leaked (**1 resource left on the target**",
		"**Reports:** JUnit `out/junit.xml` · JSON `out/report.json` · HTML `out/report.html` · HAR `out/exchanges.har`",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "<script>") || !strings.Contains(md, "&lt;script&gt;") {
		t.Errorf("server text is not escaped:\n%s", md)
	}
}

func TestSummaryMarkdownVerdictMarks(t *testing.T) {
	doc := sampleDoc()
	doc.Metadata.Expectations = expectAll(t, "")
	md := summaryMD(t, doc)
	if !strings.HasPrefix(md, "### ⚠️ scimconform: NO NEW FAILURES (not conformant; known: 3 expected): exit 0\n") {
		t.Errorf("expected failures only: %q", strings.SplitN(md, "\n", 2)[0])
	}
	if strings.Contains(md, "#### New failures") {
		t.Error("every failure is expected, yet the summary lists new failures")
	}
	for _, want := range []string{"#### Expected failures (do not fail the run) (3)",
		"- FAIL Filtering returns 400 invalidFilter for a malformed filter — expected: filter parser rewrite (https://tracker.example/1)",
		"#### Unexpectedly passing (remove the entries) (1)", "#### Expectations that matched no selected spec (1)"} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
	doc = sampleDoc()
	var keep types.SpecReports
	for _, sr := range doc.Report.SpecReports {
		if sr.State == types.SpecStatePassed && Result(sr).Verdict == PASS {
			keep = append(keep, sr)
		}
	}
	doc.Report.SpecReports = keep
	if md := summaryMD(t, doc); !strings.HasPrefix(md, "### ✅ scimconform: CONFORMANT\n") || strings.Contains(md, "####") {
		t.Errorf("conformant run: %s", md)
	}
}

func TestMDCellEscapesMarkdown(t *testing.T) {
	for in, want := range map[string]string{
		"a|b":                          `a\|b`,
		"line1\nline2":                 "line1; line2",
		"<img src=x onerror=alert(1)>": "&lt;img src=x onerror=alert(1)&gt;",
		"[click](https://evil.test)":   `\[click\](https://evil.test)`,
		"![i](https://evil.test/i)":    `!\[i\](https://evil.test/i)`,
		"**bold** _em_ ~~gone~~":       `\*\*bold\*\* \_em\_ \~\~gone\~\~`,
		"`code`":                       "'code'",
		`back\|slash`:                  `back\\\|slash`,
		"&lt;":                         "&amp;lt;",
		"esc\x1b[31mred":               `esc\\x1b\[31mred`,
	} {
		if got := mdCell(in); got != want {
			t.Errorf("mdCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSummaryMarkdownIsBounded: hundreds of findings and expectations still
// give a summary under SummaryMarkdownMax, with "… N more" lines.
func TestSummaryMarkdownIsBounded(t *testing.T) {
	doc := sampleDoc()
	long := strings.Repeat("very long server detail ", 40)
	var es []Expectation
	for i := range 400 {
		word := strings.Map(func(r rune) rune { return 'a' + (r-'0')%26 }, fmt.Sprintf("%06d", i*7919))
		text := fmt.Sprintf("spec %s returns what it must", word)
		doc.Report.SpecReports = append(doc.Report.SpecReports, mkSpec("Bulk", text, spec.LevelMust, []string{"7644-3.7-01"},
			failed("cause "+word+" "+long)))
		es = append(es, Expectation{Spec: text + " never", Verdict: FAIL, Reason: long + word})
	}
	doc.Metadata.Expectations = es
	md := summaryMD(t, doc)
	if len(md) > SummaryMarkdownMax {
		t.Errorf("summary is %d bytes, want at most %d", len(md), SummaryMarkdownMax)
	}
	for _, want := range []string{"more findings: report.html lists every one.", "more entries: report.html lists every one.", "**Reports:**"} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	m := &mdBudget{limit: 100}
	m.rows([]string{strings.Repeat("x", 60), strings.Repeat("y", 60), "z"}, "rows")
	if got := m.b.String(); got != strings.Repeat("x", 60)+"\n\n… 2 more rows: report.html lists every one.\n" {
		t.Errorf("rows over budget: %q", got)
	}
}

func TestWriteSummaryMarkdownFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.md")
	doc := sampleDoc()
	if err := WriteSummaryMarkdownFile(path, doc, Evaluate(doc), Paths{}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte("### ❌ scimconform: NOT CONFORMANT")) || bytes.Contains(data, []byte("**Reports:**")) {
		t.Errorf("file: %v %q", err, data)
	}
	if err := WriteSummaryMarkdownFile(filepath.Join(path, "x.md"), doc, Evaluate(doc), Paths{}); err == nil {
		t.Error("want an error for a path under a file")
	}
}
