package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/reports"
)

// Size bounds of a conformant run against the embedded server with the
// default --transcripts failures. With --transcripts all the same run
// writes about 27 MB (report.html 5.8 MB); the default writes about 7 MB.
const (
	leanHTMLMax  = 2 << 20  // report.html
	leanTotalMax = 27e6 / 3 // the four artifacts together: a third of --transcripts all
)

// TestDefaultTranscriptsKeepArtifactsLean runs the whole suite, so it is
// left out of -short.
func TestDefaultTranscriptsKeepArtifactsLean(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite against the embedded server")
	}
	t.Parallel()
	res := selftest.Run(t, nil, "run")
	if res.ExitCode != 0 {
		t.Fatalf("the embedded server is not conformant: exit %d\n%s", res.ExitCode, res.Stderr)
	}
	var total int64
	for _, name := range []string{reports.FileJUnit, reports.FileJSON, reports.FileHTML, reports.FileHAR} {
		fi, err := os.Stat(filepath.Join(res.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes", name, fi.Size())
		total += fi.Size()
		if name == reports.FileHTML && fi.Size() > leanHTMLMax {
			t.Errorf("report.html is %d bytes, want at most %d", fi.Size(), leanHTMLMax)
		}
	}
	if total > leanTotalMax {
		t.Errorf("the artifacts total %d bytes, want at most %d", total, int64(leanTotalMax))
	}
	page := readFile(t, filepath.Join(res.Dir, reports.FileHTML))
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:)?//`).FindString(page); m != "" {
		t.Errorf("report.html is not self-contained: %s", m)
	}
	if !strings.Contains(page, `<div class="xsum">`) {
		t.Error("report.html shows no exchange summary: passing specs' exchanges are kept in full")
	}
	if res.Doc == nil {
		t.Fatal("no report.json")
	}
	if got := res.Doc.Metadata.Config["transcripts"]; got != "failures" {
		t.Errorf("report.json records transcripts %v, want failures", got)
	}
}
