package selftest_test

import (
	"os/exec"
	"strings"
	"testing"
)

// modulePath is this module's import path.
const modulePath = "github.com/scimconform/scimconform/"

// layers ranks the module's packages: a package imports only packages of a
// lower rank (tests aside). The reference server is a world of its own that
// never imports the harness, and nothing imports the self-test helpers or
// the command.
var layers = []struct {
	rank     int
	prefixes []string
}{
	{0, []string{"internal/spec", "internal/scim", "fixtures"}},
	{1, []string{"internal/caps", "internal/ledger", "internal/matchers"}},
	{2, []string{"suites", "reports"}},
	{3, []string{"runner"}},
	{4, []string{"cmd/", "internal/selftest", "internal/tools/"}},
}

// rankOf returns the layer of a package path relative to the module; the
// reference server's packages are ranked apart (refserver: true).
func rankOf(pkg string) (rank int, refserver, ok bool) {
	if pkg == "refserver" || strings.HasPrefix(pkg, "refserver/") {
		return 0, true, true
	}
	best, rank := "", -1
	for _, l := range layers {
		for _, p := range l.prefixes {
			if (pkg == strings.TrimSuffix(p, "/") || strings.HasPrefix(pkg, strings.TrimSuffix(p, "/")+"/")) && len(p) > len(best) {
				best, rank = p, l.rank
			}
		}
	}
	return rank, false, rank >= 0
}

func TestImportsRunOneWay(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", modulePath+"...").Output()
	if err != nil {
		t.Skipf("go list is not available here: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		from := strings.TrimPrefix(fields[0], modulePath)
		fromRank, fromRef, ok := rankOf(from)
		if !ok {
			t.Errorf("package %s has no layer in layers_test.go; give it one", from)
			continue
		}
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, modulePath) {
				continue
			}
			to := strings.TrimPrefix(imp, modulePath)
			toRank, toRef, _ := rankOf(to)
			checked++
			switch {
			case fromRef && !toRef:
				t.Errorf("%s imports %s: the reference server never imports the harness", from, to)
			case toRef && !fromRef && fromRank < 3:
				t.Errorf("%s imports %s: only the runner and the command start the reference server", from, to)
			case !toRef && !fromRef && toRank >= fromRank:
				t.Errorf("%s (layer %d) imports %s (layer %d): imports run from higher layers to lower ones", from, fromRank, to, toRank)
			}
		}
	}
	if checked == 0 {
		t.Fatal("go list named no import inside the module")
	}
}
