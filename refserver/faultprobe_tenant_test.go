package refserver

import (
	"net/http"
	"testing"
)

// device returns a minimal Device document.
func device(serial string, extra ...any) map[string]any {
	d := map[string]any{
		"schemas":      []any{"urn:scimconform:params:scim:schemas:Device"},
		"serialNumber": serial,
	}
	for i := 0; i+1 < len(extra); i += 2 {
		d[extra[i].(string)] = extra[i+1]
	}
	return d
}

// tenantProbes continue coreProbes: tenant isolation and the Device type.
// Each creates a User in the main tenant and acts on it from the other.
var tenantProbes = map[string]probe{
	FaultTenantLeakRead: func(h *harness) bool {
		id := h.createUser("leak-read")
		return h.doAs(testOtherToken, "GET", "/Users/"+id, nil).status == http.StatusOK
	},
	FaultTenantLeakList: func(h *harness) bool {
		h.createUser("leak-list")
		r := h.doAs(testOtherToken, "GET", `/Users?filter=userName+eq+%22leak-list%22`, nil)
		return len(r.list()) > 0
	},
	FaultTenantLeakWrite: func(h *harness) bool {
		id := h.createUser("leak-write")
		h.doAs(testOtherToken, "DELETE", "/Users/"+id, nil)
		return h.do("GET", "/Users/"+id, nil).status == http.StatusNotFound
	},
	FaultTenantLeakBulk: func(h *harness) bool {
		id := h.createUser("leak-bulk")
		h.doAs(testOtherToken, "POST", "/Bulk", map[string]any{
			"schemas":    []any{"urn:ietf:params:scim:api:messages:2.0:BulkRequest"},
			"Operations": []any{map[string]any{"method": "DELETE", "path": "/Users/" + id}},
		})
		return h.do("GET", "/Users/"+id, nil).status == http.StatusNotFound
	},
	FaultDevicePatchIgnored: func(h *harness) bool {
		id := h.mustCreate("/Devices", device("SN-1", "model", "old")).str("id")
		h.do("PATCH", "/Devices/"+id, map[string]any{
			"schemas":    []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
			"Operations": []any{map[string]any{"op": "replace", "path": "model", "value": "new"}},
		})
		return h.do("GET", "/Devices/"+id, nil).str("model") != "new"
	},
}

// TestTenantsHaveTheirOwnStores proves each token sees its own resources,
// ids and userName scope, its own /Me, and that Bulk stays in its tenant.
func TestTenantsHaveTheirOwnStores(t *testing.T) {
	h := newHarness(t)
	id := h.createUser("alice")
	if r := h.doAs(testOtherToken, "GET", "/Users/"+id, nil); r.status != http.StatusNotFound {
		t.Errorf("other tenant GET /Users/%s: %d, want 404", id, r.status)
	}
	if r := h.doAs(testOtherToken, "POST", "/Users", user("alice")); r.status != http.StatusCreated {
		t.Errorf("other tenant may reuse userName alice: %d %s", r.status, r.raw)
	}
	if r := h.do("POST", "/Users", user("alice")); r.status != http.StatusConflict {
		t.Errorf("main tenant duplicate alice: %d, want 409", r.status)
	}
	r := h.doAs(testOtherToken, "GET", "/Users?filter=userName+eq+%22alice%22", nil)
	if len(r.list()) != 1 || r.list()[0]["id"] == id {
		t.Errorf("other tenant's list shows %v", r.list())
	}
	if me := h.doAs(testOtherToken, "GET", "/Me", nil); me.status != http.StatusOK || me.str("id") == h.do("GET", "/Me", nil).str("id") {
		t.Errorf("each tenant has its own /Me: %d", me.status)
	}
	for _, m := range []string{"PUT", "PATCH", "DELETE"} {
		if r := h.doAs(testOtherToken, m, "/Users/"+id, user("alice")); r.status != http.StatusNotFound && r.status != http.StatusBadRequest {
			t.Errorf("other tenant %s: %d", m, r.status)
		}
	}
	if r := h.doAs("wrong", "GET", "/Users", nil); r.status != http.StatusUnauthorized {
		t.Errorf("unknown token: %d, want 401", r.status)
	}
}

// TestDeviceLifecycle proves the custom Device type runs through the
// generic machinery: discovery, create, uniqueness, filter, PATCH, delete.
func TestDeviceLifecycle(t *testing.T) {
	h := newHarness(t)
	if r := h.do("GET", "/ResourceTypes/Device", nil); r.str("endpoint") != "/Devices" {
		t.Fatalf("ResourceTypes/Device: %d %s", r.status, r.raw)
	}
	if r := h.do("GET", "/Schemas/urn:scimconform:params:scim:schemas:Device", nil); r.status != http.StatusOK {
		t.Fatalf("Device schema: %d", r.status)
	}
	if r := h.do("POST", "/Devices", device("")); r.status != http.StatusBadRequest {
		t.Errorf("create without serialNumber: %d, want 400", r.status)
	}
	ext := map[string]any{"firmwareVersion": "1.2"}
	d := device("SN-9", "urn:scimconform:params:scim:schemas:extension:DeviceHardware", ext)
	d["schemas"] = append(d["schemas"].([]any), "urn:scimconform:params:scim:schemas:extension:DeviceHardware")
	id := h.mustCreate("/Devices", d).str("id")
	if r := h.do("POST", "/Devices", device("SN-9")); r.status != http.StatusConflict {
		t.Errorf("duplicate serialNumber: %d, want 409", r.status)
	}
	if r := h.do("POST", "/Devices", device("sn-9")); r.status != http.StatusCreated {
		t.Errorf("serialNumber is caseExact, sn-9 differs: %d", r.status)
	}
	if r := h.do("GET", `/Devices?filter=serialNumber+eq+%22SN-9%22`, nil); len(r.list()) != 1 {
		t.Errorf("filter: %v", r.list())
	}
	patch := map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []any{map[string]any{"op": "replace", "path": "model", "value": "X1"}}}
	if r := h.do("PATCH", "/Devices/"+id, patch); r.str("model") != "X1" {
		t.Errorf("patch: %d %s", r.status, r.raw)
	}
	if r := h.do("DELETE", "/Devices/"+id, nil); r.status != http.StatusNoContent {
		t.Errorf("delete: %d", r.status)
	}
	if r := h.do("POST", "/Devices", device("SN-9")); r.status != http.StatusCreated {
		t.Errorf("serialNumber of a deleted Device is free again: %d", r.status)
	}
}
