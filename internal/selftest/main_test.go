package selftest_test

import (
	"flag"
	"os"
	"testing"
)

// selftestParallel is how many harness runs the parallel self-tests start at
// once when the user did not pass -parallel. A run spends most of its time
// waiting (loopback round trips, the suites' deliberate timestamp pauses), so
// more runs than cores keep the fault matrix short without starving the CPU.
const selftestParallel = "4"

func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		if err := flag.Set("test.parallel", selftestParallel); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
