package selftest

import (
	"flag"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/reports"
)

// NotPassing describes, one line each, the specs of the run whose verdict is
// FAIL, WARN or ERROR.
func (r Result) NotPassing() []string {
	var out []string
	for _, sr := range reports.Evaluate(*r.Doc).Results {
		if Failing(sr.Verdict) {
			out = append(out, Describe(sr))
		}
	}
	return out
}

// CountVerdict counts the run's specs with verdict v.
func (r Result) CountVerdict(v reports.Verdict) int {
	return reports.Evaluate(*r.Doc).Totals[v]
}

// Failing reports whether v is a verdict a correct server never gets: FAIL,
// WARN or ERROR.
func Failing(v reports.Verdict) bool {
	return v == reports.FAIL || v == reports.WARN || v == reports.ERROR
}

// Describe renders a result in one line: verdict, requirement ids, spec and
// the first line of its message (or of its first warning).
func Describe(r reports.SpecResult) string {
	msg := r.Message
	if msg == "" && len(r.Warnings) > 0 {
		msg = r.Warnings[0]
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return "  " + string(r.Verdict) + " [" + strings.Join(r.Reqs, ",") + "] " + r.Name + ": " + msg
}

// Parallel is how many harness runs the parallel self-tests start at once
// when the user did not pass -parallel. A run spends most of its time
// waiting (loopback round trips, the suites' deliberate timestamp pauses), so
// more runs than cores keep the fault matrix short without starving the CPU.
const Parallel = "4"

// Main is the TestMain of the self-test packages: -parallel defaults to
// Parallel, then the tests run.
func Main(m *testing.M) int {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		if err := flag.Set("test.parallel", Parallel); err != nil {
			panic(err)
		}
	}
	return m.Run()
}
