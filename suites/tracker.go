package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
)

// Resource identifies one resource the run created.
type Resource struct {
	Endpoint string `json:"endpoint"` // "/Users"
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
}

// Path is the resource's path relative to the base URL.
func (r Resource) Path() string { return r.Endpoint + "/" + url.PathEscape(r.ID) }

// Tracker records every resource the run creates until it is deleted, so that
// nothing is lost: cleanup deletes what specs created, the final sweep
// deletes what is left, and whatever survives is reported as a leak.
type Tracker struct {
	mu      sync.Mutex
	live    map[string]Resource
	created int
}

// NewTracker returns an empty tracker.
func NewTracker() *Tracker { return &Tracker{live: map[string]Resource{}} }

// Created records a new resource.
func (t *Tracker) Created(r Resource) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.live[r.Path()] = r
	t.created++
}

// Deleted records that a resource is gone.
func (t *Tracker) Deleted(r Resource) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.live, r.Path())
}

// Live returns the resources not yet deleted, sorted by path.
func (t *Tracker) Live() []Resource {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Resource, 0, len(t.live))
	for _, r := range t.live {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path() < out[j].Path() })
	return out
}

// CreatedCount is how many resources the run created.
func (t *Tracker) CreatedCount() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.created
}

// DeleteResource deletes r on the target; 404 counts as gone.
func DeleteResource(ctx context.Context, c *scim.Client, t *Tracker, r Resource) error {
	resp, err := c.Do(ctx, scim.Request{Method: http.MethodDelete, Path: r.Path()})
	if err != nil {
		return err
	}
	if resp.Status >= 200 && resp.Status < 300 || resp.Status == http.StatusNotFound {
		t.Deleted(r)
		return nil
	}
	return fmt.Errorf("DELETE %s answered %d", r.Path(), resp.Status)
}

// Create POSTs body to endpoint. When that created a resource it tracks it and
// registers its deletion with DeferCleanup at once (unless --keep), so the
// resource is removed even when the spec fails later. It returns the response
// and the new id ("" when nothing was created). Asserting the status is
// the caller's business: a spec may expect a failure.
func (e *Env) Create(ctx context.Context, endpoint string, body map[string]any) (*scim.Response, string) {
	GinkgoHelper()
	resp := e.Post(ctx, endpoint, body)
	id := createdID(resp)
	if id == "" {
		return resp, ""
	}
	r := Resource{Endpoint: endpoint, ID: id, Name: nameOf(body)}
	e.Tracker.Created(r)
	if !e.Keep {
		DeferCleanup(func(ctx SpecContext) {
			if err := DeleteResource(ctx, e.Client, e.Tracker, r); err != nil {
				e.Info("cleanup: %v (the final sweep will retry)", err)
			}
		})
	}
	return resp, id
}

// TrackExternal records a resource created by other means (Bulk, PUT-create)
// and registers its cleanup like Create does.
func (e *Env) TrackExternal(endpoint, id, name string) {
	r := Resource{Endpoint: endpoint, ID: id, Name: name}
	e.Tracker.Created(r)
	if !e.Keep {
		DeferCleanup(func(ctx SpecContext) {
			if err := DeleteResource(ctx, e.Client, e.Tracker, r); err != nil {
				e.Info("cleanup: %v (the final sweep will retry)", err)
			}
		})
	}
}

// createdID finds the id of a resource a create produced: any 2xx counts
// (a server answering 200 instead of 201 still made something that must be
// cleaned up), the id from the body, else the last segment of Location.
func createdID(resp *scim.Response) string {
	if resp == nil || resp.Status < 200 || resp.Status > 299 {
		return ""
	}
	if obj, err := resp.Object(); err == nil {
		if id, ok := obj["id"].(string); ok && id != "" {
			return id
		}
	}
	loc := strings.TrimRight(resp.Header.Get("Location"), "/")
	if i := strings.LastIndexByte(loc, '/'); i >= 0 && i < len(loc)-1 {
		if id, err := url.PathUnescape(loc[i+1:]); err == nil {
			return id
		}
	}
	return ""
}

func nameOf(body map[string]any) string {
	for _, k := range []string{"userName", "displayName"} {
		if s, ok := body[k].(string); ok {
			return s
		}
	}
	return ""
}
