package patch

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scimconform/scimconform/refserver/jsonv"
	"github.com/scimconform/scimconform/refserver/schema"
)

// A liveList keeps the values of one multi-valued attribute while a request
// adds and removes values one operation at a time, so that each such
// operation costs what it touches instead of the length of the attribute:
// values are found through an index of their "value" (or, for simple
// attributes, of the value itself), appended in amortised constant time,
// and removed by leaving a hole (nil) that is compacted away once, when
// anything else reads or writes the attribute (engine.get, list, set,
// unset) or when the request ends (engine.flushAll).
//
// While a liveList exists the document holds its items, holes included, as
// the attribute's value once it changed. Holes are invisible to presence
// (jsonv.Present) and to settlePrimaries, the only readers that bypass the
// flushing accessors; the attribute never holds only holes (a removal that
// would leave no value goes through storeRemaining and drops the liveList).
type liveList struct {
	c     map[string]any    // the container holding the attribute
	attr  *schema.Attribute // the top-level multi-valued attribute
	items []any             // the values, nil for a removed one
	count int               // number of non-nil items
	dirty bool              // items differ from the document's value
	keyed map[string][]int  // index key -> ascending positions (holes pruned lazily)
	loose []int             // ascending positions of values without an index key
}

// liveLists enables liveLists; tests turn it off to compare with the plain
// list operations.
var liveLists = true

// indexable reports whether values of a (through its "value"
// sub-attribute when complex) can be indexed: string-like types, whose
// equality (caseExact or case-insensitive via strings.EqualFold, binary
// exact) implies equal foldKeys.
func indexable(a *schema.Attribute) bool {
	if a == nil {
		return false
	}
	switch a.Type {
	case schema.TypeString, schema.TypeReference, schema.TypeBinary:
		return true
	}
	return false
}

// indexKey is the index key of one value of attribute a, or ok false when
// the value cannot be indexed (it is then compared against every value).
func indexKey(a *schema.Attribute, v any) (string, bool) {
	if a.Type == schema.TypeComplex {
		m, ok := v.(map[string]any)
		if !ok || !indexable(a.Sub("value")) {
			return "", false
		}
		v = jsonv.Lookup(m, "value")
	} else if !indexable(a) {
		return "", false
	}
	s, ok := v.(string)
	if !ok || s == "" {
		return "", false
	}
	return foldKey(s), true
}

// foldKey maps every rune to the smallest rune of its simple case folding
// orbit, so that strings.EqualFold(x, y) implies foldKey(x) == foldKey(y).
func foldKey(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii { // the smallest rune of an ASCII letter's orbit is its upper case
		return strings.ToUpper(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}

// liveFor returns the liveList of the target's attribute, building it from
// the document when there is none. c is the target's existing container.
func (e *engine) liveFor(t target, c map[string]any) *liveList {
	for _, l := range e.lives {
		if l.attr == t.top && sameMap(l.c, c) {
			return l
		}
	}
	cur := jsonv.AsList(jsonv.Lookup(c, t.top.Name))
	l := &liveList{c: c, attr: t.top, items: make([]any, 0, len(cur)+1), keyed: map[string][]int{}}
	for _, v := range cur {
		l.push(v)
	}
	l.dirty = false
	e.lives = append(e.lives, l)
	return l
}

// push appends a value.
func (l *liveList) push(v any) {
	i := len(l.items)
	l.items = append(l.items, v)
	l.count++
	l.dirty = true
	if k, ok := indexKey(l.attr, v); ok {
		l.keyed[k] = append(l.keyed[k], i)
	} else {
		l.loose = append(l.loose, i)
	}
}

// drop removes the values at the given positions.
func (l *liveList) drop(pos []int) {
	for _, i := range pos {
		if l.items[i] != nil {
			l.items[i] = nil
			l.count--
			l.dirty = true
		}
	}
}

// publish makes the document hold the items.
func (l *liveList) publish() {
	if l.dirty {
		jsonv.SetKey(l.c, l.attr.Name, l.items)
	}
}

// compact returns the values without holes.
func (l *liveList) compact() []any {
	out := make([]any, 0, l.count)
	for _, v := range l.items {
		if v != nil {
			out = append(out, v)
		}
	}
	return out
}

// find returns the ascending positions of the values accepted by pred.
// With a key only the values indexed under it and the unindexed ones are
// candidates; first stops at the first match.
func (l *liveList) find(key string, keyed bool, first bool, pred func(any) bool) []int {
	var out []int
	if !keyed {
		for i, v := range l.items {
			if v != nil && pred(v) {
				out = append(out, i)
				if first {
					break
				}
			}
		}
		return out
	}
	bucket := l.prune(l.keyed[key])
	l.keyed[key] = bucket
	l.loose = l.prune(l.loose)
	a, b := bucket, l.loose
	for len(a) > 0 || len(b) > 0 {
		var i int
		if len(b) == 0 || (len(a) > 0 && a[0] < b[0]) {
			i, a = a[0], a[1:]
		} else {
			i, b = b[0], b[1:]
		}
		if pred(l.items[i]) {
			out = append(out, i)
			if first {
				break
			}
		}
	}
	return out
}

// prune drops the positions of removed values, in place.
func (l *liveList) prune(pos []int) []int {
	kept := pos[:0]
	for _, i := range pos {
		if l.items[i] != nil {
			kept = append(kept, i)
		}
	}
	return kept
}

// flushLive ends the liveList of the target's attribute, if any, leaving
// the document's value without holes.
func (e *engine) flushLive(t target) {
	if len(e.lives) == 0 {
		return
	}
	c := e.container(t.uri, false)
	for i, l := range e.lives {
		if l.attr == t.top && sameMap(l.c, c) {
			e.endLive(l)
			e.lives = append(e.lives[:i], e.lives[i+1:]...)
			return
		}
	}
}

// forgetLive drops the liveList of the target's attribute without writing
// it back: the caller replaces or removes the attribute.
func (e *engine) forgetLive(t target) {
	if len(e.lives) == 0 {
		return
	}
	c := e.container(t.uri, false)
	for i, l := range e.lives {
		if l.attr == t.top && sameMap(l.c, c) {
			e.lives = append(e.lives[:i], e.lives[i+1:]...)
			return
		}
	}
}

// flushAll ends every liveList.
func (e *engine) flushAll() {
	for _, l := range e.lives {
		e.endLive(l)
	}
	e.lives = e.lives[:0]
}

func (e *engine) endLive(l *liveList) {
	if !l.dirty {
		return
	}
	if l.count == len(l.items) {
		jsonv.SetKey(l.c, l.attr.Name, l.items)
		return
	}
	jsonv.SetKey(l.c, l.attr.Name, l.compact())
}

// liveCapable reports whether add and remove on the target may use a
// liveList: a multi-valued attribute that is not immutable (immutability
// compares the whole list) without a sub-attribute, in an existing
// container.
func (e *engine) liveCapable(t target) (map[string]any, bool) {
	if !liveLists || !t.top.MultiValued || t.sub != nil || t.top.Mutability == schema.Immutable {
		return nil, false
	}
	c := e.container(t.uri, false)
	return c, c != nil
}

// liveAppend is appendValues on a liveList.
func (e *engine) liveAppend(t target, c map[string]any, items []any) {
	l := e.liveFor(t, c)
	before, merged := l.count, false
	for _, it := range items {
		var found []int
		if !e.faults.Has(faultAddDuplicates) {
			k, keyed := indexKey(t.top, it) // a value without "value" is compared as a whole
			found = l.find(k, keyed, true, func(x any) bool { return sameValue(t.top, x, it) })
		}
		if len(found) == 0 {
			l.push(it)
			e.markPrimary(t, it)
			continue
		}
		if m, ok := l.items[found[0]].(map[string]any); ok {
			merged = mergeMutable(t.top, m, it.(map[string]any)) || merged
			e.markPrimary(t, m)
		}
	}
	if l.count > before || merged {
		l.dirty = true
		l.publish()
	}
}

// liveRemove removes the values at pos (in any order, possibly repeated) from
// the liveList; none left goes through storeRemaining.
func (e *engine) liveRemove(t target, l *liveList, pos []int) error {
	if len(pos) == 0 {
		return nil
	}
	slices.Sort(pos)
	n := 0
	for i, p := range pos {
		if i == 0 || p != pos[i-1] {
			n++
		}
	}
	if n >= l.count {
		e.flushLive(t)
		return e.storeRemaining(t, nil)
	}
	l.drop(pos)
	l.publish()
	return nil
}

// liveRemoveFiltered is removeFiltered (without a sub-attribute) on a
// liveList. A value filter that is a conjunction of eq comparisons naming
// "value" looks its candidates up in the index; any other filter is
// evaluated on every value.
func (e *engine) liveRemoveFiltered(t target, c map[string]any) error {
	l := e.liveFor(t, c)
	key, keyed := "", false
	if seeds, ok := t.filt.Equalities(); ok && indexable(t.top.Sub("value")) {
		if s, ok := jsonv.Lookup(seeds, "value").(string); ok && s != "" {
			key, keyed = foldKey(s), true
		}
	}
	pos := l.find(key, keyed, false, func(x any) bool {
		m, ok := x.(map[string]any)
		return ok && t.filt.MatchElement(m)
	})
	return e.liveRemove(t, l, pos)
}

// liveRemoveListed is removeListed on a liveList: each listed value looks
// its candidates up in the index when it gives a "value" (or is a simple
// value).
func (e *engine) liveRemoveListed(t target, c map[string]any, listed []any) error {
	l := e.liveFor(t, c)
	var pos []int
	for _, lv := range listed {
		k, keyed := indexKey(t.top, lv)
		pos = append(pos, l.find(k, keyed, false, func(x any) bool { return selects(t.top, lv, x) })...)
	}
	return e.liveRemove(t, l, pos)
}
