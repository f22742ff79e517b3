package suites

import (
	"reflect"
	"strings"
	"testing"
)

func TestLqKeyProblems(t *testing.T) {
	got := lqKeyProblems([]string{"u01", "u03", "u03", "u05", "u12", "other(x)"}, []string{"u01", "u02", "u03"}, []string{"u12"})
	want := []string{
		"returned more than once: u03",
		"returned but not expected: u05",
		"returned but not expected: other(x)",
		"expected but missing: u02",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lqKeyProblems = %q, want %q", got, want)
	}
	if p := lqKeyProblems([]string{"u02", "u01"}, []string{"u01", "u02"}, nil); len(p) != 0 {
		t.Errorf("an exact set in another order reported %q", p)
	}
}

func TestLqOrderProblem(t *testing.T) {
	if p := lqOrderProblem([]string{"a", "b"}, []string{"a", "b"}); p != "" {
		t.Errorf("equal orders reported %q", p)
	}
	for _, got := range [][]string{{"b", "a"}, {"a"}, {"a", "b", "c"}, nil} {
		if p := lqOrderProblem([]string{"a", "b"}, got); !strings.Contains(p, "expected the order [a, b]") {
			t.Errorf("order %v: problem %q does not show the expected order", got, p)
		}
	}
}

func TestLqReadMembers(t *testing.T) {
	doc := map[string]any{"totalResults": 12.0, "ItemsPerPage": 3.5, "startIndex": -1.0, "nextCursor": "abc", "previousCursor": 7.0}
	var total, items, start lqNumber
	if p := lqReadNumber(doc, "totalResults", &total); p != "" || total != (lqNumber{12, true}) {
		t.Errorf("totalResults: %q %+v", p, total)
	}
	if p := lqReadNumber(doc, "itemsPerPage", &items); p == "" || items.Present {
		t.Errorf("a fractional itemsPerPage (member name in another case) was accepted: %+v", items)
	}
	if p := lqReadNumber(doc, "startIndex", &start); p == "" {
		t.Errorf("a negative startIndex was accepted")
	}
	var next, prev lqCursor
	if p := lqReadCursor(doc, "nextCursor", &next); p != "" || next != (lqCursor{"abc", true}) {
		t.Errorf("nextCursor: %q %+v", p, next)
	}
	if p := lqReadCursor(doc, "previousCursor", &prev); p == "" {
		t.Errorf("a numeric previousCursor was accepted")
	}
	var absent lqNumber
	if p := lqReadNumber(doc, "count", &absent); p != "" || absent.Present {
		t.Errorf("an absent member: %q %+v", p, absent)
	}
}

func TestLqQuoteAndShow(t *testing.T) {
	if got, want := lqQuote(`a"b\c`), `"a\"b\\c"`; got != want {
		t.Errorf("lqQuote = %s, want %s", got, want)
	}
	q := lqQuery("count", "5", "filter", `userName sw "x"`)
	if got, want := lqShow("/Users", q), `/Users?count=5&filter=userName sw "x"`; got != want {
		t.Errorf("lqShow = %q, want %q", got, want)
	}
	if w := lqWith(q, "count", "7"); w.Get("count") != "7" || q.Get("count") != "5" {
		t.Errorf("lqWith changed the original or did not set the copy: %v %v", q, w)
	}
}

func TestSortHelpers(t *testing.T) {
	if got := sortRelative([]string{"u12", "u03", "u01", "other(x)", "u02"}, []string{"u01", "u02", "u03"}); !reflect.DeepEqual(got, []string{"u03", "u01", "u02"}) {
		t.Errorf("sortRelative = %v", got)
	}
	qs := &QuerySet{Batch: map[string]int{"u01": 1, "u02": 1, "u07": 2, "u08": 2}}
	if p := sortBatchProblems(qs, []string{"u02", "u01", "u08", "u07"}, false, "q"); len(p) != 0 {
		t.Errorf("batch order ascending reported %q", p)
	}
	if p := sortBatchProblems(qs, []string{"u02", "u07", "u01", "u08"}, false, "q"); len(p) != 1 {
		t.Errorf("a batch-1 key after a batch-2 key was not reported")
	}
	if p := sortBatchProblems(qs, []string{"u07", "u08", "u01", "u02"}, true, "q"); len(p) != 0 {
		t.Errorf("batch order descending reported %q", p)
	}
	stamp := func(s string) map[string]any { return map[string]any{"meta": map[string]any{"created": s}} }
	all := []map[string]any{stamp("2025-01-01T00:00:01Z"), stamp("2025-01-01T00:00:01.5Z"), stamp("garbage"), stamp("2025-01-01T00:00:00Z")}
	keys := []string{"a", "b", "c", "d"}
	if p := sortStampProblems(all, keys, "created", false, "q"); len(p) != 1 || !strings.Contains(p[0], "d (meta.created") {
		t.Errorf("a timestamp going backwards was not reported: %q", p)
	}
	if p := sortStampProblems(all[:2], keys, "created", false, "q"); len(p) != 0 {
		t.Errorf("ascending timestamps reported %q", p)
	}
	if p := sortStampProblems(all[:2], keys, "created", true, "q"); len(p) != 1 {
		t.Errorf("ascending timestamps passed a descending check")
	}
}
