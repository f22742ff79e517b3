package refserver

import (
	"net/http"
	"strings"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// serveList runs a query over the resource types rts and writes the
// ListResponse (RFC 7644 §3.4.2). Paging decisions:
//   - no response holds more than min(maxPageSize, filter.maxResults)
//     resources; a larger count is lowered, never answered 400 tooMany
//     (index paging; the RFC lets the server return fewer);
//   - without count a page holds defaultPageSize (100) resources;
//   - count=0 returns totalResults and an empty Resources array (I4);
//   - startIndex beyond the end returns an empty page (I4).
func (s *Server) serveList(w http.ResponseWriter, r *http.Request, rts []*resourceType, q *query) error {
	keep, err := s.filterFor(rts, q)
	if err != nil {
		return err
	}
	recs := s.store.scan(rts, keep)
	if s.faults.Has(FaultTenantLeakList) {
		recs = append(recs, s.peerRecords(rts, keep)...)
	}
	s.sortRecords(recs, q.sortBy, q.sortOrder)
	page, paging, err := s.paginate(recs, q, rts)
	if err != nil {
		return err
	}
	if len(recs) == 0 && s.faults.Has(FaultPagingEmpty404) {
		return scimerr.New(http.StatusNotFound, "", "no resource matches")
	}
	projections := map[*resourceType]*projection{}
	resources := make([]any, 0, len(page))
	for _, rec := range page {
		p, ok := projections[rec.rt]
		if !ok {
			p = s.newProjection(rec.rt.Schema, q.attributes, q.excluded)
			projections[rec.rt] = p
		}
		doc := s.render(r, rec, p)
		if s.faults.Has(FaultListResourcesNoSchemas) {
			delete(doc, "schemas")
		}
		resources = append(resources, doc)
	}
	body := map[string]any{
		"schemas":      []string{schema.URNListResponse},
		"totalResults": len(recs),
		"Resources":    resources,
	}
	if s.faults.Has(FaultPagingNoTotalResults) {
		delete(body, "totalResults")
	}
	for k, v := range paging {
		body[k] = v
	}
	s.writeJSON(w, r, http.StatusOK, body)
	return nil
}

// filterFor compiles the query's filter for every resource type. An empty
// filter matches everything. At the server root a filter that fits only
// some resource types matches none of the others; it is an error only when
// it fits none.
func (s *Server) filterFor(rts []*resourceType, q *query) (func(*record) bool, error) {
	if strings.TrimSpace(q.filter) == "" || (q.search && s.faults.Has(FaultSearchPostIgnoresFilter)) {
		return nil, nil
	}
	ms := map[*resourceType]matcher{}
	var firstErr error
	for _, rt := range rts {
		m, err := compileFilter(q.filter, rt.Schema, s.faults)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		ms[rt] = m
	}
	if len(ms) == 0 {
		return nil, firstErr
	}
	return func(rec *record) bool {
		m, ok := ms[rec.rt]
		if ok && !m.Match(rec.doc) && s.faults.Has(FaultFilterIndexStale) {
			for _, old := range rec.stale { // fault: old values still indexed
				if m.Match(old) {
					return true
				}
			}
		}
		return ok && m.Match(rec.doc)
	}, nil
}

// paginate cuts the page out of the sorted result and returns the paging
// members of the response: index paging (RFC 7644 §3.4.2.4) by default, cursor
// paging (RFC 9865) when the query has a cursor parameter. When both
// startIndex and cursor are given the cursor wins and startIndex is
// ignored: RFC 9865 defines no error for the mix (lenient reading).
func (s *Server) paginate(recs []*record, q *query, rts []*resourceType) ([]*record, map[string]any, error) {
	size := s.opts.defaultPageSize()
	if q.hasCount {
		size = q.count
	}
	if q.hasCursor && !s.faults.Has(FaultCursorIgnored) {
		return s.cursorPage(recs, q, rts, size)
	}
	size = min(size, s.opts.MaxPageSize, s.opts.MaxResults)
	total := len(recs)
	from := min(q.startIndex-1, total)
	to := min(from+size, total)
	if s.faults.Has(FaultPagingCountExceeded) && to < total {
		to++
	}
	items := to - from
	if s.faults.Has(FaultPagingItemsPerPageIsCount) {
		items = size
	}
	return recs[from:to], map[string]any{"startIndex": q.startIndex, "itemsPerPage": items}, nil
}

// cursorPage pages with RFC 9865 cursors: an empty cursor is the first
// page, nextCursor is omitted on the last page (and with count=0, where no
// page can make progress), previousCursor is given on every page but the
// first, and count above maxPageSize is 400 invalidCount.
func (s *Server) cursorPage(recs []*record, q *query, rts []*resourceType, size int) ([]*record, map[string]any, error) {
	if q.hasCount && q.count > s.opts.MaxPageSize {
		return nil, nil, scimerr.BadRequest(scimerr.InvalidCount, "count %d exceeds maxPageSize %d", q.count, s.opts.MaxPageSize)
	}
	size = min(size, s.opts.MaxPageSize, s.opts.MaxResults)
	names := make([]string, len(rts))
	for i, rt := range rts {
		names[i] = rt.Name
	}
	fp := fingerprint(strings.Join(names, ","), q.filter, q.sortBy, strings.ToLower(q.sortOrder))
	offset := 0
	if q.cursor != "" {
		var err error
		if offset, err = s.cursors.decode(q.cursor, fp); err != nil && !s.faults.Has(FaultCursorInvalidAccepted) {
			return nil, nil, err
		}
	}
	total := len(recs)
	offset = min(offset, total)
	to := min(offset+size, total)
	paging := map[string]any{"itemsPerPage": to - offset}
	if (to < total && size > 0) || s.faults.Has(FaultCursorNextOnLastPage) {
		paging["nextCursor"] = s.cursors.encode(to, fp)
	}
	if offset > 0 || s.faults.Has(FaultCursorPreviousOnFirst) {
		paging["previousCursor"] = s.cursors.encode(max(offset-size, 0), fp)
	}
	return recs[offset:to], paging, nil
}
