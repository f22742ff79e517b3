package bulk

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// bulkIDPrefix marks a reference to a resource created in the same request
// (RFC 7644 §3.7.2).
const bulkIDPrefix = "bulkId:"

// state of an operation during the ordered execution.
type state int

const (
	pending state = iota
	visiting
	done
)

// operation is one validated entry of the request's Operations.
type operation struct {
	index    int
	method   string   // upper case when valid, else as sent
	bulkID   string   // as sent, any method
	segments []string // path segments, e.g. ["Users", "bulkId:x"]
	query    string   // raw query of the path, forwarded as is
	data     any      // object, nil for DELETE
	version  string   // becomes If-Match
	err      *scimerr.Error
	refs     []string // bulkIds referenced by data, in first-seen order
	pathRef  string   // bulkId referenced by the id segment of the path

	state     state
	result    *opResult
	createdID string // id of the resource a successful POST created
}

// defines reports whether the operation introduces its bulkId.
func (o *operation) defines() bool { return o.method == http.MethodPost && o.bulkID != "" }

// deps lists the bulkIds the operation needs before it can run.
func (o *operation) deps() []string {
	if o.pathRef == "" {
		return o.refs
	}
	for _, r := range o.refs {
		if r == o.pathRef {
			return o.refs
		}
	}
	return append(append([]string(nil), o.refs...), o.pathRef)
}

var methods = []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// parseOperation validates one operation; problems are kept in op.err so the
// operation is reported as failed rather than failing the whole request.
func parseOperation(index int, raw any) *operation {
	op := &operation{index: index}
	obj, ok := raw.(map[string]any)
	if !ok {
		op.err = scimerr.BadRequest(scimerr.InvalidSyntax, "operation %d is not a JSON object", index)
		return op
	}
	op.bulkID, _ = stringMember(obj, "bulkId") // echoed even when the operation fails
	for _, check := range []func(*operation, map[string]any) *scimerr.Error{
		(*operation).parseMethod, (*operation).parseBulkID, (*operation).parsePath,
		(*operation).parseData, (*operation).parseVersion,
	} {
		if op.err = check(op, obj); op.err != nil {
			return op
		}
	}
	return op
}

// stringMember returns a string member ("" when absent); ok is false when the
// member is present with another JSON type.
func stringMember(obj map[string]any, name string) (string, bool) {
	v := lookup(obj, name)
	if v == nil {
		return "", true
	}
	s, ok := v.(string)
	return s, ok
}

func (o *operation) parseMethod(obj map[string]any) *scimerr.Error {
	m, ok := stringMember(obj, "method")
	if !ok {
		return scimerr.BadRequest(scimerr.InvalidSyntax, "operation %d: method must be a string", o.index)
	}
	o.method = m
	for _, known := range methods {
		// Lenient: HTTP methods are case-sensitive, but clients send "post" too.
		if strings.EqualFold(m, known) {
			o.method = known
			return nil
		}
	}
	return scimerr.BadRequest(scimerr.InvalidSyntax,
		"operation %d: method %q is not one of POST, PUT, PATCH, DELETE", o.index, m)
}

func (o *operation) parseBulkID(obj map[string]any) *scimerr.Error {
	if _, ok := stringMember(obj, "bulkId"); !ok {
		return scimerr.BadRequest(scimerr.InvalidSyntax, "operation %d: bulkId must be a string", o.index)
	}
	if o.method == http.MethodPost && o.bulkID == "" {
		return scimerr.BadRequest(scimerr.InvalidValue, "operation %d: bulkId is required for POST", o.index)
	}
	return nil
}

// parsePath checks the path form of RFC 7644 §3.7: a resource type endpoint
// for POST, a resource for the other methods, never /Bulk.
func (o *operation) parsePath(obj map[string]any) *scimerr.Error {
	p, ok := stringMember(obj, "path")
	if !ok {
		return scimerr.BadRequest(scimerr.InvalidSyntax, "operation %d: path must be a string", o.index)
	}
	if p == "" {
		return scimerr.BadRequest(scimerr.InvalidValue, "operation %d: path is required", o.index)
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // lenient: "Users" is taken as "/Users"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Fragment != "" {
		return scimerr.BadRequest(scimerr.InvalidValue, "operation %d: path %q is not a path relative to the service root", o.index, p)
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	for _, s := range segs {
		if s == "" || s == "." || s == ".." {
			return scimerr.BadRequest(scimerr.InvalidValue, "operation %d: path %q has an empty or dot segment", o.index, p)
		}
	}
	if strings.EqualFold(segs[0], "Bulk") {
		return scimerr.BadRequest(scimerr.InvalidValue, "operation %d: a bulk operation cannot target /Bulk", o.index)
	}
	want := 2
	if o.method == http.MethodPost {
		want = 1
	}
	if len(segs) != want {
		return scimerr.BadRequest(scimerr.InvalidValue,
			"operation %d: path %q must name a resource type endpoint for POST and a resource otherwise", o.index, p)
	}
	o.segments, o.query = segs, u.RawQuery
	if want == 2 && strings.HasPrefix(segs[1], bulkIDPrefix) {
		o.pathRef = strings.TrimPrefix(segs[1], bulkIDPrefix)
	}
	return nil
}

func (o *operation) parseData(obj map[string]any) *scimerr.Error {
	if o.method == http.MethodDelete {
		return nil // data is meaningless for DELETE and ignored
	}
	v := lookup(obj, "data")
	if v == nil {
		return scimerr.BadRequest(scimerr.InvalidValue, "operation %d: data is required for %s", o.index, o.method)
	}
	if _, ok := v.(map[string]any); !ok {
		return scimerr.BadRequest(scimerr.InvalidSyntax, "operation %d: data must be a JSON object", o.index)
	}
	o.data = v
	o.refs = collectRefs(v)
	return nil
}

func (o *operation) parseVersion(obj map[string]any) *scimerr.Error {
	v, ok := stringMember(obj, "version")
	if !ok {
		return scimerr.BadRequest(scimerr.InvalidSyntax, "operation %d: version must be a string", o.index)
	}
	if o.method != http.MethodPost {
		o.version = v // POST has no existing version to match
	}
	return nil
}
