package patch

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/refserver/filter/filtertest"
	"github.com/scimconform/scimconform/refserver/jsonv"
	"github.com/scimconform/scimconform/refserver/schema"
)

// randomOps builds n operations adding, removing (by value filter, by other
// filters, by value array, whole) and replacing values of the multi-valued
// attribute attr, mixed with operations on other attributes, over a small
// pool of values in varying case (including the Kelvin sign, which folds to
// k) so that duplicates, case-insensitive matches and empty lists occur.
func randomOps(r *rand.Rand, attr string, n int) []Operation {
	pool := []string{"a@x.org", "A@X.org", "b@x.org", "kk", "KK", "\u212ak", "c", "", "d@x.org"}
	types := []any{"work", "home", "other", nil}
	val := func() map[string]any {
		m := map[string]any{"value": pool[r.IntN(len(pool))]}
		if t := types[r.IntN(len(types))]; t != nil && attr != "members" {
			m["type"] = t
		}
		if attr != "members" && r.IntN(4) == 0 {
			m["primary"] = true
		}
		if r.IntN(8) == 0 {
			delete(m, "value")
			m["display"] = "d" + fmt.Sprint(r.IntN(3))
		}
		return m
	}
	ops := make([]Operation, n)
	for i := range ops {
		v := pool[r.IntN(len(pool))]
		switch r.IntN(12) {
		case 0, 1, 2, 3:
			vals := []any{val()}
			if r.IntN(3) == 0 {
				vals = append(vals, val())
			}
			ops[i] = Operation{Op: "add", Path: attr, Value: vals}
		case 4, 5:
			ops[i] = Operation{Op: "remove", Path: attr + `[value eq "` + v + `"]`}
		case 6:
			ops[i] = Operation{Op: "remove", Path: attr, Value: []any{map[string]any{"value": v}}}
		case 7:
			ops[i] = Operation{Op: "Remove", Path: attr + `[display eq "d1" or value sw "a"]`}
		case 8:
			ops[i] = Operation{Op: "replace", Path: attr + `[value eq "` + v + `"].display`, Value: "r"}
		case 9:
			ops[i] = Operation{Op: "replace", Path: "displayName", Value: v}
		case 10:
			ops[i] = Operation{Op: "add", Value: map[string]any{attr: []any{val()}}}
		default:
			if r.IntN(4) == 0 {
				ops[i] = Operation{Op: "remove", Path: attr}
			} else {
				ops[i] = Operation{Op: "add", Path: attr + `[value eq "` + v + `"].display`, Value: "f"}
			}
		}
	}
	return ops
}

// TestLiveListsMatchPlainLists applies random operation sequences with and
// without liveLists and requires the same documents and errors, under the
// fault switches that change how values are added and removed.
func TestLiveListsMatchPlainLists(t *testing.T) {
	faultSets := []fault.Set{{}, {faultAddDuplicates: true}, {faultPrimaryNotExcl: true},
		{faultRemoveRequired: true}, {faultNotAtomic: true}}
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 400 {
		group := round%2 == 1
		attr, doc, rs := "emails", filtertest.Barbara(), filtertest.User()
		if group {
			attr, doc, rs = "members", filtertest.Team(), filtertest.Group()
		}
		ops := randomOps(r, attr, 1+r.IntN(40))
		faults := faultSets[round%len(faultSets)]
		run := func(live bool) (map[string]any, map[string]any, error) {
			liveLists = live
			defer func() { liveLists = true }()
			in := jsonv.CopyMap(doc)
			out, err := Apply(in, ops, rs, faults)
			return in, out, err
		}
		inA, outA, errA := run(true)
		inB, outB, errB := run(false)
		if fmt.Sprint(errA) != fmt.Sprint(errB) || !reflect.DeepEqual(outA, outB) || !reflect.DeepEqual(inA, inB) {
			t.Fatalf("round %d, faults %v, ops %s:\nlive:  %v %s (input %s)\nplain: %v %s (input %s)",
				round, faults, js(ops), errA, js(outA), js(inA), errB, js(outB), js(inB))
		}
	}
}

// TestLiveListsManyOperations adds 28,000 members one operation at a time,
// re-adds them in another case... of a caseExact value (a new member each),
// then removes them all again by value filter, by value array and whole.
func TestLiveListsManyOperations(t *testing.T) {
	const n = 28000
	rs := filtertest.Group()
	doc := map[string]any{"schemas": []any{schema.URNGroup}, "displayName": "big"}
	ops := make([]Operation, 0, 3*n)
	for i := range n {
		ops = append(ops, Operation{Op: "add", Path: "members", Value: []any{map[string]any{"value": fmt.Sprintf("id-%d", i)}}})
	}
	for i := range n { // duplicates: no change
		ops = append(ops, Operation{Op: "add", Path: "members", Value: []any{map[string]any{"value": fmt.Sprintf("id-%d", i)}}})
	}
	out, err := Apply(doc, ops, rs, nil)
	if err != nil {
		t.Fatal(err)
	}
	members := jsonv.AsList(out["members"])
	if len(members) != n || jsonv.Lookup(members[n-1].(map[string]any), "value") != fmt.Sprintf("id-%d", n-1) {
		t.Fatalf("%d members, last %v", len(members), members[len(members)-1])
	}
	ops = ops[:0]
	for i := range n {
		if i%2 == 0 {
			ops = append(ops, Operation{Op: "remove", Path: fmt.Sprintf(`members[value eq "id-%d"]`, i)})
		} else if i < n-1 {
			ops = append(ops, Operation{Op: "remove", Path: "members", Value: []any{map[string]any{"value": fmt.Sprintf("id-%d", i)}}})
		}
	}
	out, err = Apply(out, ops, rs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonv.AsList(out["members"]); len(got) != 1 || jsonv.Lookup(got[0].(map[string]any), "value") != fmt.Sprintf("id-%d", n-1) {
		t.Fatalf("left %s", js(got))
	}
}

func TestFoldKeyAgreesWithEqualFold(t *testing.T) {
	for _, p := range [][2]string{{"kelvin", "\u212aELVIN"}, {"ſs", "SS"}, {"Straße", "STRAßE"}, {"ǅ", "ǆ"}, {"ab", "AB"}} {
		if foldKey(p[0]) != foldKey(p[1]) {
			t.Errorf("foldKey(%q) = %q, foldKey(%q) = %q", p[0], foldKey(p[0]), p[1], foldKey(p[1]))
		}
	}
	if foldKey("a") == foldKey("b") || foldKey("İ") == foldKey("i") {
		t.Error("foldKey merges values that are not EqualFold (harmless, but unexpected)")
	}
}
