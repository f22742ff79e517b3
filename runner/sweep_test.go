package runner

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/ledger"
	"github.com/scimconform/scimconform/internal/scim"
)

// userStore is a fake /Users endpoint that ignores filters (the worst case
// for a sweep) and records deletions.
type userStore struct {
	mu      sync.Mutex
	users   map[string]string // id -> userName
	deleted []string
	failDel map[string]bool
	// phantom ids are listed but not there when read or deleted.
	phantom map[string]bool
}

func (s *userStore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/Users":
		var res []map[string]any
		ids := make([]string, 0, len(s.users))
		for id := range s.users {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			res = append(res, map[string]any{"id": id, "userName": s.users[id]})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"totalResults": len(res), "Resources": res})
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/Users/"):
		id := strings.TrimPrefix(r.URL.Path, "/Users/")
		name, ok := s.users[id]
		if !ok || s.phantom[id] {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"id": id, "userName": name})
	case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/Users/"):
		id := strings.TrimPrefix(r.URL.Path, "/Users/")
		if s.failDel[id] {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		if _, ok := s.users[id]; !ok || s.phantom[id] {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		delete(s.users, id)
		s.deleted = append(s.deleted, id)
		w.WriteHeader(http.StatusNoContent)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func sweepCaps(t *testing.T) *caps.Capabilities {
	t.Helper()
	c, err := caps.FromDiscovery(caps.Discovery{
		ServiceProviderConfig: []byte(`{"filter":{"supported":true}}`),
		ResourceTypes:         []byte(`[{"id":"User","name":"User","endpoint":"/Users"}]`),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSweepDeletesOnlyThisRunsData(t *testing.T) {
	const prefix = "scimconform-0a1b2c3d"
	store := &userStore{users: map[string]string{
		"1": prefix + "-u-1", "2": prefix + "-u-2", "3": "alice", "4": "scimconform-ffffffff-u-1", "5": prefix + "-u-9",
	}, failDel: map[string]bool{"5": true}}
	srv := httptest.NewServer(store)
	defer srv.Close()
	owned := ledger.New(prefix)
	owned.Own(ledger.Resource{Endpoint: "/Users", ID: "1", Name: prefix + "-u-1"})
	owned.Own(ledger.Resource{Endpoint: "/Users", ID: "gone", Name: prefix + "-u-0"})

	sw := &sweeper{client: guardedClient(t, srv.URL, owned), ledger: owned, caps: sweepCaps(t), prefix: prefix}
	out, notes := sw.run(context.Background())

	sort.Strings(store.deleted)
	if strings.Join(store.deleted, ",") != "1,2" {
		t.Errorf("deleted %v, want exactly 1 and 2 (never alice or another run's user)", store.deleted)
	}
	if _, ok := store.users["3"]; !ok {
		t.Error("the sweep deleted a resource it did not create")
	}
	if len(out.Swept) != 3 { // 1 (tracked), gone (404 = gone), 2 (found by prefix)
		t.Errorf("swept %v", out.Swept)
	}
	if len(out.Leaked) != 1 || !strings.Contains(out.Leaked[0], "/Users/5") {
		t.Errorf("leaked %v, want /Users/5", out.Leaked)
	}
	if out.Created != 4 || len(notes) != 0 || len(owned.Live()) != 1 {
		// 1 and gone were the run's; 2 and 5 were proven by reading them
		t.Errorf("created %d notes %v live %v", out.Created, notes, owned.Live())
	}
}

func TestSweepKeepDeletesNothing(t *testing.T) {
	store := &userStore{users: map[string]string{"1": "scimconform-0a1b2c3d-u-1"}}
	srv := httptest.NewServer(store)
	defer srv.Close()
	owned := ledger.New("scimconform-0a1b2c3d")
	owned.Own(ledger.Resource{Endpoint: "/Users", ID: "1", Name: "scimconform-0a1b2c3d-u-1"})
	sw := &sweeper{client: guardedClient(t, srv.URL, owned), ledger: owned, caps: sweepCaps(t), prefix: "scimconform-0a1b2c3d", keep: true}
	out, notes := sw.run(context.Background())
	if len(store.deleted) != 0 || !out.Kept || len(notes) != 1 || !strings.Contains(notes[0], "/Users/1") {
		t.Errorf("keep: deleted %v, cleanup %+v, notes %v", store.deleted, out, notes)
	}
}

func TestSweepSaysWhenItStopsListing(t *testing.T) {
	const prefix = "scimconform-0a1b2c3d"
	// A server that always claims more results: the sweep reads a bounded
	// number of pages and says it stopped, rather than looping or going quiet.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if id, ok := strings.CutPrefix(r.URL.Path, "/Users/"); ok {
			_ = json.NewEncoder(w).Encode(map[string]any{"id": id, "userName": prefix + "-u"})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"totalResults": 1000000,
			"Resources": []map[string]any{{"id": r.URL.Query().Get("startIndex"), "userName": prefix + "-u"}}})
	}))
	defer srv.Close()
	owned := ledger.New(prefix)
	sw := &sweeper{client: guardedClient(t, srv.URL, owned), ledger: owned, caps: sweepCaps(t), prefix: prefix}
	out, notes := sw.run(context.Background())
	if len(out.Swept) != sweepPages || len(notes) != 1 || !strings.Contains(notes[0], "scimconform cleanup --prefix "+prefix) {
		t.Errorf("swept %d, notes %v", len(out.Swept), notes)
	}
}

// guardedClient is a test client whose writes the ledger vets, as in a run.
func guardedClient(t *testing.T, base string, owned *ledger.Ledger) *scim.Client {
	t.Helper()
	c, err := scim.New(scim.Options{BaseURL: base, RequestTimeout: 2 * time.Second, MaxRetries: -1, Guard: owned})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSweepCountsEachLeakOnceAndOnlyWhenStillThere(t *testing.T) {
	const prefix = "scimconform-0a1b2c3d"
	store := &userStore{users: map[string]string{
		"1": prefix + "-u-1", "2": prefix + "-u-2", "3": prefix + "-u-3",
	}, failDel: map[string]bool{"1": true, "2": true}, phantom: map[string]bool{"2": true}}
	srv := httptest.NewServer(store)
	defer srv.Close()
	owned := ledger.New(prefix)
	for _, id := range []string{"1", "2", "3"} {
		owned.Own(ledger.Resource{Endpoint: "/Users", ID: id, Name: store.users[id]})
	}
	sw := &sweeper{client: guardedClient(t, srv.URL, owned), ledger: owned, caps: sweepCaps(t), prefix: prefix}
	out, _ := sw.run(context.Background())
	// 1 failed twice (tracked, then listed) but is one leak; 2 failed yet a
	// read says it is gone, so it is no leak; 3 was deleted.
	if len(out.Leaked) != 1 || !strings.Contains(out.Leaked[0], "/Users/1") {
		t.Errorf("leaked %v, want /Users/1 once", out.Leaked)
	}
	if len(out.Swept) != 1 || len(out.Uncertain) != 0 {
		t.Errorf("swept %v uncertain %v", out.Swept, out.Uncertain)
	}
}

func TestSweepSettlesUncertainCreatesByListing(t *testing.T) {
	const prefix = "scimconform-0a1b2c3d"
	store := &userStore{users: map[string]string{"7": prefix + "-slow-1"}}
	srv := httptest.NewServer(store)
	defer srv.Close()
	owned := ledger.New(prefix)
	owned.AddUncertain(ledger.Uncertain{Endpoint: "/Users", Name: prefix + "-slow-1", Reason: "timed out"})
	owned.AddUncertain(ledger.Uncertain{Endpoint: "/Groups", Name: prefix + "-slow-g", Reason: "timed out"})
	sw := &sweeper{client: guardedClient(t, srv.URL, owned), ledger: owned, caps: sweepCaps(t), prefix: prefix}
	out, _ := sw.run(context.Background())
	if len(store.deleted) != 1 || store.deleted[0] != "7" {
		t.Errorf("deleted %v, want the slow create found by prefix", store.deleted)
	}
	// /Groups was never listed (no Group resource type): still uncertain.
	if len(out.Uncertain) != 1 || !strings.Contains(out.Uncertain[0], "/Groups") {
		t.Errorf("uncertain %v, want the /Groups create only", out.Uncertain)
	}
}

func TestSweepEndsQuicklyWhenTheTargetStopsAnswering(t *testing.T) {
	const prefix = "scimconform-0a1b2c3d"
	release := make(chan struct{})
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		<-release // never answers while the test runs
	}))
	defer srv.Close()
	defer close(release)
	owned := ledger.New(prefix)
	for i := range 40 {
		owned.Own(ledger.Resource{Endpoint: "/Users", ID: strconv.Itoa(i)})
	}
	sw := &sweeper{client: guardedClient(t, srv.URL, owned), ledger: owned, caps: sweepCaps(t), prefix: prefix,
		requestTimeout: 50 * time.Millisecond}
	out, notes := sw.run(context.Background())
	// Not a timing assertion: the count of requests shows the sweep gave up
	// after a few failures instead of waiting on all 40 resources twice.
	if len(out.Uncertain) != 40 || len(out.Leaked) != 0 {
		t.Errorf("uncertain %d leaked %d, want all 40 uncertain", len(out.Uncertain), len(out.Leaked))
	}
	if len(notes) == 0 || !strings.Contains(strings.Join(notes, " "), "stopped answering") {
		t.Errorf("notes %v", notes)
	}
	if n := requests.Load(); n > 2*sweepWorkers {
		t.Errorf("%d requests to a dead target, want at most %d", n, 2*sweepWorkers)
	}
}

func TestCleanupRefusesWhatIsNotARunPrefix(t *testing.T) {
	cfg := Defaults()
	cfg.URL = "https://idp.example.com/scim/v2"
	for _, p := range []string{"", "scimconform-", "scimconform-0A1B2C3D", "alice", "scimconform-0a1b2c3d-u"} {
		code, err := Cleanup(context.Background(), cfg, p, io.Discard)
		if code != 2 || err == nil || !strings.Contains(err.Error(), "not a run prefix") {
			t.Errorf("prefix %q: code %d, err %v", p, code, err)
		}
	}
	cfg.URL = ""
	if code, err := Cleanup(context.Background(), cfg, "scimconform-0a1b2c3d", io.Discard); code != 2 || err == nil {
		t.Errorf("no url: code %d, err %v", code, err)
	}
}
