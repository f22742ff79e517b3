package patch

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/refserver/filter/filtertest"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

const (
	ent     = filtertest.URNEnterprise
	babsID  = "2819c223-7f76-453a-919d-413861904646"
	mandyID = "902c246b-6245-4190-8e05-00816be7344a"
)

// tc is one PATCH test case.
type tc struct {
	name  string
	group bool                 // Group schema and document instead of User
	prep  func(map[string]any) // adjusts the starting document
	ops   string               // JSON array of operations
	want  map[string]string    // "attr" or "attr|sub" (URNs allowed) → JSON value; "-" means absent
	same  bool                 // the result must equal the starting document
	err   string               // expected scimType of a 400; "" for success
}

func decodeOps(t *testing.T, s string) []Operation {
	t.Helper()
	var ops []Operation
	if err := json.Unmarshal([]byte(s), &ops); err != nil {
		t.Fatalf("bad ops JSON %s: %v", s, err)
	}
	return ops
}

func fixture(c tc) (map[string]any, *schema.ResourceSchema) {
	doc, rs := filtertest.Barbara(), filtertest.User()
	if c.group {
		doc, rs = filtertest.Team(), filtertest.Group()
	}
	if c.prep != nil {
		c.prep(doc)
	}
	return doc, rs
}

// run applies the case and checks the verdict, the document and atomicity.
func run(t *testing.T, c tc, faults fault.Set) {
	t.Helper()
	doc, rs := fixture(c)
	orig, _ := fixture(c)
	out, err := Apply(doc, decodeOps(t, c.ops), rs, faults)
	if !faults.Has(faultNotAtomic) && !reflect.DeepEqual(doc, orig) {
		t.Errorf("Apply modified its input:\n got %s\nwant %s", js(doc), js(orig))
	}
	if c.err != "" {
		var se *scimerr.Error
		if !errors.As(err, &se) {
			t.Fatalf("want 400 %s, got success: %s", c.err, js(out))
		}
		if se.Status != 400 || se.ScimType != c.err || !strings.Contains(se.Detail, "Operations[") {
			t.Fatalf("want 400 %s, got %v", c.err, se)
		}
		if out != nil {
			t.Error("a failed Apply returned a document")
		}
		return
	}
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if c.same && !reflect.DeepEqual(out, orig) {
		t.Errorf("want no change, got\n%s\nwas\n%s", js(out), js(orig))
	}
	for path, want := range c.want {
		got, ok := dig(out, path)
		if want == "-" {
			if ok {
				t.Errorf("%s = %s, want absent", path, js(got))
			}
			continue
		}
		if !ok || !jsonEqual(t, got, want) {
			t.Errorf("%s = %s, want %s", path, js(got), want)
		}
	}
}

// dig follows "a|b|c" through nested objects.
func dig(doc map[string]any, path string) (any, bool) {
	var cur any = doc
	for _, part := range strings.Split(path, "|") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

func jsonEqual(t *testing.T, got any, want string) bool {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expected JSON %s: %v", want, err)
	}
	var g any
	if err := json.Unmarshal([]byte(js(got)), &g); err != nil {
		t.Fatalf("result not JSON: %v", err)
	}
	return reflect.DeepEqual(g, w)
}

func runAll(t *testing.T, cases []tc) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { run(t, c, nil) })
	}
}

func del(keys ...string) func(map[string]any) {
	return func(m map[string]any) {
		for _, k := range keys {
			delete(m, k)
		}
	}
}
