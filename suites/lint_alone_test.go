package suites

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// bareSerial matches ginkgo's Serial decorator used as an identifier.
var bareSerial = regexp.MustCompile(`(^|[^.\w])Serial\b`)

// stringOrComment matches a Go string literal or the comment ending a line.
var stringOrComment = regexp.MustCompile("\"(\\\\.|[^\"\\\\])*\"|`[^`]*`|//.*$")

// bareSerialLines returns the numbers of the lines of src that use ginkgo's
// Serial decorator directly (outside strings and comments).
func bareSerialLines(src string) []int {
	var out []int
	for i, line := range strings.Split(src, "\n") {
		if bareSerial.MatchString(stringOrComment.ReplaceAllString(line, "")) {
			out = append(out, i+1)
		}
	}
	return out
}

// TestSpecsThatRunAloneUseAlone keeps ginkgo's bare Serial out of the
// suites: Alone adds the priority that lets a parallel run's workers start
// as soon as the specs that run alone have run (registry.go).
func TestSpecsThatRunAloneUseAlone(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "registry.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range bareSerialLines(string(src)) {
			t.Errorf("%s:%d: use Alone, not ginkgo's Serial, for a spec that must run alone", f, n)
		}
	}
	for src, want := range map[string]int{
		`Context("over a limit", spec.Mutating, Serial, func() {`: 1,
		`Context("over a limit", spec.Mutating, Alone, func() {`:  0,
		`// Serial: these specs run alone`:                        0,
		`It("reports Serial numbers", func() {})`:                 0,
		`if sr.IsSerial {`: 0,
	} {
		if got := len(bareSerialLines(src)); got != want {
			t.Errorf("bareSerialLines(%q) found %d, want %d", src, got, want)
		}
	}
}
