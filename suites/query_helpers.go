package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/fixtures/dataset"
	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Shared helpers of the sort, paging, cursor, attribute-selection and
// POST .search suites. Names start with "lq" (list query) so that they
// cannot collide with the helpers of the other suites in this package.

// lqNumber is an optional integer member of a ListResponse.
type lqNumber struct {
	Value   int
	Present bool
}

// lqCursor is an optional cursor member of a ListResponse (RFC 9865 §2).
type lqCursor struct {
	Value   string
	Present bool
}

// lqList is a ListResponse as the query suites read it. Members the server
// did not send are marked absent; Resources is nil when absent.
type lqList struct {
	Resp           *scim.Response
	Doc            map[string]any
	Resources      []map[string]any
	HasResources   bool
	TotalResults   lqNumber
	ItemsPerPage   lqNumber
	StartIndex     lqNumber
	NextCursor     lqCursor
	PreviousCursor lqCursor
}

// IDs returns the ids of the page's resources in order ("" for a resource
// without an id).
func (l *lqList) IDs() []string { return lqIDs(l.Resources) }

// lqIDs returns the ids of resources in order.
func lqIDs(resources []map[string]any) []string {
	out := make([]string, 0, len(resources))
	for _, r := range resources {
		id, _ := memberString(r, "id")
		out = append(out, id)
	}
	return out
}

// lqGet sends a query (GET path?q) and reads its ListResponse. The spec
// fails, citing req, unless the answer is 200 with a readable ListResponse.
func lqGet(ctx context.Context, env *Env, path string, q url.Values, req string) *lqList {
	GinkgoHelper()
	resp := env.Get(ctx, path, q)
	what := "GET " + lqShow(path, q)
	Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf(
		"%s: %s is a valid query over data this run created; answer it with 200 OK and a ListResponse", cite(req), what)))
	return lqParse(resp, what, req)
}

// lqParse reads a ListResponse body; the spec fails, citing req, when the
// body is not a JSON object or a member has the wrong JSON type.
func lqParse(resp *scim.Response, what, req string) *lqList {
	GinkgoHelper()
	doc := decodeObject(resp, "the body of "+what, req)
	l := &lqList{Resp: resp, Doc: doc}
	var problems []string
	if raw, ok := member(doc, "Resources"); ok && raw != nil {
		l.HasResources = true
		items, isList := raw.([]any)
		if !isList {
			problems = append(problems, fmt.Sprintf("\"Resources\" is a JSON %s, not an array", jsonKind(raw)))
		}
		for i, it := range items {
			obj, isObj := it.(map[string]any)
			if !isObj {
				problems = append(problems, fmt.Sprintf("Resources[%d] is a JSON %s, not an object", i, jsonKind(it)))
				continue
			}
			l.Resources = append(l.Resources, obj)
		}
	}
	for _, n := range []struct {
		name string
		dst  *lqNumber
	}{{"totalResults", &l.TotalResults}, {"itemsPerPage", &l.ItemsPerPage}, {"startIndex", &l.StartIndex}} {
		if p := lqReadNumber(doc, n.name, n.dst); p != "" {
			problems = append(problems, p)
		}
	}
	for _, c := range []struct {
		name string
		dst  *lqCursor
	}{{"nextCursor", &l.NextCursor}, {"previousCursor", &l.PreviousCursor}} {
		if p := lqReadCursor(doc, c.name, c.dst); p != "" {
			problems = append(problems, p)
		}
	}
	failProblems(fmt.Sprintf("%s: the ListResponse of %s cannot be read (RFC 7644 §3.4.2, RFC 9865 §2); send each member with its JSON type:",
		cite(req), what), problems)
	return l
}

// lqReadNumber reads an optional non-negative integer member.
func lqReadNumber(doc map[string]any, name string, dst *lqNumber) string {
	raw, ok := member(doc, name)
	if !ok || raw == nil {
		return ""
	}
	f, isNum := raw.(float64)
	if !isNum || !isWholeNumber(f) || f < 0 {
		return fmt.Sprintf("%q is %s, not a non-negative integer", name, quoteJSON(raw))
	}
	*dst = lqNumber{Value: int(f), Present: true}
	return ""
}

// lqReadCursor reads an optional cursor string member.
func lqReadCursor(doc map[string]any, name string, dst *lqCursor) string {
	raw, ok := member(doc, name)
	if !ok || raw == nil {
		return ""
	}
	s, isStr := raw.(string)
	if !isStr {
		return fmt.Sprintf("%q is a JSON %s, not a string", name, jsonKind(raw))
	}
	*dst = lqCursor{Value: s, Present: true}
	return ""
}

// lqShow renders path?query for messages, readable (not percent-encoded).
func lqShow(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range q[k] {
			parts = append(parts, k+"="+v)
		}
	}
	return path + "?" + strings.Join(parts, "&")
}

// lqQuery builds url.Values from name, value pairs.
func lqQuery(pairs ...string) url.Values {
	q := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		q.Add(pairs[i], pairs[i+1])
	}
	return q
}

// lqWith returns a copy of q with name set to value.
func lqWith(q url.Values, name, value string) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	out.Set(name, value)
	return out
}

// lqOrderProblem compares an order of keys with the expected one and
// describes the difference ("" when equal).
func lqOrderProblem(want, got []string) string {
	if strings.Join(want, "\x00") == strings.Join(got, "\x00") {
		return ""
	}
	return fmt.Sprintf("expected the order %s, got %s", lqShowKeys(want), lqShowKeys(got))
}

// lqQuote renders a string as a SCIM filter string literal.
func lqQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// lqSearchUnsupported reports whether a POST .search answer says the
// endpoint does not offer .search at all (docs/interpretations.md#i15: .search is
// optional): 501 Not Implemented, or 404/405 from servers that never
// routed it.
func lqSearchUnsupported(status int) bool {
	return status == http.StatusNotImplemented || status == http.StatusNotFound || status == http.StatusMethodNotAllowed
}

// lqSearch sends a SearchRequest to path and reads the ListResponse. When
// the answer says .search is not offered there, the spec ends as NOT
// SUPPORTED: the dedicated .search specs judge how that is reported.
func lqSearch(ctx context.Context, env *Env, path string, body map[string]any, req string) *lqList {
	GinkgoHelper()
	resp := lqPostBody(ctx, env, path, body)
	if lqSearchUnsupported(resp.Status) {
		Skip(fmt.Sprintf("%sPOST %s answered %s: .search is optional (%s)", spec.SkipUnsupportedPrefix, path, lqStatus(resp.Status), interpretation(15)))
	}
	what := "POST " + path + " " + quoteJSON(body)
	Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf(
		"%s: %s is a valid SearchRequest; answer it with 200 OK and a ListResponse like the equivalent GET (RFC 7644 §3.4.3)", cite(req), what)))
	return lqParse(resp, what, req)
}

// lqSearchBody builds a SearchRequest body from name, value pairs.
func lqSearchBody(pairs ...any) map[string]any {
	body := map[string]any{"schemas": []any{scim.MessageSearchRequest}}
	for i := 0; i+1 < len(pairs); i += 2 {
		body[pairs[i].(string)] = pairs[i+1]
	}
	return body
}

// lqStatus renders "404 Not Found".
func lqStatus(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}

// lqMaxPages bounds how many pages one result walk reads.
const lqMaxPages = 25

// lqFetchAll GETs path?q (with count=100 unless q has a count) and, when
// the first page holds fewer resources than totalResults, reads the next
// index pages. It returns the first page and every resource read.
func lqFetchAll(ctx context.Context, env *Env, path string, q url.Values, req string) (*lqList, []map[string]any) {
	GinkgoHelper()
	if q.Get("count") == "" {
		q = lqWith(q, "count", "100")
	}
	first := lqGet(ctx, env, path, q, req)
	all := append([]map[string]any(nil), first.Resources...)
	page := first
	for n := 1; n < lqMaxPages && first.TotalResults.Present && len(all) < first.TotalResults.Value && len(page.Resources) > 0; n++ {
		page = lqGet(ctx, env, path, lqWith(q, "startIndex", fmt.Sprint(len(all)+1)), req)
		all = append(all, page.Resources...)
	}
	return first, all
}

// lqPrepare loads the shared data set for query q, skips the spec when the
// server does not declare an attribute q depends on, and returns q's
// filter expanded and scoped to the data set.
//
// The spec judges the whole answer (pages, cursors, a SearchRequest's
// result): it is SKIPPED when the server accepts no filter that scopes q
// (QuerySet.RequireScope).
func lqPrepare(ctx context.Context, env *Env, q dataset.Query) (*QuerySet, string) {
	GinkgoHelper()
	qs, f := prepareQuery(ctx, env, q)
	qs.RequireScope(q.ResourceType(), f)
	return qs, qs.ScopedFor(q.ResourceType(), f)
}

// lqFetchOwn is lqFetchAll for a query that may not be scoped to the data
// set: when qs cannot scope filter f on rt, f is sent bare (no filter at
// all when f is empty), pages are read within the budget (lqBudgetPages,
// lqBudgetResources) and only the data set's own resources are returned.
// partial says pages were left unread.
func lqFetchOwn(ctx context.Context, env *Env, qs *QuerySet, rt, f string, params url.Values, req string) (what string, own []map[string]any, reduced, partial bool) {
	GinkgoHelper()
	path := env.Endpoint(rt)
	q := lqWith(params, "filter", qs.ScopedFor(rt, f))
	if q.Get("filter") == "" {
		q.Del("filter")
	}
	what = "GET " + lqShow(path, q)
	if qs.Exact(rt, f) {
		_, all := lqFetchAll(ctx, env, path, q, req)
		return what, all, false, false
	}
	if q.Get("count") == "" {
		q = lqWith(q, "count", "100")
	}
	first := lqGet(ctx, env, path, q, req)
	all := append([]map[string]any(nil), first.Resources...)
	page := first
	more := func() bool {
		return first.TotalResults.Present && len(all) < first.TotalResults.Value && len(page.Resources) > 0
	}
	for n := 1; more(); n++ {
		if n >= lqBudgetPages || len(all) >= lqBudgetResources {
			partial = true
			break
		}
		page = lqGet(ctx, env, path, lqWith(q, "startIndex", fmt.Sprint(len(all)+1)), req)
		all = append(all, page.Resources...)
	}
	env.Info("%s was sent without the data set's scope (scoping probe: %s); the answer is judged on the data set's own resources", what, qs.Scope.Note())
	return what, qs.Own(all), true, partial
}

// lqKeyProblems compares the data-set keys a query returned (qs.Keys) with
// the keys it must return (want) and may return (maybe): one line per
// missing, unexpected or repeated key.
func lqKeyProblems(got, want, maybe []string) []string {
	allowed := map[string]bool{}
	for _, k := range maybe {
		allowed[k] = true
	}
	wanted := map[string]bool{}
	for _, k := range want {
		wanted[k] = true
	}
	seen := map[string]int{}
	var problems []string
	for _, k := range got {
		seen[k]++
		switch {
		case seen[k] == 2:
			problems = append(problems, "returned more than once: "+k)
		case seen[k] == 1 && !wanted[k] && !allowed[k]:
			problems = append(problems, "returned but not expected: "+k)
		}
	}
	for _, k := range want {
		if seen[k] == 0 {
			problems = append(problems, "expected but missing: "+k)
		}
	}
	return problems
}

// lqShowKeys renders keys as [u01, u02].
func lqShowKeys(keys []string) string { return "[" + strings.Join(keys, ", ") + "]" }

// lqKeysOf maps ids to data-set keys ("other(<id>)" outside the set).
func lqKeysOf(qs *QuerySet, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		if k := qs.Key(id); k != "" {
			out[i] = k
		} else {
			out[i] = "other(" + id + ")"
		}
	}
	return out
}

// lqSend sends a request with a JSON body. When the server refuses the body
// as application/scim+json (415), it is sent once more as application/json
// and the fallback is recorded as INFO: the media-type suite judges the
// 415, and the specs of these suites still judge what they test.
func lqSend(ctx context.Context, env *Env, req scim.Request) *scim.Response {
	GinkgoHelper()
	resp := env.Do(ctx, req)
	if resp.Status != http.StatusUnsupportedMediaType || req.ContentType != "" {
		return resp
	}
	env.Info("%s %s: the server refused the body as %s (415); sent again as application/json (the media-type specs judge this)", req.Method, req.Path, scim.MediaType)
	req.ContentType = "application/json"
	return env.Do(ctx, req)
}

// lqPostBody POSTs a JSON body through lqSend.
func lqPostBody(ctx context.Context, env *Env, path string, body any) *scim.Response {
	GinkgoHelper()
	return lqSend(ctx, env, scim.Request{Method: http.MethodPost, Path: path, Body: body})
}
