package refserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver/schema"
)

// patchBenchServer builds a server holding n Users and returns their ids.
// Bodies up to 64 MiB are accepted so that the largest PATCH fits.
func patchBenchServer(tb testing.TB, n int) (*Server, []string) {
	tb.Helper()
	s, err := New(Options{MaxBodyBytes: 64 << 20})
	if err != nil {
		tb.Fatal(err)
	}
	ids := make([]string, n)
	for i := range n {
		rec, err := s.store.create(s.users, &draft{doc: map[string]any{
			"schemas": []any{schema.URNUser}, "userName": fmt.Sprintf("user-%d", i),
		}})
		if err != nil {
			tb.Fatal(err)
		}
		ids[i] = rec.id
	}
	return s, ids
}

// newBenchGroup stores a Group holding the given members and returns its id.
func newBenchGroup(tb testing.TB, s *Server, name string, members []string) string {
	tb.Helper()
	doc := map[string]any{"schemas": []any{schema.URNGroup}, "displayName": name}
	if len(members) > 0 {
		ms := make([]any, len(members))
		for i, m := range members {
			ms[i] = map[string]any{"value": m}
		}
		doc["members"] = ms
	}
	rec, err := s.store.create(s.groups, &draft{doc: doc})
	if err != nil {
		tb.Fatal(err)
	}
	return rec.id
}

// patchBody is a PatchOp message of the given operations.
func patchBody(tb testing.TB, ops []map[string]any) []byte {
	tb.Helper()
	raw, err := json.Marshal(map[string]any{"schemas": []any{schema.URNPatchOp}, "Operations": ops})
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// memberOps returns one operation per id: add members (value array), remove
// members[value eq id], or replace displayName.
func memberOps(kind string, ids []string) []map[string]any {
	ops := make([]map[string]any, len(ids))
	for i, id := range ids {
		switch kind {
		case "add":
			ops[i] = map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": id}}}
		case "remove":
			ops[i] = map[string]any{"op": "remove", "path": `members[value eq "` + id + `"]`}
		case "removeListed":
			ops[i] = map[string]any{"op": "remove", "path": "members", "value": []any{map[string]any{"value": id}}}
		case "replace":
			ops[i] = map[string]any{"op": "replace", "path": "displayName", "value": "g-" + id}
		}
	}
	return ops
}

func servePatch(tb testing.TB, s *Server, gid string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest("PATCH", "/scim/v2/Groups/"+gid, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/scim+json")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	return w
}

// BenchmarkPatchOps sends one PATCH of n operations on a Group: n member
// adds to an empty Group, n member removals (by value filter and by value
// array) from a Group of n members, n replaces of displayName. The
// ns/patchop metric is the time per operation; linear time keeps it flat
// as n grows.
func BenchmarkPatchOps(b *testing.B) {
	for _, kind := range []string{"add", "remove", "removeListed", "replace"} {
		for _, n := range []int{1000, 4000, 28000} {
			b.Run(fmt.Sprintf("%s/%d", kind, n), func(b *testing.B) {
				s, ids := patchBenchServer(b, n)
				body := patchBody(b, memberOps(kind, ids))
				var start []string
				if kind == "remove" || kind == "removeListed" {
					start = ids
				}
				var total time.Duration
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					gid := newBenchGroup(b, s, fmt.Sprintf("g%d", i), start)
					b.StartTimer()
					t0 := time.Now()
					w := servePatch(b, s, gid, body)
					total += time.Since(t0)
					if w.Code != http.StatusOK {
						b.Fatalf("%d %.300s", w.Code, w.Body)
					}
				}
				b.ReportMetric(float64(total.Nanoseconds())/float64(b.N)/float64(n), "ns/patchop")
			})
		}
	}
}
