package selftest

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scimconform/scimconform/reports"
)

// Live is a harness run started by Start that the test can act on while it
// runs (signal it, signal its workers) before it waits for its end.
type Live struct {
	t    testing.TB
	cmd  *exec.Cmd
	args []string
	dir  string
	out  syncBuffer
	err  syncBuffer
	done chan struct{}
	werr error
}

// Start starts the binary like Run does (same environment, a temporary
// --out for `run`) and returns at once.
func Start(t testing.TB, env []string, args ...string) *Live {
	t.Helper()
	bin := Binary(t)
	l := &Live{t: t, done: make(chan struct{})}
	if len(args) > 0 && args[0] == "run" && !hasFlag(args, "out") {
		l.dir = t.TempDir()
		args = append(append([]string{}, args...), "--out", l.dir)
	} else {
		l.dir = flagValue(args, "out")
	}
	l.args = args
	l.cmd = exec.Command(bin, args...)
	l.cmd.Dir = t.TempDir()
	l.cmd.Env = append(append(cleanEnv(), "NO_COLOR=1"), env...)
	l.cmd.Stdout, l.cmd.Stderr = &l.out, &l.err
	if err := l.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	go func() {
		l.werr = l.cmd.Wait()
		close(l.done)
	}()
	t.Cleanup(func() {
		select {
		case <-l.done:
		default:
			_ = l.cmd.Process.Kill()
			<-l.done
		}
	})
	return l
}

// Pid is the process id of the run.
func (l *Live) Pid() int { return l.cmd.Process.Pid }

// Done is closed when the run has ended.
func (l *Live) Done() <-chan struct{} { return l.done }

// Stdout is what the run printed on stdout so far.
func (l *Live) Stdout() string { return l.out.String() }

// Wait waits for the run's end, at most limit: a run still going then is
// killed and the test fails (the run did not end on its own).
func (l *Live) Wait(limit time.Duration) Result {
	l.t.Helper()
	select {
	case <-l.done:
	case <-time.After(limit):
		_ = l.cmd.Process.Kill()
		<-l.done
		l.t.Fatalf("scimconform %s did not end within %s\nstdout:\n%s\nstderr:\n%s", strings.Join(l.args, " "), limit, l.out.String(), l.err.String())
	}
	res := Result{Dir: l.dir, Stdout: l.out.String(), Stderr: l.err.String()}
	var exit *exec.ExitError
	switch {
	case l.werr == nil:
	case errors.As(l.werr, &exit) && exit.ExitCode() >= 0:
		res.ExitCode = exit.ExitCode()
	default:
		l.t.Fatalf("scimconform %s: %v\nstderr:\n%s", strings.Join(l.args, " "), l.werr, res.Stderr)
	}
	if res.Dir != "" {
		if doc, err := reports.ReadJSON(filepath.Join(res.Dir, reports.FileJSON)); err == nil {
			res.Doc = &doc
		}
	}
	return res
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
