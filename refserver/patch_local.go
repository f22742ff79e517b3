package refserver

// TEMPORARY stand-in for refserver/patch until it exists; replaced by a call
// to patch.Apply. Supports add/replace without path or with a top-level
// path, and remove of a top-level path.

import (
	"strings"

	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

type patchOp struct {
	Op    string
	Path  string
	Value any
}

func patchFaults() []fault.Info { return nil }

func applyPatch(doc map[string]any, ops []patchOp, rs *schema.ResourceSchema, faults fault.Set) (map[string]any, error) {
	out := deepCopy(doc).(map[string]any)
	for _, op := range ops {
		switch strings.ToLower(op.Op) {
		case "add", "replace":
			if op.Path == "" {
				m, ok := op.Value.(map[string]any)
				if !ok {
					return nil, scimerr.BadRequest(scimerr.InvalidValue, "value must be an object")
				}
				for k, v := range m {
					out[k] = v
				}
				continue
			}
			out[op.Path] = op.Value
		case "remove":
			if op.Path == "" {
				return nil, scimerr.BadRequest(scimerr.NoTarget, "path required")
			}
			delete(out, op.Path)
		default:
			return nil, scimerr.BadRequest(scimerr.InvalidValue, "bad op %q", op.Op)
		}
	}
	return out, nil
}
