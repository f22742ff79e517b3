package suites

import (
	"reflect"
	"testing"
	"time"

	"github.com/scimconform/scimconform/fixtures/dataset"
	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/scim"
)

func TestFilterDiff(t *testing.T) {
	missing, extra, maybes := filterDiff(
		[]string{"u01", "u03", "u03", "u05", "u12", "other(x)"},
		[]string{"u01", "u02", "u03"}, []string{"u12"})
	if want := []string{"u02", "u03"}; !reflect.DeepEqual(missing, want) {
		t.Errorf("missing = %v, want %v", missing, want)
	}
	if want := []string{"other(x)", "u03 (2 times)", "u05"}; !reflect.DeepEqual(extra, want) {
		t.Errorf("extra = %v, want %v", extra, want)
	}
	if want := []string{"u12"}; !reflect.DeepEqual(maybes, want) {
		t.Errorf("maybes = %v, want %v", maybes, want)
	}
	if m, e, _ := filterDiff([]string{"u02", "u01"}, []string{"u01", "u02"}, nil); len(m)+len(e) != 0 {
		t.Errorf("an exact match reported %v %v", m, e)
	}
}

func TestQuerySetScopeKeysAndDropped(t *testing.T) {
	q := &QuerySet{Prefix: "run-qs-1", Users: map[string]string{"u01": "a"}, Groups: map[string]string{"g1": "b"},
		byID: map[string]string{"a": "u01", "b": "g1"}, Dropped: []string{"nickName", "urn:x:User"}}
	if got, want := q.Scoped(`title pr`), `(userName sw "run-qs-1-") and (title pr)`; got != want {
		t.Errorf("Scoped = %q, want %q", got, want)
	}
	if got, want := q.ScopedGroups(""), `displayName sw "run-qs-1-"`; got != want {
		t.Errorf("ScopedGroups = %q, want %q", got, want)
	}
	got := q.Keys([]map[string]any{{"id": "b"}, {"id": "z", "userName": "someone"}, {"id": "a"}})
	if want := []string{"g1", "other(someone)", "u01"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Keys = %v, want %v", got, want)
	}
	for attr, want := range map[string]bool{"NICKNAME": true, "nickName.x": true, "urn:x:User:dept": true, "title": false, "nick": false} {
		if q.HasDropped(attr) != want {
			t.Errorf("HasDropped(%q) = %v, want %v", attr, !want, want)
		}
	}
}

func TestQuerySetSplitAfter(t *testing.T) {
	q := &QuerySet{Stamps: map[string]string{"u01": "2026-01-02T03:04:05.250Z", "u02": "2026-01-02T03:04:06Z", "u03": "2026-01-02T03:04:09Z"}}
	items := []dataset.Item{{Key: "u01", Batch: 1}, {Key: "u02", Batch: 1}, {Key: "u03", Batch: 2}}
	if got, want := q.splitAfter(items), time.Date(2026, 1, 2, 3, 4, 7, 0, time.UTC); !got.Equal(want) {
		t.Errorf("splitAfter = %v, want %v (the whole second after the latest batch-1 stamp)", got, want)
	}
	q.Stamps["u02"] = ""
	if got := q.splitAfter(items); !got.IsZero() {
		t.Errorf("splitAfter without every stamp = %v, want zero", got)
	}
	if v := q.Vars(); v.Split != "" {
		t.Errorf("Vars().Split = %q without a split", v.Split)
	}
}

func TestQuerySetPrunesUndeclaredAttributes(t *testing.T) {
	c := &caps.Capabilities{
		ResourceTypes: []caps.ResourceType{{Name: "User", Endpoint: "/Users", Schema: scim.SchemaUser}},
		Schemas: []caps.Schema{{ID: scim.SchemaUser, Attributes: []caps.Attribute{
			{Name: "userName"}, {Name: "name"}, {Name: "emails"}, {Name: "groups", Mutability: "readOnly"}}}},
	}
	users, err := dataset.Users("p")
	if err != nil {
		t.Fatal(err)
	}
	q := &QuerySet{}
	q.pruneUsers(&Env{Caps: c}, users)
	for _, d := range []string{"nickName", "title", scim.SchemaEnterpriseUser} {
		if !q.HasDropped(d) {
			t.Errorf("%s is not reported dropped: %v", d, q.Dropped)
		}
	}
	for _, u := range users {
		for k := range u.Body {
			switch k {
			case "schemas", "userName", "name", "emails", "externalId":
			default:
				t.Errorf("%s: %s was sent although the schema does not declare it", u.Key, k)
			}
		}
		if s := u.Body["schemas"].([]any); len(s) != 1 {
			t.Errorf("%s: schemas %v still lists an undeclared extension", u.Key, s)
		}
	}
}

func TestQuerySetBatchGap(t *testing.T) {
	for _, c := range []struct {
		latest string
		want   time.Duration
	}{
		{"", qsBatchGap}, // no stamps: the whole gap
		{"2026-01-02T03:04:05Z", 2100 * time.Millisecond},
		{"2026-01-02T03:04:05.250Z", 1850 * time.Millisecond},
		{"2026-01-02T05:04:05.999+02:00", 1101 * time.Millisecond},
	} {
		var latest time.Time
		if c.latest != "" {
			latest, _ = time.Parse(time.RFC3339Nano, c.latest)
		}
		if got := batchGap(latest); got != c.want {
			t.Errorf("batchGap(%q) = %v, want %v", c.latest, got, c.want)
		}
		// Batch 2 must be stamped in a later second than the split, even at
		// whole-second precision: latest + gap reaches split + 1 s.
		if !latest.IsZero() && latest.Add(batchGap(latest)).Before(splitOf(latest).Add(time.Second)) {
			t.Errorf("batchGap(%q) ends before the second after the split", c.latest)
		}
	}
}
