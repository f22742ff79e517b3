// Package fault names the reference server's fault switches. A fault switch
// breaks exactly one rule of RFC 7643/7644/9865 so that the self-tests can prove
// the matching spec catches that defect.
package fault

import (
	"fmt"
	"sort"
	"strings"
)

// Info describes one fault switch.
type Info struct {
	// Name is the switch, kebab-case: "create-no-location".
	Name string `json:"name"`
	// Req is the requirement id (shared/spec/requirements.tsv) the fault violates.
	Req string `json:"req"`
	// Area is the catalog area (create, filter, patch, bulk, etag, ...).
	Area string `json:"area"`
	// Summary says in one line what the server does wrong with the switch on.
	Summary string `json:"summary"`
	// Related lists further requirement ids whose specs may legitimately fail
	// too with this fault on (the self-tests allow exactly Req plus Related).
	Related []string `json:"related,omitempty"`
}

// Set is the set of enabled faults. The zero value has none. A Set is built
// once at start-up and only read afterwards, so it is safe for concurrent use.
type Set map[string]bool

// Has reports whether the named fault is on. A nil Set has none.
func (s Set) Has(name string) bool { return s[name] }

// NewSet validates names against the registry and returns the set.
func NewSet(registry []Info, names ...string) (Set, error) {
	known := map[string]bool{}
	for _, f := range registry {
		known[f.Name] = true
	}
	s := Set{}
	for _, n := range names {
		for _, part := range strings.Split(n, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			if !known[part] {
				return nil, fmt.Errorf("unknown fault %q (see scimconform serve --list-faults)", part)
			}
			s[part] = true
		}
	}
	return s, nil
}

// Sorted returns the registry sorted by area, then name.
func Sorted(registry []Info) []Info {
	out := append([]Info(nil), registry...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Area != out[j].Area {
			return out[i].Area < out[j].Area
		}
		return out[i].Name < out[j].Name
	})
	return out
}
