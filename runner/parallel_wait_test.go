package runner

import (
	"errors"
	"strings"
	"testing"
)

func TestCrashReasonNamesTheWorkerItsEndAndLastLineWithoutSecrets(t *testing.T) {
	const secret = "s3cr3t-t0ken-value"
	r := &run{cfg: Config{Secrets: Secrets{Token: secret}}}
	p := &workerProc{n: 2, out: &tailBuffer{max: 64}, err: errors.New("exit status 2")}
	_, _ = p.out.Write([]byte("starting\npanic: the server echoed Bearer " + secret + "\n\n"))
	why := r.crashReason(p)
	for _, want := range []string{"worker 2 exited without reporting its result", "exit status 2", "panic: the server echoed Bearer"} {
		if !strings.Contains(why, want) {
			t.Errorf("reason %q lacks %q", why, want)
		}
	}
	if strings.Contains(why, secret) || strings.Contains(why, "\\n") {
		t.Errorf("reason %q: want one line without the secret", why)
	}
	p.killed = "worker 2 did not end within 30s after the run's timeout, so the run killed it" // what kill records
	if why := r.crashReason(p); !strings.HasPrefix(why, "worker 2 did not end within 30s") {
		t.Errorf("reason of a worker the run killed: %q", why)
	}
}
