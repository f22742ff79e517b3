package refserver

import (
	"fmt"
	"net/http"
	"strings"
)

// firstNames returns the userNames of a list response in order.
func firstNames(r *resp) []string {
	var out []string
	for _, m := range r.list() {
		s, _ := m["userName"].(string)
		out = append(out, s)
	}
	return out
}

// moreProbes continues coreProbes (query, etag and concurrency areas).
var moreProbes = map[string]probe{
	FaultSortIgnored: func(h *harness) bool {
		h.createUser("s-b")
		h.createUser("s-a")
		return firstNames(h.do("GET", `/Users?filter=userName+sw+"s-"&sortBy=userName`, nil))[0] != "s-a"
	},
	FaultSortDefaultDescending: func(h *harness) bool {
		h.createUser("s-a")
		h.createUser("s-b")
		return firstNames(h.do("GET", `/Users?filter=userName+sw+"s-"&sortBy=userName`, nil))[0] != "s-a"
	},
	FaultSortCaseSensitive: func(h *harness) bool {
		h.createUser("s-B")
		h.createUser("s-a")
		return firstNames(h.do("GET", `/Users?filter=userName+sw+"s-"&sortBy=userName`, nil))[0] != "s-a"
	},
	FaultPagingStartIndexRejected: func(h *harness) bool {
		return h.do("GET", "/Users?startIndex=0", nil).status != http.StatusOK
	},
	FaultPagingNegativeCountRejected: func(h *harness) bool {
		return h.do("GET", "/Users?count=-1", nil).status != http.StatusOK
	},
	FaultPagingCountExceeded: func(h *harness) bool {
		h.createUser("p1")
		h.createUser("p2")
		return len(h.do("GET", "/Users?count=1", nil).list()) > 1
	},
	FaultPagingNoTotalResults: func(h *harness) bool {
		_, has := h.do("GET", "/Users", nil).body["totalResults"]
		return !has
	},
	FaultPagingEmpty404: func(h *harness) bool {
		return h.do("GET", `/Users?filter=userName+eq+"nobody"`, nil).status != http.StatusOK
	},
	FaultPagingItemsPerPageIsCount: func(h *harness) bool {
		h.createUser("ipp1")
		h.createUser("ipp2")
		r := h.do("GET", "/Users?startIndex=2&count=5", nil)
		return r.body["itemsPerPage"] != float64(len(r.list()))
	},
	FaultQueryUnknownParamRejected: func(h *harness) bool {
		return h.do("GET", "/Users?scimconformUnknown=1", nil).status != http.StatusOK
	},
	FaultListResourcesNoSchemas: func(h *harness) bool {
		h.createUser("ls")
		_, has := h.do("GET", "/Users", nil).list()[0]["schemas"]
		return !has
	},
	FaultAttributesDropSchemas: func(h *harness) bool {
		id := h.createUser("as")
		_, has := h.do("GET", "/Users/"+id+"?attributes=displayName", nil).body["schemas"]
		return !has
	},
	FaultDiscoverySPCQueryRejected: func(h *harness) bool {
		return h.do("GET", "/ServiceProviderConfig?sortBy=id", nil).status != http.StatusOK
	},
	FaultDiscoveryItemsPerPage: func(h *harness) bool {
		r := h.do("GET", "/ResourceTypes", nil)
		return r.body["itemsPerPage"] != float64(len(r.list()))
	},
	FaultCursorNextOnLastPage: func(h *harness) bool {
		_, has := h.do("GET", "/Users?cursor&count=10", nil).body["nextCursor"]
		return has
	},
	FaultCursorPreviousOnFirst: func(h *harness) bool {
		h.createUser("c1")
		_, has := h.do("GET", "/Users?cursor=&count=1", nil).body["previousCursor"]
		return has
	},
	FaultCursorInvalidAccepted: func(h *harness) bool {
		r := h.do("GET", "/Users?cursor=bogus&count=1", nil)
		return r.status != http.StatusBadRequest || r.scimType() != "invalidCursor"
	},
	FaultCursorIgnored: func(h *harness) bool {
		h.createUser("c1")
		_, has := h.do("GET", "/Users?cursor&count=1", nil).body["nextCursor"]
		return !has
	},
	FaultAttributesIgnored: func(h *harness) bool {
		id := h.createUser("attr", "displayName", "Attr")
		_, has := h.do("GET", "/Users/"+id+"?attributes=userName", nil).body["displayName"]
		return has
	},
	FaultAttributesExcludeAlways: func(h *harness) bool {
		id := h.createUser("attr")
		return h.do("GET", "/Users/"+id+"?excludedAttributes=id", nil).str("id") != id
	},
	FaultAttributesIgnoredOnWrite: func(h *harness) bool {
		_, has := h.do("POST", "/Users?attributes=userName", user("w", "displayName", "W")).body["displayName"]
		return has
	},
	FaultSearchPostNotFound: func(h *harness) bool {
		return h.do("POST", "/Users/.search", map[string]any{}).status != http.StatusOK
	},
	FaultSearchPostIgnoresFilter: func(h *harness) bool {
		h.createUser("one")
		h.createUser("two")
		body := map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:SearchRequest"}, "filter": `userName eq "one"`}
		return h.do("POST", "/Users/.search", body).body["totalResults"] != 1.0
	},
	FaultSearchRootUsersOnly: func(h *harness) bool {
		h.mustCreate("/Groups", group("rootgroup"))
		r := h.do("POST", "/.search", map[string]any{"filter": `displayName eq "rootgroup"`})
		return r.body["totalResults"] != 1.0
	},
	FaultEtagIgnoreIfMatch: func(h *harness) bool {
		id := h.createUser("em")
		return h.do("PUT", "/Users/"+id, user("em", "displayName", "x"), "If-Match", `W/"999999"`).status != http.StatusPreconditionFailed
	},
	FaultEtagIgnoreIfNoneMatch: func(h *harness) bool {
		r := h.mustCreate("/Users", user("inm"))
		return h.do("GET", "/Users/"+r.str("id"), nil, "If-None-Match", r.header.Get("ETag")).status != http.StatusNotModified
	},
	FaultEtagNoHeader: func(h *harness) bool {
		return h.do("GET", "/Users/"+h.createUser("nh"), nil).header.Get("ETag") == ""
	},
	FaultEtagVersionUnchanged: func(h *harness) bool {
		r := h.mustCreate("/Users", user("vu"))
		r2 := h.do("PUT", "/Users/"+r.str("id"), user("vu", "displayName", "changed"))
		return metaOf(r2.body)["version"] == metaOf(r.body)["version"]
	},
	FaultEtagHeaderMismatch: func(h *harness) bool {
		r := h.do("GET", "/Users/"+h.createUser("hm"), nil)
		return r.header.Get("ETag") != metaOf(r.body)["version"]
	},
	FaultConcurrencyLostUpdate: func(h *harness) bool {
		// As for duplicate creates: any of three rounds (each on its own
		// User) letting other than one conditional PUT win shows the fault.
		for round := range 3 {
			r := h.mustCreate("/Users", user(fmt.Sprintf("race-%d", round)))
			id, tag := r.str("id"), r.header.Get("ETag")
			wins := concurrent(8, http.StatusOK, func(i int) int {
				return h.do("PUT", "/Users/"+id, user(fmt.Sprintf("race-%d", round), "displayName", strings.Repeat("x", i+1)), "If-Match", tag).status
			})
			if wins != 1 {
				return true
			}
		}
		return false
	},
	FaultConcurrencyDuplicateCreate: func(h *harness) bool {
		// A race may not interleave on a busy machine: the fault shows when
		// any of three rounds (each with its own userName) lets two creates win.
		for round := range 3 {
			name := fmt.Sprintf("same-%d", round)
			if concurrent(8, http.StatusCreated, func(int) int { return h.do("POST", "/Users", user(name)).status }) != 1 {
				return true
			}
		}
		return false
	},
}

// allProbes merges the probe tables.
func allProbes() map[string]probe {
	out := map[string]probe{}
	for k, v := range coreProbes {
		out[k] = v
	}
	for k, v := range moreProbes {
		out[k] = v
	}
	for k, v := range writeProbes {
		out[k] = v
	}
	for k, v := range tenantProbes {
		out[k] = v
	}
	return out
}
