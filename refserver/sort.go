package refserver

import (
	"sort"
	"strings"

	"github.com/scimconform/scimconform/refserver/schema"
)

// sortKey is the value a record is ordered by.
type sortKey struct {
	present bool
	num     float64
	str     string
	isNum   bool
}

// sortRecords orders recs in place by sortBy (RFC 7644 §3.4.2.3).
// Decisions:
//   - ascending unless sortOrder is "descending" (any case); an unknown
//     sortOrder value is taken as ascending (lenient);
//   - a multi-valued attribute sorts by its primary value, else its first;
//     a complex attribute named without sub-attribute sorts by its "value"
//     sub-attribute (docs/interpretations.md#i3);
//   - strings compare by Unicode code points, case-folded unless the
//     attribute is caseExact; numbers numerically; false before true;
//     dateTimes chronologically (the stored layout sorts as text);
//   - resources without a value come last ascending and first descending;
//   - ties keep creation order; an unknown sortBy orders nothing.
func (s *Server) sortRecords(recs []*record, sortBy, sortOrder string) {
	if sortBy == "" || s.faults.Has(FaultSortIgnored) {
		return
	}
	desc := strings.EqualFold(sortOrder, "descending")
	if sortOrder == "" && s.faults.Has(FaultSortDefaultDescending) {
		desc = true
	}
	keys := make(map[*record]sortKey, len(recs))
	for _, rec := range recs {
		keys[rec] = s.sortKeyOf(rec, sortBy)
	}
	sort.SliceStable(recs, func(i, j int) bool {
		a, b := keys[recs[i]], keys[recs[j]]
		if desc {
			return lessKey(b, a)
		}
		return lessKey(a, b)
	})
}

// lessKey orders keys ascending with missing values last.
func lessKey(a, b sortKey) bool {
	switch {
	case !a.present || !b.present:
		return a.present && !b.present
	case a.isNum && b.isNum:
		return a.num < b.num
	case a.isNum != b.isNum:
		return a.isNum
	}
	return a.str < b.str
}

// sortKeyOf extracts the sort key of rec for the path sortBy.
func (s *Server) sortKeyOf(rec *record, sortBy string) sortKey {
	rs := rec.rt.Schema
	uri, rest := rs.SplitURN(sortBy)
	name, sub, _ := strings.Cut(rest, ".")
	a, parent, ok := rs.Resolve(uri, name, sub)
	if !ok {
		return sortKey{}
	}
	container := rec.doc
	if ext := rs.Extension(uri); ext != nil {
		container, _ = rec.doc[ext.ID].(map[string]any)
	}
	top := a
	if parent != nil {
		top = parent
	}
	v := pickValue(container[top.Name])
	leaf := a
	if top.Type == schema.TypeComplex {
		if parent == nil {
			if leaf = top.Sub("value"); leaf == nil {
				return sortKey{}
			}
		}
		m, _ := v.(map[string]any)
		v = pickValue(m[leaf.Name])
	}
	return s.keyOf(leaf, v)
}

// pickValue returns the primary element of a list, else its first, or the
// value itself when it is not a list.
func pickValue(v any) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	for _, e := range list {
		if m, ok := e.(map[string]any); ok && m["primary"] == true {
			return e
		}
	}
	if len(list) == 0 {
		return nil
	}
	return list[0]
}

// keyOf builds the key of a simple value of attribute a.
func (s *Server) keyOf(a *schema.Attribute, v any) sortKey {
	switch t := v.(type) {
	case string:
		if !a.CaseExact && !s.faults.Has(FaultSortCaseSensitive) {
			t = strings.ToLower(t)
		}
		return sortKey{present: true, str: t}
	case float64:
		return sortKey{present: true, num: t, isNum: true}
	case bool:
		if t {
			return sortKey{present: true, num: 1, isNum: true}
		}
		return sortKey{present: true, isNum: true}
	}
	return sortKey{}
}
