package refserver

import (
	"github.com/scimconform/scimconform/refserver/jsonv"
	"net/http"
	"strings"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// patchResource serves PATCH /{type}/{id} (RFC 7644 §3.5.2): the
// operations run through refserver/patch on the current document, the
// result is validated like a PUT, and the write is atomic with If-Match.
// A successful PATCH answers 200 with the resource, projected by
// attributes/excludedAttributes (the RFC allows 200 or 204: I14; 200 lets
// clients see the result without another GET).
func (s *Server) patchResource(w http.ResponseWriter, r *http.Request, rt *resourceType, id string) error {
	in, err := s.readBody(r)
	if err != nil {
		return err
	}
	ops, err := parsePatchOps(in)
	if err != nil {
		return err
	}
	rec, err := s.writeStore(rt, id).update(rt, id, s.writePrecondition(r), func(cur *record) (*draft, error) {
		// Stored documents are never modified: Apply works on a copy of
		// work, except under patch-not-atomic, which edits what it is
		// given and so gets a copy here.
		if rt.isDevice() && s.faults.Has(FaultDevicePatchIgnored) {
			return &draft{doc: shallowCopy(cur.doc)}, nil // unchanged content keeps the record
		}
		work := cur.doc
		if s.faults.Has(patchNotAtomic) {
			work = jsonv.DeepCopy(cur.doc).(map[string]any)
		}
		res, err := applyPatch(work, ops, rt.Schema, s.faults)
		if err != nil {
			return nil, s.keepPartialPatch(work, rt, err)
		}
		d, err := canonicalize(res, rt.Schema, modePatch, s.faults)
		if err != nil {
			return nil, err
		}
		return d, enforceImmutable(cur.doc, d.doc, rt.Schema)
	})
	if err != nil {
		return err
	}
	s.writeResource(w, r, http.StatusOK, rec, s.writeProjection(r, rt))
	return nil
}

// parsePatchOps reads a PatchOp message: schemas (when present) names
// PatchOp, Operations is a non-empty array of objects with a string op and
// optional string path. Malformed messages are 400 invalidSyntax.
func parsePatchOps(body map[string]any) ([]patchOp, error) {
	if err := checkMessageSchema(body, schema.URNPatchOp); err != nil {
		return nil, err
	}
	raw, _ := lookup(body, "Operations")
	list, ok := raw.([]any)
	if !ok || len(list) == 0 {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "Operations must be a non-empty array")
	}
	ops := make([]patchOp, 0, len(list))
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "operation %d is not an object", i)
		}
		op, _ := lookup(m, "op")
		opStr, ok := op.(string)
		if !ok || strings.TrimSpace(opStr) == "" {
			return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "operation %d needs an op string", i)
		}
		p := patchOp{Op: opStr}
		if path, ok := lookup(m, "path"); ok && path != nil {
			ps, ok := path.(string)
			if !ok {
				return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "operation %d: path must be a string", i)
			}
			p.Path = ps
		}
		if v, ok := lookup(m, "value"); ok {
			p.Value = normalizeNumbers(v)
		}
		ops = append(ops, p)
	}
	return ops, nil
}

// patchNotAtomic is the refserver/patch fault under which Apply works on
// the document it is given and leaves earlier operations applied when a
// later one fails.
const patchNotAtomic = "patch-not-atomic"

// keepPartialPatch implements patchNotAtomic: the partly patched document
// is stored although the request fails.
func (s *Server) keepPartialPatch(work map[string]any, rt *resourceType, err error) error {
	if !s.faults.Has(patchNotAtomic) {
		return err
	}
	d, cerr := canonicalize(work, rt.Schema, modePatch, s.faults)
	if cerr != nil {
		return err
	}
	return &partialWrite{draft: d, err: err}
}
