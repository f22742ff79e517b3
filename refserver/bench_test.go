package refserver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/scimconform/scimconform/refserver/schema"
)

// benchServer builds a server holding n Users user-0 … user-(n-1), created
// directly in the store, and returns the id of one of them.
func benchServer(b *testing.B, n int) (*Server, string) {
	b.Helper()
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	var id string
	for i := range n {
		d := &draft{doc: map[string]any{
			"schemas":     []any{schema.URNUser},
			"userName":    fmt.Sprintf("user-%d", i),
			"displayName": fmt.Sprintf("User %d", i),
			"emails":      []any{map[string]any{"value": fmt.Sprintf("user-%d@example.com", i), "type": "work", "primary": true}},
			"active":      i%2 == 0,
		}}
		rec, err := s.store.create(s.users, d)
		if err != nil {
			b.Fatal(err)
		}
		if i == n/2 {
			id = rec.id
		}
	}
	return s, id
}

func serveBench(b *testing.B, s *Server, target string, want int) {
	b.Helper()
	req := httptest.NewRequest("GET", target, nil)
	for b.Loop() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != want {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}

// BenchmarkFilteredList10k lists the 111 of 10,000 Users whose userName
// starts with "user-12" (one page of 100).
func BenchmarkFilteredList10k(b *testing.B) {
	s, _ := benchServer(b, 10000)
	q := url.Values{"filter": {`userName sw "user-12"`}}
	serveBench(b, s, "/scim/v2/Users?"+q.Encode(), http.StatusOK)
}

// BenchmarkFilteredSortedList10k adds a sort and a projection.
func BenchmarkFilteredSortedList10k(b *testing.B) {
	s, _ := benchServer(b, 10000)
	q := url.Values{"filter": {`userName sw "user-12" and active eq true`}, "sortBy": {"emails.value"},
		"sortOrder": {"descending"}, "attributes": {"userName,emails.value"}}
	serveBench(b, s, "/scim/v2/Users?"+q.Encode(), http.StatusOK)
}

// BenchmarkGetByID10k reads one User among 10,000.
func BenchmarkGetByID10k(b *testing.B) {
	s, id := benchServer(b, 10000)
	serveBench(b, s, "/scim/v2/Users/"+id, http.StatusOK)
}
