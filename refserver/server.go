// Package refserver is the embedded reference SCIM 2.0 service provider: an
// in-memory, concurrency-safe implementation of RFC 7643, RFC 7644 and RFC
// 9865 with named fault switches that each break one rule (see AllFaults).
//
// Choices where the RFCs leave room are documented beside the code that
// makes them (In refers to docs/interpretations.md); the main ones: unknown attributes in input are ignored;
// weak ETags are compared weakly for If-Match too (I5); PATCH answers 200
// with the resource (I14); discovery endpoints ignore every query parameter,
// filter included (I9); a list never holds more than maxPageSize or
// maxResults resources (no tooMany); with both cursor and startIndex the
// cursor wins; SearchRequest attributes may be an array or a comma string
// (I15); /Me is processed directly for the configured principal (I17).
package refserver

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Server is a reference SCIM service provider. It is an http.Handler and
// safe for concurrent use.
//
// With Options.Tenants it serves several tenants (RFC 7644 §6): each bearer
// token is one tenant with its own store (its own resources, ids, uniqueness
// scope, Bulk and /Me principal). The Server of the main token holds one
// Server per further tenant and hands each request to the tenant its token
// names (RFC 7644 §6.1: the tenant is inferred from the authenticated
// client).
type Server struct {
	opts Options
	// name is the tenant's name ("" for the main token).
	name       string
	faults     fault.Set
	types      types
	users      *resourceType
	groups     *resourceType
	allSchemas []*schema.Schema
	store      *store
	cursors    *cursorCodec
	started    string
	principal  string // id of the /Me User at start
	inner      http.Handler
	bulk       http.Handler
	requests   atomic.Int64 // requests seen, for Options.ThrottleEvery
	// tenants are the further tenants (on the main Server only); peers are
	// every other tenant of the same process, read only by the tenant
	// leak faults.
	tenants []*Server
	peers   []*Server
}

// New builds a server, its further tenants, and seeds each tenant's /Me
// principal User.
func New(opts Options) (*Server, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	ts := newResourceTypes()
	s, err := newTenant(o, "", ts)
	if err != nil {
		return nil, err
	}
	all := []*Server{s}
	for _, t := range o.Tenants {
		to := o
		to.Token, to.Tenants = t.Token, nil
		ten, err := newTenant(to, t.Name, ts)
		if err != nil {
			return nil, err
		}
		s.tenants = append(s.tenants, ten)
		all = append(all, ten)
	}
	for _, a := range all {
		for _, b := range all {
			if a != b {
				a.peers = append(a.peers, b)
			}
		}
	}
	return s, nil
}

// newTenant builds the server of one tenant with its own store.
func newTenant(o Options, name string, ts types) (*Server, error) {
	s := &Server{opts: o, name: name, faults: o.Faults, allSchemas: schema.All(), types: ts, users: ts.users, groups: ts.groups}
	s.store = newStore(o.BasePath, o.Now, o.Faults)
	s.store.maxResources = o.MaxResources
	s.cursors = newCursorCodec(o.Now)
	s.started = o.Now().UTC().Format(timeLayout)
	s.inner = http.HandlerFunc(s.serveInner)
	s.bulk = s.newBulkHandler(http.HandlerFunc(s.serveBulkOperation))
	d := &draft{doc: map[string]any{
		"schemas":     []any{schema.URNUser},
		"userName":    o.Principal,
		"displayName": o.Principal,
		"active":      true,
	}}
	rec, err := s.store.create(s.users, d)
	if err != nil {
		return nil, fmt.Errorf("refserver: seeding principal %q of tenant %q: %w", o.Principal, name, err)
	}
	s.principal = rec.id
	return s, nil
}

// ServeHTTP authenticates the request and serves it; POST {base}/Bulk goes
// to refserver/bulk, which replays each operation on the inner handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if t := s.tenantOf(r); t != nil {
		t.ServeHTTP(w, r)
		return
	}
	defer s.recoverPanic(w, r)
	if s.throttled(w, r) {
		return
	}
	if err := s.authenticate(r); err != nil {
		if !(s.faults.Has(FaultAuthAnonymous) && r.Header.Get("Authorization") == "") {
			s.writeError(w, r, err)
			return
		}
	}
	if r.URL.Path == s.opts.BasePath+"/Bulk" || r.URL.Path == s.opts.BasePath+"/Bulk/" {
		err := s.checkAccept(r)
		if err == nil {
			err = checkContentType(r.Header.Get("Content-Type"))
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		s.bulk.ServeHTTP(w, r)
		return
	}
	s.serveInner(w, r)
}

// serveInner serves every endpoint but /Bulk, without authentication: it
// is what Bulk operations run against.
func (s *Server) serveInner(w http.ResponseWriter, r *http.Request) {
	defer s.recoverPanic(w, r)
	err := s.checkAccept(r)
	if err == nil {
		err = s.route(w, r)
	}
	if err != nil {
		s.writeError(w, r, err)
	}
}

// checkAccept answers 406 when Accept excludes both JSON media types.
func (s *Server) checkAccept(r *http.Request) error {
	accept := r.Header.Get("Accept")
	mt := negotiate(accept)
	if s.faults.Has(FaultMediaTypeRejectSCIMAccept) && mt == mediaSCIM && strings.Contains(accept, mediaSCIM) &&
		!strings.Contains(accept, mediaJSON) {
		mt = ""
	}
	if s.faults.Has(FaultMediaTypeOnlyJSON) && strings.Contains(accept, mediaSCIM) {
		mt = ""
	}
	if s.faults.Has(FaultMediaTypeRejectJSONAccept) && mt == mediaJSON && !strings.Contains(accept, mediaSCIM) {
		mt = ""
	}
	if mt == "" {
		return scimerr.New(http.StatusNotAcceptable, "", "only %s and %s responses are available", mediaSCIM, mediaJSON)
	}
	return nil
}

// recoverPanic turns a panic into a 500 SCIM error.
func (s *Server) recoverPanic(w http.ResponseWriter, r *http.Request) {
	if v := recover(); v != nil {
		if v == http.ErrAbortHandler {
			panic(v)
		}
		s.writeError(w, r, fmt.Errorf("internal error: %v", v))
	}
}

// route dispatches on the path below BasePath and the method.
func (s *Server) route(w http.ResponseWriter, r *http.Request) error {
	rel, ok := strings.CutPrefix(r.URL.Path, s.opts.BasePath)
	if !ok || (rel != "" && rel[0] != '/') {
		return scimerr.New(http.StatusNotFound, "", "no endpoint at %s", r.URL.Path)
	}
	var segs []string
	if rel = strings.Trim(rel, "/"); rel != "" {
		segs = strings.Split(rel, "/")
	}
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	h, allowed := s.handlerFor(segs, method)
	if allowed == "" {
		return scimerr.New(http.StatusNotFound, "", "no endpoint at %s", r.URL.Path)
	}
	if h == nil {
		w.Header().Set("Allow", allowed)
		return scimerr.New(http.StatusMethodNotAllowed, "", "%s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, allowed)
	}
	return h(w, r)
}

// handlerFunc serves one request; a returned error is written as a SCIM
// error response.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// methods maps HTTP methods to handlers of one endpoint.
type methods map[string]handlerFunc

// allow lists the methods of an endpoint for the Allow header.
func (m methods) allow() string {
	var out []string
	for _, name := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m[name] != nil {
			out = append(out, name)
		}
	}
	return strings.Join(out, ", ")
}

// handlerFor finds the handler of a path and method. allowed is "" for an
// unknown path; h is nil when the method is not allowed there.
func (s *Server) handlerFor(segs []string, method string) (h handlerFunc, allowed string) {
	m := s.endpoint(segs)
	if m == nil {
		return nil, ""
	}
	return m[method], m.allow()
}

// endpoint returns the methods of the endpoint at segs, or nil.
func (s *Server) endpoint(segs []string) methods {
	if len(segs) == 0 {
		return methods{http.MethodGet: s.rootList}
	}
	id := ""
	if len(segs) == 2 {
		id = segs[1]
	}
	if len(segs) > 2 {
		return nil
	}
	switch segs[0] {
	case "ServiceProviderConfig":
		if id == "" {
			return methods{http.MethodGet: s.serviceProviderConfig}
		}
	case "ResourceTypes":
		return methods{http.MethodGet: func(w http.ResponseWriter, r *http.Request) error { return s.resourceTypes(w, r, id) }}
	case "Schemas":
		return methods{http.MethodGet: func(w http.ResponseWriter, r *http.Request) error { return s.schemas(w, r, id) }}
	case ".search":
		if id == "" {
			return methods{http.MethodPost: s.rootSearch}
		}
	case "Me":
		if id == "" {
			return s.meMethods()
		}
	}
	for _, rt := range s.types.all() {
		if segs[0] == rt.segment() {
			return s.resourceMethods(rt, id)
		}
	}
	return nil
}

// resourceMethods returns the methods of a resource type endpoint
// (id == ""), its .search, or one of its resources.
func (s *Server) resourceMethods(rt *resourceType, id string) methods {
	switch id {
	case "":
		return methods{
			http.MethodGet:  func(w http.ResponseWriter, r *http.Request) error { return s.listType(w, r, rt) },
			http.MethodPost: func(w http.ResponseWriter, r *http.Request) error { return s.createResource(w, r, rt) },
		}
	case ".search":
		if s.faults.Has(FaultSearchPostNotFound) {
			return nil
		}
		return methods{http.MethodPost: func(w http.ResponseWriter, r *http.Request) error { return s.searchType(w, r, rt) }}
	}
	return methods{
		http.MethodGet:    func(w http.ResponseWriter, r *http.Request) error { return s.getResource(w, r, rt, id) },
		http.MethodPut:    func(w http.ResponseWriter, r *http.Request) error { return s.replaceResource(w, r, rt, id) },
		http.MethodPatch:  func(w http.ResponseWriter, r *http.Request) error { return s.patchResource(w, r, rt, id) },
		http.MethodDelete: func(w http.ResponseWriter, r *http.Request) error { return s.deleteResource(w, r, rt, id) },
	}
}
