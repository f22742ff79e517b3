package caps

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/spec"
)

const (
	spcJSON = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
	  "Patch":{"Supported":true},"bulk":{"supported":true,"maxOperations":10,"maxPayloadSize":4096},
	  "filter":{"supported":true,"maxResults":200},"sort":{"supported":false},"etag":{"supported":true},
	  "changePassword":{"supported":false},
	  "pagination":{"cursor":true,"index":false,"maxPageSize":50,"cursorTimeout":600,"defaultPageSize":20},
	  "authenticationSchemes":[{"type":"oauthbearertoken","name":"Bearer"},{"name":"no type"}]}`
	rtJSON = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":2,"Resources":[
	  {"id":"User","name":"User","endpoint":"/Users","schema":"urn:ietf:params:scim:schemas:core:2.0:User",
	   "schemaExtensions":[{"schema":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","required":false}]},
	  {"id":"Group","name":"Group","endpoint":"/Teams","schema":"urn:ietf:params:scim:schemas:core:2.0:Group"}]}`
	// A bare array, as some servers send it.
	schemasJSON = `[{"id":"urn:ietf:params:scim:schemas:core:2.0:User","name":"User",
	  "attributes":[{"name":"userName","type":"string","required":true,"uniqueness":"server"}]},
	  "not an object"]`
)

func fromDiscovery(t *testing.T, spc, rt, schemas string) *Capabilities {
	t.Helper()
	c, err := FromDiscovery(Discovery{ServiceProviderConfig: []byte(spc), ResourceTypes: []byte(rt), Schemas: []byte(schemas)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFromDiscoveryReadsEveryCapabilityWithItsSource(t *testing.T) {
	c := fromDiscovery(t, spcJSON, rtJSON, schemasJSON)
	want := map[spec.Feature]struct {
		on  bool
		src Source
	}{
		spec.FeaturePatch: {true, SourceAdvertised}, spec.FeatureBulk: {true, SourceAdvertised},
		spec.FeatureFilter: {true, SourceAdvertised}, spec.FeatureSort: {false, SourceAdvertised},
		spec.FeatureETag: {true, SourceAdvertised}, spec.FeatureChangePassword: {false, SourceAdvertised},
		spec.FeatureCursor: {true, SourceAdvertised}, spec.FeatureIndexPaging: {false, SourceAdvertised},
		spec.FeatureUsers: {true, SourceAdvertised}, spec.FeatureGroups: {true, SourceAdvertised},
		spec.FeatureEnterpriseUser: {true, SourceAdvertised},
		spec.FeatureMe:             {true, SourceDefault}, spec.FeatureSearch: {true, SourceDefault},
	}
	for f, w := range want {
		got, ok := c.Get(f)
		if !ok || got.Enabled != w.on || got.Source != w.src || c.Has(f) != w.on {
			t.Errorf("%s: got %+v (present %v), want enabled=%v source=%s", f, got, ok, w.on, w.src)
		}
	}
	if got := c.Limits; got != (Limits{FilterMaxResults: 200, BulkMaxOperations: 10, BulkMaxPayloadSize: 4096,
		CursorMaxPageSize: 50, CursorTimeout: 600, DefaultPageSize: 20}) {
		t.Errorf("limits: %+v", got)
	}
	if bulk, _ := c.Get(spec.FeatureBulk); bulk.Detail != "maxOperations=10 maxPayloadSize=4096" || !bulk.Advertised {
		t.Errorf("bulk: %+v", bulk)
	}
	if strings.Join(c.AuthSchemes, ",") != "oauthbearertoken" {
		t.Errorf("auth schemes: %v", c.AuthSchemes)
	}
	if rt, ok := c.ResourceType("group"); !ok || rt.Endpoint != "/Teams" {
		t.Errorf("ResourceType(group) = %+v, %v", rt, ok)
	}
	s, ok := c.Schema("URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER")
	if a, found := s.Attribute("USERNAME"); !ok || !found || !a.Required || len(c.Schemas) != 1 {
		t.Errorf("schemas: %+v (attribute %+v)", c.Schemas, a)
	}
}

func TestFromDiscoveryDefaults(t *testing.T) {
	// No pagination member: RFC 7644 index paging is assumed, cursor is not.
	// An unreadable /ResourceTypes does not turn every User and Group spec
	// into NOT SUPPORTED: Users and Groups are assumed, by default.
	c := fromDiscovery(t, `{"patch":{"supported":"yes"}}`, `<html>`, ``)
	for f, want := range map[spec.Feature]Capability{
		spec.FeatureCursor:      {Enabled: false, Source: SourceDefault},
		spec.FeatureIndexPaging: {Enabled: true, Source: SourceDefault},
		spec.FeatureUsers:       {Enabled: true, Source: SourceDefault},
		spec.FeatureGroups:      {Enabled: true, Source: SourceDefault},
		spec.FeatureMe:          {Enabled: true, Source: SourceDefault},
		spec.FeaturePatch:       {Enabled: false, Source: SourceAdvertised}, // "yes" is not a boolean
	} {
		got, _ := c.Get(f)
		if got.Enabled != want.Enabled || got.Source != want.Source {
			t.Errorf("%s: got %+v, want enabled=%v source=%s", f, got, want.Enabled, want.Source)
		}
	}
	// A readable, empty list: the server offers no Users and no Groups.
	for _, empty := range []string{`{"totalResults":0,"Resources":[]}`, `{"totalResults":0}`, `[]`} {
		c = fromDiscovery(t, `{}`, empty, ``)
		if u, _ := c.Get(spec.FeatureUsers); u.Enabled || u.Source != SourceAdvertised || c.Has(spec.FeatureMe) {
			t.Errorf("%s: users %+v, me %v", empty, u, c.Has(spec.FeatureMe))
		}
	}
	// A readable /ResourceTypes without Groups: Groups are absent, advertised.
	c = fromDiscovery(t, `{}`, `[{"id":"User","name":"User","endpoint":"/Users"}]`, ``)
	if g, _ := c.Get(spec.FeatureGroups); g.Enabled || g.Source != SourceAdvertised || c.Has(spec.FeatureEnterpriseUser) {
		t.Errorf("groups: %+v, enterprise %v", g, c.Has(spec.FeatureEnterpriseUser))
	}
}

func TestFromDiscoveryRejectsAnUnusableServiceProviderConfig(t *testing.T) {
	for _, spc := range []string{``, `null`, `[]`, `{"schemas":`, `"text"`} {
		if _, err := FromDiscovery(Discovery{ServiceProviderConfig: []byte(spc)}); err == nil {
			t.Errorf("%q: want an error", spc)
		}
	}
}

func TestOverrideKeepsWhatWasAdvertised(t *testing.T) {
	c := fromDiscovery(t, spcJSON, rtJSON, schemasJSON)
	c.Override(map[spec.Feature]bool{spec.FeatureBulk: false, spec.FeatureSort: true})
	bulk, _ := c.Get(spec.FeatureBulk)
	if bulk.Enabled || bulk.Source != SourceOverridden || !bulk.Advertised || c.Has(spec.FeatureBulk) {
		t.Errorf("bulk=off: %+v", bulk)
	}
	sort, _ := c.Get(spec.FeatureSort)
	if !sort.Enabled || sort.Source != SourceOverridden || sort.Advertised {
		t.Errorf("sort=on: %+v", sort)
	}
	list := c.List()
	for i := 1; i < len(list); i++ {
		if list[i-1].Feature >= list[i].Feature {
			t.Fatalf("List is not sorted: %v before %v", list[i-1].Feature, list[i].Feature)
		}
	}
	data, err := json.Marshal(c)
	if err != nil || !strings.Contains(string(data), `"features":[`) || !strings.Contains(string(data), `"source":"overridden"`) {
		t.Errorf("MarshalJSON: %v %s", err, data)
	}
}

func TestNilCapabilities(t *testing.T) {
	var c *Capabilities
	if c.Has(spec.FeatureBulk) || c.List() != nil {
		t.Error("nil capabilities have no feature")
	}
	if _, ok := c.Get(spec.FeatureBulk); ok {
		t.Error("nil capabilities have no feature")
	}
	var empty Capabilities
	empty.Override(map[spec.Feature]bool{spec.FeatureMe: false})
	if me, ok := empty.Get(spec.FeatureMe); !ok || me.Source != SourceOverridden {
		t.Errorf("override on empty capabilities: %+v", me)
	}
}

func TestCapabilitiesRoundTripThroughJSON(t *testing.T) {
	c := fromDiscovery(t, spcJSON, rtJSON, schemasJSON)
	c.Override(map[spec.Feature]bool{spec.FeatureBulk: false})
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back Capabilities
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(&back)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(data) {
		t.Errorf("round trip changed the capabilities:\n%s\n%s", data, again)
	}
	if back.Has(spec.FeatureBulk) || !back.Has(spec.FeaturePatch) || back.Limits.BulkMaxOperations != 10 {
		t.Errorf("decoded capabilities: bulk %v, patch %v, limits %+v", back.Has(spec.FeatureBulk), back.Has(spec.FeaturePatch), back.Limits)
	}
	if err := json.Unmarshal([]byte(`{"features":7}`), &back); err == nil {
		t.Error("a malformed feature list decoded without error")
	}
}
