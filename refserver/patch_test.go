package refserver

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver/schema"
)

// TestPatch28000Operations sends one PATCH adding 28,000 members to a Group
// one operation each, then one removing all but one again (by value filter
// and by value array), and checks the Group and the derived groups of the
// Users. Correctness only: BenchmarkPatchOps measures the time.
func TestPatch28000Operations(t *testing.T) {
	const n = 28000
	s, ids := patchBenchServer(t, n)
	gid := newBenchGroup(t, s, "big", nil)
	if w := servePatch(t, s, gid, patchBody(t, memberOps("add", ids))); w.Code != http.StatusOK {
		t.Fatalf("add: %d %.300s", w.Code, w.Body)
	}
	g, _ := s.store.get(s.groups, gid)
	if got := len(g.doc["members"].([]any)); got != n {
		t.Fatalf("%d members after adding %d", got, n)
	}
	if u, _ := s.store.get(s.users, ids[n/2]); len(u.doc["groups"].([]any)) != 1 {
		t.Fatalf("user %d groups: %v", n/2, u.doc["groups"])
	}
	ops := append(memberOps("remove", ids[:n/2]), memberOps("removeListed", ids[n/2:n-1])...)
	if w := servePatch(t, s, gid, patchBody(t, ops)); w.Code != http.StatusOK {
		t.Fatalf("remove: %d %.300s", w.Code, w.Body)
	}
	g, _ = s.store.get(s.groups, gid)
	left := g.doc["members"].([]any)
	if len(left) != 1 || left[0].(map[string]any)["value"] != ids[n-1] {
		t.Fatalf("members left: %v", left)
	}
	if u, _ := s.store.get(s.users, ids[0]); u.doc["groups"] != nil {
		t.Fatalf("user 0 still in groups: %v", u.doc["groups"])
	}
}

// TestUpdateBuildsOutsideTheLock holds an update's build (where a PATCH
// applies its operations) until reads, lists and a write of another
// resource have completed: they cannot wait for the update. A concurrent
// write of the same resource makes the update build again on the new
// version.
func TestUpdateBuildsOutsideTheLock(t *testing.T) {
	s, ids := patchBenchServer(t, 2)
	inBuild, release := make(chan struct{}), make(chan struct{})
	builds := 0
	done := make(chan error, 1)
	go func() {
		_, err := s.store.update(s.users, ids[0], nil, func(cur *record) (*draft, error) {
			builds++
			doc := map[string]any{"schemas": []any{schema.URNUser}, "userName": "user-0",
				"displayName": fmt.Sprint("build ", builds, " from ", cur.version)}
			if builds == 1 {
				close(inBuild)
				<-release
			}
			return &draft{doc: doc}, nil
		})
		done <- err
	}()
	<-inBuild
	// With build under the write lock these would block until release.
	if _, ok := s.store.get(s.users, ids[1]); !ok {
		t.Fatal("get failed")
	}
	if got := s.store.scan([]*resourceType{s.users}, func(*record) bool { return true }); len(got) != len(ids)+1 { // and the /Me principal
		t.Fatalf("scan: %d records", len(got))
	}
	for _, id := range ids { // a write of another resource, and of the one being built
		if _, err := s.store.update(s.users, id, nil, func(cur *record) (*draft, error) {
			return &draft{doc: map[string]any{"schemas": []any{schema.URNUser}, "userName": userNameOf(cur.doc), "title": "x"}}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	close(release)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("update did not finish")
	}
	rec, _ := s.store.get(s.users, ids[0])
	if builds != 2 || rec.doc["displayName"] != `build 2 from W/"4"` {
		t.Fatalf("builds %d, stored %v: want the update rebuilt on the version the other write stored", builds, rec.doc["displayName"])
	}
}
