package scim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// WriteGuard vets every request that could modify a resource before the
// client sends it (Options.Guard). The run's ledger implements it.
type WriteGuard interface {
	// MayWrite reports whether the run may modify the resource endpoint/id
	// (endpoint without slashes, e.g. "Users"; id unescaped).
	MayWrite(endpoint, id string) bool
	// Unanswered is told of every create (a POST to a collection, or a POST
	// to /Bulk) sent without a readable answer: the server may have made
	// the resources. body is the request body as sent; reason is redacted.
	Unanswered(endpoint string, body []byte, reason string)
}

// RefusedWriteError is returned, without sending anything, for a request
// that would modify something the run has not proven it created.
type RefusedWriteError struct {
	Method string
	URL    string // redacted
	Reason string
}

func (e *RefusedWriteError) Error() string {
	return fmt.Sprintf("refused to send %s %s: %s", e.Method, e.URL, e.Reason)
}

// isWrite reports whether a method may modify state on the server.
func isWrite(method string) bool {
	switch strings.ToUpper(method) {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// vetWrite applies the guard: a write must name a resource the guard allows,
// except a POST to a collection (a create) or to a .search endpoint (a
// query). A POST to /Bulk is vetted operation by operation.
func (c *Client) vetWrite(method string, target *url.URL, body []byte) error {
	if c.opts.Guard == nil || !isWrite(method) {
		return nil
	}
	method = strings.ToUpper(method)
	refuse := func(reason string) error {
		return &RefusedWriteError{Method: method, URL: c.redactor.URL(target.String()), Reason: reason}
	}
	segs, ok := c.relativeSegments(target)
	if !ok {
		return refuse("it is not a resource under the target's base URL " + c.redactor.URL(c.base.String()))
	}
	if method == http.MethodPost {
		switch {
		case len(segs) == 1 && strings.EqualFold(segs[0], "Bulk"):
			return c.vetBulk(body, refuse)
		case len(segs) < 2 || strings.EqualFold(segs[len(segs)-1], ".search"):
			return nil
		}
	}
	return c.vetResource(segs, refuse)
}

// noteUnanswered tells the guard of a create that got no readable answer.
func (c *Client) noteUnanswered(method string, target *url.URL, body []byte, reason string) {
	if c.opts.Guard == nil || !strings.EqualFold(method, http.MethodPost) {
		return
	}
	segs, ok := c.relativeSegments(target)
	if !ok || len(segs) != 1 || strings.EqualFold(segs[0], ".search") {
		return
	}
	c.opts.Guard.Unanswered(segs[0], body, reason)
}

// vetResource allows a write to /{endpoint}/{id}[/...] the guard allows.
func (c *Client) vetResource(segs []string, refuse func(string) error) error {
	if len(segs) < 2 {
		return refuse("it names no single resource the run created (a collection, /Me or a discovery endpoint)")
	}
	if !c.opts.Guard.MayWrite(segs[0], segs[1]) {
		return refuse(fmt.Sprintf("the run has not proven that it created /%s/%s (only resources whose create the run verified, and random ids that name nothing, are ever written to)",
			segs[0], segs[1]))
	}
	return nil
}

// vetBulk vets every operation of a BulkRequest (RFC 7644 §3.7): PUT, PATCH
// and DELETE must name a resource the guard allows or a bulkId of the same
// request. A body that is not a JSON object cannot be processed by the
// server and is sent as is (the Bulk error specs send such bodies).
func (c *Client) vetBulk(body []byte, refuse func(string) error) error {
	var req map[string]json.RawMessage
	if json.Unmarshal(body, &req) != nil {
		return nil //nolint:nilerr // not a Bulk request body: nothing in it can name a resource
	}
	var ops []map[string]any
	for k, v := range req {
		if strings.EqualFold(k, "Operations") {
			_ = json.Unmarshal(v, &ops)
		}
	}
	for i, op := range ops {
		method, _ := Member(op, "method").(string)
		path, _ := Member(op, "path").(string)
		if !isWrite(method) || strings.EqualFold(method, http.MethodPost) {
			continue
		}
		segs, ok := c.bulkSegments(path)
		if !ok {
			return refuse(fmt.Sprintf("Bulk operation %d (%s %s) is not a resource path under the base URL", i+1, method, path))
		}
		if len(segs) >= 2 && strings.HasPrefix(segs[1], "bulkId:") {
			continue
		}
		if err := c.vetResource(segs, func(reason string) error {
			return refuse(fmt.Sprintf("Bulk operation %d (%s %s): %s", i+1, strings.ToUpper(method), path, reason))
		}); err != nil {
			return err
		}
	}
	return nil
}

// bulkSegments resolves a Bulk operation path (relative to the base URL, or
// absolute) into segments.
func (c *Client) bulkSegments(path string) ([]string, bool) {
	target, err := c.resolve(path, nil)
	if err != nil {
		return nil, false
	}
	return c.relativeSegments(target)
}

// relativeSegments splits the path of u below the base URL into unescaped
// segments. It fails for another origin, a path outside the base, and empty
// or dot segments (which a server could resolve to another resource).
func (c *Client) relativeSegments(u *url.URL) ([]string, bool) {
	if origin(u) != c.origin {
		return nil, false
	}
	rest, ok := strings.CutPrefix(u.EscapedPath(), c.base.EscapedPath())
	if !ok || (rest != "" && rest[0] != '/') {
		return nil, false
	}
	rest = strings.TrimSuffix(strings.TrimPrefix(rest, "/"), "/")
	if rest == "" {
		return []string{}, true
	}
	parts := strings.Split(rest, "/")
	for i, p := range parts {
		s, err := url.PathUnescape(p)
		if err != nil || s == "" || s == "." || s == ".." {
			return nil, false
		}
		parts[i] = s
	}
	return parts, true
}

// Member reads a member of a decoded JSON object case-insensitively (RFC 7643
// §2.1: attribute names are case-insensitive); nil when absent.
func Member(m map[string]any, name string) any {
	if v, ok := m[name]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}
