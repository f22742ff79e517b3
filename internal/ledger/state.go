package ledger

// State is a ledger's content in a form that crosses process boundaries: a
// worker process of a parallel run returns its ledger as a State, and the
// parent merges every worker's State into its own ledger before the final
// sweep. Probes are left out: they only license writes while a spec runs.
type State struct {
	Prefix string `json:"prefix"`
	// Live and Deleted are the resources the run proved it created, in
	// creation order, by whether they are known to be gone.
	Live    []Resource `json:"live,omitempty"`
	Deleted []Resource `json:"deleted,omitempty"`
	// Uncertain are the creates whose outcome the run could not see.
	Uncertain []Uncertain `json:"uncertain,omitempty"`
	// Disowned says why each resource a server named was not the run's.
	Disowned []string `json:"disowned,omitempty"`
}

// State returns a copy of the ledger's content.
func (l *Ledger) State() State {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := State{Prefix: l.prefix}
	for _, k := range l.order {
		switch e := l.entries[k]; e.state {
		case stateLive:
			s.Live = append(s.Live, e.res)
		case stateDeleted:
			s.Deleted = append(s.Deleted, e.res)
		}
	}
	s.Uncertain = append(s.Uncertain, l.uncertain...)
	s.Disowned = append(s.Disowned, l.disowned...)
	return s
}

// Merge adds what another process of the same run recorded: its owned
// resources (live or deleted; a resource this ledger already holds keeps
// the state known last, deleted winning), its uncertain creates and its
// disowned answers. It reports false, merging nothing, when s belongs to
// another run (a different prefix).
func (l *Ledger) Merge(s State) bool {
	if s.Prefix != l.prefix {
		return false
	}
	for _, r := range s.Live {
		l.Own(r)
	}
	for _, r := range s.Deleted {
		l.mu.Lock()
		k := key(r.Endpoint, r.ID)
		if e, ok := l.entries[k]; ok && e.state != stateProbe {
			e.state = stateDeleted
		} else {
			l.entries[k] = &entry{res: r, state: stateDeleted}
			if !ok {
				l.order = append(l.order, k)
			}
		}
		l.mu.Unlock()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.uncertain = append(l.uncertain, s.Uncertain...)
	l.disowned = append(l.disowned, s.Disowned...)
	return true
}
