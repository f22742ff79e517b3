package runner

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/suites"
)

// mergeReports builds the one report of a parallel run: the parent's walk of
// the tree (every spec, in the order of a serial run with the same seed)
// with each spec it left to a worker replaced by that worker's report. Every
// selected spec is run exactly once; a spec no process reported is
//   - not run (skipped without a message, as in a serial run) when the run
//     stopped early (--fail-fast, interrupt, timeout);
//   - ERROR when the worker that claimed it, or any worker, crashed;
//   - ERROR as an internal error otherwise.
func mergeReports(parent types.Report, co *coordinator, crashed map[int]string, interrupted bool) (types.Report, []string) {
	fromWorkers := co.specReports()
	stopped := interrupted || co.isStopped()
	used := 0
	judged := true // every spec left to the workers has a verdict
	specs := make(types.SpecReports, 0, len(parent.SpecReports))
	for _, sr := range parent.SpecReports {
		// A spec that does not run alone is always a worker's: the parent
		// only walks past it, and an interrupt or its timeout may stop that
		// walk before it gets there while the workers already ran it.
		if w, ok := fromWorkers[sr.FullText()]; ok && sr.LeafNodeType == types.NodeTypeIt && !sr.IsSerial {
			specs = append(specs, w)
			used++
			continue
		}
		if !leftElsewhere(sr) {
			specs = append(specs, sr)
			continue
		}
		sr = unreported(sr, co, crashed, stopped)
		judged = judged && sr.State != types.SpecStateAborted
		specs = append(specs, sr)
	}
	var notes []string
	if len(crashed) > 0 {
		notes = append(notes, crashNotes(crashed)...)
		if judged { // no spec says so: the run still must not pass
			specs = append(specs, crashReport(parent.EndTime, crashed))
		}
	}
	merged := parent
	merged.SpecReports = specs
	merged.SuiteSucceeded = specs.CountWithState(types.SpecStateFailureStates) == 0 && len(merged.SpecialSuiteFailureReasons) == 0
	if extra := len(fromWorkers) - used; extra > 0 {
		notes = append(notes, fmt.Sprintf("internal error: the workers reported %d specs the parallel run did not leave to them; they are not in the report", extra))
	}
	return merged, notes
}

// unreported is the report of a spec left to the workers that none reported.
func unreported(sr types.SpecReport, co *coordinator, crashed map[int]string, stopped bool) types.SpecReport {
	owner, claimed := co.owner(suites.ClaimKey(sr))
	var msg string
	switch {
	case claimed && crashed[owner] != "":
		msg = "the harness could not judge this spec: " + crashed[owner] + " while running it"
	case len(crashed) > 0 && !stopped:
		msg = "the harness could not judge this spec: no process ran it after " + strings.Join(sortedCrashes(crashed), "; ")
	case stopped:
		sr.Failure = types.Failure{} // not run, as a serial run reports it
		return sr
	default:
		msg = "internal error: no process of the parallel run ran this spec; run with --parallel 1 and report this"
	}
	sr.State = types.SpecStateAborted
	sr.Failure = types.Failure{Message: msg, FailureNodeType: types.NodeTypeIt}
	return sr
}

// crashNotes say in one line per crashed worker what happened to the run.
func crashNotes(crashed map[int]string) []string {
	var notes []string
	for _, why := range sortedCrashes(crashed) {
		notes = append(notes, "parallel run: "+why+"; the specs it had not finished are reported as ERROR, and the final sweep deletes what it left by the run prefix")
	}
	return notes
}

// crashReport is the suite-level ERROR of a run that lost a worker between
// two specs: every spec has a verdict, but the lost worker's transcript and
// test data accounting are incomplete, so the run cannot pass.
func crashReport(at time.Time, crashed map[int]string) types.SpecReport {
	return types.SpecReport{
		LeafNodeType: types.NodeTypeAfterSuite, LeafNodeText: "parallel run lost a worker",
		State: types.SpecStateAborted, StartTime: at, EndTime: at, NumAttempts: 1,
		Failure: types.Failure{Message: "the harness lost a worker process: " + strings.Join(sortedCrashes(crashed), "; ") +
			"; every spec has a verdict, but its exchanges and test data accounting are incomplete, so the run cannot be judged conformant"},
	}
}

func sortedCrashes(crashed map[int]string) []string {
	out := make([]string, 0, len(crashed))
	for _, why := range crashed {
		out = append(out, why)
	}
	sort.Strings(out)
	return out
}

// transcript returns the run-wide transcript for exchanges.har: the run
// process's exchanges (read back from spill, or kept by rec when there is no
// file) and every worker's, each passed through the --transcripts policy as
// it is read, so bodies the policy drops never fill memory. A parallel
// run's exchanges are put in the order they ended, as a serial run has
// them, and renumbered in doc. It also returns how many exchanges the
// budgets left out or summarised, and notes on unreadable files.
func (r *run) transcript(doc *reports.Document, rec *scim.Recorder, spill *spillFile, par *parallelOutcome) ([]scim.Exchange, int, int, []string) {
	shrink := reports.ExchangePolicy(*doc, r.cfg.Transcripts)
	dropped, summarised := rec.Dropped(), rec.Summarised()
	var all []scim.Exchange
	var notes, files []string
	if spill == nil {
		for _, x := range rec.All() {
			all = append(all, shrink(x))
		}
	} else {
		if err := spill.finish(); err != nil {
			notes = append(notes, fmt.Sprintf("exchanges.har: the run's transcript is incomplete: %s", oneLine(err.Error())))
		}
		files = append(files, spill.path())
	}
	if par != nil {
		files = append(files, par.spills...)
		for _, res := range par.results {
			dropped += res.Dropped
			summarised += res.Summarised
			if res.SpillError != "" {
				notes = append(notes, fmt.Sprintf("exchanges.har: worker %d could not write its transcript: %s", res.Worker, oneLine(res.SpillError)))
			}
		}
		notes = append(par.notes, notes...)
	}
	for _, path := range files {
		if err := readSpillFile(path, func(x scim.Exchange) { all = append(all, shrink(x)) }); err != nil {
			notes = append(notes, fmt.Sprintf("exchanges.har: a transcript is incomplete: %s", oneLine(err.Error())))
		}
	}
	if par != nil {
		// In the order they were recorded (as they ended), as a serial run has them.
		sort.SliceStable(all, func(i, j int) bool {
			return all[i].Started.Add(all[i].Duration).Before(all[j].Started.Add(all[j].Duration))
		})
		renumber(&doc.Report, all)
	}
	return all, dropped, summarised, notes
}

// readSpillFile reads a transcript file; a file that does not exist (a
// worker that never started writing) holds nothing.
func readSpillFile(path string, fn func(scim.Exchange)) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	return scim.ReadSpill(f, fn)
}

// renumber numbers the merged transcript 1, 2, ... in order, as a serial
// run numbers it, and gives every exchange a spec report holds the same
// number, so a number names one exchange in every artifact. (The processes
// number their exchanges in disjoint ranges, so the old numbers are unique.)
func renumber(report *types.Report, all []scim.Exchange) {
	seq := make(map[int]int, len(all))
	for i := range all {
		seq[all[i].Seq] = i + 1
		all[i].Seq = i + 1
	}
	for _, sr := range report.SpecReports {
		for _, e := range sr.ReportEntries {
			if xs, ok := e.Value.GetRawValue().(scim.Transcript); ok {
				for i := range xs {
					if n, ok := seq[xs[i].Seq]; ok {
						xs[i].Seq = n
					}
				}
			}
		}
	}
}
