//go:build unix

package runner

import (
	"os"
	"os/exec"
	"syscall"
)

// detach starts a worker in its own process group: a Ctrl-C at the terminal
// reaches the parent only, which forwards it once (workerProc.interrupt).
func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// interruptSelf sends this process the interrupt ginkgo handles: the running
// spec ends (its cleanup runs) and the rest are skipped.
func interruptSelf() error { return syscall.Kill(os.Getpid(), syscall.SIGINT) }
