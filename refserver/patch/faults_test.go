package patch

import (
	"os"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver/fault"
)

// TestFaults runs, for each fault, a case whose correct outcome the fault
// changes: the correct expectation must hold without the switch and fail
// with it.
func TestFaults(t *testing.T) {
	tests := []struct {
		fault string
		right tc
		wrong tc
	}{
		{faultPrimaryNotExcl,
			tc{ops: `[{"op":"replace","path":"emails[type eq \"home\"].primary","value":true}]`,
				want: map[string]string{"emails": `[{"value":"bjensen@example.com","type":"work","primary":false},` +
					`{"value":"babs@jensen.org","type":"home","primary":true}]`}},
			tc{ops: `[{"op":"replace","path":"emails[type eq \"home\"].primary","value":true}]`,
				want: map[string]string{"emails": `[` + workEmail + `,{"value":"babs@jensen.org","type":"home","primary":true}]`}}},
		{faultReplaceNoMerge,
			tc{ops: `[{"op":"replace","path":"name","value":{"givenName":"B"}}]`, want: map[string]string{"name|familyName": `"Jensen"`}},
			tc{ops: `[{"op":"replace","path":"name","value":{"givenName":"B"}}]`, want: map[string]string{"name": `{"givenName":"B"}`}}},
		{faultAddDuplicates,
			tc{ops: `[{"op":"add","path":"emails","value":[` + homeEmail + `]}]`, same: true},
			tc{ops: `[{"op":"add","path":"emails","value":[` + homeEmail + `]}]`,
				want: map[string]string{"emails": `[` + workEmail + `,` + homeEmail + `,` + homeEmail + `]`}}},
		{faultRemoveNoPath,
			tc{ops: `[{"op":"remove"}]`, err: "noTarget"},
			tc{ops: `[{"op":"remove"}]`, same: true}},
		{faultValuePathFirstOnly,
			tc{ops: `[{"op":"replace","path":"phoneNumbers[value sw \"555\"].type","value":"other"}]`,
				want: map[string]string{"phoneNumbers": `[{"value":"555-555-5555","type":"other"},{"value":"555-555-4444","type":"other"}]`}},
			tc{ops: `[{"op":"replace","path":"phoneNumbers[value sw \"555\"].type","value":"other"}]`,
				want: map[string]string{"phoneNumbers": `[{"value":"555-555-5555","type":"other"},{"value":"555-555-4444","type":"mobile"}]`}}},
		{faultReadOnlyAllowed,
			tc{ops: `[{"op":"replace","path":"id","value":"forged"}]`, err: "mutability"},
			tc{ops: `[{"op":"replace","path":"id","value":"forged"}]`, want: map[string]string{"id": `"forged"`}}},
		{faultNoInvalidPath,
			tc{ops: `[{"op":"add","path":"shoeSize","value":"9"}]`, err: "invalidPath"},
			tc{ops: `[{"op":"add","path":"shoeSize","value":"9"}]`, same: true}},
		{faultImmutableAllowed,
			tc{prep: set("serial", "S"), ops: `[{"op":"replace","path":"serial","value":"T"}]`, err: "mutability"},
			tc{prep: set("serial", "S"), ops: `[{"op":"replace","path":"serial","value":"T"}]`, want: map[string]string{"serial": `"T"`}}},
		{faultNoTargetIgnored,
			tc{ops: `[{"op":"replace","path":"emails[type eq \"other\"].value","value":"x"}]`, err: "noTarget"},
			tc{ops: `[{"op":"replace","path":"emails[type eq \"other\"].value","value":"x"}]`, same: true}},
		{faultReplaceMissing,
			tc{prep: del("title"), ops: `[{"op":"replace","path":"title","value":"T"}]`, want: map[string]string{"title": `"T"`}},
			tc{prep: del("title"), ops: `[{"op":"replace","path":"title","value":"T"}]`, err: "noTarget"}},
		{faultRemoveRequired,
			tc{ops: `[{"op":"remove","path":"userName"}]`, err: "mutability"},
			tc{ops: `[{"op":"remove","path":"userName"}]`, want: map[string]string{"userName": "-"}}},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			run(t, tt.right, nil)
			run(t, tt.wrong, fault.Set{tt.fault: true})
		})
	}
}

func TestFaultNotAtomic(t *testing.T) {
	ops := decodeOps(t, `[{"op":"replace","path":"title","value":"A"},{"op":"add","path":"shoeSize","value":"9"}]`)
	for _, faulty := range []bool{false, true} {
		doc, rs := fixture(tc{})
		_, err := Apply(doc, ops, rs, fault.Set{faultNotAtomic: faulty})
		if err == nil {
			t.Fatal("want an error")
		}
		if kept := doc["title"] == "A"; kept != faulty {
			t.Errorf("fault=%v: first operation kept = %v", faulty, kept)
		}
	}
}

// TestFaultRegistry checks every switch is unique, in the patch area,
// declared in the source, and cites a requirement.
func TestFaultRegistry(t *testing.T) {
	src, err := os.ReadFile("faults.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	if len(Faults) < 6 {
		t.Errorf("only %d patch faults", len(Faults))
	}
	for _, f := range Faults {
		if seen[f.Name] || !strings.HasPrefix(f.Name, "patch-") || f.Area != "patch" || f.Summary == "" {
			t.Errorf("bad fault entry %+v", f)
		}
		seen[f.Name] = true
		if f.Req == "" {
			t.Errorf("%s cites no requirement (ids are checked against the catalog in package refserver)", f.Name)
		}
		if !strings.Contains(string(src), `"`+f.Name+`"`) {
			t.Errorf("%s is not declared in faults.go", f.Name)
		}
	}
}
