package refserver

import (
	"regexp"
	"testing"

	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/refserver/fault"
)

var kebab = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)+$`)

// TestCoreFaultRegistry checks names, areas and requirement ids.
// TestEveryFaultCitesACatalogRequirement checks the merged registry (core,
// filter, patch and bulk switches) against the embedded requirement catalog.
func TestEveryFaultCitesACatalogRequirement(t *testing.T) {
	cat, err := spec.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range AllFaults() {
		for _, id := range append([]string{f.Req}, f.Related...) {
			if _, ok := cat.Get(id); !ok {
				t.Errorf("%s: requirement %q is not in the catalog", f.Name, id)
			}
		}
	}
}

func TestCoreFaultRegistry(t *testing.T) {
	if len(coreFaults) < 28 {
		t.Errorf("only %d core faults", len(coreFaults))
	}
	seen := map[string]bool{}
	areas := map[string]bool{}
	for _, f := range coreFaults {
		if seen[f.Name] || !kebab.MatchString(f.Name) {
			t.Errorf("bad or duplicate name %q", f.Name)
		}
		seen[f.Name] = true
		areas[f.Area] = true
		if f.Summary == "" {
			t.Errorf("%s: no summary", f.Name)
		}
	}
	for _, a := range []string{"discovery", "schema", "create", "read", "replace", "delete", "errors", "media-type",
		"auth-security", "me", "sort", "paging", "cursor", "attributes", "search-post", "etag", "concurrency"} {
		if !areas[a] {
			t.Errorf("no core fault in area %s", a)
		}
	}
}

// TestAllFaultsSortedAndUnique checks the merged registry.
func TestAllFaultsSortedAndUnique(t *testing.T) {
	all := AllFaults()
	seen := map[string]bool{}
	for i, f := range all {
		if seen[f.Name] {
			t.Errorf("duplicate fault %s", f.Name)
		}
		seen[f.Name] = true
		if i > 0 && (all[i-1].Area > f.Area || (all[i-1].Area == f.Area && all[i-1].Name > f.Name)) {
			t.Errorf("not sorted at %s", f.Name)
		}
	}
	if len(all) < len(coreFaults) {
		t.Fatal("core faults missing from AllFaults")
	}
	if _, err := fault.NewSet(all, FaultCreateNoLocation); err != nil {
		t.Fatal(err)
	}
}

// TestCoreFaultSwitches proves every core fault breaks its rule when on and
// that the rule holds when it is off.
func TestCoreFaultSwitches(t *testing.T) {
	probes := allProbes()
	for _, f := range coreFaults {
		p, ok := probes[f.Name]
		if !ok {
			t.Errorf("no probe for fault %s", f.Name)
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			if p(newHarness(t)) {
				t.Errorf("rule %s broken without the fault", f.Req)
			}
			if !p(newHarness(t, f.Name)) {
				t.Errorf("fault on, but rule %s still holds", f.Req)
			}
		})
	}
	for name := range probes {
		if !seen(name) {
			t.Errorf("probe for unknown fault %s", name)
		}
	}
}

func seen(name string) bool {
	for _, f := range coreFaults {
		if f.Name == name {
			return true
		}
	}
	return false
}
