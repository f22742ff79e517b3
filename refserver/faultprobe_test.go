package refserver

import (
	"net/http"
	"strings"
	"sync"
)

// probe exercises one rule through HTTP and reports whether it is broken.
type probe func(h *harness) bool

// createUser creates a User and returns its id.
func (h *harness) createUser(name string, extra ...any) string {
	h.t.Helper()
	return h.mustCreate("/Users", user(name, extra...)).str("id")
}

// concurrent runs f n times at once and counts the results with status
// want.
func concurrent(n, want int, f func(i int) int) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	start := make(chan struct{})
	hits := 0
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start // release all requests together so they overlap
			if f(i) == want {
				mu.Lock()
				hits++
				mu.Unlock()
			}
		}()
	}
	close(start)
	wg.Wait()
	return hits
}

func metaOf(body map[string]any) map[string]any {
	m, _ := body["meta"].(map[string]any)
	return m
}

// coreProbes has one probe per core fault switch.
var coreProbes = map[string]probe{
	FaultDiscoverySPCWrongSchema: func(h *harness) bool {
		r := h.do("GET", "/ServiceProviderConfig", nil)
		s, _ := r.body["schemas"].([]any)
		return len(s) != 1 || s[0] != "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	},
	FaultDiscoverySchemasNotList: func(h *harness) bool {
		return h.do("GET", "/Schemas", nil).body["totalResults"] == nil
	},
	FaultDiscoveryResourceTypeNoEndpoint: func(h *harness) bool {
		return h.do("GET", "/ResourceTypes/User", nil).str("endpoint") != "/Users"
	},
	FaultDiscoveryQueryRejected: func(h *harness) bool {
		return h.do("GET", "/Schemas?count=1&sortBy=id", nil).status != http.StatusOK
	},
	FaultUserEchoPassword: func(h *harness) bool {
		id := h.createUser("pw", "password", "s3cret!")
		_, has := h.do("GET", "/Users/"+id, nil).body["password"]
		return has
	},
	FaultSchemaBinaryUnchecked: func(h *harness) bool {
		return h.do("POST", "/Users", user("bin", "x509Certificates", []any{map[string]any{"value": "not base64!"}})).status != http.StatusBadRequest
	},
	FaultSchemaTypesUnchecked: func(h *harness) bool {
		return h.do("POST", "/Users", user("types", "active", "yes")).status != http.StatusBadRequest
	},
	FaultUserNameNotRequired: func(h *harness) bool {
		u := user("x")
		delete(u, "userName")
		return h.do("POST", "/Users", u).status == http.StatusCreated
	},
	FaultGroupDisplayNameOptional: func(h *harness) bool {
		g := group("x")
		delete(g, "displayName")
		return h.do("POST", "/Groups", g).status == http.StatusCreated
	},
	FaultUniqueCaseSensitive: func(h *harness) bool {
		h.createUser("Bob")
		return h.do("POST", "/Users", user("bob")).status == http.StatusCreated
	},
	FaultSchemaMultiplePrimary: func(h *harness) bool {
		emails := []any{map[string]any{"value": "a@x", "primary": true}, map[string]any{"value": "b@x", "primary": true}}
		return h.do("POST", "/Users", user("prim", "emails", emails)).status == http.StatusCreated
	},
	FaultSchemaUserGroupsNotDerived: func(h *harness) bool {
		id := h.createUser("member")
		h.mustCreate("/Groups", group("g", id))
		_, has := h.do("GET", "/Users/"+id, nil).body["groups"]
		return !has
	},
	FaultCreateNoLocation: func(h *harness) bool {
		return h.do("POST", "/Users", user("loc")).header.Get("Location") == ""
	},
	FaultCreateReturns200: func(h *harness) bool {
		return h.do("POST", "/Users", user("st")).status != http.StatusCreated
	},
	FaultCreateDuplicateAllowed: func(h *harness) bool {
		h.createUser("dup")
		return h.do("POST", "/Users", user("dup")).status != http.StatusConflict
	},
	FaultCreateReadOnlyKept: func(h *harness) bool {
		_, has := h.do("POST", "/Users", user("ro", "groups", []any{map[string]any{"value": "g1"}})).body["groups"]
		return has
	},
	FaultCreateNoResourceType: func(h *harness) bool {
		return metaOf(h.do("POST", "/Users", user("rt")).body)["resourceType"] != "User"
	},
	FaultReadNoID: func(h *harness) bool {
		id := h.createUser("rid")
		return h.do("GET", "/Users/"+id, nil).str("id") != id
	},
	FaultReadLastModifiedNotCreated: func(h *harness) bool {
		m := metaOf(h.do("GET", "/Users/"+h.createUser("lm"), nil).body)
		return m["lastModified"] != m["created"]
	},
	FaultReplaceCreates: func(h *harness) bool {
		return h.do("PUT", "/Users/no-such-id", user("ghost")).status != http.StatusNotFound
	},
	FaultReplaceRequiredNotEnforced: func(h *harness) bool {
		id := h.createUser("req")
		u := user("x", "displayName", "No Name")
		delete(u, "userName")
		return h.do("PUT", "/Users/"+id, u).status == http.StatusOK
	},
	FaultReplaceReadOnlyKept: func(h *harness) bool {
		id := h.createUser("putro")
		_, has := h.do("PUT", "/Users/"+id, user("putro", "groups", []any{map[string]any{"value": "g1"}})).body["groups"]
		return has
	},
	FaultDeleteReturns200: func(h *harness) bool {
		return h.do("DELETE", "/Users/"+h.createUser("del"), nil).status != http.StatusNoContent
	},
	FaultDeleteStillReadable: func(h *harness) bool {
		id := h.createUser("del")
		h.do("DELETE", "/Users/"+id, nil)
		return h.do("GET", "/Users/"+id, nil).status != http.StatusNotFound
	},
	FaultDeleteStillListed: func(h *harness) bool {
		h.do("DELETE", "/Users/"+h.createUser("gone"), nil)
		return h.do("GET", `/Users?filter=userName+eq+"gone"`, nil).body["totalResults"] != 0.0
	},
	FaultDeleteUserNameBlocked: func(h *harness) bool {
		h.do("DELETE", "/Users/"+h.createUser("again"), nil)
		return h.do("POST", "/Users", user("again")).status != http.StatusCreated
	},
	FaultErrorsStatusInteger: func(h *harness) bool {
		_, isStr := h.do("GET", "/Users/nope", nil).body["status"].(string)
		return !isStr
	},
	FaultErrorsNotJSON: func(h *harness) bool {
		r := h.do("GET", "/Users/nope", nil)
		return r.body == nil || r.str("status") != "404"
	},
	FaultMediaTypeJSON: func(h *harness) bool {
		return h.do("GET", "/ServiceProviderConfig", nil).header.Get("Content-Type") != mediaSCIM
	},
	FaultMediaTypeRejectSCIMAccept: func(h *harness) bool {
		return h.do("GET", "/ServiceProviderConfig", nil, "Accept", mediaSCIM).status != http.StatusOK
	},
	FaultMediaTypeOnlyJSON: func(h *harness) bool {
		return h.do("GET", "/ServiceProviderConfig", nil, "Accept", mediaSCIM+", "+mediaJSON+";q=0.9").status == http.StatusNotAcceptable &&
			h.do("GET", "/ServiceProviderConfig", nil, "Accept", mediaJSON).status == http.StatusOK
	},
	FaultDiscoveryPaginationHidden: func(h *harness) bool {
		_, ok := h.do("GET", "/ServiceProviderConfig", nil).body["pagination"]
		return !ok
	},
	FaultDiscoveryExtensionRequired: func(h *harness) bool {
		return strings.Contains(string(h.do("GET", "/ResourceTypes/User", nil).raw), `"required":true`)
	},
	FaultMediaTypeRejectSCIMBody: func(h *harness) bool {
		return h.do("POST", "/Users", user("ct"), "Content-Type", mediaSCIM+"; charset=utf-8").status != http.StatusCreated
	},
	FaultAuthNoChallenge: func(h *harness) bool {
		r := h.do("GET", "/Users", nil, "Authorization", "Bearer wrong")
		return r.status == http.StatusUnauthorized && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer")
	},
	FaultAuthWrongScheme: func(h *harness) bool {
		r := h.do("GET", "/Users", nil, "Authorization", "Bearer wrong")
		return r.status == http.StatusUnauthorized && strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Basic")
	},
	FaultAuthAnyToken: func(h *harness) bool {
		return h.do("GET", "/Users", nil, "Authorization", "Bearer wrong").status != http.StatusUnauthorized
	},
	FaultAuthAnonymous: func(h *harness) bool {
		return h.do("GET", "/Users", nil, "Authorization", "").status != http.StatusUnauthorized
	},
	FaultMeNoLocation: func(h *harness) bool {
		return h.do("GET", "/Me", nil).header.Get("Location") == ""
	},
	FaultMeLocationAlias: func(h *harness) bool {
		return strings.HasSuffix(h.do("GET", "/Me", nil).header.Get("Location"), "/Me")
	},
}
