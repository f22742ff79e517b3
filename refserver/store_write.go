package refserver

import (
	"errors"
	"net/http"
	"time"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// raceWindow widens the check-then-act window of the concurrency faults so
// that concurrent requests reliably interleave, also on a loaded machine
// where the racers' goroutines start some milliseconds apart.
const raceWindow = 20 * time.Millisecond

// precondition inspects the current record before a write (If-Match etc.).
type precondition func(cur *record) error

// create stores a new resource of type rt from d.
func (st *store) create(rt *resourceType, d *draft) (*record, error) {
	if st.faults.Has(FaultConcurrencyDuplicateCreate) {
		// Fault: uniqueness is checked outside the write lock.
		st.mu.RLock()
		err := st.checkUnique(rt, d.doc, "")
		st.mu.RUnlock()
		if err != nil {
			return nil, err
		}
		time.Sleep(raceWindow)
		st.mu.Lock()
		defer st.mu.Unlock()
		return st.insert(rt, d, false)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.insert(rt, d, true)
}

// insert stores a new record. Caller holds mu.
func (st *store) insert(rt *resourceType, d *draft, checkUnique bool) (*record, error) {
	if st.maxResources > 0 && len(st.byID) >= st.maxResources {
		return nil, storeFull(st.maxResources)
	}
	if rt.isGroup() {
		if err := st.resolveMembers(d.doc, ""); err != nil {
			return nil, err
		}
	}
	if checkUnique && !st.faults.Has(FaultCreateDuplicateAllowed) {
		if err := st.checkUnique(rt, d.doc, ""); err != nil {
			return nil, err
		}
	}
	st.seq++
	rec := &record{id: newID(), rt: rt, seq: st.seq, version: st.nextVersion()}
	if d.password != nil {
		rec.pwHash = hashPassword(*d.password)
	}
	now := st.now().UTC().Format(timeLayout)
	st.stamp(rec, d.doc, now, now)
	st.put(rec)
	for _, k := range st.uniqueKeys(rt, rec.doc) {
		st.unique[k] = rec.id
	}
	if rt.isGroup() {
		st.syncMembership(rec.id, nil, rec.doc)
	}
	return rec, nil
}

// optimisticTries is how often update builds a draft outside the write
// lock before it builds one under it (so a busy resource cannot starve it).
const optimisticTries = 3

// update replaces resource id with the draft build makes from the current
// record, once cond accepted the current record. build runs outside the
// write lock (a PATCH of many operations must not block readers and other
// writers for its duration); the draft is stored only if the record it was
// built from is still the current one, otherwise cond and build run again
// on the new record. After optimisticTries such races build runs under the
// lock. Either way the write is atomic with its precondition.
func (st *store) update(rt *resourceType, id string, cond precondition, build func(cur *record) (*draft, error)) (*record, error) {
	if st.faults.Has(FaultConcurrencyLostUpdate) {
		// Fault: the precondition is checked outside the write lock, and
		// the draft is built from whatever is current after it.
		cur, ok := st.get(rt, id)
		if !ok {
			return nil, notFound(rt, id)
		}
		if cond != nil {
			if err := cond(cur); err != nil {
				return nil, err
			}
		}
		time.Sleep(raceWindow)
		return st.updateLocked(rt, id, nil, build)
	}
	for range optimisticTries {
		cur, ok := st.get(rt, id)
		if !ok {
			return nil, notFound(rt, id)
		}
		if cond != nil {
			if err := cond(cur); err != nil {
				return nil, err
			}
		}
		d, err := build(cur)
		var partial *partialWrite
		if err != nil && !errors.As(err, &partial) {
			return nil, err // judged against a version that was current: nothing to store
		}
		st.mu.Lock()
		if st.byID[id] == cur {
			rec, err := st.commit(cur, d, err)
			st.mu.Unlock()
			return rec, err
		}
		st.mu.Unlock()
	}
	return st.updateLocked(rt, id, cond, build)
}

// updateLocked is update with cond and build under the write lock.
func (st *store) updateLocked(rt *resourceType, id string, cond precondition, build func(cur *record) (*draft, error)) (*record, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	cur, ok := st.byID[id]
	if !ok || cur.rt != rt {
		return nil, notFound(rt, id)
	}
	if cond != nil {
		if err := cond(cur); err != nil {
			return nil, err
		}
	}
	d, err := build(cur)
	return st.commit(cur, d, err)
}

// commit stores the outcome of an update's build: d, or the draft of a
// partialWrite before failing with its error. Caller holds mu.
func (st *store) commit(cur *record, d *draft, buildErr error) (*record, error) {
	var partial *partialWrite
	if errors.As(buildErr, &partial) {
		if _, aerr := st.apply(cur, partial.draft); aerr != nil {
			return nil, aerr
		}
		return nil, partial.err
	}
	if buildErr != nil {
		return nil, buildErr
	}
	return st.apply(cur, d)
}

// partialWrite is returned by an update's build function to store a draft
// and still fail the request (the patch-not-atomic fault of refserver/patch).
type partialWrite struct {
	draft *draft
	err   error
}

func (p *partialWrite) Error() string { return p.err.Error() }
func (p *partialWrite) Unwrap() error { return p.err }

// apply stores d as the new content of cur, keeping server-maintained
// attributes. An unchanged content keeps the version. Caller holds mu.
func (st *store) apply(cur *record, d *draft) (*record, error) {
	rt := cur.rt
	if rt.isGroup() {
		if err := st.resolveMembers(d.doc, cur.id); err != nil {
			return nil, err
		}
	}
	if rt.isUser() && (!st.faults.Has(FaultReplaceReadOnlyKept) || d.doc["groups"] == nil) {
		setOrDelete(d.doc, "groups", cur.doc["groups"])
	}
	if err := st.checkUnique(rt, d.doc, cur.id); err != nil {
		return nil, err
	}
	pwHash, pwChanged := cur.pwHash, false
	if d.password != nil && (cur.pwHash == "" || !passwordMatches(cur.pwHash, *d.password)) {
		pwHash, pwChanged = hashPassword(*d.password), true
	}
	if !pwChanged && sameContent(d.doc, cur.doc) {
		return cur, nil
	}
	n := st.touch(cur, d.doc)
	n.pwHash = pwHash
	if d.truncateCreated {
		truncateCreated(n.doc)
	}
	st.reindexUnique(rt, cur.doc, n)
	if rt.isGroup() {
		st.syncMembership(n.id, cur.doc, n.doc)
	}
	return n, nil
}

// remove deletes resource id once cond accepted it, and cleans every
// membership that referenced it.
func (st *store) remove(rt *resourceType, id string, cond precondition) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	cur, ok := st.byID[id]
	if !ok || cur.rt != rt {
		return notFound(rt, id)
	}
	if cond != nil {
		if err := cond(cur); err != nil {
			return err
		}
	}
	if st.faults.Has(FaultDeleteStillReadable) || st.faults.Has(FaultDeleteStillListed) {
		// Fault: the resource is only forgotten by one of the two paths.
		st.softDelete(cur)
		return nil
	}
	delete(st.byID, id)
	st.byType[rt.Name].remove(id)
	if !st.faults.Has(FaultDeleteUserNameBlocked) {
		st.dropUnique(cur)
	}
	if !st.faults.Has(FaultLeaverStillMember) {
		st.dropMember(id)
	}
	if rt.isGroup() {
		st.syncMembership(id, cur.doc, nil)
	}
	return nil
}

// softDelete implements the two delete faults: the record stays readable by
// id or stays listed, never both.
func (st *store) softDelete(cur *record) {
	if st.faults.Has(FaultDeleteStillReadable) {
		st.byType[cur.rt.Name].remove(cur.id)
	} else {
		delete(st.byID, cur.id)
	}
	st.dropUnique(cur)
}

// storeFull answers a create when the store holds its maximum: 507
// Insufficient Storage (RFC 4918 §11.5: the server cannot store the
// representation needed to complete the request). Not 403, which says the
// client may not do this at all, nor 409, which is about the resource's
// state; retrying does not help until resources are deleted.
func storeFull(max int) error {
	return scimerr.New(http.StatusInsufficientStorage, "",
		"the reference server holds its maximum of %d resources (--max-resources); delete some first", max)
}

func conflict(attr, value string) error {
	return scimerr.New(http.StatusConflict, scimerr.Uniqueness, "%s %q is already taken", attr, value)
}

// userNameOf returns the userName of a User document.
func userNameOf(doc map[string]any) string {
	s, _ := doc["userName"].(string)
	return s
}

// setOrDelete sets doc[key] to v, or removes the key when v is nil.
func setOrDelete(doc map[string]any, key string, v any) {
	if v == nil {
		delete(doc, key)
		return
	}
	doc[key] = v
}

// truncateCreated drops the fraction of a second of meta.created in a
// document this goroutine just stamped (the replace-created-truncated
// fault); a created that falls on a whole second is moved back one second,
// so the fault always changes it. Caller holds mu.
func truncateCreated(doc map[string]any) {
	meta, _ := doc["meta"].(map[string]any)
	created, _ := meta["created"].(string)
	if t, err := time.Parse(timeLayout, created); err == nil {
		cut := t.Truncate(time.Second)
		if cut.Equal(t) {
			cut = cut.Add(-time.Second)
		}
		meta["created"] = cut.Format(timeLayout)
	}
}
