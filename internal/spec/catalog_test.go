package spec_test

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/scimconform/scimconform/internal/spec"
)

// catalogSize is the number of requirements in shared/spec/requirements.tsv.
const catalogSize = 471

// maxSummaryLen is the longest summary the catalog allows, in characters.
const maxSummaryLen = 110

// maxSharedRun is the longest run of consecutive words a summary may share
// with the RFC sentence it summarises; 8 or more means it was copied.
const maxSharedRun = 7

// idFormat is the requirement id shape: RFC, section, two or three digits.
var idFormat = regexp.MustCompile(`^(7643|7644|9865)-[0-9A-Za-z]+(\.[0-9A-Za-z]+)*-[0-9]{2,3}$`)

func loadCatalog(t *testing.T) *spec.Catalog {
	t.Helper()
	c, err := spec.LoadCatalog()
	if err != nil {
		t.Fatalf("LoadCatalog: %v", err)
	}
	return c
}

func TestCatalogParsesWithAllRequirements(t *testing.T) {
	c := loadCatalog(t)
	all := c.All()
	if len(all) != catalogSize {
		t.Fatalf("catalog has %d requirements, want %d", len(all), catalogSize)
	}
	for _, r := range all {
		got, ok := c.Get(r.ID)
		if !ok || got != r {
			t.Errorf("Get(%q) = %+v, %v; want the row from All", r.ID, got, ok)
		}
	}
	if _, ok := c.Get("7644-99-01"); ok {
		t.Error("Get of an id not in the catalog reported ok")
	}
}

func TestCatalogIDsAreWellFormed(t *testing.T) {
	for _, r := range loadCatalog(t).All() {
		if !idFormat.MatchString(r.ID) {
			t.Errorf("%s: id does not match %s", r.ID, idFormat)
			continue
		}
		rfc, section, err := spec.ParseReqID(r.ID)
		if err != nil {
			t.Errorf("%s: ParseReqID: %v", r.ID, err)
			continue
		}
		if rfc != r.RFC || section != r.Section {
			t.Errorf("%s: ParseReqID gives rfc %q section %q, row says %q %q", r.ID, rfc, section, r.RFC, r.Section)
		}
	}
}

func TestCatalogSummaries(t *testing.T) {
	for _, r := range loadCatalog(t).All() {
		n := utf8.RuneCountInString(r.Summary)
		switch {
		case strings.TrimSpace(r.Summary) == "":
			t.Errorf("%s: empty summary", r.ID)
		case n > maxSummaryLen:
			t.Errorf("%s: summary is %d characters, limit %d", r.ID, n, maxSummaryLen)
		case r.Summary != strings.TrimSpace(r.Summary):
			t.Errorf("%s: summary has leading or trailing space", r.ID)
		case strings.ContainsAny(r.Summary, "\t\r\n\""):
			t.Errorf("%s: summary holds a tab, newline or double quote", r.ID)
		}
	}
}

// sourceRow is one row of shared/spec/requirements.tsv.
type sourceRow struct {
	spec.Requirement
	Text string
}

// findSource locates shared/spec/requirements.tsv beside the module root
// (the nearest ancestor of the working directory holding go.mod).
func findSource(t *testing.T) (string, bool) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
	p := filepath.Join(filepath.Dir(dir), "shared", "spec", "requirements.tsv")
	if _, err := os.Stat(p); err != nil {
		return p, false
	}
	return p, true
}

// loadSource reads requirements.tsv, or skips the test when it is absent.
func loadSource(t *testing.T) []sourceRow {
	t.Helper()
	path, ok := findSource(t)
	if !ok {
		t.Skipf("requirements source not found (looked for %q beside the module root); catalog not compared", path)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.Comma = '\t'
	records, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	col := map[string]int{}
	for i, name := range records[0] {
		col[name] = i
	}
	for _, name := range []string{"id", "rfc", "section", "level", "binds", "testable", "area", "text"} {
		if _, ok := col[name]; !ok {
			t.Fatalf("%s: no %q column", path, name)
		}
	}
	rows := make([]sourceRow, 0, len(records)-1)
	for _, rec := range records[1:] {
		rows = append(rows, sourceRow{Requirement: spec.Requirement{
			ID: rec[col["id"]], RFC: rec[col["rfc"]], Section: rec[col["section"]],
			Keyword: rec[col["level"]], Binds: rec[col["binds"]], Testable: rec[col["testable"]],
			Area: rec[col["area"]],
		}, Text: rec[col["text"]]})
	}
	return rows
}

func TestCatalogMatchesSource(t *testing.T) {
	src := loadSource(t)
	c := loadCatalog(t)
	if len(src) != len(c.All()) {
		t.Errorf("source has %d requirements, catalog %d", len(src), len(c.All()))
	}
	inSource := map[string]bool{}
	for _, s := range src {
		inSource[s.ID] = true
		got, ok := c.Get(s.ID)
		if !ok {
			t.Errorf("%s: in the source, missing from the catalog", s.ID)
			continue
		}
		got.Summary = ""
		if got != s.Requirement {
			t.Errorf("%s: catalog row %+v differs from source %+v", s.ID, got, s.Requirement)
		}
	}
	for _, r := range c.All() {
		if !inSource[r.ID] {
			t.Errorf("%s: in the catalog, not in the source", r.ID)
		}
	}
}

func TestCatalogSummariesAreOwnWords(t *testing.T) {
	src := loadSource(t)
	c := loadCatalog(t)
	for _, s := range src {
		r, ok := c.Get(s.ID)
		if !ok {
			continue // reported by TestCatalogMatchesSource
		}
		if run := sharedRun(r.Summary, s.Text); run > maxSharedRun {
			t.Errorf("%s: summary shares %d consecutive words with the RFC text: %q", s.ID, run, r.Summary)
		}
	}
}

// words lower-cases s and splits it into runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// sharedRun is the length of the longest run of consecutive words that a
// and b have in common (case-insensitive, punctuation ignored).
func sharedRun(a, b string) int {
	wa, wb := words(a), words(b)
	best := 0
	prev := make([]int, len(wb)+1)
	for i := 1; i <= len(wa); i++ {
		cur := make([]int, len(wb)+1)
		for j := 1; j <= len(wb); j++ {
			if wa[i-1] == wb[j-1] {
				cur[j] = prev[j-1] + 1
				best = max(best, cur[j])
			}
		}
		prev = cur
	}
	return best
}

func TestSharedRunDetectsCopying(t *testing.T) {
	rfc := `Service providers MUST return HTTP status code 409 (Conflict) with a "scimType" error code.`
	cases := []struct {
		summary string
		want    int
	}{
		{"Server returns 409 with scimType uniqueness when userName is taken", 1},
		{"service providers must return http status code 409, conflict!", 9},
		{"SERVICE-PROVIDERS must return HTTP status code", 7},
		{"", 0},
	}
	for _, tc := range cases {
		if got := sharedRun(tc.summary, rfc); got != tc.want {
			t.Errorf("sharedRun(%q) = %d, want %d", tc.summary, got, tc.want)
		}
	}
	if sharedRun(rfc, rfc) <= maxSharedRun {
		t.Error("a verbatim copy is not flagged")
	}
}

func TestParseCatalogRejectsBadInput(t *testing.T) {
	header := "id\trfc\tsection\tkeyword\tbinds\ttestable\tarea\tsummary\n"
	row := "7644-3.6-05\t7644\t3.6\tSHALL\tserver\tyes\tdelete\tDELETE answers 204\n"
	cases := map[string]string{
		"empty":          "",
		"duplicate id":   header + row + row,
		"missing field":  header + "7644-3.6-05\t7644\t3.6\tSHALL\tserver\tyes\tdelete\n",
		"too many field": header + strings.TrimSuffix(row, "\n") + "\textra\n",
	}
	for name, in := range cases {
		if _, err := spec.ParseCatalog(strings.NewReader(in)); err == nil {
			t.Errorf("%s: ParseCatalog accepted %q", name, in)
		}
	}
	c, err := spec.ParseCatalog(strings.NewReader(header + row))
	if err != nil {
		t.Fatalf("ParseCatalog of a valid row: %v", err)
	}
	if r, ok := c.Get("7644-3.6-05"); !ok || r.Summary != "DELETE answers 204" || r.Level() != spec.LevelMust {
		t.Errorf("parsed row = %+v, %v", r, ok)
	}
	var perr *csv.ParseError
	if _, err := spec.ParseCatalog(strings.NewReader(header + "a\tb\n")); !errors.As(err, &perr) {
		t.Errorf("a short row gives %v, want a wrapped *csv.ParseError", err)
	}
}
