package refserver

import (
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// query holds the parameters of a list request (RFC 7644 §3.4.2, §3.4.3;
// RFC 9865 §2), from the URL or from a SearchRequest body.
type query struct {
	filter     string
	sortBy     string
	sortOrder  string
	startIndex int // 1-based, already normalised
	count      int // normalised; meaningful when hasCount
	hasCount   bool
	cursor     string
	hasCursor  bool
	attributes []string
	excluded   []string
	search     bool // from POST .search
}

// rawParams are the query parameters before number parsing.
type rawParams struct {
	startIndex, count string
	hasStart          bool
}

// queryFromURL reads the query parameters of a GET. Parameter names are
// matched case-sensitively as specified; unknown ones are ignored
// (RFC 7644 §3.4.2).
func (s *Server) queryFromURL(v url.Values) (*query, error) {
	if s.faults.Has(FaultQueryUnknownParamRejected) {
		for name := range v {
			if !knownQueryParams[name] {
				return nil, scimerr.BadRequest(scimerr.InvalidValue, "unknown query parameter %q", name)
			}
		}
	}
	q := &query{
		filter:     v.Get("filter"),
		sortBy:     v.Get("sortBy"),
		sortOrder:  v.Get("sortOrder"),
		attributes: splitList(v["attributes"]),
		excluded:   splitList(v["excludedAttributes"]),
	}
	_, q.hasCursor = v["cursor"]
	q.cursor = v.Get("cursor")
	_, hasStart := v["startIndex"]
	_, q.hasCount = v["count"]
	return q, s.finishNumbers(q, rawParams{startIndex: v.Get("startIndex"), count: v.Get("count"), hasStart: hasStart})
}

// knownQueryParams are the query parameters of a GET query (RFC 7644
// §3.4.2, §3.9; RFC 9865 §2); only the fault that refuses others uses it.
var knownQueryParams = map[string]bool{
	"filter": true, "sortBy": true, "sortOrder": true, "startIndex": true, "count": true,
	"cursor": true, "attributes": true, "excludedAttributes": true,
}

// splitList splits comma-separated attribute lists.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			if p := strings.TrimSpace(part); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// finishNumbers parses and normalises startIndex and count: startIndex
// below 1 is 1, a negative count is 0 (RFC 7644 §3.4.2.4). A count that is
// not an integer is 400 invalidCount with a cursor, invalidValue otherwise.
func (s *Server) finishNumbers(q *query, raw rawParams) error {
	q.startIndex = 1
	if raw.hasStart && raw.startIndex != "" {
		n, err := parseInt(raw.startIndex)
		if err != nil {
			return scimerr.BadRequest(scimerr.InvalidValue, "startIndex %q is not an integer", raw.startIndex)
		}
		if n < 1 && s.faults.Has(FaultPagingStartIndexRejected) {
			return scimerr.BadRequest(scimerr.InvalidValue, "startIndex must be at least 1")
		}
		q.startIndex = max(n, 1)
	}
	if q.hasCount {
		if raw.count == "" {
			q.hasCount = false
			return nil
		}
		n, err := parseInt(raw.count)
		if err != nil {
			kind := scimerr.InvalidValue
			if q.hasCursor {
				kind = scimerr.InvalidCount
			}
			return scimerr.BadRequest(kind, "count %q is not an integer", raw.count)
		}
		if n < 0 && s.faults.Has(FaultPagingNegativeCountRejected) {
			return scimerr.BadRequest(scimerr.InvalidValue, "count must not be negative")
		}
		q.count = max(n, 0)
	}
	return nil
}

// parseInt parses a decimal integer, clamping huge values.
func parseInt(s string) (int, error) {
	s = strings.TrimSpace(s)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			if strings.HasPrefix(s, "-") {
				return math.MinInt32, nil
			}
			return math.MaxInt32, nil
		}
		return 0, err
	}
	return int(max(min(n, math.MaxInt32), math.MinInt32)), nil
}

// queryFromSearch reads a SearchRequest body (RFC 7644 §3.4.3, RFC 9865 §3).
// Lenient where docs/interpretations.md#i15 allows: attributes may be an array or a
// comma-separated string, startIndex and count may be numbers or numeric
// strings, and a body without schemas is accepted; a schemas member that
// does not name SearchRequest is 400 invalidSyntax.
func (s *Server) queryFromSearch(body map[string]any) (*query, error) {
	if err := checkMessageSchema(body, schema.URNSearchRequest); err != nil {
		return nil, err
	}
	q := &query{search: true}
	var err error
	str := func(name string) string {
		v, ok := lookup(body, name)
		if !ok || v == nil || err != nil {
			return ""
		}
		sv, isStr := v.(string)
		if !isStr {
			err = scimerr.BadRequest(scimerr.InvalidValue, "%s must be a string", name)
		}
		return sv
	}
	q.filter, q.sortBy, q.sortOrder = str("filter"), str("sortBy"), str("sortOrder")
	if v, ok := lookup(body, "cursor"); ok && v != nil {
		q.hasCursor = true
		q.cursor = str("cursor")
	}
	if err != nil {
		return nil, err
	}
	if q.attributes, err = stringList(body, "attributes"); err != nil {
		return nil, err
	}
	if q.excluded, err = stringList(body, "excludedAttributes"); err != nil {
		return nil, err
	}
	raw := rawParams{}
	raw.startIndex, raw.hasStart, err = numberParam(body, "startIndex")
	if err != nil {
		return nil, err
	}
	raw.count, q.hasCount, err = numberParam(body, "count")
	if err != nil {
		return nil, err
	}
	return q, s.finishNumbers(q, raw)
}

// checkMessageSchema rejects a message whose schemas member does not name
// urn; a message without schemas is accepted.
func checkMessageSchema(body map[string]any, urn string) error {
	raw, ok := lookup(body, "schemas")
	if !ok || raw == nil {
		return nil
	}
	list, _ := raw.([]any)
	for _, e := range list {
		if s, ok := e.(string); ok && strings.EqualFold(s, urn) {
			return nil
		}
	}
	return scimerr.BadRequest(scimerr.InvalidSyntax, "schemas must contain %s", urn)
}

// stringList reads an array of strings or a comma-separated string.
func stringList(body map[string]any, name string) ([]string, error) {
	v, ok := lookup(body, name)
	if !ok || v == nil {
		return nil, nil
	}
	switch t := v.(type) {
	case string:
		return splitList([]string{t}), nil
	case []any:
		var out []string
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return nil, scimerr.BadRequest(scimerr.InvalidValue, "%s must hold strings", name)
			}
			out = append(out, splitList([]string{s})...)
		}
		return out, nil
	}
	return nil, scimerr.BadRequest(scimerr.InvalidValue, "%s must be an array of strings", name)
}

// numberParam reads a numeric member as its decimal text.
func numberParam(body map[string]any, name string) (string, bool, error) {
	v, ok := lookup(body, name)
	if !ok || v == nil {
		return "", false, nil
	}
	switch t := v.(type) {
	case json.Number:
		if f, err := t.Float64(); err == nil && f == math.Trunc(f) {
			return strconv.FormatFloat(f, 'f', 0, 64), true, nil
		}
	case float64:
		if t == math.Trunc(t) {
			return strconv.FormatFloat(t, 'f', 0, 64), true, nil
		}
	case string:
		return t, true, nil
	}
	return "", false, scimerr.BadRequest(scimerr.InvalidValue, "%s must be an integer", name)
}
