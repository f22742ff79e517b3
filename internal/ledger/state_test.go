package ledger

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestStateRoundTripsAndMerges(t *testing.T) {
	w := New(prefix)
	w.Own(Resource{Endpoint: "/Users", ID: "1", Name: prefix + "-a-w1-1"})
	w.Own(Resource{Endpoint: "/Groups", ID: "2", Name: prefix + "-g-w1-2"})
	w.Deleted("/Groups", "2")
	w.Probe("/Users")
	w.AddUncertain(Uncertain{Endpoint: "/Users", Name: prefix + "-x", Reason: "timeout"})
	w.Disown("/Users/9: userName differs")

	data, err := json.Marshal(w.State())
	if err != nil {
		t.Fatal(err)
	}
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}

	parent := New(prefix)
	parent.Own(Resource{Endpoint: "/Users", ID: "0"})
	if !parent.Merge(s) {
		t.Fatal("Merge refused a state of the same run")
	}
	if got, want := parent.Live(), []Resource{{Endpoint: "/Users", ID: "0"}, {Endpoint: "/Users", ID: "1", Name: prefix + "-a-w1-1"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Live = %v, want %v", got, want)
	}
	if parent.Created() != 3 || !parent.Owns("/Groups", "2") || parent.IsLive("/Groups", "2") {
		t.Errorf("created %d, owns deleted group %v, live %v", parent.Created(), parent.Owns("/Groups", "2"), parent.IsLive("/Groups", "2"))
	}
	if len(parent.Uncertain()) != 1 || len(parent.Disowned()) != 1 {
		t.Errorf("uncertain %v, disowned %v", parent.Uncertain(), parent.Disowned())
	}
	if parent.Merge(New("scimconform-ffffffff").State()) {
		t.Error("Merge accepted the state of another run")
	}
}
