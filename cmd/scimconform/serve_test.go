package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/refserver"
)

func TestServeAnnouncesURLAndAuth(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(selftest.Binary(t), "serve", "--addr", "127.0.0.1:0", "--token", "serve-test-token")
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve did not stop cleanly on SIGINT: %v", err)
			}
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Error("serve did not stop within 10s of SIGINT")
		}
	}()
	killer := time.AfterFunc(10*time.Second, func() { _ = cmd.Process.Kill() })
	base := readBaseURL(t, stdout)
	killer.Stop()
	go func() { _, _ = io.Copy(io.Discard, stdout); done <- cmd.Wait() }()

	req, _ := http.NewRequest(http.MethodGet, base+"/ServiceProviderConfig", nil)
	req.Header.Set("Authorization", "Bearer serve-test-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /ServiceProviderConfig with the token: %d", resp.StatusCode)
	}
	resp, err = http.Get(base + "/Users")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /Users without the token: %d, want 401", resp.StatusCode)
	}
}

// readBaseURL reads the banner up to the "base URL:" line.
func readBaseURL(t *testing.T, r io.Reader) string {
	t.Helper()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if _, after, ok := strings.Cut(sc.Text(), "base URL:"); ok {
			return strings.TrimSpace(after)
		}
	}
	t.Fatal("serve exited (or was killed after 10s) without printing its base URL")
	return ""
}

func TestServeListFaults(t *testing.T) {
	t.Parallel()
	res := selftest.Run(t, nil, "serve", "--list-faults")
	if res.ExitCode != 0 || !strings.HasPrefix(res.Stdout, "FAULT") {
		t.Fatalf("exit %d\n%s", res.ExitCode, res.Stdout)
	}
	for _, f := range refserver.AllFaults() {
		if !strings.Contains(res.Stdout, f.Name) || !strings.Contains(res.Stdout, f.Req) {
			t.Errorf("fault %s (%s) is not listed", f.Name, f.Req)
		}
	}
	bad := selftest.Run(t, nil, "serve", "--fault", "no-such-fault")
	oneLine(t, bad, "no-such-fault")
}

// TestServeMaxResources starts serve holding at most two resources (the
// /Me principal and one User): the second POST is answered 507 naming the
// flag. A limit below 1 is a usage error, and --help documents the flag.
func TestServeMaxResources(t *testing.T) {
	t.Parallel()
	base := startServe(t, "--no-auth", "--max-resources", "2")
	post := func(name string) (int, string) {
		body := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"` + name + `"}`
		resp, err := http.Post(base+"/Users", "application/scim+json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}
	if code, body := post("one"); code != http.StatusCreated {
		t.Fatalf("first POST: %d %s", code, body)
	}
	if code, body := post("two"); code != http.StatusInsufficientStorage || !strings.Contains(body, "--max-resources") {
		t.Fatalf("POST beyond --max-resources 2: %d %s, want 507 naming the flag", code, body)
	}

	bad := selftest.Run(t, nil, "serve", "--max-resources", "0")
	oneLine(t, bad, "--max-resources")
	help := selftest.Run(t, nil, "serve", "--help")
	if !strings.Contains(help.Stdout+help.Stderr, "--max-resources N") {
		t.Errorf("serve --help does not document --max-resources:\n%s%s", help.Stdout, help.Stderr)
	}
}

// TestServeThrottle starts serve answering every second request 429 with
// Retry-After; a negative value is a usage error, and --help documents it.
func TestServeThrottle(t *testing.T) {
	t.Parallel()
	base := startServe(t, "--no-auth", "--throttle", "2")
	var got []string
	for range 4 {
		resp, err := http.Get(base + "/ServiceProviderConfig")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		got = append(got, resp.Status[:3]+"/"+resp.Header.Get("Retry-After"))
	}
	if want := "200/ 429/1 200/ 429/1"; strings.Join(got, " ") != want {
		t.Errorf("answers %q, want %q", strings.Join(got, " "), want)
	}
	oneLine(t, selftest.Run(t, nil, "serve", "--throttle", "-1"), "--throttle")
	help := selftest.Run(t, nil, "serve", "--help")
	if !strings.Contains(help.Stdout, "--throttle N") {
		t.Errorf("serve --help does not document --throttle:\n%s", help.Stdout)
	}
}

// startServe starts `scimconform serve` on a free loopback port with args,
// returns its base URL, and stops it (SIGINT; killed after 30s) at t's
// cleanup.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(selftest.Binary(t), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killer := time.AfterFunc(30*time.Second, func() { _ = cmd.Process.Kill() })
	t.Cleanup(func() {
		killer.Stop()
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	base := readBaseURL(t, stdout)
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return base
}
