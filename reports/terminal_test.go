package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
		"              second line",
		"              2 HTTP exchange(s): rerun with -v or open report.html",
		"WARN          [7644-3.10-01] Attributes accepts attribute names case-insensitively (12ms)",
		"              warning: server echoed the attribute name in a different case",
	}
	for _, w := range want {
		if !containsLine(lines, w) {
			t.Errorf("progress lacks line %q\n%s", w, out)
		}
	}
	if !strings.Contains(out, "NOT SUPPORTED [7644-3.5.2-15] PATCH applies operations atomically") {
		t.Error("NOT SUPPORTED line missing")
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
		"info: server sent detail", "unsupported: patch is off", "at suites/x.go:42"} {
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
		"Specs      FAIL  ERROR   WARN   PASS  NOT SUPPORTED  SKIPPED  all",
		"must          1      2      1      2              1        1  8",
		"should        0      0      2      0              0        0  2",
		"total         1      2      3      2              1        1  10",
		"Ran 9 specs against https://scim.example.test/v2?x=" + xss + " in 3.00s (seed 1234)",
		"  FAIL  7644-3.4.2.2-14 RFC 7644 §3.4.2.2",
		"        Filtering returns 400 invalidFilter for a malformed filter",
		"        ... 1 more line(s) in report.html",
		"  WARN  7644-3.10-01 RFC 7644 §3.10",
		"        server echoed the attribute name in a different case",
		"  leaked: /Users/" + xss,
		"  HTML  out/report.html",
	} {
		if !containsLine(lines, want) {
			t.Errorf("summary lacks line %q\n%s", want, out)
		}
	}
	if !strings.Contains(out, "7 created, 1 swept by the final sweep, 1 leaked") {
		t.Error("cleanup line missing")
	}
	if strings.Index(out, "FAIL (1)") > strings.Index(out, "ERROR (2)") || strings.Index(out, "ERROR (2)") > strings.Index(out, "WARN (3)") {
		t.Error("problems must be listed FAIL, ERROR, WARN")
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
	}{{false, "CONFORMANT"}, {true, "NOT CONFORMANT (0 FAIL, 0 ERROR, 3 WARN under --strict)"}} {
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
