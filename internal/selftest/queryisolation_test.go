package selftest_test

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/reports"
)

// Query isolation (issue 11, section 2): a verdict of the query suites
// depends on the operator it names, not on how the harness scopes its
// queries to the data set, and a data set the server accepts only in part
// is judged over what exists. Both tests run RFC 7644 §3.4.2 against the
// reference server behind a proxy with one quirk.

// verdictTally counts the verdicts of the selected specs and lists the
// specs of each verdict.
type verdictTally struct {
	counts map[reports.Verdict]int
	specs  map[reports.Verdict][]reports.SpecResult
}

func tally(res selftest.Result) verdictTally {
	v := verdictTally{counts: map[reports.Verdict]int{}, specs: map[reports.Verdict][]reports.SpecResult{}}
	for _, r := range reports.Evaluate(*res.Doc).Results {
		if r.Verdict == reports.SKIPPED && r.Message == "" {
			continue // left out by the selection
		}
		v.counts[r.Verdict]++
		v.specs[r.Verdict] = append(v.specs[r.Verdict], r)
	}
	return v
}

func (v verdictTally) String() string {
	var keys []string
	for k := range v.counts {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, v.counts[reports.Verdict(k)]))
	}
	return strings.Join(parts, " ")
}

// hasAnyReq reports whether r carries one of ids.
func hasAnyReq(r reports.SpecResult, ids ...string) bool {
	for _, id := range r.Reqs {
		for _, w := range ids {
			if id == w {
				return true
			}
		}
	}
	return false
}

// filterParam returns the filter query parameter of a request ("" when none).
func filterParam(r *http.Request) string { return r.URL.Query().Get("filter") }

// searchFilter returns the filter of a POST .search body ("" when none).
func searchFilter(r *http.Request) string {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/.search") || r.Body == nil {
		return ""
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	return string(body)
}

func writeInvalidFilter(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidFilter","detail":"parentheses are not supported"}`))
}

func TestServerRefusingGroupedFiltersIsOneFinding(t *testing.T) {
	tn := newTenant(t)
	tn.refuseFilters(true, func(f string) bool { return strings.Contains(f, "(") })
	res := tn.runAgainst("--section", "7644/3.4.2")
	v := tally(res)
	t.Logf("verdicts: %s", v)
	// Before issue 11 every query was (scope) and (X): 86 FAIL, 58 PASS.
	if v.counts[reports.ERROR] != 0 || v.counts[reports.WARN] != 0 {
		t.Errorf("want no ERROR and no WARN, got %s", v)
	}
	finding := 0
	for _, r := range v.specs[reports.FAIL] {
		switch {
		case hasAnyReq(r, "7644-3.4.2.2-08"):
			finding++ // the one finding: grouping parentheses refused
		case strings.Contains(r.Name, "not") || strings.Contains(r.Name, "parentheses"):
			// the filter under test holds parentheses itself: its own verdict
		default:
			t.Errorf("a spec failed for the scoping, not its own operator:\n%s", selftest.Describe(r))
		}
	}
	if finding != 1 {
		t.Errorf("want exactly one FAIL against 7644-3.4.2.2-08 (grouping), got %d; %s", finding, v)
	}
	if v.counts[reports.FAIL] > 8 || v.counts[reports.PASS] < 130 {
		t.Errorf("want the query suite judged on its operators (at most 8 FAIL, at least 130 PASS), got %s", v)
	}
}

// refusedUser ends the userName of the data-set user (u03) the proxy refuses.
const refusedUser = "-BOB.BROWN"

func TestServerRefusingOneDataSetUserSkipsOnlyTheSpecsNeedingIt(t *testing.T) {
	tn := newTenant(t)
	// The create never reaches the server (its path is bent to one that
	// does not exist) and the answer is a 400 invalidValue.
	refuseWith400(tn, func(r *http.Request, body []byte) bool {
		return isCreate(r) && strings.HasSuffix(r.URL.Path, "/Users") && strings.Contains(string(body), refusedUser+`"`)
	})
	res := tn.runAgainst("--section", "7644/3.4.2")
	v := tally(res)
	t.Logf("verdicts: %s", v)
	// Before issue 11 the whole data set failed: 132 ERROR, 14 PASS.
	for _, verdict := range []reports.Verdict{reports.FAIL, reports.ERROR, reports.WARN} {
		for _, r := range v.specs[verdict] {
			t.Errorf("want no %s:\n%s", verdict, selftest.Describe(r))
		}
	}
	for _, r := range v.specs[reports.SKIPPED] {
		if !strings.HasPrefix(r.Message, spec.SkipDataMissingPrefix) || !strings.Contains(r.Message, "u03") {
			t.Errorf("a SKIPPED spec does not name the missing data:\n%s", selftest.Describe(r))
		}
	}
	if n := v.counts[reports.SKIPPED]; n == 0 || n > 50 || v.counts[reports.PASS] < 90 {
		t.Errorf("want the specs needing u03 SKIPPED (1..50) and the rest judged (at least 90 PASS), got %s", v)
	}
	if !strings.Contains(res.Stdout, "data missing: the query data set cannot count on u03") {
		t.Errorf("the summary does not group the skipped specs by the missing data:\n%s", res.Stdout)
	}
	if n := tn.prefixed(res.Doc.Metadata.Prefix); n != 0 {
		t.Errorf("%d resources of the run left on the server", n)
	}
}

// TestServerLackingAndOrSwIsJudgedPerOperator covers the two other scoping
// modes: a server refusing every filter with "and" (the scope goes alone,
// filters bare) and one refusing "sw" (no scope at all). The specs of the
// refused operator fail, the "and" finding is reported once, the specs
// judging whole answers are SKIPPED (no query scope), and nothing else.
func TestServerLackingAndOrSwIsJudgedPerOperator(t *testing.T) {
	for _, c := range []struct {
		word              string
		maxFail, minPass  int
		andFinding, noSco bool
	}{
		{word: " and ", maxFail: 10, minPass: 120, andFinding: true},
		{word: " sw ", maxFail: 8, minPass: 100, noSco: true},
	} {
		t.Run(strings.TrimSpace(c.word), func(t *testing.T) {
			tn := newTenant(t)
			tn.refuseFilters(false, func(f string) bool { return strings.Contains(f, c.word) })
			res := tn.runAgainst("--section", "7644/3.4.2")
			v := tally(res)
			t.Logf("verdicts: %s", v)
			if v.counts[reports.ERROR] != 0 || v.counts[reports.WARN] != 0 || v.counts[reports.FAIL] > c.maxFail || v.counts[reports.PASS] < c.minPass {
				t.Errorf("want no ERROR or WARN, at most %d FAIL, at least %d PASS; got %s", c.maxFail, c.minPass, v)
			}
			andFindings := 0
			for _, r := range v.specs[reports.FAIL] {
				if hasAnyReq(r, "7644-3.4.2.2-07") {
					andFindings++
				}
				if hasAnyReq(r, "7644-3.4.2.2-08") {
					t.Errorf("grouping is accepted, yet:\n%s", selftest.Describe(r))
				}
			}
			if want := map[bool]int{true: 1}[c.andFinding]; andFindings != want {
				t.Errorf("want %d FAIL against 7644-3.4.2.2-07 (and), got %d", want, andFindings)
			}
			for _, r := range v.specs[reports.SKIPPED] {
				if !strings.HasPrefix(r.Message, spec.SkipNoScopePrefix) {
					t.Errorf("a SKIPPED spec without the no-scope reason:\n%s", selftest.Describe(r))
				}
			}
			// With the scope alone only the specs whose own filter must be
			// scoped exactly (a page cut out of a filtered result) skip.
			if n := v.counts[reports.SKIPPED]; (c.noSco && n == 0) || (!c.noSco && n > 5) {
				t.Errorf("no-scope skips: want many %v, got %s", c.noSco, v)
			}
		})
	}
}

// refuseFilters makes the tenant answer 400 invalidFilter to every query
// whose filter (of the URL, and with search also of a SearchRequest body)
// the predicate selects.
func (tn *tenant) refuseFilters(search bool, refused func(filter string) bool) {
	tn.misbehave = func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		f := filterParam(r)
		if f == "" && search {
			f = searchFilter(r)
		}
		if !refused(f) {
			return false
		}
		writeInvalidFilter(w)
		return true
	}
}
