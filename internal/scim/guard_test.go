package scim

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// allowList is a WriteGuard allowing exactly the listed endpoint/id pairs.
type allowList map[string]bool

func (a allowList) MayWrite(endpoint, id string) bool { return a[endpoint+"/"+id] }

func (a allowList) Unanswered(endpoint string, body []byte, reason string) {}

func TestGuardRefusesWritesToWhatTheRunDoesNotOwn(t *testing.T) {
	srv, s := echoServer(t)
	c := newTestClient(t, srv.URL+"/scim/v2", Options{Guard: allowList{"Users/mine": true, "Users/a b": true}})
	cases := []struct {
		method, path string
		allowed      bool
	}{
		{http.MethodGet, "/Users/theirs", true},
		{http.MethodPost, "/Users", true},
		{http.MethodPost, "/Users/.search", true},
		{http.MethodPost, "/.search", true},
		{http.MethodPut, "/Users/mine", true},
		{http.MethodPatch, "/Users/mine", true},
		{http.MethodDelete, "/Users/mine", true},
		{http.MethodDelete, "/Users/a%20b", true},
		{http.MethodDelete, "/Users/theirs", false},
		{http.MethodPut, "/Groups/mine", false},
		{http.MethodPatch, "/Me", false},
		{http.MethodDelete, "/Users", false},
		{http.MethodDelete, "/", false},
		{http.MethodPost, "/Users/theirs", false},
		{http.MethodDelete, "/Users/mine/../theirs", false},
		{http.MethodDelete, "/Users/mine/%2e%2e/theirs", false},
		{http.MethodDelete, "/Users//theirs", false},
		{http.MethodDelete, srv.URL + "/scim/v2/Users/mine", true},
		{http.MethodDelete, srv.URL + "/other/Users/mine", false},
		{http.MethodDelete, "https://elsewhere.example/scim/v2/Users/mine", false},
	}
	for _, tc := range cases {
		before := s.count()
		_, err := c.Do(context.Background(), Request{Method: tc.method, Path: tc.path})
		var refused *RefusedWriteError
		var off *OffOriginError
		sent := s.count() > before
		if tc.allowed && (err != nil || !sent) {
			t.Errorf("%s %s: refused (%v), want it sent", tc.method, tc.path, err)
		}
		if !tc.allowed && (!(errors.As(err, &refused) || errors.As(err, &off)) || sent) {
			t.Errorf("%s %s: err %v, sent %v; want refused and never sent", tc.method, tc.path, err, sent)
		}
	}
}

func TestGuardVetsEveryBulkOperation(t *testing.T) {
	srv, s := echoServer(t)
	c := newTestClient(t, srv.URL+"/scim/v2", Options{Guard: allowList{"Users/mine": true}})
	bulk := func(ops ...map[string]any) error {
		_, err := c.Post(context.Background(), "/Bulk", map[string]any{"Operations": ops})
		return err
	}
	ok := [][]map[string]any{
		{{"method": "POST", "path": "/Users", "bulkId": "a"}},
		{{"method": "PUT", "path": "/Users/mine"}, {"method": "DELETE", "path": "/Users/bulkId:a"}},
		{{"Method": "patch", "Path": "/Users/mine"}},
	}
	for _, ops := range ok {
		if err := bulk(ops...); err != nil {
			t.Errorf("%v: %v", ops, err)
		}
	}
	sent := s.count()
	refused := [][]map[string]any{
		{{"method": "PUT", "path": "/Users/mine"}, {"method": "DELETE", "path": "/Users/theirs"}},
		{{"METHOD": "delete", "PATH": "/Groups/mine"}},
		{{"method": "DELETE", "path": "/Users"}},
		{{"method": "PATCH", "path": "https://elsewhere.example/Users/mine"}},
	}
	for _, ops := range refused {
		err := bulk(ops...)
		var r *RefusedWriteError
		if !errors.As(err, &r) || !strings.Contains(err.Error(), "Bulk operation") {
			t.Errorf("%v: err %v, want a refused Bulk operation", ops, err)
		}
	}
	if s.count() != sent {
		t.Errorf("a refused Bulk request reached the server")
	}
	// A body the server cannot parse is not a write of anything.
	if _, err := c.Do(context.Background(), Request{Method: http.MethodPost, Path: "/Bulk", RawBody: []byte("{not json")}); err != nil {
		t.Errorf("malformed Bulk body: %v", err)
	}
}

func TestNoGuardSendsEverything(t *testing.T) {
	srv, s := echoServer(t)
	c := newTestClient(t, srv.URL, Options{})
	if _, err := c.Delete(context.Background(), "/Users/anything"); err != nil || s.count() != 1 {
		t.Errorf("err %v, sent %d", err, s.count())
	}
}
