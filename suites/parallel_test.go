package suites

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestQuerySetSurvivesAJSONRoundTrip(t *testing.T) {
	q := &QuerySet{Prefix: "scimconform-0a1b2c3d-qs-w2-1", Users: map[string]string{"u01": "id-1"}, Groups: map[string]string{"g1": "id-g"},
		Split: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), Missing: map[string]string{"u02": "refused"},
		Scope: &QueryScope{Mode: ScopeAnd, Answers: map[string]string{"f": "200 OK"}, Order: []string{"f"}}}
	data, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	var back *QuerySet
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Key("id-1") != "u01" || back.Key("id-g") != "g1" || !back.Split.Equal(q.Split) || back.Scope.Mode != ScopeAnd || back.Missing["u02"] != "refused" {
		t.Errorf("decoded %+v", back)
	}
}

// fakeCoordinator hands out a value posted by an earlier "process".
type fakeCoordinator struct {
	posted []byte
	builds atomic.Int32
}

func (f *fakeCoordinator) Claim(context.Context, string, bool) bool { return true }

func (f *fakeCoordinator) Shared(_ context.Context, _ string, build func() ([]byte, error)) ([]byte, error) {
	if f.posted != nil {
		return f.posted, nil
	}
	f.builds.Add(1)
	return build()
}

func TestSharedBuildsOncePerRunAndDecodesForOtherProcesses(t *testing.T) {
	type set struct{ N int }
	builder := &Env{Coordinator: &fakeCoordinator{}}
	v, err := Shared(context.Background(), builder, "k", func() (*set, error) { return &set{N: 7}, nil })
	if err != nil || v.N != 7 {
		t.Fatalf("builder got %v, %v", v, err)
	}
	reader := &Env{Coordinator: &fakeCoordinator{posted: []byte(`{"N":7}`)}}
	calls := 0
	for range 2 {
		v, err = Shared(context.Background(), reader, "k", func() (*set, error) { calls++; return nil, errors.New("must not build") })
		if err != nil || v == nil || v.N != 7 || calls != 0 {
			t.Fatalf("reader got %v, %v after %d builds", v, err, calls)
		}
	}
	failing := &Env{}
	_, err = Shared(context.Background(), failing, "k", func() (*set, error) { return nil, errors.New("refused") })
	if _, err2 := Shared(context.Background(), failing, "k", func() (*set, error) { return &set{}, nil }); err == nil || err2 == nil {
		t.Error("a failed build is not returned to every caller")
	}
}

func TestNamesOfWorkersDoNotCollide(t *testing.T) {
	a, b := &Env{Prefix: "scimconform-0a1b2c3d", Worker: 1}, &Env{Prefix: "scimconform-0a1b2c3d", Worker: 2}
	if x, y := a.Name("u"), b.Name("u"); x == y || x != "scimconform-0a1b2c3d-u-w1-1" {
		t.Errorf("names %q and %q", x, y)
	}
	if n := (&Env{Prefix: "scimconform-0a1b2c3d"}).Name("u"); n != "scimconform-0a1b2c3d-u-1" {
		t.Errorf("serial name %q", n)
	}
}
