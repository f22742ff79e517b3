package suites

import (
	"encoding/json"
	"strings"
	"testing"
)

func decodeDoc(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return m
}

func TestPatchValue(t *testing.T) {
	doc := decodeDoc(t, `{"NickName":"n","name":{"GivenName":"g","middleName":""},
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"d","manager":{"value":"m"}}}`)
	const urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	cases := []struct {
		urn, path string
		want      any
	}{
		{"", "nickName", "n"},
		{"", "name.givenName", "g"},
		{"", "name.middleName", nil}, // "" is unassigned
		{"", "name.familyName", nil},
		{"", "title", nil},
		{urn, "department", "d"},
		{urn, "manager.value", "m"},
		{"urn:x:Other", "department", nil},
	}
	for _, c := range cases {
		if got := patchValue(doc, c.urn, c.path); got != c.want {
			t.Errorf("patchValue(%q, %q) = %v, want %v", c.urn, c.path, got, c.want)
		}
	}
}

func TestPatchUnassigned(t *testing.T) {
	for _, s := range []string{`null`, `""`, `[]`, `{}`, `[null, ""]`, `{"a": null, "b": []}`} {
		var v any
		_ = json.Unmarshal([]byte(s), &v)
		if !patchUnassigned(v) {
			t.Errorf("%s: want unassigned", s)
		}
	}
	for _, s := range []string{`false`, `0`, `"x"`, `[1]`, `{"a": false}`} {
		var v any
		_ = json.Unmarshal([]byte(s), &v)
		if patchUnassigned(v) {
			t.Errorf("%s: want assigned", s)
		}
	}
}

func TestPatchDiff(t *testing.T) {
	before := decodeDoc(t, `{"id":"1","userName":"u","emails":[{"value":"a","type":"work"},{"value":"b"}],
		"meta":{"version":"1"},"nickName":null,"urn:x:Ext":{"dept":"d","cost":"1"}}`)
	same := decodeDoc(t, `{"ID":"1","username":"u","emails":[{"value":"b"},{"type":"work","value":"a"}],
		"meta":{"version":"2"},"urn:x:Ext":{"cost":"1","Dept":"d"},"title":""}`)
	if d := patchDiff(before, same); len(d) != 0 {
		t.Errorf("equal data (other case, order, meta, unassigned members) reported different: %v", d)
	}
	changed := decodeDoc(t, `{"id":"1","userName":"u","emails":[{"value":"a","type":"work"}],"nickName":"n","urn:x:Ext":{"dept":"e","cost":"1"}}`)
	d := strings.Join(patchDiff(before, changed), "\n")
	for _, want := range []string{"emails:", "nickname: unassigned → \"n\"", `urn:x:ext:dept: "d" → "e"`} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, d)
		}
	}
	if strings.Contains(d, "cost") || strings.Contains(d, "username") {
		t.Errorf("diff names unchanged attributes:\n%s", d)
	}
}

func TestPatchWithSubAndMembers(t *testing.T) {
	doc := decodeDoc(t, `{"emails":[{"value":"A@x","type":"Work"},{"value":"b@x","type":"home"},"junk"],
		"members":[{"value":"1"},{"value":"2"},{"value":"1"}]}`)
	if n := len(patchWithSub(patchValues(doc, "emails"), "type", "work")); n != 1 {
		t.Errorf("patchWithSub type=work: %d values, want 1", n)
	}
	if n := len(patchValues(doc, "emails")); n != 2 {
		t.Errorf("patchValues skips non-objects: got %d, want 2", n)
	}
	ids := patchMemberIDs(doc)
	if ids["1"] != 2 || ids["2"] != 1 || len(ids) != 2 {
		t.Errorf("patchMemberIDs = %v", ids)
	}
	if got := patchExcept([]string{"1", "2", "3"}, "2"); strings.Join(got, ",") != "1,3" {
		t.Errorf("patchExcept = %v", got)
	}
	if w := patchWithout(map[string]any{"ID": 1, "x": 2}, "id"); len(w) != 1 || w["x"] != 2 {
		t.Errorf("patchWithout = %v", w)
	}
}

func TestPatchMeta(t *testing.T) {
	tm, ok, v := patchMeta(decodeDoc(t, `{"meta":{"lastModified":"2024-05-01T10:00:00.5Z","version":"W/\"3\""}}`))
	if !ok || tm.Nanosecond() != 500000000 || v != `W/"3"` {
		t.Errorf("patchMeta = %v %v %q", tm, ok, v)
	}
	if _, ok, v := patchMeta(decodeDoc(t, `{"meta":{"lastModified":"yesterday"}}`)); ok || v != "" {
		t.Errorf("unparsable lastModified must report not ok")
	}
}
