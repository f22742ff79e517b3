package refserver

import (
	"net/http"
	"strings"
	"time"
)

// writeProbes continues coreProbes (meta of writes, duplicate values,
// discovery meta, Accept negotiation, advertised capabilities).
var writeProbes = map[string]probe{
	FaultReplaceCreatedTruncated: func(h *harness) bool {
		h.now = h.now.Add(123 * time.Millisecond)
		r := h.mustCreate("/Users", user("ct"))
		h.now = h.now.Add(2 * time.Second)
		put := h.do("PUT", "/Users/"+r.str("id"), user("ct", "displayName", "changed"))
		return metaOf(put.body)["created"] != metaOf(r.body)["created"]
	},
	FaultWriteLastModifiedFrozen: func(h *harness) bool {
		r := h.mustCreate("/Users", user("lmf"))
		h.now = h.now.Add(2 * time.Second)
		put := h.do("PUT", "/Users/"+r.str("id"), user("lmf", "displayName", "changed"))
		return metaOf(put.body)["lastModified"] == metaOf(r.body)["lastModified"]
	},
	FaultCreateWithoutSchemasAccepted: func(h *harness) bool {
		body := user("noschemas")
		delete(body, "schemas")
		return h.do("POST", "/Users", body).status == http.StatusCreated
	},
	FaultSchemaDuplicateValuesKept: func(h *harness) bool {
		email := map[string]any{"value": "dup@example.com", "type": "work"}
		r := h.mustCreate("/Users", user("dupv", "emails", []any{email, email}))
		list, _ := r.body["emails"].([]any)
		return len(list) != 1
	},
	FaultDiscoveryResourceTypeMetaWrong: func(h *harness) bool {
		return metaOf(h.do("GET", "/ResourceTypes/User", nil).body)["resourceType"] != "ResourceType"
	},
	FaultDiscoveryMetaLocationRelative: func(h *harness) bool {
		loc, _ := metaOf(h.do("GET", "/ResourceTypes/User", nil).body)["location"].(string)
		return !strings.HasPrefix(loc, "http")
	},
	FaultMediaTypeRejectJSONAccept: func(h *harness) bool {
		return h.do("GET", "/ServiceProviderConfig", nil, "Accept", mediaJSON).status != http.StatusOK
	},
	FaultEtagUnadvertised: func(h *harness) bool {
		etag, _ := h.do("GET", "/ServiceProviderConfig", nil).body["etag"].(map[string]any)
		return etag["supported"] != true
	},
	FaultLeaverStillMember: func(h *harness) bool {
		uid := h.createUser("leaver")
		gid := h.mustCreate("/Groups", group("team", uid)).str("id")
		h.do("DELETE", "/Users/"+uid, nil)
		members, _ := h.do("GET", "/Groups/"+gid, nil).body["members"].([]any)
		return len(members) != 0
	},
	FaultFilterIndexStale: func(h *harness) bool {
		id := h.createUser("stale", "title", "before")
		h.do("PUT", "/Users/"+id, user("stale", "title", "after"))
		list, _ := h.do("GET", `/Users?filter=title+eq+"before"`, nil).body["Resources"].([]any)
		return len(list) != 0
	},
	FaultExtensionWriteNotTouched: func(h *harness) bool {
		ext := "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
		r := h.mustCreate("/Users", user("extlm"))
		h.now = h.now.Add(2 * time.Second)
		p := h.do("PATCH", "/Users/"+r.str("id"), map[string]any{
			"schemas":    []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
			"Operations": []any{map[string]any{"op": "add", "path": ext + ":department", "value": "moved"}},
		})
		return metaOf(p.body)["lastModified"] == metaOf(r.body)["lastModified"]
	},
}
