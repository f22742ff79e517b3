//go:build !unix

package runner

import (
	"errors"
	"os/exec"
)

// detach leaves the worker in the parent's process group.
func detach(*exec.Cmd) {}

// interruptSelf is not available: the parent stops such a worker by killing
// it (its resources are found by the prefix sweep).
func interruptSelf() error {
	return errors.New("interrupting a worker is not supported on this platform")
}
