package suites

import (
	"reflect"
	"testing"

	"github.com/scimconform/scimconform/fixtures/dataset"
)

func TestFilterHasTopLevelOr(t *testing.T) {
	for f, want := range map[string]bool{
		`title pr`:           false,
		`a eq 1 or b eq 2`:   true,
		`a eq 1 OR b eq 2`:   true,
		`(a eq 1 or b eq 2)`: false,
		`emails[type eq "home" or type eq "other"]`: false,
		`title eq "x or y"`:                         false,
		`title eq "a \" or b"`:                      false,
		`nickName pr and not(a eq 1 or b eq 2)`:     false,
		`title co "Engineer" or active eq false`:    true,
		`userName eq "orla" and orphan pr`:          false,
		`a pr and b pr or(c pr)`:                    true,
	} {
		if got := filterHasTopLevelOr(f); got != want {
			t.Errorf("filterHasTopLevelOr(%q) = %v, want %v", f, got, want)
		}
	}
}

func TestQuerySetScopeModes(t *testing.T) {
	q := &QuerySet{Prefix: "p", byID: map[string]string{"a": "u01"}}
	or := `a pr or b pr`
	for _, c := range []struct {
		mode                ScopeMode
		plain, withOr, none string
		exactOr             bool
	}{
		{ScopeGrouped, `(userName sw "p-") and (title pr)`, `(userName sw "p-") and (a pr or b pr)`, `userName sw "p-"`, true},
		{ScopeAnd, `userName sw "p-" and title pr`, or, `userName sw "p-"`, false},
		{ScopeAlone, `title pr`, or, `userName sw "p-"`, false},
		{ScopeNone, `title pr`, or, ``, false},
	} {
		q.Scope = &QueryScope{Mode: c.mode}
		if got := q.ScopedFor(dataset.ResourceUser, "title pr"); got != c.plain {
			t.Errorf("%v: ScopedFor(title pr) = %q, want %q", c.mode, got, c.plain)
		}
		if got := q.ScopedFor(dataset.ResourceUser, or); got != c.withOr {
			t.Errorf("%v: ScopedFor(or) = %q, want %q", c.mode, got, c.withOr)
		}
		if got := q.ScopedFor(dataset.ResourceUser, ""); got != c.none {
			t.Errorf("%v: ScopedFor(\"\") = %q, want %q", c.mode, got, c.none)
		}
		if got := q.Exact(dataset.ResourceUser, or); got != c.exactOr {
			t.Errorf("%v: Exact(or) = %v, want %v", c.mode, got, c.exactOr)
		}
	}
	own := q.Own([]map[string]any{{"id": "z"}, {"id": "a"}})
	if want := []map[string]any{{"id": "a"}}; !reflect.DeepEqual(own, want) {
		t.Errorf("Own = %v, want %v", own, want)
	}
}

func TestQuerySetMissingFor(t *testing.T) {
	q := &QuerySet{Missing: map[string]string{"u03": "POST /Users answered 400"}}
	for _, c := range []struct {
		q    dataset.Query
		want []string
	}{
		{dataset.Query{Kind: "filter", Filter: `title pr`, Want: []string{"u01", "u03"}}, []string{"u03"}},
		{dataset.Query{Kind: "filter", Filter: `title pr`, Want: []string{"u01"}}, nil},
		{dataset.Query{Kind: "filter", Filter: `id eq "{id:u03}"`}, []string{"u03"}},
		{dataset.Query{Kind: "filter", Resource: "Group", Filter: `members pr`, Want: []string{"g1"}}, []string{"u03"}},
		{dataset.Query{Kind: "sort", SortBy: "name.familyName", Want: []string{"u01", "u03"}}, nil},
	} {
		if got := q.MissingFor(c.q); !reflect.DeepEqual(got, c.want) {
			t.Errorf("MissingFor(%+v) = %v, want %v", c.q, got, c.want)
		}
	}
	if got, want := q.Present([]string{"u01", "u03", "u02"}), []string{"u01", "u02"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Present = %v, want %v", got, want)
	}
}
