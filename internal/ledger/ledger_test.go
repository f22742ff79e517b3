package ledger

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scimconform/scimconform/internal/scim"
)

const prefix = "scimconform-0a1b2c3d"

// users is a fake /Users/{id} reader: id -> userName; it counts reads.
type users struct {
	names map[string]string
	reads atomic.Int32
}

func (u *users) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.reads.Add(1)
	id := strings.TrimPrefix(r.URL.Path, "/Users/")
	name, ok := u.names[id]
	if r.Method != http.MethodGet || !ok {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"id": id, "userName": name})
}

func setup(t *testing.T) (*Ledger, *scim.Client, *users) {
	t.Helper()
	u := &users{names: map[string]string{"mine": prefix + "-u-1", "theirs": "alice"}}
	srv := httptest.NewServer(u)
	t.Cleanup(srv.Close)
	l := New(prefix)
	c, err := scim.New(scim.Options{BaseURL: srv.URL, MaxRetries: -1, Guard: l})
	if err != nil {
		t.Fatal(err)
	}
	return l, c, u
}

func answer(status int, body string, location string) *scim.Response {
	h := http.Header{}
	if location != "" {
		h.Set("Location", location)
	}
	return &scim.Response{Status: status, Header: h, Body: []byte(body)}
}

func TestClaimCreate(t *testing.T) {
	sent := map[string]any{"userName": prefix + "-u-1", "name": map[string]any{"givenName": "x"}}
	cases := []struct {
		name      string
		resp      *scim.Response
		owned     bool
		id        string
		reads     int32
		uncertain int
	}{
		{"the answer names what was sent", answer(201, `{"id":"mine","userName":"`+strings.ToUpper(prefix)+`-U-1"}`, ""), true, "mine", 0, 0},
		{"a bare answer is read back", answer(201, ``, "http://x/Users/mine"), true, "mine", 1, 0},
		{"meta.location names it", answer(201, `{"meta":{"location":"http://x/Users/mine"}}`, ""), true, "mine", 1, 0},
		{"a foreign id in the body", answer(201, `{"id":"theirs","userName":"alice"}`, ""), false, "theirs", 1, 1},
		{"a foreign id only in Location", answer(201, ``, "/Users/theirs"), false, "theirs", 1, 1},
		{"an id that names nothing", answer(201, `{"id":"nobody"}`, ""), false, "nobody", 1, 1},
		{"no id at all", answer(200, `{}`, ""), false, "", 0, 1},
		{"a refusal creates nothing", answer(409, `{"id":"theirs"}`, ""), false, "", 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, c, u := setup(t)
			res, err := l.ClaimCreate(context.Background(), c, "/Users", sent, tc.resp)
			if res.ID != tc.id || (err == nil) != (tc.owned || tc.id == "" && tc.uncertain == 0) {
				t.Fatalf("got %+v, %v", res, err)
			}
			if got := l.MayWrite("Users", res.ID) && res.ID != ""; got != tc.owned {
				t.Errorf("may write %v, want %v", got, tc.owned)
			}
			if n := u.reads.Load(); n != tc.reads {
				t.Errorf("%d reads, want %d", n, tc.reads)
			}
			if n := len(l.Uncertain()); n != tc.uncertain {
				t.Errorf("%d uncertain, want %d", n, tc.uncertain)
			}
		})
	}
}

func TestClaimCreateNeedsARunPrefixedName(t *testing.T) {
	l, c, _ := setup(t)
	_, err := l.ClaimCreate(context.Background(), c, "/Users", map[string]any{"userName": "bob"}, answer(201, `{"id":"mine","userName":"bob"}`, ""))
	if err == nil || l.Owns("/Users", "mine") {
		t.Errorf("owned a resource without a run-prefixed name: %v", err)
	}
}

func TestClaimListed(t *testing.T) {
	l, c, _ := setup(t)
	if _, err := l.ClaimListed(context.Background(), c, "/Users", "theirs", "userName"); err == nil || l.Owns("/Users", "theirs") {
		t.Errorf("claimed a listed resource without the prefix: %v", err)
	}
	if _, err := l.ClaimListed(context.Background(), c, "/Users", "mine", "userName"); err != nil || !l.Owns("/Users", "mine") {
		t.Errorf("did not claim a listed resource of the run: %v", err)
	}
}

func TestProbesAndStates(t *testing.T) {
	l := New(prefix)
	p := l.Probe("/Users")
	if !l.MayWrite("Users", p.ID) || l.Owns("/Users", p.ID) || len(l.Live()) != 0 {
		t.Errorf("a probe is writable but neither owned nor live")
	}
	l.Own(Resource{Endpoint: "/Users", ID: "1"})
	l.Own(Resource{Endpoint: "/Users", ID: "1"})
	l.Deleted("/Users", "1")
	l.Deleted("/Users", "never-owned")
	if l.Created() != 1 || len(l.Live()) != 0 || !l.MayWrite("users", "1") || l.IsLive("/Users", "1") {
		t.Errorf("created %d live %v", l.Created(), l.Live())
	}
	if l.MayWrite("Users", "never-owned") {
		t.Error("deleting something unowned made it writable")
	}
}

func TestCreatedID(t *testing.T) {
	cases := []struct {
		resp *scim.Response
		want string
	}{
		{answer(201, `{"id":"abc"}`, ""), "abc"},
		{answer(201, `{}`, "https://x/Users/a%20b"), "a b"},
		{answer(201, `{"meta":{"location":"https://x/Users/m1/"}}`, ""), "m1"},
		{answer(201, `not json`, ""), ""},
	}
	for _, c := range cases {
		if got := CreatedID(c.resp); got != c.want {
			t.Errorf("CreatedID(%s, Location %q) = %q, want %q", c.resp.Body, c.resp.Header.Get("Location"), got, c.want)
		}
	}
}

func TestAssignNamesTheTenant(t *testing.T) {
	l := New("scimconform-0000abcd")
	l.Own(Resource{Endpoint: "/Users", ID: "1", Name: "scimconform-0000abcd-u"})
	l.Assign("/Users", "1", "b")
	l.Assign("/Users", "2", "b") // not owned: no-op
	live := l.Live()
	if len(live) != 1 || live[0].Tenant != "b" || live[0].String() != "/Users/1 (scimconform-0000abcd-u) in tenant b" {
		t.Fatalf("live %v", live)
	}
	if !l.MayWrite("Users", "1") {
		t.Fatal("a resource owned in another tenant stays writable: the isolation specs write to it from the other tenant")
	}
}
