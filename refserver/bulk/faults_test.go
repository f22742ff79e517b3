package bulk

import (
	"fmt"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/spec"
)

func TestFaultRegistry(t *testing.T) {
	catalog, err := spec.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range Faults {
		if seen[f.Name] || !strings.HasPrefix(f.Name, "bulk-") || f.Area != "bulk" || f.Summary == "" {
			t.Errorf("bad or duplicate fault %+v", f)
		}
		seen[f.Name] = true
		for _, id := range append([]string{f.Req}, f.Related...) {
			if r, ok := catalog.Get(id); !ok || r.Area != "bulk" {
				t.Errorf("fault %s cites %s, not a bulk requirement of the catalog", f.Name, id)
			}
		}
	}
	if len(Faults) != len(faultChecks) {
		t.Errorf("%d faults but %d behaviour checks", len(Faults), len(faultChecks))
	}
}

// faultChecks report, for each fault, whether its defect shows on h.
var faultChecks = map[string]func(t *testing.T, h *Handler) bool{
	FaultBulkIDUnresolved: func(t *testing.T, h *Handler) bool {
		res := doBulk(t, h, bulkReq(postUser("u", "alice"), postGroup("g", "G", "bulkId:u")))
		return res.Operations[1].Status != "201"
	},
	FaultIgnoreFailOnErrors: func(t *testing.T, h *Handler) bool {
		req := bulkReq(map[string]any{"method": "DELETE", "path": "/Users/x"}, postUser("a", "alice"))
		req["failOnErrors"] = 1
		return len(doBulk(t, h, req).Operations) == 2
	},
	FaultStopOnFirstError: func(t *testing.T, h *Handler) bool {
		req := bulkReq(map[string]any{"method": "DELETE", "path": "/Users/x"}, postUser("a", "alice"))
		return len(doBulk(t, h, req).Operations) == 1
	},
	FaultNoMaxOperations: func(t *testing.T, h *Handler) bool {
		var ops []map[string]any
		for i := 0; i <= h.MaxOperations; i++ {
			ops = append(ops, map[string]any{"method": "DELETE", "path": fmt.Sprint("/Users/", i)})
		}
		return doBulk(t, h, bulkReq(ops...)).Code != 413
	},
	FaultNoPayloadLimit: func(t *testing.T, h *Handler) bool {
		return doBulk(t, h, bulkReq(postUser("a", strings.Repeat("x", h.MaxPayloadSize)))).Code != 413
	},
	FaultLimitNotNamed: func(t *testing.T, h *Handler) bool {
		res := doBulk(t, h, bulkReq(postUser("a", strings.Repeat("x", h.MaxPayloadSize))))
		return res.Code == 413 && !strings.Contains(res.Detail, "maxPayloadSize")
	},
	FaultNoLocation: func(t *testing.T, h *Handler) bool {
		return doBulk(t, h, bulkReq(postUser("a", "alice"))).Operations[0].Location == ""
	},
	FaultStatusWrong: func(t *testing.T, h *Handler) bool {
		return doBulk(t, h, bulkReq(postUser("a", "alice"))).Operations[0].Status == "200"
	},
	FaultNoBulkIDEcho: func(t *testing.T, h *Handler) bool {
		return doBulk(t, h, bulkReq(postUser("a", "alice"))).Operations[0].BulkID != "a"
	},
	FaultNoErrorResponse: func(t *testing.T, h *Handler) bool {
		op := doBulk(t, h, bulkReq(map[string]any{"method": "DELETE", "path": "/Users/x"})).Operations[0]
		return op.Status == "404" && op.Response == nil
	},
	FaultHTTPStatusWrong: func(t *testing.T, h *Handler) bool {
		return doBulk(t, h, bulkReq(postUser("a", "alice"))).Code != 200
	},
	FaultVersionNotETag: func(t *testing.T, h *Handler) bool {
		return doBulk(t, h, bulkReq(postUser("a", "alice"))).Operations[0].Version != `W/"1"` // the fake's first version
	},
}

// Each fault breaks its rule, and the rule holds without it.
func TestFaultBehaviour(t *testing.T) {
	for _, f := range Faults {
		check := faultChecks[f.Name]
		if check == nil {
			t.Errorf("fault %s has no behaviour check", f.Name)
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			h, _ := newHandler()
			if check(t, h) {
				t.Fatalf("the defect of %s shows without the fault", f.Name)
			}
			h, _ = newHandler(f.Name)
			if !check(t, h) {
				t.Fatalf("the defect of %s does not show with the fault on", f.Name)
			}
		})
	}
}

// With the fault on, the data reaching Inner still holds the reference.
func TestFaultBulkIDUnresolvedForwardsReference(t *testing.T) {
	h, fake := newHandler(FaultBulkIDUnresolved)
	doBulk(t, h, bulkReq(postUser("u", "alice"), postGroup("g", "G", "bulkId:u")))
	if raw := fake.calls[1].RawBody; !strings.Contains(raw, `"bulkId:u"`) {
		t.Fatalf("forwarded %s, want the unresolved reference", raw)
	}
}
