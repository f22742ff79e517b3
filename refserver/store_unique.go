package refserver

import "github.com/scimconform/scimconform/refserver/schema"

// Uniqueness (RFC 7643 §7 uniqueness "server"): the store keeps one index
// of every unique attribute value of every resource type, keyed by type,
// attribute and value (folded unless the attribute is caseExact).

// uniqueKey is the index key of value v of the unique attribute a of rt:
// case-insensitive unless a is caseExact (userName, RFC 7643 §4.1.1), and
// case-sensitive for every attribute under the unique-case-sensitive fault.
func (st *store) uniqueKey(rt *resourceType, a *schema.Attribute, v string) string {
	if !a.CaseExact && !st.faults.Has(FaultUniqueCaseSensitive) {
		v = foldName(v)
	}
	return rt.Name + "\x00" + a.Name + "\x00" + v
}

// uniqueKeys returns the index keys of the unique values doc holds.
func (st *store) uniqueKeys(rt *resourceType, doc map[string]any) []string {
	var out []string
	for _, a := range rt.unique {
		if v, ok := doc[a.Name].(string); ok && v != "" {
			out = append(out, st.uniqueKey(rt, a, v))
		}
	}
	return out
}

// checkUnique fails with 409 uniqueness when a unique value of doc is held
// by a resource other than self. Caller holds mu (read or write).
func (st *store) checkUnique(rt *resourceType, doc map[string]any, self string) error {
	for _, a := range rt.unique {
		v, ok := doc[a.Name].(string)
		if !ok || v == "" {
			continue
		}
		if holder, dup := st.unique[st.uniqueKey(rt, a, v)]; dup && holder != self {
			return conflict(a.Name, v)
		}
	}
	return nil
}

// reindexUnique moves the unique values of a resource from its old
// document to its new record n. Caller holds mu.
func (st *store) reindexUnique(rt *resourceType, old map[string]any, n *record) {
	for _, k := range st.uniqueKeys(rt, old) {
		if st.unique[k] == n.id {
			delete(st.unique, k)
		}
	}
	for _, k := range st.uniqueKeys(rt, n.doc) {
		st.unique[k] = n.id
	}
}

// dropUnique frees the unique values of a deleted resource. Caller holds mu.
func (st *store) dropUnique(cur *record) {
	for _, k := range st.uniqueKeys(cur.rt, cur.doc) {
		if st.unique[k] == cur.id {
			delete(st.unique, k)
		}
	}
}
