// Package selftest runs the scimconform binary the way a user does, for the
// project's own tests: it builds ./cmd/scimconform once per test process,
// runs it as a subprocess (RunSpecs runs once per process, so every harness
// run needs its own), and reads back the exit code, the terminal output and
// report.json. It also starts the reference server in-process as a target.
package selftest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/runner"
)

// RunTimeout bounds one harness run started by Run.
const RunTimeout = 5 * time.Minute

// build is the once-per-process build of the binary. Test helpers may keep
// this cache: it is written once, under sync.Once, and only read afterwards.
var build struct {
	once sync.Once
	path string
	out  []byte
	err  error
}

// Binary builds ./cmd/scimconform once per test process (into a temporary
// directory) and returns the path of the executable.
func Binary(t testing.TB) string {
	t.Helper()
	build.once.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			build.err = err
			return
		}
		dir := filepath.Join(os.TempDir(), "scimconform-selftest")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			build.err = err
			return
		}
		removeStale(dir)
		f, err := os.CreateTemp(dir, "scimconform-*.exe")
		if err != nil {
			build.err = err
			return
		}
		build.path = f.Name()
		_ = f.Close()
		cmd := exec.Command("go", "build", "-o", build.path, "./cmd/scimconform")
		cmd.Dir = root
		build.out, build.err = cmd.CombinedOutput()
	})
	if build.err != nil {
		t.Fatalf("building scimconform: %v\n%s", build.err, build.out)
	}
	return build.path
}

// removeStale deletes binaries of earlier test processes (older than an
// hour), so the builds do not pile up in the temporary directory.
func removeStale(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// moduleRoot is the directory of go.mod, found from this source file.
func moduleRoot() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("selftest: cannot locate the module source")
	}
	dir := filepath.Dir(file)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("selftest: go.mod not found above " + filepath.Dir(file))
		}
		dir = parent
	}
}

// Result is one harness run.
type Result struct {
	ExitCode       int
	Stdout, Stderr string
	// Dir is the --out directory.
	Dir string
	// Doc is report.json, nil when the run wrote none.
	Doc *reports.Document
}

// Run runs the binary with args and extra environment (KEY=VALUE). A `run`
// gets --out <temp dir> unless args name one. The child gets a clean
// environment: no SCIMCONFORM_* variable of the parent but
// SCIMCONFORM_PARALLEL (see cleanEnv), NO_COLOR=1, and a
// temporary working directory (so no ./scimconform.yaml is picked up).
func Run(t testing.TB, env []string, args ...string) Result {
	t.Helper()
	bin := Binary(t)
	res := Result{}
	if len(args) > 0 && args[0] == "run" && !hasFlag(args, "out") {
		res.Dir = t.TempDir()
		args = append(append([]string{}, args...), "--out", res.Dir)
	} else {
		res.Dir = flagValue(args, "out")
	}
	ctx, cancel := context.WithTimeout(context.Background(), RunTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = t.TempDir()
	cmd.Env = append(cleanEnv(), "NO_COLOR=1")
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res.Stdout, res.Stderr = stdout.String(), stderr.String()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		res.ExitCode = exit.ExitCode()
	default:
		t.Fatalf("running %s %s: %v\nstderr:\n%s", bin, strings.Join(args, " "), err, res.Stderr)
	}
	if ctx.Err() != nil {
		t.Fatalf("scimconform %s did not finish within %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), RunTimeout, res.Stdout, res.Stderr)
	}
	if res.Dir != "" {
		if doc, err := reports.ReadJSON(filepath.Join(res.Dir, reports.FileJSON)); err == nil {
			res.Doc = &doc
		}
	}
	return res
}

// DefaultParallel is the worker count of the harness runs of the self-tests
// when the environment sets none: serial, so that a failing self-test
// points at the suites rather than the parallel runner. The fault matrix
// (internal/selftest/faultmatrix) runs with the run's default of 8 workers,
// as users run it, and parallel_test.go holds both runners to the same
// verdicts.
const DefaultParallel = "1"

// cleanEnv is the parent environment without SCIMCONFORM_* and NO_COLOR,
// except SCIMCONFORM_PARALLEL (DefaultParallel when unset).
func cleanEnv() []string {
	out := []string{"SCIMCONFORM_PARALLEL=" + DefaultParallel}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "SCIMCONFORM_PARALLEL=") {
			out[0] = kv
			continue
		}
		if strings.HasPrefix(kv, "SCIMCONFORM_") || strings.HasPrefix(kv, "NO_COLOR=") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == "-"+name || a == "--"+name || strings.HasPrefix(a, "-"+name+"=") || strings.HasPrefix(a, "--"+name+"=") {
			return true
		}
	}
	return false
}

func flagValue(args []string, name string) string {
	for i, a := range args {
		for _, p := range []string{"-" + name, "--" + name} {
			if a == p && i+1 < len(args) {
				return args[i+1]
			}
			if strings.HasPrefix(a, p+"=") {
				return strings.TrimPrefix(a, p+"=")
			}
		}
	}
	return ""
}

// Verdicts maps each spec's full text to its verdict.
func (r Result) Verdicts() map[string]reports.Verdict {
	out := map[string]reports.Verdict{}
	if r.Doc == nil {
		return out
	}
	for _, res := range reports.Evaluate(*r.Doc).Results {
		out[res.Name] = res.Verdict
	}
	return out
}

// FailedReqs returns the sorted, distinct requirement ids of every spec whose
// verdict is FAIL, WARN or ERROR.
func (r Result) FailedReqs() []string {
	if r.Doc == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, res := range reports.Evaluate(*r.Doc).Results {
		if res.Verdict != reports.FAIL && res.Verdict != reports.WARN && res.Verdict != reports.ERROR {
			continue
		}
		for _, id := range res.Reqs {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Refserver starts the reference server in-process on a free loopback port
// with the given faults and a random bearer token. It stops at t's cleanup.
func Refserver(t testing.TB, faults ...string) (baseURL, token string) {
	t.Helper()
	return refserverWith(t, nil, faults)
}

// TenantName is the second tenant RefserverWithTenant starts.
const TenantName = "b"

// RefserverWithTenant starts the reference server like Refserver, with a
// second tenant, and returns what a run needs to use both credentials:
// the environment (the main and the tenant token) and the arguments (a
// config file naming the tenant).
func RefserverWithTenant(t testing.TB, faults ...string) (baseURL string, env, args []string) {
	t.Helper()
	tenantToken := runner.RandomToken()
	baseURL, token := refserverWith(t, []refserver.Tenant{{Name: TenantName, Token: tenantToken}}, faults)
	cfg := filepath.Join(t.TempDir(), "tenants.yaml")
	if err := os.WriteFile(cfg, []byte("tenants:\n  - name: "+TenantName+"\n"), 0o600); err != nil {
		t.Fatalf("selftest.RefserverWithTenant: %v", err)
	}
	env = []string{"SCIMCONFORM_TOKEN=" + token, "SCIMCONFORM_TENANT_B_TOKEN=" + tenantToken}
	return baseURL, env, []string{"--config", cfg}
}

func refserverWith(t testing.TB, tenants []refserver.Tenant, faults []string) (baseURL, token string) {
	t.Helper()
	set, err := fault.NewSet(refserver.AllFaults(), faults...)
	if err != nil {
		t.Fatalf("selftest.Refserver: %v", err)
	}
	return RefserverWith(t, refserver.Options{Faults: set, Tenants: tenants})
}

// RefserverWith starts the reference server in-process like Refserver, with
// opts (its Token replaced by a random bearer token).
func RefserverWith(t testing.TB, opts refserver.Options) (baseURL, token string) {
	t.Helper()
	token = runner.RandomToken()
	opts.Token = token
	srv, err := refserver.Listen("127.0.0.1:0", opts)
	if err != nil {
		t.Fatalf("selftest.Refserver: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Close(ctx); err != nil {
			t.Errorf("stopping the reference server: %v", err)
		}
	})
	return srv.URL, token
}
