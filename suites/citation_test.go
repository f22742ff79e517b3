package suites

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The interpretations lint: every reading the code cites exists in
// docs/interpretations.md, and nothing points at the retired input list any
// more. It reads files only, so it runs in -short.

// repoRoot is the repository root seen from this package's directory.
const repoRoot = ".."

var (
	// docAnchor is an explicit anchor of the document: <a id="i3"></a>.
	docAnchor = regexp.MustCompile(`<a id="([a-z0-9-]+)"></a>`)
	// docHeading is the heading of one reading: ### I3. Title
	docHeading = regexp.MustCompile(`^### I([0-9]+)\. \S`)
	// Citations in the repository's files.
	citeCall   = regexp.MustCompile(`\binterpretation\(([0-9]+)\)`)
	citeAnchor = regexp.MustCompile(`interpretations\.md#([a-z0-9-]+)`)
	citeID     = regexp.MustCompile(`\bI([0-9]{1,2})\b`)
)

// retiredList is the name of the team's former input list, which is not
// part of the repository; built in two pieces so this file does not cite it.
var retiredList = "ambiguities" + ".md"

// interpretationAnchors parses docs/interpretations.md: its anchors, and
// checks that each reading's heading follows its own anchor.
func interpretationAnchors(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, interpretationsDoc))
	if err != nil {
		t.Fatalf("read %s: %v", interpretationsDoc, err)
	}
	anchors := map[string]bool{}
	lines := strings.Split(string(b), "\n")
	for i, line := range lines {
		if m := docAnchor.FindStringSubmatch(line); m != nil {
			if anchors[m[1]] {
				t.Errorf("%s:%d: anchor %q is defined twice", interpretationsDoc, i+1, m[1])
			}
			anchors[m[1]] = true
		}
		if m := docHeading.FindStringSubmatch(line); m != nil {
			want := `<a id="i` + m[1] + `"></a>`
			if i == 0 || strings.TrimSpace(lines[i-1]) != want {
				t.Errorf("%s:%d: heading of I%s is not directly preceded by %s", interpretationsDoc, i+1, m[1], want)
			}
		}
	}
	if len(anchors) == 0 {
		t.Fatalf("%s defines no anchors", interpretationsDoc)
	}
	return anchors
}

// lintedFile reports whether the lint reads a file: source, data and
// documentation, not binaries.
func lintedFile(name string) bool {
	switch filepath.Ext(name) {
	case ".go", ".json", ".md", ".tsv", ".yaml", ".yml", ".txt", ".html", ".tmpl":
		return true
	}
	return false
}

func TestInterpretationCitationsExist(t *testing.T) {
	anchors := interpretationAnchors(t)
	cited := map[string][]string{} // anchor -> where
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != repoRoot && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !lintedFile(d.Name()) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(repoRoot, path)
		for i, line := range strings.Split(string(b), "\n") {
			where := rel + ":" + strconv.Itoa(i+1)
			if strings.Contains(line, retiredList) {
				t.Errorf("%s: cites %s, which is not in the repository; cite %s (interpretation(n) in messages)", where, retiredList, interpretationsDoc)
			}
			for _, m := range citeCall.FindAllStringSubmatch(line, -1) {
				cited["i"+m[1]] = append(cited["i"+m[1]], where)
			}
			for _, m := range citeAnchor.FindAllStringSubmatch(line, -1) {
				cited[m[1]] = append(cited[m[1]], where)
			}
			for _, m := range citeID.FindAllStringSubmatch(line, -1) {
				cited["i"+m[1]] = append(cited["i"+m[1]], where)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cited) == 0 {
		t.Fatal("no interpretation is cited anywhere: the lint reads the wrong directory")
	}
	ids := make([]string, 0, len(cited))
	for id := range cited {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if !anchors[id] {
			t.Errorf("%s#%s does not exist, but is cited at %s", interpretationsDoc, id, strings.Join(cited[id], ", "))
		}
	}
}

func TestInterpretationMessageForm(t *testing.T) {
	got := interpretation(3)
	if want := "interpretation I3, docs/interpretations.md#i3"; got != want {
		t.Errorf("interpretation(3) = %q, want %q", got, want)
	}
	if m := citeAnchor.FindStringSubmatch(got); m == nil || m[1] != "i3" {
		t.Errorf("interpretation(3) = %q: the lint cannot read its anchor", got)
	}
}
