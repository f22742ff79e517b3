package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/reports"
)

// writeRun writes report.json and report.html of a one-spec run into dir.
func writeRun(t *testing.T, dir, target string, pass bool) string {
	t.Helper()
	sr := types.SpecReport{
		ContainerHierarchyTexts: []string{"Create"}, LeafNodeType: types.NodeTypeIt,
		LeafNodeText: "answers 201", LeafNodeLabels: []string{"req:7644-3.3-07", "rfc7644:3.3", "level:must"},
		State: types.SpecStatePassed, RunTime: time.Millisecond,
	}
	if !pass {
		sr.State = types.SpecStateFailed
		sr.Failure = types.Failure{Message: "7644-3.3-07: got 200"}
	}
	doc := reports.Document{
		Metadata: reports.Metadata{Tool: "scimconform", Target: target},
		Report:   types.Report{SuiteDescription: "scimconform", SpecReports: types.SpecReports{sr}},
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, reports.FileJSON)
	if err := reports.WriteJSON(path, doc); err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteHTMLFile(filepath.Join(dir, reports.FileHTML), doc); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMatrixBadInputExits2WithOneLine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := writeRun(t, filepath.Join(dir, "a"), "https://a.test/v2", true)
	notReport := filepath.Join(dir, "other.json")
	if err := os.WriteFile(notReport, []byte(`{"hello": 1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no report", []string{"matrix"}, "want at least one report.json"},
		{"missing file", []string{"matrix", good, filepath.Join(dir, "nope.json")}, "does not exist"},
		{"not a report", []string{"matrix", notReport}, "not a scimconform report.json"},
		{"unknown --name file", []string{"matrix", good, "--name", filepath.Join(dir, "b.json") + "=B"}, "not one of the reports given"},
		{"--name without NAME", []string{"matrix", good, "--name", good}, "want FILE=NAME"},
		{"unwritable --html", []string{"matrix", good, "--html", filepath.Join(dir, "no", "such", "m.html")}, "m.html"},
		{"unwritable --md", []string{"matrix", good, "--md", filepath.Join(dir, "no", "such", "m.md")}, "m.md"},
		{"unknown flag", []string{"matrix", good, "--colour"}, "colour"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			oneLine(t, selftest.Run(t, nil, c.args...), c.want)
		})
	}
}

func TestMatrixOfTwoRunsWritesHTMLAndMarkdown(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := writeRun(t, filepath.Join(dir, "runs", "a"), "https://a.test/v2", true)
	writeRun(t, filepath.Join(dir, "runs", "b"), "https://b.test/v2", false)
	html, md := filepath.Join(dir, "out", "matrix.html"), filepath.Join(dir, "out", "matrix.md")
	if err := os.MkdirAll(filepath.Dir(html), 0o755); err != nil {
		t.Fatal(err)
	}
	// The second report is given as its run's --out directory.
	res := selftest.Run(t, nil, "matrix", a, filepath.Join(dir, "runs", "b"), "--html", html, "--md", md,
		"--name", filepath.Join(dir, "runs", "b")+"=Globex <b>")
	if res.ExitCode != 0 {
		t.Fatalf("exit %d, want 0\n%s\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	for _, want := range []string{"2 servers, 1 requirement", "CONFORMANT", "NOT CONFORMANT", "Globex <b>", "wrote " + html} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, res.Stdout)
		}
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `href="../runs/b/report.html#spec-`) || !strings.Contains(string(page), "Globex &lt;b&gt;") {
		t.Errorf("matrix.html lacks the relative link into b's report.html or the escaped name")
	}
	if data, err := os.ReadFile(md); err != nil || !strings.Contains(string(data), "[F](../runs/b/report.html#spec-") {
		t.Errorf("matrix.md: %v\n%s", err, data)
	}
	if res := selftest.Run(t, nil, "matrix", "--help"); res.ExitCode != 0 || !strings.Contains(res.Stdout, "--name FILE=NAME") {
		t.Errorf("matrix --help: exit %d\n%s", res.ExitCode, res.Stdout)
	}
}
