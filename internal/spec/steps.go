package spec

import (
	"fmt"
	"strings"
)

// Report entries of a scenario journey (LabelScenario). A journey records its
// plan when it starts and one EntryStepDone per completed step; the reports
// derive every step's outcome from them and the spec's end (StepOutcomes).
const (
	// EntryJourney holds the journey's plan ([]Step).
	EntryJourney = "scimconform.journey"
	// EntryStepDone holds a StepDone: the step at Index completed.
	EntryStepDone = "scimconform.step"
)

// Step is one named step of a journey and the requirement it relies on.
// Also lists further requirements the step's requests rely on (a 201 to a
// create, an error body), whose violation can break the step too.
type Step struct {
	Name string   `json:"name"`
	Req  string   `json:"req"`
	Also []string `json:"also,omitempty"`
}

// StepDone is the value of an EntryStepDone report entry.
type StepDone struct {
	Index int `json:"index"`
}

// StepOutcome is what became of one step.
type StepOutcome string

// The step outcomes.
const (
	StepPassed StepOutcome = "passed"
	// StepFailed: the step's check failed (or the harness could not judge it).
	StepFailed StepOutcome = "failed"
	// StepStopped: the step ended the journey without a failure (an optional
	// feature or attribute the server lacks, data the server would not create).
	StepStopped StepOutcome = "stopped"
	// StepNotRun: an earlier step ended the journey.
	StepNotRun StepOutcome = "not run"
)

// JourneyEnd is how the journey's spec ended.
type JourneyEnd int

// The ends of a journey.
const (
	EndPassed JourneyEnd = iota
	EndFailed
	EndSkipped
)

// StepResult is one step of a finished journey.
type StepResult struct {
	Step
	N       int         `json:"n"` // 1-based position
	Outcome StepOutcome `json:"outcome"`
	// Reason says why a step failed, stopped or did not run.
	Reason string `json:"reason,omitempty"`
}

// StepOutcomes gives every step of plan its outcome: the steps in done
// passed; the first step not done is the one the journey ended on (failed
// or stopped, with message as reason, when the journey did not pass); the
// steps after it did not run, naming that step. A journey that passed with
// steps not done (none in practice) shows them as not run.
func StepOutcomes(plan []Step, done map[int]bool, end JourneyEnd, message string) []StepResult {
	out := make([]StepResult, len(plan))
	broken := -1
	for i, st := range plan {
		out[i] = StepResult{Step: st, N: i + 1, Outcome: StepPassed}
		if done[i] {
			continue
		}
		switch {
		case broken >= 0:
			out[i].Outcome = StepNotRun
			out[i].Reason = fmt.Sprintf("not run: step %d (%s) %s the journey", broken+1, plan[broken].Name, endVerb(end))
		case end == EndPassed:
			out[i].Outcome, out[i].Reason = StepNotRun, "not run"
		default:
			broken = i
			out[i].Outcome = StepFailed
			if end == EndSkipped {
				out[i].Outcome = StepStopped
			}
			out[i].Reason = firstLine(message)
		}
	}
	return out
}

// BrokenStep returns the step a journey ended on (failed or stopped).
func BrokenStep(steps []StepResult) (StepResult, bool) {
	for _, s := range steps {
		if s.Outcome == StepFailed || s.Outcome == StepStopped {
			return s, true
		}
	}
	return StepResult{}, false
}

// Title names a step for a message: step 3 of 7 "deletes the leaver" (7644-3.6-01).
func (s StepResult) Title(total int) string {
	return fmt.Sprintf("step %d of %d %q (%s)", s.N, total, s.Name, s.Req)
}

func endVerb(end JourneyEnd) string {
	if end == EndSkipped {
		return "stopped"
	}
	return "failed"
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
