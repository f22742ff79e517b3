package refserver

import (
	"io"
	"net/http"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// ThrottleRetryAfter is the Retry-After, in seconds, of a throttled answer.
const ThrottleRetryAfter = "1"

// throttled answers every Options.ThrottleEvery-th request 429 Too Many
// Requests with Retry-After before anything else looks at it, as a
// rate-limited service does, and reports whether it did. The request is not
// processed: a client that retries it after the pause gets the real answer.
// Bulk operations are not counted (the Bulk request is).
func (s *Server) throttled(w http.ResponseWriter, r *http.Request) bool {
	n := int64(s.opts.ThrottleEvery)
	if n <= 0 || s.requests.Add(1)%n != 0 {
		return false
	}
	// Read the body (bounded) so the connection stays usable for the retry.
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, s.opts.MaxBodyBytes))
	w.Header().Set("Retry-After", ThrottleRetryAfter)
	s.writeError(w, r, scimerr.New(http.StatusTooManyRequests, "",
		"throttled (one request in %d is refused): retry after %s second", n, ThrottleRetryAfter))
	return true
}
