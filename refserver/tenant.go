package refserver

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// tenantOf returns the further tenant whose bearer token r carries, or nil
// (the main tenant, or no valid token: authenticate decides). Tokens are
// compared in constant time.
func (s *Server) tenantOf(r *http.Request) *Server {
	if len(s.tenants) == 0 {
		return nil
	}
	scheme, token, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil
	}
	token = strings.TrimSpace(token)
	for _, t := range s.tenants {
		if subtle.ConstantTimeCompare([]byte(token), []byte(t.opts.Token)) == 1 {
			return t
		}
	}
	return nil
}

// readStore is the store a read of rt/id is served from: the tenant's own,
// or under the tenant-leak-read fault, the other tenant's that holds id.
func (s *Server) readStore(rt *resourceType, id string) *store {
	if s.faults.Has(FaultTenantLeakRead) {
		return s.holderOf(rt, id).store
	}
	return s.store
}

// writeStore is the store a PUT, PATCH or DELETE of rt/id goes to: the
// tenant's own, or under the tenant-leak-write fault, the other tenant's
// that holds id.
func (s *Server) writeStore(rt *resourceType, id string) *store {
	if s.faults.Has(FaultTenantLeakWrite) {
		return s.holderOf(rt, id).store
	}
	return s.store
}

// holderOf returns the tenant holding rt/id: s itself when it does or when
// no tenant does.
func (s *Server) holderOf(rt *resourceType, id string) *Server {
	if _, ok := s.store.get(rt, id); ok {
		return s
	}
	for _, p := range s.peers {
		if _, ok := p.store.get(rt, id); ok {
			return p
		}
	}
	return s
}

// peerRecords returns the records of every other tenant a query over rts
// accepts (the tenant-leak-list fault).
func (s *Server) peerRecords(rts []*resourceType, keep func(*record) bool) []*record {
	var out []*record
	for _, p := range s.peers {
		out = append(out, p.store.scan(rts, keep)...)
	}
	return out
}

// serveBulkOperation runs one Bulk operation on this tenant, or under the
// tenant-leak-bulk fault, on the tenant holding the resource it names.
func (s *Server) serveBulkOperation(w http.ResponseWriter, r *http.Request) {
	if s.faults.Has(FaultTenantLeakBulk) {
		segs := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, s.opts.BasePath), "/"), "/")
		if len(segs) == 2 {
			for _, rt := range s.types.all() {
				if segs[0] == rt.segment() {
					s.holderOf(rt, segs[1]).serveInner(w, r)
					return
				}
			}
		}
	}
	s.serveInner(w, r)
}
