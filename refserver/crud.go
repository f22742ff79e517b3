package refserver

import (
	"errors"
	"net/http"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// listType serves GET /Users and GET /Groups.
func (s *Server) listType(w http.ResponseWriter, r *http.Request, rt *resourceType) error {
	q, err := s.queryFromURL(r.URL.Query())
	if err != nil {
		return err
	}
	return s.serveList(w, r, []*resourceType{rt}, q)
}

// searchType serves POST /Users/.search and /Groups/.search.
func (s *Server) searchType(w http.ResponseWriter, r *http.Request, rt *resourceType) error {
	body, err := s.readBody(r)
	if err != nil {
		return err
	}
	q, err := s.queryFromSearch(body)
	if err != nil {
		return err
	}
	return s.serveList(w, r, []*resourceType{rt}, q)
}

// rootTypes are the resource types a server-root query covers
// (RFC 7644 §3.4.2.1).
func (s *Server) rootTypes() []*resourceType {
	if s.faults.Has(FaultSearchRootUsersOnly) {
		return []*resourceType{s.users}
	}
	return s.types.all()
}

// rootList serves GET {base}/ as a query over every resource type.
func (s *Server) rootList(w http.ResponseWriter, r *http.Request) error {
	q, err := s.queryFromURL(r.URL.Query())
	if err != nil {
		return err
	}
	return s.serveList(w, r, s.rootTypes(), q)
}

// rootSearch serves POST {base}/.search.
func (s *Server) rootSearch(w http.ResponseWriter, r *http.Request) error {
	body, err := s.readBody(r)
	if err != nil {
		return err
	}
	q, err := s.queryFromSearch(body)
	if err != nil {
		return err
	}
	return s.serveList(w, r, s.rootTypes(), q)
}

// urlProjection reads attributes and excludedAttributes from the URL.
func (s *Server) urlProjection(r *http.Request, rt *resourceType) *projection {
	v := r.URL.Query()
	return s.newProjection(rt.Schema, splitList(v["attributes"]), splitList(v["excludedAttributes"]))
}

// writeProjection is the projection of a POST, PUT or PATCH response.
func (s *Server) writeProjection(r *http.Request, rt *resourceType) *projection {
	if s.faults.Has(FaultAttributesIgnoredOnWrite) {
		return s.newProjection(rt.Schema, nil, nil)
	}
	return s.urlProjection(r, rt)
}

// writeResource writes a single-resource response with its ETag
// (RFC 7644 §3.14), Content-Location and, on 201, Location (§3.3).
func (s *Server) writeResource(w http.ResponseWriter, r *http.Request, status int, rec *record, p *projection) map[string]any {
	body := s.render(r, rec, p)
	s.setETag(w, rec)
	loc := s.locationOf(r, rec)
	w.Header().Set("Content-Location", loc)
	if status == http.StatusCreated && !s.faults.Has(FaultCreateNoLocation) {
		w.Header().Set("Location", loc)
	}
	s.writeJSON(w, r, status, body)
	return body
}

// getResource serves GET /{type}/{id} with If-None-Match (304) and
// If-Match (412).
func (s *Server) getResource(w http.ResponseWriter, r *http.Request, rt *resourceType, id string) error {
	rec, ok := s.readStore(rt, id).get(rt, id)
	if !ok {
		return notFound(rt, id)
	}
	if err := s.readPrecondition(r)(rec); err != nil {
		if errors.Is(err, errNotModified) {
			s.setETag(w, rec)
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		return err
	}
	p := s.urlProjection(r, rt)
	if s.faults.Has(FaultReadNoID) {
		body := s.render(r, rec, p)
		delete(body, "id")
		s.setETag(w, rec)
		s.writeJSON(w, r, http.StatusOK, body)
		return nil
	}
	s.writeResource(w, r, http.StatusOK, rec, p)
	return nil
}

// createResource serves POST /{type} (RFC 7644 §3.3).
func (s *Server) createResource(w http.ResponseWriter, r *http.Request, rt *resourceType) error {
	in, err := s.readBody(r)
	if err != nil {
		return err
	}
	d, err := canonicalize(in, rt.Schema, modeCreate, s.faults)
	if err != nil {
		return err
	}
	rec, err := s.store.create(rt, d)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if s.faults.Has(FaultCreateReturns200) {
		status = http.StatusOK
	}
	s.writeResource(w, r, status, rec, s.writeProjection(r, rt))
	return nil
}

// replaceResource serves PUT /{type}/{id} (RFC 7644 §3.5.1): replace
// semantics (omitted readWrite attributes are cleared, I11), readOnly input
// ignored, immutable values must match, an omitted password is kept.
func (s *Server) replaceResource(w http.ResponseWriter, r *http.Request, rt *resourceType, id string) error {
	in, err := s.readBody(r)
	if err != nil {
		return err
	}
	d, err := canonicalize(in, rt.Schema, modeReplace, s.faults)
	if err != nil {
		return err
	}
	rec, err := s.writeStore(rt, id).update(rt, id, s.writePrecondition(r), func(cur *record) (*draft, error) {
		return d, enforceImmutable(cur.doc, d.doc, rt.Schema)
	})
	if isNotFound(err) && s.faults.Has(FaultReplaceCreates) {
		if rec, err = s.store.create(rt, d); err == nil {
			s.writeResource(w, r, http.StatusCreated, rec, s.writeProjection(r, rt))
			return nil
		}
	}
	if err != nil {
		return err
	}
	s.writeResource(w, r, http.StatusOK, rec, s.writeProjection(r, rt))
	return nil
}

// deleteResource serves DELETE /{type}/{id} (RFC 7644 §3.6).
func (s *Server) deleteResource(w http.ResponseWriter, r *http.Request, rt *resourceType, id string) error {
	if err := s.writeStore(rt, id).remove(rt, id, s.writePrecondition(r)); err != nil {
		return err
	}
	if s.faults.Has(FaultDeleteReturns200) {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func isNotFound(err error) bool {
	var e *scimerr.Error
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}
