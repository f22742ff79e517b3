package refserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Media types (RFC 7644 §3.1, §8.1).
const (
	mediaSCIM = "application/scim+json"
	mediaJSON = "application/json"
)

// negotiate picks the response media type for an Accept header (RFC 7644
// §3.8): application/scim+json unless the client only takes
// application/json. It returns "" when the header accepts neither, which is
// answered 406. An unparsable header is treated as absent (lenient).
func negotiate(accept string) string {
	if strings.TrimSpace(accept) == "" {
		return mediaSCIM
	}
	best, bestQ, parsed := "", 0.0, false
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		parsed = true
		q := 1.0
		if qs, ok := params["q"]; ok {
			if v, err := strconv.ParseFloat(qs, 64); err == nil {
				q = v
			}
		}
		var cand string
		switch mt {
		case mediaSCIM, "application/*", "*/*":
			cand = mediaSCIM
		case mediaJSON:
			cand = mediaJSON
		default:
			continue
		}
		if q > 0 && (q > bestQ || (q == bestQ && cand == mediaSCIM)) {
			best, bestQ = cand, q
		}
	}
	if !parsed {
		return mediaSCIM
	}
	return best
}

// checkContentType accepts request bodies sent as application/scim+json or
// application/json in UTF-8, and bodies without Content-Type (lenient);
// anything else is 415.
func checkContentType(ct string) error {
	if strings.TrimSpace(ct) == "" {
		return nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return scimerr.New(http.StatusUnsupportedMediaType, "", "unparsable Content-Type %q", ct)
	}
	if mt != mediaSCIM && mt != mediaJSON {
		return scimerr.New(http.StatusUnsupportedMediaType, "", "Content-Type %q is not %s or %s", mt, mediaSCIM, mediaJSON)
	}
	if cs := params["charset"]; cs != "" && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return scimerr.New(http.StatusUnsupportedMediaType, "", "charset %q is not UTF-8", cs)
	}
	return nil
}

// responseType is the Content-Type of every response to r.
func (s *Server) responseType(r *http.Request) string {
	if s.faults.Has(FaultMediaTypeJSON) {
		return mediaJSON
	}
	if mt := negotiate(r.Header.Get("Accept")); mt != "" {
		return mt
	}
	return mediaSCIM
}

// writeJSON writes v as the body with the negotiated media type.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		s.writeError(w, r, fmt.Errorf("encode response: %w", err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", s.responseType(r))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

// writeError writes err as an RFC 7644 §3.12 error response. Errors that are
// not *scimerr.Error become 500.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := scimerr.As(err)
	if e.Status == http.StatusUnauthorized {
		s.setChallenge(w, r)
	}
	if s.faults.Has(FaultErrorsNotJSON) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(e.Status)
		_, _ = io.WriteString(w, http.StatusText(e.Status)+"\n")
		return
	}
	body := map[string]any{
		"schemas": []string{schema.URNError},
		"status":  strconv.Itoa(e.Status),
	}
	if s.faults.Has(FaultErrorsStatusInteger) {
		body["status"] = e.Status
	}
	if e.ScimType != "" {
		body["scimType"] = e.ScimType
	}
	if e.Detail != "" {
		body["detail"] = e.Detail
	}
	s.writeJSON(w, r, e.Status, body)
}

// readBody checks the Content-Type, bounds and reads the body and decodes
// one JSON object with numbers kept as json.Number. Malformed JSON is 400
// invalidSyntax; an oversize body is 413.
func (s *Server) readBody(r *http.Request) (map[string]any, error) {
	ct := r.Header.Get("Content-Type")
	if err := checkContentType(ct); err != nil {
		return nil, err
	}
	if mt, params, _ := mime.ParseMediaType(ct); mt == mediaSCIM && params["charset"] != "" && s.faults.Has(FaultMediaTypeRejectSCIMBody) {
		return nil, scimerr.New(http.StatusUnsupportedMediaType, "", "Content-Type %s is not supported", ct)
	}
	if r.Body == nil {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "request body is empty")
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, s.opts.MaxBodyBytes+1))
	if err != nil {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "reading body: %v", err)
	}
	if int64(len(raw)) > s.opts.MaxBodyBytes {
		return nil, scimerr.New(http.StatusRequestEntityTooLarge, "", "request body exceeds %d bytes", s.opts.MaxBodyBytes)
	}
	return decodeObject(raw)
}

// decodeObject decodes exactly one JSON object.
func decodeObject(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "request body is empty")
		}
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "malformed JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "trailing data after the JSON object")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "request body must be a JSON object")
	}
	return obj, nil
}

// lookup finds a member of a JSON object by name, case-insensitively
// (RFC 7643 §2.1), preferring an exact match.
func lookup(obj map[string]any, name string) (any, bool) {
	if v, ok := obj[name]; ok {
		return v, true
	}
	for k, v := range obj {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}
