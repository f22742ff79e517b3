package jsonv

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestLookupIsCaseInsensitive(t *testing.T) {
	m := map[string]any{"userName": "bjensen"}
	if got := Lookup(m, "USERNAME"); got != "bjensen" {
		t.Fatalf("Lookup(USERNAME) = %v", got)
	}
	if k, _, ok := FindKey(m, "username"); !ok || k != "userName" {
		t.Fatalf("FindKey = %q %v, want the stored spelling", k, ok)
	}
	SetKey(m, "USERNAME", "x")
	if len(m) != 1 || m["USERNAME"] != "x" {
		t.Fatalf("SetKey left %v", m)
	}
	DelKey(m, "username")
	if len(m) != 0 {
		t.Fatalf("DelKey left %v", m)
	}
}

func TestPresent(t *testing.T) {
	cases := []struct {
		v    any
		want bool
	}{
		{nil, false}, {"", false}, {"a", true}, {false, true}, {[]any{}, false},
		{[]any{""}, false}, {[]any{"a"}, true}, {map[string]any{"v": nil}, false},
		{map[string]any{"v": "x"}, true}, {[]string{}, false}, {[]string{"x"}, true},
	}
	for _, c := range cases {
		if got := Present(c.v); got != c.want {
			t.Errorf("Present(%#v) = %v, want %v", c.v, got, c.want)
		}
	}
}

func TestAsListAndToFloat(t *testing.T) {
	if got := AsList("x"); !reflect.DeepEqual(got, []any{"x"}) {
		t.Errorf("AsList(single) = %v", got)
	}
	if got := AsList([]string{"a", "b"}); len(got) != 2 {
		t.Errorf("AsList([]string) = %v", got)
	}
	if AsList(nil) != nil {
		t.Error("AsList(nil) is not nil")
	}
	for _, v := range []any{3.5, json.Number("3.5"), float32(3.5)} {
		if f, ok := ToFloat(v); !ok || f != 3.5 {
			t.Errorf("ToFloat(%#v) = %v %v", v, f, ok)
		}
	}
	if _, ok := ToFloat("3.5"); ok {
		t.Error("ToFloat accepted a string")
	}
}

func TestDeepCopyIsIndependent(t *testing.T) {
	orig := map[string]any{"emails": []any{map[string]any{"value": "a"}}, "tags": []string{"x"}}
	cp := DeepCopy(orig).(map[string]any)
	cp["emails"].([]any)[0].(map[string]any)["value"] = "b"
	cp["tags"].([]string)[0] = "y"
	if orig["emails"].([]any)[0].(map[string]any)["value"] != "a" || orig["tags"].([]string)[0] != "x" {
		t.Fatalf("modifying the copy changed the original: %v", orig)
	}
}
