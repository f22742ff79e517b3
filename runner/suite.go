package runner

import (
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/suites"
)

// suiteDescription names the one ginkgo suite.
const suiteDescription = "scimconform"

// treeBuilt guards the once-per-process rule of ginkgo: the spec tree is
// declared once and RunSpecs may run once. It is the runner's only
// package-level state and mirrors ginkgo's own global suite.
var treeBuilt atomic.Bool

// ginkgoOutputMu serialises the swap of ginkgo's output writer.
var ginkgoOutputMu sync.Mutex

// buildTree declares the spec tree for env. It fails when the tree was already
// declared in this process (runner.Run and runner.List each need a fresh
// process).
func buildTree(env *suites.Env) error {
	if !treeBuilt.CompareAndSwap(false, true) {
		return errOncePerProcess
	}
	suites.Build(env)
	return nil
}

// suiteConfig is the ginkgo configuration of a selection.
func suiteConfig(sel Selection, seed int64, failFast bool, timeout time.Duration) types.SuiteConfig {
	sc := types.NewDefaultSuiteConfig()
	sc.LabelFilter = sel.LabelFilter
	sc.FocusStrings = sel.Focus
	sc.RandomSeed = seed
	sc.FailFast = failFast
	sc.Timeout = timeout
	sc.GracePeriod = 10 * time.Second
	return sc
}

// SpecInfo is one spec of a preview: what `scimconform list` prints.
type SpecInfo struct {
	Text     string   `json:"text"`
	Reqs     []string `json:"reqs"`
	Sections []string `json:"sections"`
	Level    string   `json:"level"`
	Labels   []string `json:"labels"`
	// Location is where the spec is declared, relative to the module root
	// ("suites/filter.go:42").
	Location string `json:"location"`
	// Steps are the named steps of a scenario journey (none for a
	// single-requirement spec).
	Steps    []spec.Step `json:"steps,omitempty"`
	Selected bool        `json:"-"`
	// serial: the spec runs alone in a parallel run; claimKey names the
	// unit a worker claims (suites.ClaimKey).
	serial   bool
	claimKey string

	leaf string // the It text, without containers
}

// preview walks the tree without running anything and returns every spec
// with whether the selection keeps it.
func preview(sc types.SuiteConfig) []SpecInfo {
	sc.DryRun = true
	rep := withSilentGinkgo(func() types.Report {
		return ginkgo.PreviewSpecs(suiteDescription, sc, quietReporterConfig())
	})
	var out []SpecInfo
	for _, sr := range rep.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			continue
		}
		out = append(out, specInfo(sr))
	}
	return out
}

func specInfo(sr types.SpecReport) SpecInfo {
	labels := sr.Labels()
	info := spec.ParseLabels(labels)
	return SpecInfo{
		Text: sr.FullText(), Reqs: strs(info.Reqs), Sections: strs(info.Sections), Level: string(info.Level()),
		Labels: labels, Selected: !sr.State.Is(types.SpecStateSkipped | types.SpecStatePending),
		Location: spec.SourceLocation(sr.LeafNodeLocation.FileName, sr.LeafNodeLocation.LineNumber),
		serial:   sr.IsSerial, claimKey: suites.ClaimKey(sr),
		leaf: sr.LeafNodeText,
	}
}

// strs returns s, or an empty (non-nil) slice for JSON.
func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// errOncePerProcess is returned by a second Run or List in one process.
var errOncePerProcess = errors.New("the spec tree can be built once per process (ginkgo runs one suite per process); start a new process for another run")

// quietReporterConfig keeps ginkgo's own reporter as terse as it gets; its
// output is discarded anyway (withSilentGinkgo).
func quietReporterConfig() types.ReporterConfig {
	rc := types.NewDefaultReporterConfig()
	rc.NoColor = true
	rc.Succinct = true
	rc.SilenceSkips = true
	return rc
}

// runSuite runs the selected specs once and returns ginkgo's report. onSpec
// sees every finished spec (live progress).
func runSuite(sc types.SuiteConfig, onSpec func(types.SpecReport)) types.Report {
	var report types.Report
	var mu sync.Mutex
	ginkgo.ReportAfterEach(func(r types.SpecReport) {
		if onSpec != nil {
			onSpec(r)
		}
	})
	ginkgo.ReportAfterSuite("scimconform report", func(r types.Report) {
		mu.Lock()
		defer mu.Unlock()
		report = r
	})
	gomega.RegisterFailHandler(ginkgo.Fail)
	withSilentGinkgo(func() bool {
		return ginkgo.RunSpecs(&failRecorder{}, suiteDescription, sc, quietReporterConfig())
	})
	mu.Lock()
	defer mu.Unlock()
	return report
}

// withSilentGinkgo discards ginkgo's default reporter output while f runs: the
// terminal shows scimconform's progress and summary only.
func withSilentGinkgo[T any](f func() T) T {
	ginkgoOutputMu.Lock()
	defer ginkgoOutputMu.Unlock()
	saved := formatter.ColorableStdOut
	formatter.ColorableStdOut = io.Discard
	defer func() { formatter.ColorableStdOut = saved }()
	return f()
}

// failRecorder is the minimal GinkgoTestingT: the verdicts come from the
// report, so a failure only needs noting.
type failRecorder struct{ failed atomic.Bool }

// Fail implements ginkgo.GinkgoTestingT.
func (f *failRecorder) Fail() { f.failed.Store(true) }

// markStopped records a run that ended early (Ctrl-C, total timeout, ...) as
// a failed suite-level node when no spec carries the interruption itself: the
// run did not judge every selected spec, so no artifact may call it
// conformant. (A spec cut short is already an ERROR.)
func markStopped(r types.Report) types.Report {
	if len(r.SpecialSuiteFailureReasons) == 0 {
		return r
	}
	for _, sr := range r.SpecReports {
		if sr.State.Is(types.SpecStateInterrupted | types.SpecStateTimedout | types.SpecStateAborted) {
			return r
		}
	}
	stopped := types.SpecReport{
		LeafNodeType: types.NodeTypeAfterSuite, LeafNodeText: "run stopped early",
		State: types.SpecStateInterrupted, StartTime: r.EndTime, EndTime: r.EndTime, NumAttempts: 1,
		Failure: types.Failure{Message: strings.Join(r.SpecialSuiteFailureReasons, "; ") +
			": the run ended before every selected spec ran, so it cannot be judged conformant"},
	}
	r.SpecReports = append(append(types.SpecReports(nil), r.SpecReports...), stopped)
	return r
}
