package refserver

import (
	"net/url"
	"reflect"
	"testing"
)

// seedSortUsers creates users whose names, titles and emails exercise the
// sort rules; all userNames start with "s-".
func seedSortUsers(h *harness) {
	h.createUser("s-Charlie", "title", "b", "emails", []any{
		map[string]any{"value": "z@x"}, map[string]any{"value": "c@x", "primary": true}},
		"name", map[string]any{"givenName": "Zed"},
		ent, map[string]any{"employeeNumber": "3"})
	h.createUser("s-alpha", "title", "a", "emails", []any{map[string]any{"value": "m@x"}},
		"name", map[string]any{"givenName": "amy"},
		ent, map[string]any{"employeeNumber": "1"})
	h.createUser("s-Bravo", "emails", []any{map[string]any{"value": "a@x"}},
		ent, map[string]any{"employeeNumber": "2"})
	h.createUser("s-delta", "title", "A")
}

func sorted(h *harness, sortBy, order string) []string {
	q := url.Values{"filter": {`userName sw "s-"`}, "sortBy": {sortBy}}
	if order != "" {
		q.Set("sortOrder", order)
	}
	return firstNames(h.do("GET", "/Users?"+q.Encode(), nil))
}

func TestSort(t *testing.T) {
	h := newHarness(t)
	seedSortUsers(h)
	cases := []struct {
		sortBy, order string
		want          []string
	}{
		{"userName", "", []string{"s-alpha", "s-Bravo", "s-Charlie", "s-delta"}},
		{"username", "DESCENDING", []string{"s-delta", "s-Charlie", "s-Bravo", "s-alpha"}},
		{"userName", "sideways", []string{"s-alpha", "s-Bravo", "s-Charlie", "s-delta"}},
		// case-insensitive title with ties in creation order, missing last
		{"title", "ascending", []string{"s-alpha", "s-delta", "s-Charlie", "s-Bravo"}},
		{"title", "descending", []string{"s-Bravo", "s-Charlie", "s-alpha", "s-delta"}},
		// multi-valued: primary value, else first
		{"emails.value", "", []string{"s-Bravo", "s-Charlie", "s-alpha", "s-delta"}},
		{"emails", "", []string{"s-Bravo", "s-Charlie", "s-alpha", "s-delta"}},
		{"name.givenName", "", []string{"s-alpha", "s-Charlie", "s-Bravo", "s-delta"}},
		{ent + ":employeeNumber", "", []string{"s-alpha", "s-Bravo", "s-Charlie", "s-delta"}},
		{"urn:ietf:params:scim:schemas:core:2.0:User:userName", "descending", []string{"s-delta", "s-Charlie", "s-Bravo", "s-alpha"}},
		// unknown attribute: creation order
		{"nosuch", "", []string{"s-Charlie", "s-alpha", "s-Bravo", "s-delta"}},
		{"meta.created", "", []string{"s-Charlie", "s-alpha", "s-Bravo", "s-delta"}},
	}
	for _, c := range cases {
		if got := sorted(h, c.sortBy, c.order); !reflect.DeepEqual(got, c.want) {
			t.Errorf("sortBy=%s sortOrder=%s: %v, want %v", c.sortBy, c.order, got, c.want)
		}
	}
}

func TestSortKeyTypes(t *testing.T) {
	s := &Server{}
	a := lessKey(s.keyOf(testSchema().Core.Attr("size"), 2.0), s.keyOf(testSchema().Core.Attr("size"), 10.0))
	b := lessKey(s.keyOf(testSchema().Core.Attr("flag"), false), s.keyOf(testSchema().Core.Attr("flag"), true))
	c := lessKey(sortKey{present: true, str: "x"}, sortKey{})
	d := lessKey(sortKey{}, sortKey{present: true})
	if !a || !b || !c || d {
		t.Fatalf("numeric %v, boolean %v, missing last %v/%v", a, b, c, d)
	}
}
