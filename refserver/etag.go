package refserver

import (
	"net/http"
	"strings"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// errNotModified is returned by a GET precondition that ends in 304.
var errNotModified = scimerr.New(http.StatusNotModified, "", "not modified")

// parseETags splits an If-Match / If-None-Match value into entity tags
// (RFC 9110 §8.8.3). "*" is returned as itself. Malformed parts are skipped.
func parseETags(h string) []string {
	var tags []string
	for i := 0; i < len(h); {
		switch c := h[i]; {
		case c == ' ' || c == '\t' || c == ',':
			i++
			continue
		case c == '*':
			tags = append(tags, "*")
			i++
			continue
		}
		start := i
		if strings.HasPrefix(h[i:], "W/") {
			i += 2
		}
		if i >= len(h) || h[i] != '"' {
			i = nextComma(h, i)
			continue
		}
		end := strings.IndexByte(h[i+1:], '"')
		if end < 0 {
			break
		}
		i += end + 2
		tags = append(tags, h[start:i])
	}
	return tags
}

func nextComma(h string, i int) int {
	if j := strings.IndexByte(h[i:], ','); j >= 0 {
		return i + j + 1
	}
	return len(h)
}

// weakMatch compares two entity tags weakly (RFC 9110 §8.8.3.2): their
// opaque parts are equal, whatever their W/ prefixes. SCIM prefers weak
// tags and the RFC examples send them in If-Match, so If-Match compares
// weakly too (docs/interpretations.md#i5).
func weakMatch(a, b string) bool {
	return strings.TrimPrefix(a, "W/") == strings.TrimPrefix(b, "W/")
}

// anyMatch reports whether header lists "*" or a tag matching version.
func anyMatch(header, version string) bool {
	for _, t := range parseETags(header) {
		if t == "*" || weakMatch(t, version) {
			return true
		}
	}
	return false
}

// readPrecondition evaluates If-Match and If-None-Match for a GET: a
// matching If-None-Match is 304, a failing If-Match 412.
func (s *Server) readPrecondition(r *http.Request) precondition {
	im, inm := r.Header.Values("If-Match"), r.Header.Values("If-None-Match")
	return func(cur *record) error {
		if len(im) > 0 && !anyMatch(strings.Join(im, ","), cur.version) {
			return preconditionFailed(cur)
		}
		if len(inm) > 0 && !s.faults.Has(FaultEtagIgnoreIfNoneMatch) && anyMatch(strings.Join(inm, ","), cur.version) {
			return errNotModified
		}
		return nil
	}
}

// writePrecondition evaluates If-Match and If-None-Match for PUT, PATCH and
// DELETE: either failing is 412 (RFC 9110 §13.1).
func (s *Server) writePrecondition(r *http.Request) precondition {
	im, inm := r.Header.Values("If-Match"), r.Header.Values("If-None-Match")
	if len(im) == 0 && len(inm) == 0 {
		return nil
	}
	return func(cur *record) error {
		if len(im) > 0 && !s.faults.Has(FaultEtagIgnoreIfMatch) && !anyMatch(strings.Join(im, ","), cur.version) {
			return preconditionFailed(cur)
		}
		if len(inm) > 0 && anyMatch(strings.Join(inm, ","), cur.version) {
			return preconditionFailed(cur)
		}
		return nil
	}
}

func preconditionFailed(cur *record) error {
	return scimerr.New(http.StatusPreconditionFailed, "", "the resource is at version %s", cur.version)
}

// setETag sets the ETag header of a single-resource response.
func (s *Server) setETag(w http.ResponseWriter, rec *record) {
	switch {
	case s.faults.Has(FaultEtagNoHeader):
	case s.faults.Has(FaultEtagHeaderMismatch):
		w.Header().Set("ETag", `"x`+strings.Trim(strings.TrimPrefix(rec.version, "W/"), `"`)+`"`)
	default:
		w.Header().Set("ETag", rec.version)
	}
}
