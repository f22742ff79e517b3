package refserver

import (
	"sort"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// resolveMembers checks every Group member against the store and rewrites
// it in canonical form: value, $ref and type taken from the referenced
// resource, display kept from the client or taken from the resource.
// Duplicates collapse into one. Caller holds mu.
func (st *store) resolveMembers(doc map[string]any, selfID string) error {
	raw, _ := doc["members"].([]any)
	if len(raw) == 0 {
		delete(doc, "members")
		return nil
	}
	seen := map[string]bool{}
	out := make([]any, 0, len(raw))
	for _, e := range raw {
		elem, _ := e.(map[string]any)
		v, _ := elem["value"].(string)
		if v == "" {
			return scimerr.BadRequest(scimerr.InvalidValue, "every member needs a value (the id of a User or Group)")
		}
		if v == selfID {
			return scimerr.BadRequest(scimerr.InvalidValue, "a Group cannot be a member of itself")
		}
		target, ok := st.byID[v]
		if !ok {
			return scimerr.BadRequest(scimerr.InvalidValue, "member %q is not the id of a User or Group", v)
		}
		if seen[v] {
			continue
		}
		seen[v] = true
		m := map[string]any{"value": v, "$ref": st.location(target.rt, v), "type": target.rt.Name}
		if d, ok := elem["display"].(string); ok && d != "" {
			m["display"] = d
		} else if d := displayOf(target); d != "" {
			m["display"] = d
		}
		out = append(out, m)
	}
	doc["members"] = out
	return nil
}

// displayOf is the name a member is shown by: displayName, else userName.
func displayOf(rec *record) string {
	if d, ok := rec.doc["displayName"].(string); ok && d != "" {
		return d
	}
	return userNameOf(rec.doc)
}

// memberIDs lists the member ids of a Group document.
func memberIDs(doc map[string]any) map[string]bool {
	out := map[string]bool{}
	raw, _ := doc["members"].([]any)
	for _, e := range raw {
		if m, ok := e.(map[string]any); ok {
			if v, ok := m["value"].(string); ok {
				out[v] = true
			}
		}
	}
	return out
}

// syncMembership updates the membership index after Group gid changed from
// oldDoc to newDoc (either may be nil) and refreshes the derived groups of
// every affected User. Caller holds mu.
func (st *store) syncMembership(gid string, oldDoc, newDoc map[string]any) {
	oldM, newM := memberIDs(oldDoc), memberIDs(newDoc)
	for m := range oldM {
		if !newM[m] {
			delete(st.memberOf[m], gid)
			if len(st.memberOf[m]) == 0 {
				delete(st.memberOf, m)
			}
		}
	}
	for m := range newM {
		if st.memberOf[m] == nil {
			st.memberOf[m] = map[string]bool{}
		}
		st.memberOf[m][gid] = true
	}
	renamed := oldDoc == nil || newDoc == nil || oldDoc["displayName"] != newDoc["displayName"]
	for m := range oldM {
		if renamed || !newM[m] {
			st.refreshGroups(m)
		}
	}
	for m := range newM {
		if renamed || !oldM[m] {
			st.refreshGroups(m)
		}
	}
}

// refreshGroups recomputes the readOnly groups attribute of User uid from
// the membership index (RFC 7643 §4.1.2) and stores a new version when it
// changed. Caller holds mu.
func (st *store) refreshGroups(uid string) {
	rec, ok := st.byID[uid]
	if !ok || !rec.rt.isUser() {
		return
	}
	gids := make([]string, 0, len(st.memberOf[uid]))
	for gid := range st.memberOf[uid] {
		gids = append(gids, gid)
	}
	sort.Strings(gids)
	var groups []any
	for _, gid := range gids {
		g, ok := st.byID[gid]
		if !ok {
			continue
		}
		e := map[string]any{"value": gid, "$ref": st.location(g.rt, gid), "type": "direct"}
		if d := displayOf(g); d != "" {
			e["display"] = d
		}
		groups = append(groups, e)
	}
	doc := shallowCopy(rec.doc)
	if len(groups) == 0 {
		delete(doc, "groups")
	} else {
		doc["groups"] = groups
	}
	if sameContent(doc, rec.doc) {
		return
	}
	st.touch(rec, doc)
}

// dropMember removes id from the members of every Group holding it, as a
// new version of each Group. Caller holds mu.
func (st *store) dropMember(id string) {
	for gid := range st.memberOf[id] {
		g, ok := st.byID[gid]
		if !ok {
			continue
		}
		raw, _ := g.doc["members"].([]any)
		kept := make([]any, 0, len(raw))
		for _, e := range raw {
			if m, ok := e.(map[string]any); ok && m["value"] == id {
				continue
			}
			kept = append(kept, e)
		}
		doc := shallowCopy(g.doc)
		if len(kept) == 0 {
			delete(doc, "members")
		} else {
			doc["members"] = kept
		}
		st.touch(g, doc)
	}
	delete(st.memberOf, id)
}

// shallowCopy copies the top level of a document.
func shallowCopy(doc map[string]any) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		out[k] = v
	}
	return out
}
