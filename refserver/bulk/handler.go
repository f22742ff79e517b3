// Package bulk implements the reference server's /Bulk endpoint (RFC 7644
// §3.7). Each operation of a BulkRequest is replayed as an ordinary HTTP
// request against the Inner handler, so Bulk obeys exactly the rules of the
// single-resource endpoints.
//
// Choices where RFC 7644 §3.7 leaves room (docs/interpretations.md):
//   - Operation method names are accepted in any case ("post") and reported in
//     upper case. An unknown or missing method fails that operation with 400
//     invalidSyntax.
//   - Problems with the shape of an operation (not an object, unknown method,
//     a member of the wrong JSON type) fail it with 400 invalidSyntax; a
//     missing required member (bulkId on POST, path, data) or an unusable value
//     (duplicate bulkId, path of the wrong form or naming /Bulk, unknown
//     bulkId reference) fails it with 400 invalidValue. Rejecting a POST
//     without bulkId helps client developers, who are the ones §3.7 binds.
//   - A reference to a bulkId whose own operation failed (or could not run)
//     fails the referring operation with 409 Conflict, the status §3.7.1
//     uses for references that cannot be resolved.
//   - Operations whose data references a bulkId created by a later operation
//     run after it (RFC 7644 §3.7, optimisation preserving intent). True
//     circles (§3.7.1) are resolved: the create runs without the pieces that
//     reference the missing resource, and once that exists they are added by
//     a PATCH "add" through Inner. If that PATCH fails, the operation is
//     reported 409 with its location.
//   - failOnErrors absent or 0 means no limit; N>0 stops after the Nth
//     failed operation; the operations not run are not reported
//     (RFC 7644 §3.7.3: only processed operations are reported). A negative
//     or non-integer value is rejected with 400 invalidValue.
//   - status is a JSON string ("201") as in the §3.7.3 examples (I8); failed
//     operations carry the SCIM error as "response"; successful ones omit it.
//   - A processed bulk request is answered 200 even when operations failed,
//     as in the §3.7.3 examples.
package bulk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Message schema URNs (RFC 7644 §3.7, §3.12).
const (
	// BulkRequestURN identifies a BulkRequest message.
	BulkRequestURN = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
	// BulkResponseURN identifies a BulkResponse message.
	BulkResponseURN = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
	errorURN        = "urn:ietf:params:scim:api:messages:2.0:Error"
	patchOpURN      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	mediaType       = "application/scim+json"
)

// Limits used when the Handler's fields are zero or negative.
const (
	// DefaultMaxOperations is the maxOperations limit used when MaxOperations <= 0.
	DefaultMaxOperations = 1000
	// DefaultMaxPayloadSize is the maxPayloadSize limit used when MaxPayloadSize <= 0.
	DefaultMaxPayloadSize = 1 << 20
	// faultPayloadCap bounds the body read with FaultNoPayloadLimit on.
	faultPayloadCap = 32 << 20
)

// Handler serves POST {base}/Bulk. It holds no per-request state and is safe
// for concurrent use when Inner is.
type Handler struct {
	// Inner serves every non-Bulk endpoint; Bulk calls it once per operation
	// (and once more per circular create, for the follow-up PATCH).
	Inner http.Handler
	// BasePath is the service root path, e.g. "/scim/v2"; operation paths
	// ("/Users") are joined to it.
	BasePath string
	// MaxOperations is the advertised bulk.maxOperations (RFC 7644 §3.7.4);
	// <= 0 means DefaultMaxOperations.
	MaxOperations int
	// MaxPayloadSize is the advertised bulk.maxPayloadSize in bytes;
	// <= 0 means DefaultMaxPayloadSize.
	MaxPayloadSize int
	// Faults holds the enabled fault switches (see Faults).
	Faults fault.Set
}

// bulkRequest is a decoded, top-level-validated BulkRequest.
type bulkRequest struct {
	failOnErrors int
	operations   []any
}

// opResult is one element of the BulkResponse Operations (RFC 7644 §3.7.3).
type opResult struct {
	Location string `json:"location,omitempty"`
	Method   string `json:"method,omitempty"`
	BulkID   string `json:"bulkId,omitempty"`
	Version  string `json:"version,omitempty"`
	Status   string `json:"status"`
	Response any    `json:"response,omitempty"`
}

// bulkResponse is the BulkResponse message.
type bulkResponse struct {
	Schemas    []string    `json:"schemas"`
	Operations []*opResult `json:"Operations"`
}

// ServeHTTP handles one BulkRequest (authentication is the caller's job).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, r, scimerr.New(http.StatusMethodNotAllowed, "", "the Bulk endpoint accepts only POST"))
		return
	}
	req, err := h.readRequest(r)
	if err != nil {
		writeError(w, r, scimerr.As(err))
		return
	}
	results := newRun(h, r, req).execute()
	status := http.StatusOK
	if h.Faults.Has(FaultHTTPStatusWrong) {
		status = http.StatusMultiStatus
	}
	writeJSON(w, r, status, bulkResponse{Schemas: []string{BulkResponseURN}, Operations: results})
}

func (h *Handler) maxOperations() int {
	if h.MaxOperations > 0 {
		return h.MaxOperations
	}
	return DefaultMaxOperations
}

func (h *Handler) maxPayloadSize() int {
	if h.MaxPayloadSize > 0 {
		return h.MaxPayloadSize
	}
	return DefaultMaxPayloadSize
}

// readRequest reads at most maxPayloadSize+1 bytes of the body and validates
// the BulkRequest envelope (RFC 7644 §3.7, §3.7.4).
func (h *Handler) readRequest(r *http.Request) (*bulkRequest, error) {
	limit := h.maxPayloadSize()
	readCap := limit
	if h.Faults.Has(FaultNoPayloadLimit) {
		readCap = max(limit, faultPayloadCap)
	}
	if r.ContentLength > int64(readCap) {
		return nil, h.tooLarge("maxPayloadSize", limit)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(readCap)+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, h.tooLarge("maxPayloadSize", limit)
		}
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "reading the bulk request body: %v", err)
	}
	if len(body) > readCap {
		return nil, h.tooLarge("maxPayloadSize", limit)
	}
	doc, err := decodeObject(body)
	if err != nil {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "the bulk request body is not a JSON object: %v", err)
	}
	return h.parseEnvelope(doc)
}

// parseEnvelope checks schemas, Operations and failOnErrors.
func (h *Handler) parseEnvelope(doc map[string]any) (*bulkRequest, error) {
	if !hasSchema(lookup(doc, "schemas"), BulkRequestURN) {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "schemas must contain %s", BulkRequestURN)
	}
	ops, ok := lookup(doc, "Operations").([]any)
	if !ok {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "Operations must be a JSON array of operations")
	}
	if limit := h.maxOperations(); len(ops) > limit && !h.Faults.Has(FaultNoMaxOperations) {
		return nil, h.tooLarge("maxOperations", limit)
	}
	req := &bulkRequest{operations: ops}
	if v := lookup(doc, "failOnErrors"); v != nil {
		n, ok := v.(json.Number)
		i, err := strconv.Atoi(string(n))
		if !ok || err != nil || i < 0 {
			return nil, scimerr.BadRequest(scimerr.InvalidValue, "failOnErrors must be a non-negative integer, got %v", v)
		}
		req.failOnErrors = i
	}
	return req, nil
}

// tooLarge is the 413 of RFC 7644 §3.7.4, naming the limit and its value.
func (h *Handler) tooLarge(limit string, value int) *scimerr.Error {
	if h.Faults.Has(FaultLimitNotNamed) {
		return scimerr.New(http.StatusRequestEntityTooLarge, "", "the bulk request is too large")
	}
	return scimerr.New(http.StatusRequestEntityTooLarge, "",
		"the bulk request exceeds the %s (%d) of this service provider", limit, value)
}

// decodeObject parses exactly one JSON object, keeping numbers as json.Number
// so that data is forwarded to Inner unchanged.
func decodeObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("decoding JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON value")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("the JSON value is not an object")
	}
	return obj, nil
}

// lookup finds a member by name, case-insensitively (RFC 7643 §2.1).
func lookup(obj map[string]any, name string) any {
	if v, ok := obj[name]; ok {
		return v
	}
	for k, v := range obj {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// hasSchema reports whether v is a JSON array holding urn (any case).
func hasSchema(v any, urn string) bool {
	list, _ := v.([]any)
	for _, s := range list {
		if str, ok := s.(string); ok && strings.EqualFold(str, urn) {
			return true
		}
	}
	return false
}

// errorBody is a SCIM error message (RFC 7644 §3.12) with a string status.
func errorBody(e *scimerr.Error) map[string]any {
	body := map[string]any{
		"schemas": []string{errorURN},
		"status":  strconv.Itoa(e.Status),
		"detail":  e.Detail,
	}
	if e.ScimType != "" {
		body["scimType"] = e.ScimType
	}
	return body
}

func writeError(w http.ResponseWriter, r *http.Request, e *scimerr.Error) {
	writeJSON(w, r, e.Status, errorBody(e))
}

// responseType is application/scim+json unless the client accepts only
// application/json (RFC 7644 §3.8).
func responseType(r *http.Request) string {
	accept := strings.ToLower(r.Header.Get("Accept"))
	for _, ok := range []string{"application/scim+json", "*/*", "application/*"} {
		if strings.Contains(accept, ok) {
			return mediaType
		}
	}
	if strings.Contains(accept, "application/json") {
		return "application/json"
	}
	return mediaType
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = marshal(errorBody(scimerr.New(status, "", "encoding the bulk response failed")))
	}
	w.Header().Set("Content-Type", responseType(r))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// marshal encodes v without HTML escaping, so data reaches Inner as sent.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encoding JSON: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
