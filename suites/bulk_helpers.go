package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Helpers of the Bulk suite (RFC 7644 §3.7): building BulkRequests, reading
// BulkResponses leniently (docs/interpretations.md#i8) and tracking every resource a
// bulk request created, at once, before any assertion can end the spec.

// pathBulk is the Bulk endpoint, relative to the base URL.
const pathBulk = "/Bulk"

// bulkNoLimit omits failOnErrors from a request.
const bulkNoLimit = -1

// bulkOp is one operation of a BulkRequest as the harness builds it.
type bulkOp struct {
	Method  string
	Path    string
	BulkID  string
	Data    any
	Version string
}

// wire renders the operation as it is sent.
func (o bulkOp) wire() map[string]any {
	m := map[string]any{"method": o.Method, "path": o.Path}
	if o.BulkID != "" {
		m["bulkId"] = o.BulkID
	}
	if o.Data != nil {
		m["data"] = o.Data
	}
	if o.Version != "" {
		m["version"] = o.Version
	}
	return m
}

// name is the userName or displayName the operation's data sets.
func (o bulkOp) name() string {
	if m, ok := o.Data.(map[string]any); ok {
		return nameOf(m)
	}
	return ""
}

// bulkRequestBody builds a BulkRequest; failOnErrors < 0 omits it.
func bulkRequestBody(failOnErrors int, ops []bulkOp) map[string]any {
	list := make([]any, 0, len(ops))
	for _, o := range ops {
		list = append(list, o.wire())
	}
	body := map[string]any{"schemas": []any{scim.MessageBulkRequest}, "Operations": list}
	if failOnErrors >= 0 {
		body["failOnErrors"] = failOnErrors
	}
	return body
}

// bulkUserData is the data of a User create or replace.
func bulkUserData(userName, displayName string) map[string]any {
	return etagUserBody(userName, displayName)
}

// bulkGroupData is the data of a Group create with the given members.
func bulkGroupData(displayName string, members ...map[string]any) map[string]any {
	body := map[string]any{"schemas": []any{scim.SchemaGroup}, "displayName": displayName}
	if len(members) > 0 {
		list := make([]any, 0, len(members))
		for _, m := range members {
			list = append(list, m)
		}
		body["members"] = list
	}
	return body
}

// bulkResult is one element of a BulkResponse's Operations, read leniently.
type bulkResult struct {
	Raw      map[string]any
	Method   string
	BulkID   string
	Location string
	Version  string
	// Code is the status code; 0 when status is missing or unreadable.
	Code int
	// Shape is how status arrived: "string", "integer" or "object"
	// (docs/interpretations.md#i8), or a description of what is wrong with it.
	Shape string
	// Description is status.description when status is an object.
	Description string
	// Response is the "response" member; nil when absent or not an object.
	Response    map[string]any
	HasResponse bool
}

// ok reports whether the operation succeeded (2xx).
func (r *bulkResult) ok() bool { return r != nil && r.Code >= 200 && r.Code <= 299 }

// parseBulkResult reads one result.
func parseBulkResult(raw map[string]any) *bulkResult {
	r := &bulkResult{Raw: raw}
	r.Method, _ = memberString(raw, "method")
	r.BulkID, _ = memberString(raw, "bulkId")
	r.Location, _ = memberString(raw, "location")
	r.Version, _ = memberString(raw, "version")
	var resp any
	resp, r.HasResponse = member(raw, "response")
	r.Response, _ = resp.(map[string]any)
	status, present := member(raw, "status")
	if !present {
		r.Shape = "missing"
		return r
	}
	switch s := status.(type) {
	case map[string]any:
		r.Shape = "object"
		code, _ := member(s, "code")
		r.Code, _ = statusCode(code)
		r.Description, _ = memberString(s, "description")
	default:
		var shape string
		r.Code, shape = statusCode(s)
		r.Shape = shape
	}
	return r
}

// statusCode reads a status code given as a JSON string or number.
func statusCode(v any) (int, string) {
	switch x := v.(type) {
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(x))
		if err != nil || n < 100 || n > 599 {
			return 0, fmt.Sprintf("the string %q, not an HTTP status code", x)
		}
		return n, "string"
	case float64:
		if !isWholeNumber(x) || x < 100 || x > 599 {
			return 0, fmt.Sprintf("the number %v, not an HTTP status code", x)
		}
		return int(x), "integer"
	default:
		return 0, fmt.Sprintf("a JSON %s", jsonKind(v))
	}
}

// bulkReply is a BulkResponse as the harness read it.
type bulkReply struct {
	Resp *scim.Response
	// Results are the Operations of the response, in response order.
	Results []*bulkResult
	// Matched holds, for each operation of the request, its result (nil
	// when none could be matched).
	Matched []*bulkResult
	// IDs maps the bulkId of each POST operation to the id of the resource
	// it created (every one of them is tracked for cleanup).
	IDs map[string]string
	// Problem says why the body could not be read ("" when it could).
	Problem string
}

// bulkSend POSTs a BulkRequest, tracks every resource its POST operations
// created, then expects a 2xx BulkResponse (or a status in allow, returned
// with no results). req is the requirement the spec checks.
func bulkSend(ctx context.Context, env *Env, ops []bulkOp, failOnErrors int, req string, allow ...int) *bulkReply {
	GinkgoHelper()
	for _, o := range ops {
		if data, ok := o.Data.(map[string]any); ok && (o.Method == http.MethodPost || o.Method == http.MethodPut) {
			env.stamp(o.Path, data)
		}
	}
	resp := env.Post(ctx, pathBulk, bulkRequestBody(failOnErrors, ops))
	reply := &bulkReply{Resp: resp, IDs: map[string]string{}}
	reply.Results, reply.Problem = parseBulkResults(resp)
	reply.Matched = matchBulkResults(ops, reply.Results)
	bulkTrack(ctx, env, ops, reply)
	for _, code := range allow {
		if resp.Status == code {
			return reply
		}
	}
	if resp.Status < 200 || resp.Status > 299 {
		Fail(fmt.Sprintf("%s: POST %s answered HTTP %d; a bulk request the server can process must be answered 200 with a BulkResponse (RFC 7644 §3.7).%s",
			cite(req), pathBulk, resp.Status, bodyHint(resp)))
	}
	if resp.Status != http.StatusOK {
		env.Info("POST %s answered HTTP %d; the bulk response status spec (7644-3.7-12) judges it", pathBulk, resp.Status)
	}
	if reply.Problem != "" {
		Fail(fmt.Sprintf("%s: the body of the bulk response cannot be read: %s. Answer with a BulkResponse whose \"Operations\" array holds one result object per processed operation (RFC 7644 §3.7.3).",
			cite(req), reply.Problem))
	}
	return reply
}

// bodyHint quotes the start of a response body for a failure message.
func bodyHint(resp *scim.Response) string {
	if len(resp.Body) == 0 {
		return ""
	}
	s := string(resp.Body)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return " Body: " + s
}

// parseBulkResults reads the Operations of a BulkResponse.
func parseBulkResults(resp *scim.Response) ([]*bulkResult, string) {
	obj, err := resp.Object()
	if err != nil {
		return nil, err.Error()
	}
	v, ok := member(obj, "Operations")
	if !ok {
		return nil, "it has no \"Operations\" member"
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Sprintf("\"Operations\" is a JSON %s, not an array", jsonKind(v))
	}
	out := make([]*bulkResult, 0, len(list))
	for i, it := range list {
		raw, ok := it.(map[string]any)
		if !ok {
			return nil, fmt.Sprintf("Operations[%d] is a JSON %s, not an object", i, jsonKind(it))
		}
		out = append(out, parseBulkResult(raw))
	}
	return out, ""
}

// matchBulkResults pairs each operation with its result: POST operations by
// bulkId, the others by a location ending in their path, and what is left
// by method, in order. The RFC does not require results in request order.
func matchBulkResults(ops []bulkOp, results []*bulkResult) []*bulkResult {
	matched := make([]*bulkResult, len(ops))
	used := make([]bool, len(results))
	take := func(i int, pred func(r *bulkResult) bool) {
		for j, r := range results {
			if !used[j] && pred(r) {
				matched[i], used[j] = r, true
				return
			}
		}
	}
	for i, o := range ops {
		switch {
		case o.Method == http.MethodPost && o.BulkID != "":
			take(i, func(r *bulkResult) bool { return r.BulkID == o.BulkID })
		case o.Method != http.MethodPost && !strings.Contains(o.Path, "bulkId:"):
			take(i, func(r *bulkResult) bool {
				return strings.EqualFold(r.Method, o.Method) && pathOfURL(r.Location) != "" && strings.HasSuffix(pathOfURL(r.Location), o.Path)
			})
		}
	}
	for i, o := range ops {
		if matched[i] == nil {
			take(i, func(r *bulkResult) bool { return strings.EqualFold(r.Method, o.Method) })
		}
	}
	return matched
}

// pathOfURL is the path of an absolute or relative URL ("" when unparsable).
func pathOfURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return strings.TrimRight(u.Path, "/")
}

// lastSegment is the last path segment of a URL: a resource id.
func lastSegment(s string) string {
	p := pathOfURL(s)
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[i+1:]
	}
	return p
}

// bulkTrack finds the id of every resource the POST operations created and
// tracks it for cleanup: from the result's location, else from the result's
// response, else by searching for the name the operation gave it.
func bulkTrack(ctx context.Context, env *Env, ops []bulkOp, reply *bulkReply) {
	GinkgoHelper()
	for i, o := range ops {
		if o.Method != http.MethodPost {
			continue
		}
		r := reply.Matched[i]
		if r != nil && !r.ok() && r.Code != 0 {
			continue // a failed create: nothing to track
		}
		id := ""
		if r != nil {
			id = lastSegment(r.Location)
			if id == "" && r.Response != nil {
				id, _ = memberString(r.Response, "id")
			}
		}
		if id == "" {
			id = bulkLookup(ctx, env, o)
		}
		data, _ := o.Data.(map[string]any)
		if id == "" || !env.ClaimExisting(ctx, o.Path, id, data) {
			continue
		}
		if o.BulkID != "" {
			reply.IDs[o.BulkID] = id
		}
	}
}

// bulkLookup searches the endpoint of a POST operation for the resource it
// named (userName for Users, displayName otherwise); "" when filtering is
// unavailable or nothing matches.
func bulkLookup(ctx context.Context, env *Env, o bulkOp) string {
	GinkgoHelper()
	name := o.name()
	if name == "" || !env.Caps.Has(spec.FeatureFilter) {
		return ""
	}
	attr := "displayName"
	if o.Path == env.Endpoint("User") {
		attr = "userName"
	}
	resp := env.Get(ctx, o.Path, url.Values{"filter": {fmt.Sprintf("%s eq %q", attr, name)}})
	items, err := listResources(resp)
	if err != nil || resp.Status != http.StatusOK {
		return ""
	}
	for _, it := range items {
		if got, _ := memberString(it, attr); strings.EqualFold(got, name) {
			id, _ := memberString(it, "id")
			return id
		}
	}
	return ""
}

// bulkMissingPath is the path of a User that does not exist: a DELETE or
// PATCH of it fails with 404 and changes nothing, on any server.
func bulkMissingPath(env *Env) string {
	return env.Probe(env.Endpoint("User")).Path()
}

// bulkExpectResult fails the spec when operation i has no result.
func bulkExpectResult(reply *bulkReply, ops []bulkOp, i int, req string) *bulkResult {
	GinkgoHelper()
	r := reply.Matched[i]
	if r == nil {
		Fail(fmt.Sprintf("%s: the bulk response has no result for operation %d (%s %s); it holds %d results for %d operations. Report every processed operation with its method, bulkId (for POST) and location (RFC 7644 §3.7.3).",
			cite(req), i, ops[i].Method, ops[i].Path, len(reply.Results), len(ops)))
	}
	return r
}

// bulkCreatedID returns the id of the resource the POST operation with
// bulkId created, failing the spec (with req) when it is unknown.
func bulkCreatedID(reply *bulkReply, ops []bulkOp, bulkID, req string) string {
	GinkgoHelper()
	if id := reply.IDs[bulkID]; id != "" {
		return id
	}
	for i, o := range ops {
		if o.BulkID == bulkID {
			status := "no result"
			if r := reply.Matched[i]; r != nil {
				status = fmt.Sprintf("status %d", r.Code)
			}
			Fail(fmt.Sprintf("%s: the POST operation with bulkId %q (%s) did not create a resource the harness can find (%s). A valid create inside a bulk request must succeed as it would alone; report it with its location.",
				cite(req), bulkID, o.name(), status))
		}
	}
	Fail("harness: unknown bulkId " + bulkID)
	return ""
}
