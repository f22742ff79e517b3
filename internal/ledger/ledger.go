// Package ledger records what a conformance run owns on the target: the
// resources it proved it created, the random ids it uses to provoke 404s,
// and the creates whose outcome it could not see. The SCIM client asks the
// ledger before every write (it implements scim.WriteGuard), so the harness
// never modifies or deletes a resource it did not create, whatever a server
// answers; the final sweep and the leak accounting read it after the suite.
package ledger

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/scimconform/scimconform/internal/scim"
)

// Resource identifies one resource on the target.
type Resource struct {
	Endpoint string `json:"endpoint"` // "/Users"
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
	// Tenant names the further tenant whose credential created the resource
	// ("" for the run's main credential): only that credential sees it.
	Tenant string `json:"tenant,omitempty"`
}

// Path is the resource's path relative to the base URL, its id escaped.
func (r Resource) Path() string { return r.Endpoint + "/" + url.PathEscape(r.ID) }

// String renders the path and, when known, the name and the tenant:
// "/Users/42 (scimconform-…) in tenant b".
func (r Resource) String() string {
	s := r.Path()
	if r.Name != "" {
		s += " (" + r.Name + ")"
	}
	if r.Tenant != "" {
		s += " in tenant " + r.Tenant
	}
	return s
}

// Uncertain is a create whose outcome the run could not see (no readable
// answer, or a success without a usable id): the resource may exist. The
// prefix sweep settles it when the target can list by name.
type Uncertain struct {
	Endpoint string `json:"endpoint"`
	Name     string `json:"name,omitempty"`
	Reason   string `json:"reason"`
}

// String renders the endpoint, name and reason in one line.
func (u Uncertain) String() string {
	s := "POST " + u.Endpoint
	if u.Name != "" {
		s += " (" + u.Name + ")"
	}
	return s + ": " + u.Reason
}

type state int

const (
	stateLive    state = iota + 1 // proven created, not known to be deleted
	stateDeleted                  // proven created, deleted since
	stateProbe                    // a random id that names nothing
)

// Ledger is safe for concurrent use. The zero value is not usable; call New.
type Ledger struct {
	mu        sync.Mutex
	prefix    string
	entries   map[string]*entry
	order     []string
	uncertain []Uncertain
	disowned  []string
}

type entry struct {
	res   Resource
	state state
}

// New returns an empty ledger for a run whose names start with prefix.
func New(prefix string) *Ledger {
	return &Ledger{prefix: prefix, entries: map[string]*entry{}}
}

// Prefix is the run prefix every name the run creates starts with.
func (l *Ledger) Prefix() string { return l.prefix }

// key identifies a resource by endpoint (without slashes, case-insensitive:
// servers route "/users" and "/Users" alike) and exact id.
func key(endpoint, id string) string {
	return strings.ToLower(strings.Trim(endpoint, "/")) + "\x00" + id
}

// Own records a resource the run proved it created (see Prove). Owning it
// again keeps one entry; a deleted resource owned again is live again.
func (l *Ledger) Own(r Resource) {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := key(r.Endpoint, r.ID)
	if e, ok := l.entries[k]; ok {
		if e.state != stateProbe {
			e.state = stateLive
			if r.Name != "" {
				e.res.Name = r.Name
			}
			return
		}
	}
	l.entries[k] = &entry{res: r, state: stateLive}
	l.order = append(l.order, k)
}

// Assign records that the owned resource endpoint/id was created with the
// credential of tenant (see Resource.Tenant). It is a no-op for a resource
// the run does not own.
func (l *Ledger) Assign(endpoint, id, tenant string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.entries[key(endpoint, id)]; ok && e.state != stateProbe {
		e.res.Tenant = tenant
	}
}

// Deleted records that an owned resource is gone. It is a no-op for a
// resource the run does not own.
func (l *Ledger) Deleted(endpoint, id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.entries[key(endpoint, id)]; ok && e.state == stateLive {
		e.state = stateDeleted
	}
}

// Probe returns a resource under endpoint with a fresh random id (a version
// 4 UUID) that names nothing on the target, and allows writes to it: specs
// send them to provoke 404 Not Found.
func (l *Ledger) Probe(endpoint string) Resource {
	r := Resource{Endpoint: endpoint, ID: RandomUUID()}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries[key(endpoint, r.ID)] = &entry{res: r, state: stateProbe}
	return r
}

// MayWrite reports whether the run may send a write (PUT, PATCH, DELETE, or
// a Bulk operation of those) to the resource endpoint/id: it owns it (live
// or already deleted: a write to a deleted resource of its own provokes a
// 404) or the id is a probe.
func (l *Ledger) MayWrite(endpoint, id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.entries[key(endpoint, id)]
	return ok
}

// Owns reports whether the run proved it created endpoint/id.
func (l *Ledger) Owns(endpoint, id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[key(endpoint, id)]
	return ok && e.state != stateProbe
}

// IsLive reports whether the run owns endpoint/id and has not seen it deleted.
func (l *Ledger) IsLive(endpoint, id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[key(endpoint, id)]
	return ok && e.state == stateLive
}

// Unanswered implements scim.WriteGuard: a create (or Bulk request) sent to
// endpoint got no readable answer, so whatever it named may exist now.
func (l *Ledger) Unanswered(endpoint string, body []byte, reason string) {
	var req map[string]any
	_ = json.Unmarshal(body, &req)
	if !strings.EqualFold(endpoint, "Bulk") {
		l.AddUncertain(Uncertain{Endpoint: "/" + endpoint, Name: firstValue(Identity(l.prefix, req)), Reason: "no readable answer (" + reason + ")"})
		return
	}
	ops, _ := scim.Member(req, "Operations").([]any)
	for _, o := range ops {
		op, _ := o.(map[string]any)
		method, _ := scim.Member(op, "method").(string)
		path, _ := scim.Member(op, "path").(string)
		data, _ := scim.Member(op, "data").(map[string]any)
		if strings.EqualFold(method, "POST") {
			l.AddUncertain(Uncertain{Endpoint: path, Name: firstValue(Identity(l.prefix, data)), Reason: "Bulk request without a readable answer (" + reason + ")"})
		}
	}
}

// AddUncertain records a create whose outcome the run could not see.
func (l *Ledger) AddUncertain(u Uncertain) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.uncertain = append(l.uncertain, u)
}

// Disown records a resource a server named in answer to a create that the
// run could not prove it created (why says what did not match); the run
// never writes to it.
func (l *Ledger) Disown(why string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.disowned = append(l.disowned, why)
}

// Live returns the owned resources not known to be deleted, in creation order.
func (l *Ledger) Live() []Resource {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Resource
	for _, k := range l.order {
		if e := l.entries[k]; e.state == stateLive {
			out = append(out, e.res)
		}
	}
	return out
}

// Created is how many resources the run proved it created.
func (l *Ledger) Created() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.order)
}

// Uncertain returns the creates whose outcome the run could not see.
func (l *Ledger) Uncertain() []Uncertain {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Uncertain(nil), l.uncertain...)
}

// Disowned returns why each resource a server named was not accepted as the run's.
func (l *Ledger) Disowned() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := append([]string(nil), l.disowned...)
	sort.Strings(out)
	return out
}

// RandomUUID returns a random version 4 UUID: an id no server has issued.
func RandomUUID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
