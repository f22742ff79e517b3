package refserver

import (
	"net/http"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// meMethods serves /Me (RFC 7644 §3.11) by processing the request directly
// on the User of the authenticated principal (the configured Principal;
// with one bearer token there is one subject). Every response, errors
// included, carries the permanent location of that User in Location.
func (s *Server) meMethods() methods {
	wrap := func(f func(w http.ResponseWriter, r *http.Request, rt *resourceType, id string) error) handlerFunc {
		return func(w http.ResponseWriter, r *http.Request) error {
			rec, ok := s.principalRecord()
			if !ok {
				return scimerr.New(http.StatusNotFound, "", "the authenticated subject %q has no User resource", s.opts.Principal)
			}
			switch {
			case s.faults.Has(FaultMeNoLocation):
			case s.faults.Has(FaultMeLocationAlias):
				w.Header().Set("Location", origin(r)+s.opts.BasePath+"/Me")
			default:
				w.Header().Set("Location", s.locationOf(r, rec))
			}
			return f(w, r, s.users, rec.id)
		}
	}
	return methods{
		http.MethodGet:    wrap(s.getResource),
		http.MethodPut:    wrap(s.replaceResource),
		http.MethodPatch:  wrap(s.patchResource),
		http.MethodDelete: wrap(s.deleteResource),
	}
}

// principalRecord finds the principal's User: the one seeded at start, or
// after it was deleted, a User that took its userName.
func (s *Server) principalRecord() (*record, bool) {
	if rec, ok := s.store.get(s.users, s.principal); ok {
		return rec, true
	}
	id, ok := s.store.findUnique(s.users, "userName", s.opts.Principal)
	if !ok {
		return nil, false
	}
	return s.store.get(s.users, id)
}
