package reports

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/spec"
)

const esc = "\x1b["

func progressOutput(opts TerminalOptions, specs types.SpecReports) string {
	var buf bytes.Buffer
	p := NewProgress(&buf, opts)
	for _, sr := range specs {
		p.Spec(sr)
	}
	return buf.String()
}

func TestProgressPlain(t *testing.T) {
	out := progressOutput(TerminalOptions{}, sampleSpecs())
	if strings.Contains(out, esc) {
		t.Errorf("Color=false output has ANSI escapes:\n%s", out)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	want := []string{
		"PASS          [7644-4-02] Discovery ServiceProviderConfig returns 200 with its schema (12ms)",
		"FAIL          [7644-3.4.2.2-14] Filtering returns 400 invalidFilter for a malformed filter (12ms)",
		"              expected status 400 with scimType invalidFilter, got 200 " + xss,
		"WARN          [7644-3.10-01] Attributes accepts attribute names case-insensitively (12ms)",
		"              warning: server echoed the attribute name in a different case",
	}
	for _, w := range want {
		if !containsLine(lines, w) {
			t.Errorf("progress lacks line %q\n%s", w, out)
		}
	}
	if strings.Contains(out, "NOT SUPPORTED") || strings.Contains(out, "PATCH applies operations atomically") {
		t.Error("NOT SUPPORTED specs print only with -v (the summary groups them by reason)")
	}
	if !strings.Contains(out, "ERROR         [7644-3.4.2.4-03] Paging returns startIndex 1 by default") {
		t.Error("panicked spec must print as ERROR")
	}
	if strings.Contains(out, "publishes the core User schema") {
		t.Error("a spec skipped by the selection must print nothing")
	}
	if strings.Contains(out, "> GET") {
		t.Error("transcripts are for -v only")
	}
	if strings.Contains(out, "second line") || strings.Contains(out, "HTTP exchange(s)") {
		t.Error("a FAIL prints one short line while the run goes on; the summary has the details")
	}
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func TestProgressVerboseAndColor(t *testing.T) {
	out := progressOutput(TerminalOptions{Verbose: true, Color: true}, sampleSpecs())
	if !strings.Contains(out, esc) {
		t.Error("Color=true must colour the output whatever color.NoColor says")
	}
	for _, want := range []string{"> GET https://scim.example.test/v2/Users?filter=userName+eq", "X-Evil: " + xssHeader,
		"info: server sent detail", "NOT SUPPORTED", "unsupported: patch is off", "at suites/x.go:42"} {
		if !strings.Contains(out, want) {
			t.Errorf("verbose output lacks %q", want)
		}
	}
}

func TestProgressNeutralisesControlCharacters(t *testing.T) {
	sr := mkSpec("Hostile", "echoes a value", spec.LevelMust, []string{"7644-3.12-01"},
		failed("server said \x1b[2J\x1b]0;pwned\x07 and \r overwrote"))
	for _, color := range []bool{false, true} {
		out := progressOutput(TerminalOptions{Color: color}, types.SpecReports{sr})
		if strings.Contains(out, "\x1b[2J") || strings.Contains(out, "\x07") || strings.Contains(out, "\r") {
			t.Errorf("color=%v: server control characters reached the terminal: %q", color, out)
		}
		if !strings.Contains(out, `\x1b[2J`) {
			t.Errorf("color=%v: the escaped form should be visible: %q", color, out)
		}
	}
}

func TestProgressSuiteNode(t *testing.T) {
	ok := types.SpecReport{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed}
	bad := types.SpecReport{LeafNodeType: types.NodeTypeAfterSuite, LeafNodeText: "sweep", State: types.SpecStateFailed,
		Failure: types.Failure{Message: "sweep failed: 2 leaked"}}
	out := progressOutput(TerminalOptions{}, types.SpecReports{ok, bad})
	if strings.Contains(out, "BeforeSuite") || !strings.Contains(out, "ERROR         [AfterSuite] sweep") ||
		!strings.Contains(out, "sweep failed: 2 leaked") {
		t.Errorf("suite nodes: %q", out)
	}
}

func TestPrintSummary(t *testing.T) {
	doc := sampleDoc()
	paths := Paths{JUnit: "out/junit.xml", JSON: "out/report.json", HTML: "out/report.html", HAR: "out/exchanges.har"}
	var buf bytes.Buffer
	PrintSummary(&buf, doc, Evaluate(doc), paths, TerminalOptions{})
	out := buf.String()
	if strings.Contains(out, esc) {
		t.Errorf("Color=false summary has ANSI escapes:\n%s", out)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if last := lines[len(lines)-1]; last != "NOT CONFORMANT (1 FAIL, 2 ERROR)" {
		t.Errorf("last line = %q", last)
	}
	for _, want := range []string{
		// The spec the label filter left out is counted apart, not as SKIPPED.
		"Ran 9 specs against https://scim.example.test/v2?x=" + xss + " in 3.00s (seed 1234)",
		"1 more spec left out by the selection (not counted below)",
		"Specs      FAIL  ERROR   WARN   PASS  NOT SUPPORTED  all",
		"must          1      2      1      2              1  7",
		"should        0      0      2      0              0  2",
		"total         1      2      3      2              1  9",
		"NOT SUPPORTED (1) by reason (-v lists every spec):",
		"      1  patch is off (advertised)",
		"FAIL (1), ERROR (2): 3 failing specs from 3 findings",
		"  F1  FAIL  MUST 7644-3.4.2.2-14 RFC 7644 §3.4.2.2 (1 spec)",
		"        POST /Users → 400 Bad Request",
		"        fourth line",
		"        exchange: POST https://scim.example.test/v2/Users → 400 Bad Request",
		"        spec: Filtering returns 400 invalidFilter for a malformed filter",
		"WARN (3): 3 warning specs from 3 findings",
		"  W1  WARN  MUST 7644-3.10-01 RFC 7644 §3.10 (1 spec)",
		"        server echoed the attribute name in a different case",
		"Test data: 7 created, 1 deleted by the final sweep, 1 leaked",
		"  leaked: /Users/" + xss,
		"  HTML  out/report.html",
	} {
		if !containsLine(lines, want) {
			t.Errorf("summary lacks line %q\n%s", want, out)
		}
	}
	if strings.Contains(out, "stopped early") || strings.Contains(out, "SKIPPED") {
		t.Errorf("a complete run with nothing skipped says nothing about stopping or skipping:\n%s", out)
	}
	if strings.Index(out, "F1 ") > strings.Index(out, "F3 ") || strings.Index(out, "F3 ") > strings.Index(out, "W1 ") {
		t.Error("FAIL and ERROR findings come before WARN findings")
	}
}

func summaryOf(doc Document) string {
	var buf bytes.Buffer
	PrintSummary(&buf, doc, Evaluate(doc), Paths{}, TerminalOptions{})
	return buf.String()
}

func TestPrintSummaryLongMessageIsCut(t *testing.T) {
	doc := sampleDoc()
	doc.Report.SpecReports = types.SpecReports{mkSpec("Filtering", "returns 400", spec.LevelMust, []string{"7644-3.4.2.2-14"},
		failed("first line\n"+strings.Repeat("detail\n", 9)+"last line"))}
	out := summaryOf(doc)
	if !strings.Contains(out, "        first line\n") || strings.Contains(out, "last line") ||
		!strings.Contains(out, "        ... 4 more line(s) in report.html") {
		t.Errorf("an 11-line message shows its first line as the summary, 6 more and how many are left:\n%s", out)
	}
}

func TestPrintSummaryStoppedRun(t *testing.T) {
	doc := sampleDoc()
	doc.Report.SuiteConfig.LabelFilter = ""
	doc.Report.SpecialSuiteFailureReasons = []string{"Interrupted by User"}
	out := summaryOf(doc)
	if !strings.Contains(out, "Run stopped early: Interrupted by User; 1 selected spec did not run (SKIPPED)") {
		t.Errorf("an interrupted run must say so and count the specs that did not run:\n%s", out)
	}
	if strings.Contains(out, "left out by the selection") {
		t.Errorf("without a label filter no spec is left out by the selection:\n%s", out)
	}
	doc.Report.SpecialSuiteFailureReasons = []string{"Suite Timeout Elapsed"}
	doc.Report.SuiteConfig.Timeout = 2 * time.Second
	if out := summaryOf(doc); !strings.Contains(out, "the run exceeded its total timeout (--timeout 2s)") {
		t.Errorf("a timed-out run must name --timeout:\n%s", out)
	}
	doc.Report.SpecialSuiteFailureReasons = nil
	doc.Report.SuiteConfig.FailFast = true
	if out := summaryOf(doc); !strings.Contains(out, "--fail-fast stopped the run after the first failure; 1 selected spec did not run") {
		t.Errorf("a fail-fast run must say why specs did not run:\n%s", out)
	}
}

func TestPrintSummaryGroupsSkipReasonsAndKeptData(t *testing.T) {
	doc := sampleDoc()
	var specs types.SpecReports
	for i := range 40 {
		specs = append(specs, mkSpec("Bulk", fmt.Sprintf("does thing %d", i), spec.LevelMust, []string{"7644-3.7-01"},
			skipped(spec.SkipUnsupportedPrefix+"bulk is off (overridden)")))
	}
	specs = append(specs, mkSpec("Me", "answers 501", spec.LevelMust, []string{"7644-3.11-01"},
		skipped("not applicable: me is available")))
	doc.Report.SpecReports = specs
	doc.Metadata.Cleanup = Cleanup{Created: 8, Kept: true}
	doc.Metadata.Notes = nil
	for i := range 8 {
		doc.Metadata.Notes = append(doc.Metadata.Notes, fmt.Sprintf("%s/Users/%d (scimconform-0badc0de-u-%d)", KeptNotePrefix, i, i))
	}
	out := summaryOf(doc)
	for _, want := range []string{
		"NOT SUPPORTED (40) by reason (-v lists every spec):\n     40  bulk is off (overridden)\n",
		"SKIPPED (1) by reason (-v lists every spec):\n      1  not applicable: me is available\n",
		"kept on the target (--keep): every name starts with scimconform-0badc0de",
		"  kept: /Users/0 (scimconform-0badc0de-u-0)\n",
		"  ... 3 more kept resources listed in report.json and report.html\n",
		"  to delete what is left: scimconform cleanup --url https://scim.example.test/v2?x=" + xss + " --prefix scimconform-0badc0de\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "bulk is off") != 1 || strings.Contains(out, "/Users/5") || strings.Contains(out, "note: kept") {
		t.Errorf("skip reasons and kept resources must be compact:\n%s", out)
	}
}

func TestPrintSummaryVerdictLine(t *testing.T) {
	doc := sampleDoc()
	var keep types.SpecReports
	for _, sr := range doc.Report.SpecReports {
		if r := Result(sr); r.Verdict == PASS || r.Verdict == WARN {
			keep = append(keep, sr)
		}
	}
	doc.Report.SpecReports = keep
	for _, c := range []struct {
		strict bool
		want   string
	}{{false, "CONFORMANT"}, {true, "NOT CONFORMANT (3 WARN under --strict)"}} {
		doc.Metadata.Strict = c.strict
		var buf bytes.Buffer
		PrintSummary(&buf, doc, Evaluate(doc), Paths{}, TerminalOptions{Color: true})
		lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
		last := lines[len(lines)-1]
		if !strings.Contains(last, c.want) || (c.want == "CONFORMANT" && strings.Contains(last, "NOT")) {
			t.Errorf("strict=%v: last line %q, want %q", c.strict, last, c.want)
		}
		if !strings.Contains(last, esc) {
			t.Errorf("Color=true: verdict line is not coloured: %q", last)
		}
	}
}

func TestColorEnabled(t *testing.T) {
	if ColorEnabled(&bytes.Buffer{}) {
		t.Error("a bytes.Buffer is not a terminal")
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if ColorEnabled(f) {
		t.Error("a regular file is not a terminal")
	}
	t.Setenv("NO_COLOR", "1")
	for _, w := range []*os.File{os.Stdout, os.Stderr, f} {
		if ColorEnabled(w) {
			t.Errorf("NO_COLOR is set but ColorEnabled(%s) is true", w.Name())
		}
	}
	if ColorEnabled(nil) {
		t.Error("nil writer")
	}
}

func TestProgressAbbreviatesLongIDLists(t *testing.T) {
	ids := []string{"7643-5-02", "7643-5-03", "7643-5-04", "7643-5-05", "7643-5-06", "7643-5-07"}
	sr := mkSpec("Discovery", "conforms to the wire format", spec.LevelMust, ids)
	if out := progressOutput(TerminalOptions{}, types.SpecReports{sr}); !strings.HasPrefix(out, "PASS          [7643-5-02 7643-5-03 7643-5-04 +3] Discovery") {
		t.Errorf("six ids: %q", out)
	}
	if out := progressOutput(TerminalOptions{Verbose: true}, types.SpecReports{sr}); !strings.Contains(out, "[7643-5-02 7643-5-03 7643-5-04 7643-5-05 7643-5-06 7643-5-07]") {
		t.Errorf("-v names every id: %q", out)
	}
	sr = mkSpec("Discovery", "conforms", spec.LevelMust, ids[:4])
	if out := progressOutput(TerminalOptions{}, types.SpecReports{sr}); !strings.Contains(out, "[7643-5-02 7643-5-03 7643-5-04 7643-5-05]") {
		t.Errorf("four ids are not abbreviated: %q", out)
	}
}

func TestVerboseOutputHasNoBlankPaddedLines(t *testing.T) {
	out := progressOutput(TerminalOptions{Verbose: true}, sampleSpecs())
	for i, l := range strings.Split(out, "\n") {
		if l != "" && strings.TrimSpace(l) == "" {
			t.Errorf("line %d is only blanks: %q", i+1, l)
		}
	}
}

func TestPrintSummaryNamesTheRequirementTheMessageBlames(t *testing.T) {
	doc := sampleDoc()
	doc.Report.SpecReports = types.SpecReports{mkSpec("Create", "POST /Groups answers 201 with Location", spec.LevelMust,
		[]string{"7643-3.1-02", "7644-3.3-07", "7644-3.3-09"}, failed("7644-3.3-09 (RFC 7644 §3.3): no Location header"))}
	if out := summaryOf(doc); !strings.Contains(out, "  F1  FAIL  MUST 7644-3.3-09 RFC 7644 §3.3 (1 spec)\n") {
		t.Errorf("the summary should name the requirement the message blames:\n%s", out)
	}
	doc.Report.SpecReports = types.SpecReports{mkSpec("Create", "POST /Groups answers 201 with Location", spec.LevelMust,
		[]string{"7643-3.1-02", "7644-3.3-07"}, failed("expected 201, got 200"))}
	if out := summaryOf(doc); !strings.Contains(out, "  F1  FAIL  MUST 7643-3.1-02 7644-3.3-07 RFC 7643 §3.1, RFC 7644 §3.3 (1 spec)\n") {
		t.Errorf("a message naming no id blames every id of the spec:\n%s", out)
	}
}

func TestPrintSummaryGroupsTypedSkipReasonsByFirstLine(t *testing.T) {
	doc := sampleDoc()
	var specs types.SpecReports
	for i := range 3 {
		specs = append(specs, mkSpec("Filtering", fmt.Sprintf("query %d", i), spec.LevelMust, []string{"7644-3.4.2.2-04"},
			skipped(fmt.Sprintf("%sthe query data set lacks u03 (POST /Users answered 400)\nthe expected result of filter-%d involves u03", spec.SkipDataMissingPrefix, i))))
	}
	doc.Report.SpecReports = specs
	out := summaryOf(doc)
	if want := "SKIPPED (3) by reason (-v lists every spec):\n      3  data missing: the query data set lacks u03 (POST /Users answered 400)\n"; !strings.Contains(out, want) {
		t.Errorf("typed skip reasons must be grouped by their first line; want %q in:\n%s", want, out)
	}
}
