package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/runner"
)

// Test data on a real target: --keep leaves it and lists it, cleanup and the
// final sweep remove only the run's own data, and Ctrl-C still sweeps.

// withPrefix counts the Users and Groups of the reference server at base
// whose name starts with prefix, and its Devices (the custom resource type)
// whose externalId does.
func withPrefix(t *testing.T, base, token, prefix string) int {
	t.Helper()
	n := 0
	for _, q := range []string{"/Users?filter=" + url.QueryEscape(`userName sw "`+prefix+`"`),
		"/Groups?filter=" + url.QueryEscape(`displayName sw "`+prefix+`"`),
		"/Devices?filter=" + url.QueryEscape(`externalId sw "`+prefix+`"`)} {
		req, _ := http.NewRequest(http.MethodGet, base+q, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var lr struct {
			TotalResults int `json:"totalResults"`
		}
		err = json.NewDecoder(resp.Body).Decode(&lr)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %v", q, resp.StatusCode, err)
		}
		n += lr.TotalResults
	}
	return n
}

func TestKeepLeavesTheDataAndListsIt(t *testing.T) {
	t.Parallel()
	base, token := selftest.Refserver(t)
	env := []string{"SCIMCONFORM_TOKEN=" + token}
	kept := selftest.Run(t, env, "run", "--url", base, "--section", "7644/3.3", "--keep")
	if kept.ExitCode != 0 || kept.Doc == nil {
		t.Fatalf("--keep run: exit %d\n%s", kept.ExitCode, kept.Stderr)
	}
	m := kept.Doc.Metadata
	var listedKept []string
	for _, n := range m.Notes {
		if rest, ok := strings.CutPrefix(n, "kept (--keep): "); ok {
			listedKept = append(listedKept, rest)
		}
	}
	left := withPrefix(t, base, token, m.Prefix)
	if !m.Cleanup.Kept || left == 0 || left != len(listedKept) || len(m.Cleanup.Swept) != 0 {
		t.Errorf("--keep: %d resources left on the target, %d listed as kept, %d swept", left, len(listedKept), len(m.Cleanup.Swept))
	}
	if !strings.Contains(kept.Stdout, "kept on the target (--keep): every name starts with "+m.Prefix) {
		t.Errorf("the summary must say what was kept:\n%s", kept.Stdout)
	}
	// A normal run sweeps its own data and never touches the kept data.
	swept := selftest.Run(t, env, "run", "--url", base, "--section", "7644/3.3")
	if swept.Doc == nil || swept.ExitCode != 0 {
		t.Fatalf("second run: exit %d\n%s", swept.ExitCode, swept.Stderr)
	}
	if n := withPrefix(t, base, token, swept.Doc.Metadata.Prefix); n != 0 {
		t.Errorf("%d resources of a normal run are left on the target", n)
	}
	if n := withPrefix(t, base, token, m.Prefix); n != left {
		t.Errorf("another run deleted data it did not create: %d of %d kept resources left", n, left)
	}
	// scimconform cleanup removes the kept data, and only with a run prefix.
	clean := selftest.Run(t, env, "cleanup", "--url", base, "--prefix", m.Prefix)
	if clean.ExitCode != 0 || !strings.Contains(clean.Stdout, fmt.Sprintf("%d resources with prefix %s deleted, 0 left", left, m.Prefix)) {
		t.Errorf("cleanup: exit %d\n%s\n%s", clean.ExitCode, clean.Stdout, clean.Stderr)
	}
	if n := withPrefix(t, base, token, m.Prefix); n != 0 {
		t.Errorf("%d kept resources are left after cleanup", n)
	}
	oneLine(t, selftest.Run(t, env, "cleanup", "--url", base, "--prefix", "scimconform-"), "is not a run prefix")
	oneLine(t, selftest.Run(t, env, "cleanup", "--prefix", m.Prefix), "cleanup needs --url")
}

func TestInterruptStillSweepsAndWritesReports(t *testing.T) {
	t.Parallel()
	base, token := selftest.Refserver(t)
	dir := t.TempDir()
	// Only specs that write, so the run has created data when it is
	// interrupted, whatever the random spec order.
	cmd := exec.Command(selftest.Binary(t), "run", "--url", base, "--out", dir, "--label-filter", "mutating")
	cmd.Dir = t.TempDir()
	cmd.Env = append(harnessFreeEnv(), "NO_COLOR=1", "SCIMCONFORM_TOKEN="+token)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killer := time.AfterFunc(2*time.Minute, func() { _ = cmd.Process.Kill() })
	defer killer.Stop()
	var out strings.Builder
	sc := bufio.NewScanner(stdout)
	passed := 0
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if strings.HasPrefix(sc.Text(), "PASS") {
			if passed++; passed == 20 {
				if err := cmd.Process.Signal(os.Interrupt); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	err = cmd.Wait()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != runner.ExitNotConformant {
		t.Errorf("an interrupted run exits 1 (its interrupted spec is an ERROR), got %v", err)
	}
	doc, err := reports.ReadJSON(filepath.Join(dir, reports.FileJSON))
	if err != nil {
		t.Fatalf("no report.json after Ctrl-C: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Run stopped early: Interrupted by User") {
		t.Errorf("the summary does not say the run was interrupted:\n%s", out.String())
	}
	for _, name := range []string{reports.FileJUnit, reports.FileHTML, reports.FileHAR} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s not written after Ctrl-C", name)
		}
	}
	if n := withPrefix(t, base, token, doc.Metadata.Prefix); n != 0 || doc.Metadata.Cleanup.Created == 0 {
		t.Errorf("after Ctrl-C %d of %d created resources are left on the target", n, doc.Metadata.Cleanup.Created)
	}
}

// harnessFreeEnv is the environment without SCIMCONFORM_* and NO_COLOR.
func harnessFreeEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SCIMCONFORM_") && !strings.HasPrefix(kv, "NO_COLOR=") {
			out = append(out, kv)
		}
	}
	return out
}
