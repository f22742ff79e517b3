package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner"
)

func TestSecondInterruptExitsAtOnceWithTheCleanupCommand(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	ctx, cancel := context.WithCancel(context.Background())
	status := &runner.Status{}
	var stderr bytes.Buffer
	exited := make(chan int, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		onSignals(sigs, cancel, status, &stderr, func(code int) { exited <- code })
	}()
	sigs <- os.Interrupt
	<-ctx.Done() // the first interrupt cancels the run
	sigs <- os.Interrupt
	<-done
	if code := <-exited; code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	out := stderr.String()
	if !strings.Contains(out, "interrupt again to exit at once") || !strings.Contains(out, "exiting at once") {
		t.Errorf("stderr:\n%s", out)
	}
}

func TestLeftoverHintNamesPrefixAndTarget(t *testing.T) {
	var none *runner.Status
	if none.LeftoverHint() != "" || (&runner.Status{}).LeftoverHint() != "" {
		t.Error("no run started: no hint")
	}
}
