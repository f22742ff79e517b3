package refserver

import (
	"net/http"

	"github.com/scimconform/scimconform/refserver/bulk"
	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/patch"
	"github.com/scimconform/scimconform/refserver/schema"
)

// matcher is a compiled filter.
type matcher interface {
	Match(resource map[string]any) bool
}

// compileFilter parses a filter with refserver/filter.
func compileFilter(expr string, rs *schema.ResourceSchema, faults fault.Set) (matcher, error) {
	f, err := filter.Parse(expr, rs, faults)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// patchOp is one decoded PATCH operation.
type patchOp = patch.Operation

// applyPatch runs PATCH operations with refserver/patch; doc is not
// modified.
func applyPatch(doc map[string]any, ops []patchOp, rs *schema.ResourceSchema, faults fault.Set) (map[string]any, error) {
	return patch.Apply(doc, ops, rs, faults)
}

// newBulkHandler builds the /Bulk handler of refserver/bulk around inner.
func (s *Server) newBulkHandler(inner http.Handler) http.Handler {
	return &bulk.Handler{
		Inner:          inner,
		BasePath:       s.opts.BasePath,
		MaxOperations:  s.opts.BulkMaxOperations,
		MaxPayloadSize: s.opts.BulkMaxPayloadSize,
		Faults:         s.faults,
	}
}

// AllFaults returns every fault switch of the reference server: the core
// ones and those of refserver/filter, refserver/patch and refserver/bulk,
// sorted by area then name.
func AllFaults() []fault.Info {
	all := CoreFaults()
	all = append(all, filter.Faults...)
	all = append(all, patch.Faults...)
	all = append(all, bulk.Faults...)
	return fault.Sorted(all)
}
