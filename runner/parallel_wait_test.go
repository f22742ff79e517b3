package runner

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/scimconform/scimconform/internal/scim"
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

func TestActivityCountsSilenceOnlyWithNoCallInFlight(t *testing.T) {
	a := newActivity()
	t0 := time.Now()
	if got := a.silentFor(1, t0.Add(time.Hour)); got != 0 {
		t.Errorf("a worker never seen: silent %v, want 0", got)
	}
	a.seen(1, t0)
	if got := a.silentFor(1, t0.Add(time.Minute)); got != time.Minute {
		t.Errorf("silent %v, want 1m since its start", got)
	}
	end := a.begin(1)
	if got := a.silentFor(1, time.Now().Add(time.Hour)); got != 0 {
		t.Errorf("a worker waiting in a call is silent %v, want 0", got)
	}
	end()
	if got := a.silentFor(1, time.Now().Add(time.Minute)); got < time.Minute-time.Second || got > time.Minute+time.Second {
		t.Errorf("silent %v after its call ended a minute ago, want about 1m", got)
	}
}

func TestCoordinatorCallsMarkTheirWorkerActive(t *testing.T) {
	co := startCoordinator(t, false, scim.NewBudget(0, 0), nil)
	co.act.seen(2, time.Now().Add(-time.Hour))
	w := newRemoteCoordinator(co.url, co.secret, 2)
	_ = w.Claim(context.Background(), "a", false)
	if got := co.act.silentFor(2, time.Now()); got > time.Minute {
		t.Errorf("worker 2 called a moment ago but counts as silent for %v", got)
	}
}
