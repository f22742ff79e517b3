package refserver

import (
	"net/http"
	"strings"
	"time"
)

// origin is the scheme and host the client used, prefixed to stored
// locations; "" when the request names no host (locations stay relative).
func origin(r *http.Request) string {
	if r.Host == "" {
		return ""
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// render returns the representation of rec for r: projected, with
// absolute locations.
func (s *Server) render(r *http.Request, rec *record, p *projection) map[string]any {
	out := p.apply(rec.doc, rec.rt.Schema)
	o := origin(r)
	if meta, ok := out["meta"].(map[string]any); ok {
		m := shallowCopy(meta)
		if loc, ok := m["location"].(string); ok {
			m["location"] = o + loc
		}
		s.metaFaults(m)
		out["meta"] = m
	}
	for _, key := range []string{"members", "groups"} {
		if list, ok := out[key].([]any); ok {
			out[key] = absoluteRefs(list, o)
		}
	}
	if rec.rt.isUser() {
		if s.faults.Has(FaultUserEchoPassword) && rec.pwHash != "" {
			out["password"] = rec.pwHash
		}
		if s.faults.Has(FaultSchemaUserGroupsNotDerived) {
			delete(out, "groups")
		}
	}
	return out
}

// metaFaults applies the faults that falsify meta.
func (s *Server) metaFaults(m map[string]any) {
	if s.faults.Has(FaultCreateNoResourceType) {
		delete(m, "resourceType")
	}
	if s.faults.Has(FaultReadLastModifiedNotCreated) && m["lastModified"] == m["created"] {
		if t, err := time.Parse(timeLayout, m["created"].(string)); err == nil {
			m["lastModified"] = t.Add(time.Second).Format(timeLayout)
		}
	}
}

// absoluteRefs copies a members/groups list with each server-made relative
// $ref made absolute.
func absoluteRefs(list []any, o string) []any {
	out := make([]any, len(list))
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			out[i] = e
			continue
		}
		if ref, ok := m["$ref"].(string); ok && strings.HasPrefix(ref, "/") {
			m = shallowCopy(m)
			m["$ref"] = o + ref
		}
		out[i] = m
	}
	return out
}

// locationOf is the absolute location of rec.
func (s *Server) locationOf(r *http.Request, rec *record) string {
	return origin(r) + s.store.location(rec.rt, rec.id)
}
