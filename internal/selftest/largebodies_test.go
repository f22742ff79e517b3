package selftest_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scimconform/scimconform/internal/selftest"
)

// The harness against a server that answers every resource request with a
// huge body: its memory and its artifacts must stay bounded (issue 10).
//
//	go test -run '^$' -bench LargeBodies -benchtime 1x ./internal/selftest/
//
// reports the child's peak RSS, the artifacts' total size and the wall time
// of one default run per body kind. SCIMCONFORM_BENCH_BINARY=path measures
// another build of scimconform (e.g. an older commit) with the same fake.

// hugeBody is how many bytes the fake sends per resource answer.
const hugeBody = 1 << 30

// artifactLimit is what a default run may write, whatever the target answers.
const artifactLimit = 100 * 1000 * 1000

// bodyKind serves one resource answer of about n bytes, streamed.
type bodyKind struct {
	name  string
	serve func(w http.ResponseWriter, r *http.Request, n int)
}

var bodyKinds = []bodyKind{
	{"json-string-1GiB", func(w http.ResponseWriter, r *http.Request, n int) { serveHuge(w, r, n) }},
	{"garbage-endless", serveGarbage},
}

// serveGarbage answers bytes that are neither JSON nor UTF-8 (control
// characters, markup, invalid sequences) until the client stops reading.
func serveGarbage(w http.ResponseWriter, r *http.Request, _ int) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(10 * time.Second))
	w.Header().Set("Content-Type", scimMediaType)
	rng := rand.New(rand.NewPCG(1, 2))
	chunk := make([]byte, 64<<10)
	for i := range chunk {
		chunk[i] = byte(rng.UintN(256))
	}
	for r.Context().Err() == nil {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// hugeFake is a discovery fake advertising the optional features, whose
// resource endpoints (/Users, /Groups, .search, /Bulk, /Me) answer kind.
func hugeFake(t testing.TB, kind bodyKind) string {
	f := newDiscoveryFake(true)
	on := map[string]any{"supported": true}
	f.spc["patch"], f.spc["sort"], f.spc["etag"], f.spc["changePassword"] = on, on, on, on
	f.spc["filter"] = map[string]any{"supported": true, "maxResults": 200}
	f.spc["bulk"] = map[string]any{"supported": true, "maxOperations": 10, "maxPayloadSize": 1 << 20}
	f.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
		for _, p := range []string{"/Users", "/Groups", "/.search", "/Bulk", "/Me"} {
			if path == p || strings.HasPrefix(path, p+"/") {
				kind.serve(w, r, hugeBody)
				return true
			}
		}
		return false
	}
	return startFake(t, f)
}

// hugeRun is one default harness run against a huge-body fake.
type hugeRun struct {
	exit      int
	peakRSS   int64 // bytes
	artifacts int64 // bytes
	wall      time.Duration
	exchanges int // entries of exchanges.har
	out       string
}

func runHuge(t testing.TB, kind bodyKind) hugeRun {
	t.Helper()
	bin := os.Getenv("SCIMCONFORM_BENCH_BINARY")
	if bin == "" {
		bin = selftest.Binary(t)
	}
	base := hugeFake(t, kind)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), selftest.RunTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "run", "--url", base, "--out", dir)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"NO_COLOR=1", tokenEnvForRun}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SCIMCONFORM_") && !strings.HasPrefix(kv, "NO_COLOR=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	start := time.Now()
	out, err := cmd.CombinedOutput()
	res := hugeRun{wall: time.Since(start), out: string(out)}
	if ctx.Err() != nil {
		t.Fatalf("the run did not finish within %s:\n%s", selftest.RunTimeout, tail(res.out))
	}
	if cmd.ProcessState == nil {
		t.Fatalf("running %s: %v", bin, err)
	}
	res.exit = cmd.ProcessState.ExitCode()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.peakRSS = ru.Maxrss << 10 // KiB on Linux
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			res.artifacts += info.Size()
		}
	}
	if har, err := os.ReadFile(filepath.Join(dir, "exchanges.har")); err == nil {
		res.exchanges = bytes.Count(har, []byte(`"_seq":`))
	}
	if len(entries) < 4 {
		t.Fatalf("the run wrote %d artifacts in %s, want 4 (exit %d):\n%s", len(entries), filepath.Base(dir), res.exit, tail(res.out))
	}
	return res
}

func tail(s string) string {
	if len(s) > 4000 {
		return "..." + s[len(s)-4000:]
	}
	return s
}

func BenchmarkLargeBodies(b *testing.B) {
	for _, kind := range bodyKinds {
		b.Run(kind.name, func(b *testing.B) {
			var last hugeRun
			for b.Loop() {
				last = runHuge(b, kind)
			}
			b.ReportMetric(float64(last.peakRSS)/(1<<20), "peak-RSS-MiB")
			b.ReportMetric(float64(last.artifacts)/1e6, "artifacts-MB")
			b.ReportMetric(last.wall.Seconds(), "wall-s")
			b.ReportMetric(float64(last.exchanges), "exchanges")
			b.Logf("%s: exit %d, %d exchanges, peak RSS %.0f MiB, artifacts %.1f MB, %s", kind.name, last.exit,
				last.exchanges, float64(last.peakRSS)/(1<<20), float64(last.artifacts)/1e6, last.wall.Round(time.Second))
		})
	}
}

// TestLargeBodiesArtifactsStayBounded checks the artifact sizes only (peak
// memory is measured by BenchmarkLargeBodies, not asserted: it depends on the
// machine). The transcript budget makes the bound independent of timing.
func TestLargeBodiesArtifactsStayBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a full run against 1 GiB answers; skipped with -short")
	}
	t.Parallel()
	res := runHuge(t, bodyKinds[0])
	t.Logf("exit %d, peak RSS %d MiB, artifacts %.1f MB, %s", res.exit, res.peakRSS>>20, float64(res.artifacts)/1e6, res.wall.Round(time.Second))
	if res.artifacts >= artifactLimit {
		t.Errorf("the run wrote %.1f MB of artifacts, want under %d MB", float64(res.artifacts)/1e6, artifactLimit/1000/1000)
	}
	if !strings.Contains(res.out, "exceeded the --max-body-bytes limit") {
		t.Errorf("no spec message says the body exceeded the --max-body-bytes limit:\n%s", tail(res.out))
	}
}

// startFake serves f until tb ends and returns its base URL.
func startFake(tb testing.TB, f *discoveryFake) string {
	srv := httptest.NewServer(f)
	tb.Cleanup(srv.Close)
	return srv.URL + fakeBasePath
}
