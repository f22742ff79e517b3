package runner

import "github.com/scimconform/scimconform/reports"

// Exit codes of every scimconform command.
const (
	// ExitConformant: the run passed (no new FAIL or ERROR), or a command
	// that judges nothing succeeded.
	ExitConformant = 0
	// ExitNotConformant: the run failed its gate, or `diff` found a regression.
	ExitNotConformant = 1
	// ExitUsage: bad flags or configuration, an unreachable or unusable
	// target, unreadable input, or the harness's own failure.
	ExitUsage = 2
)

// ExitCode is the exit code of an evaluated run.
func ExitCode(s reports.Summary) int {
	if s.Pass {
		return ExitConformant
	}
	return ExitNotConformant
}

// DiffExitCode is the exit code of `scimconform diff`: 1 when B regressed.
func DiffExitCode(d reports.DiffResult) int {
	if d.Regressed() {
		return ExitNotConformant
	}
	return ExitConformant
}
