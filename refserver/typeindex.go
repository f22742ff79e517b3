package refserver

// slot holds the current record of one resource; a nil record marks a
// deleted resource awaiting compaction.
type slot struct{ rec *record }

// typeIndex keeps the listable records of one resource type in creation
// order, so that a list scans without sorting.
type typeIndex struct {
	slots map[string]*slot
	order []*slot
	dead  int
}

// put stores rec as the current record of its id, appending new ids.
func (ti *typeIndex) put(rec *record) {
	if s, ok := ti.slots[rec.id]; ok {
		s.rec = rec
		return
	}
	s := &slot{rec: rec}
	ti.slots[rec.id] = s
	ti.order = append(ti.order, s)
}

// remove forgets id, compacting the order when half of it is dead.
func (ti *typeIndex) remove(id string) {
	s, ok := ti.slots[id]
	if !ok {
		return
	}
	delete(ti.slots, id)
	s.rec = nil
	ti.dead++
	if ti.dead > len(ti.order)/2 {
		live := ti.order[:0]
		for _, e := range ti.order {
			if e.rec != nil {
				live = append(live, e)
			}
		}
		clear(ti.order[len(live):])
		ti.order, ti.dead = live, 0
	}
}

// appendMatching appends the records keep accepts (all when keep is nil)
// in creation order.
func (ti *typeIndex) appendMatching(out []*record, keep func(*record) bool) []*record {
	for _, s := range ti.order {
		if s.rec != nil && (keep == nil || keep(s.rec)) {
			out = append(out, s.rec)
		}
	}
	return out
}
