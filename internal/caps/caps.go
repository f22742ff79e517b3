// Package caps derives a service provider's capabilities from its discovery
// endpoints (/ServiceProviderConfig, /ResourceTypes, /Schemas) and applies the
// user's overrides. Every capability records where it came from.
package caps

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/scimconform/scimconform/internal/spec"
)

// Source says where a capability's value came from.
type Source string

// Sources of a capability.
const (
	SourceAdvertised Source = "advertised" // read from discovery
	SourceOverridden Source = "overridden" // set by config or --feature
	SourceDefault    Source = "default"    // not advertised either way; the harness assumed
	SourceConfigured Source = "configured" // decided by the run's configuration (tenants:)
)

// Capability is one feature's availability.
type Capability struct {
	Feature spec.Feature `json:"feature"`
	Enabled bool         `json:"enabled"`
	Source  Source       `json:"source"`
	// Advertised is what discovery said, kept when an override changed it.
	Advertised bool `json:"advertised"`
	// Detail holds limits and notes ("maxResults=200").
	Detail string `json:"detail,omitempty"`
}

// Limits are the numeric limits a server advertises (0 = not given).
type Limits struct {
	FilterMaxResults   int `json:"filterMaxResults,omitempty"`
	BulkMaxOperations  int `json:"bulkMaxOperations,omitempty"`
	BulkMaxPayloadSize int `json:"bulkMaxPayloadSize,omitempty"`
	CursorMaxPageSize  int `json:"cursorMaxPageSize,omitempty"`
	CursorTimeout      int `json:"cursorTimeout,omitempty"`
	DefaultPageSize    int `json:"defaultPageSize,omitempty"`
}

// ResourceType is the subset of an RFC 7643 §6 ResourceType the harness uses.
type ResourceType struct {
	ID               string            `json:"id"`
	Name             string            `json:"name"`
	Endpoint         string            `json:"endpoint"`
	Schema           string            `json:"schema"`
	SchemaExtensions []SchemaExtension `json:"schemaExtensions,omitempty"`
}

// SchemaExtension is a ResourceType's declared extension.
type SchemaExtension struct {
	Schema   string `json:"schema"`
	Required bool   `json:"required"`
}

// Attribute is an RFC 7643 §7 attribute definition.
type Attribute struct {
	Name          string      `json:"name"`
	Type          string      `json:"type"`
	MultiValued   bool        `json:"multiValued"`
	Required      bool        `json:"required"`
	CaseExact     bool        `json:"caseExact"`
	Mutability    string      `json:"mutability"`
	Returned      string      `json:"returned"`
	Uniqueness    string      `json:"uniqueness"`
	SubAttributes []Attribute `json:"subAttributes,omitempty"`
}

// Schema is an RFC 7643 §7 schema definition.
type Schema struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Attributes []Attribute `json:"attributes"`
}

// Attribute finds a top-level attribute by name, case-insensitively.
func (s Schema) Attribute(name string) (Attribute, bool) {
	for _, a := range s.Attributes {
		if strings.EqualFold(a.Name, name) {
			return a, true
		}
	}
	return Attribute{}, false
}

// Capabilities is what the harness knows about the target after preflight.
type Capabilities struct {
	features      map[spec.Feature]Capability
	Limits        Limits         `json:"limits"`
	ResourceTypes []ResourceType `json:"resourceTypes"`
	Schemas       []Schema       `json:"schemas"`
	// AuthSchemes are the advertised authenticationSchemes types.
	AuthSchemes []string `json:"authSchemes,omitempty"`
}

// Has reports whether a feature is enabled.
func (c *Capabilities) Has(f spec.Feature) bool { return c != nil && c.features[f].Enabled }

// Get returns one capability.
func (c *Capabilities) Get(f spec.Feature) (Capability, bool) {
	if c == nil {
		return Capability{}, false
	}
	cp, ok := c.features[f]
	return cp, ok
}

// List returns every capability, sorted by feature name.
func (c *Capabilities) List() []Capability {
	if c == nil {
		return nil
	}
	out := make([]Capability, 0, len(c.features))
	for _, cp := range c.features {
		out = append(out, cp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Feature < out[j].Feature })
	return out
}

// Set records a capability as read from discovery or assumed by default.
func (c *Capabilities) Set(f spec.Feature, enabled bool, src Source, detail string) {
	if c.features == nil {
		c.features = map[spec.Feature]Capability{}
	}
	c.features[f] = Capability{Feature: f, Enabled: enabled, Advertised: enabled && src == SourceAdvertised, Source: src, Detail: detail}
}

// Override applies user overrides (config `features:` or --feature); the
// advertised value is kept for the report.
func (c *Capabilities) Override(overrides map[spec.Feature]bool) {
	if c.features == nil {
		c.features = map[spec.Feature]Capability{}
	}
	for f, on := range overrides {
		cp := c.features[f]
		cp.Feature, cp.Enabled, cp.Source = f, on, SourceOverridden
		c.features[f] = cp
	}
}

// ResourceType finds a resource type by name (User, Group), case-insensitively.
func (c *Capabilities) ResourceType(name string) (ResourceType, bool) {
	for _, rt := range c.ResourceTypes {
		if strings.EqualFold(rt.Name, name) || strings.EqualFold(rt.ID, name) {
			return rt, true
		}
	}
	return ResourceType{}, false
}

// Schema finds a published schema by URN, case-insensitively.
func (c *Capabilities) Schema(id string) (Schema, bool) {
	for _, s := range c.Schemas {
		if strings.EqualFold(s.ID, id) {
			return s, true
		}
	}
	return Schema{}, false
}

// MarshalJSON includes the feature list.
func (c *Capabilities) MarshalJSON() ([]byte, error) {
	type plain Capabilities
	return json.Marshal(struct {
		Features []Capability `json:"features"`
		*plain
	}{c.List(), (*plain)(c)})
}

// UnmarshalJSON reads what MarshalJSON writes, feature list included, so the
// capabilities of one process (the preflight of a parallel run) can be
// handed to another.
func (c *Capabilities) UnmarshalJSON(data []byte) error {
	type plain Capabilities
	var wire struct {
		Features []Capability `json:"features"`
		*plain
	}
	wire.plain = (*plain)(c)
	if err := json.Unmarshal(data, &wire); err != nil {
		return fmt.Errorf("capabilities: %w", err)
	}
	c.features = make(map[spec.Feature]Capability, len(wire.Features))
	for _, cp := range wire.Features {
		c.features[cp.Feature] = cp
	}
	return nil
}

// Discovery holds the raw discovery documents.
type Discovery struct {
	ServiceProviderConfig []byte
	ResourceTypes         []byte
	Schemas               []byte
}

// FromDiscovery builds capabilities from discovery documents. ResourceTypes and
// Schemas may be ListResponses or bare arrays. A malformed ServiceProviderConfig
// is an error; malformed ResourceTypes/Schemas leave those lists empty.
func FromDiscovery(d Discovery) (*Capabilities, error) {
	var spc map[string]any
	if err := json.Unmarshal(d.ServiceProviderConfig, &spc); err != nil || spc == nil {
		return nil, fmt.Errorf("/ServiceProviderConfig is not a JSON object")
	}
	c := &Capabilities{}
	readSPC(c, spc)
	rts, readable := decodeList[ResourceType](d.ResourceTypes)
	c.ResourceTypes = rts
	c.Schemas, _ = decodeList[Schema](d.Schemas)
	readResourceTypes(c, readable)
	return c, nil
}

func readSPC(c *Capabilities, spc map[string]any) {
	for _, f := range []struct {
		feature spec.Feature
		key     string
	}{{spec.FeaturePatch, "patch"}, {spec.FeatureBulk, "bulk"}, {spec.FeatureFilter, "filter"},
		{spec.FeatureSort, "sort"}, {spec.FeatureETag, "etag"}, {spec.FeatureChangePassword, "changePassword"}} {
		obj, _ := member(spc, f.key).(map[string]any)
		on, _ := member(obj, "supported").(bool)
		c.Set(f.feature, on, SourceAdvertised, "")
	}
	c.Limits.FilterMaxResults = intMember(member(spc, "filter"), "maxResults")
	c.Limits.BulkMaxOperations = intMember(member(spc, "bulk"), "maxOperations")
	c.Limits.BulkMaxPayloadSize = intMember(member(spc, "bulk"), "maxPayloadSize")
	if c.Limits.FilterMaxResults > 0 {
		c.Set(spec.FeatureFilter, c.Has(spec.FeatureFilter), SourceAdvertised, fmt.Sprintf("maxResults=%d", c.Limits.FilterMaxResults))
	}
	if c.Has(spec.FeatureBulk) {
		c.Set(spec.FeatureBulk, true, SourceAdvertised, fmt.Sprintf("maxOperations=%d maxPayloadSize=%d", c.Limits.BulkMaxOperations, c.Limits.BulkMaxPayloadSize))
	}
	readPagination(c, spc)
	if schemes, ok := member(spc, "authenticationSchemes").([]any); ok {
		for _, s := range schemes {
			if t, ok := member(s, "type").(string); ok {
				c.AuthSchemes = append(c.AuthSchemes, t)
			}
		}
	}
}

// readPagination reads RFC 9865 §4 "pagination" (cursor, index, limits).
func readPagination(c *Capabilities, spc map[string]any) {
	p, ok := member(spc, "pagination").(map[string]any)
	if !ok {
		c.Set(spec.FeatureCursor, false, SourceDefault, "no pagination member")
		c.Set(spec.FeatureIndexPaging, true, SourceDefault, "RFC 7644 index paging assumed")
		return
	}
	cursor, _ := member(p, "cursor").(bool)
	index, hasIndex := member(p, "index").(bool)
	c.Limits.CursorMaxPageSize = intMember(p, "maxPageSize")
	c.Limits.CursorTimeout = intMember(p, "cursorTimeout")
	c.Limits.DefaultPageSize = intMember(p, "defaultPageSize")
	c.Set(spec.FeatureCursor, cursor, SourceAdvertised, "")
	if hasIndex {
		c.Set(spec.FeatureIndexPaging, index, SourceAdvertised, "")
	} else {
		c.Set(spec.FeatureIndexPaging, true, SourceDefault, "")
	}
}

// readResourceTypes derives Users, Groups, the enterprise extension and /Me
// from the resource types. readable is false when /ResourceTypes could not be
// read at all (an error status, not JSON): that is the discovery suite's
// finding, and the other suites still test /Users and /Groups rather than
// report every spec NOT SUPPORTED, which would make a broken server look
// conformant. A readable list without User or Group means the server offers
// none.
func readResourceTypes(c *Capabilities, readable bool) {
	user, hasUser := c.ResourceType("User")
	_, hasGroup := c.ResourceType("Group")
	if !readable {
		const why = "/ResourceTypes could not be read; assumed"
		c.Set(spec.FeatureUsers, true, SourceDefault, why)
		c.Set(spec.FeatureGroups, true, SourceDefault, why)
		hasUser = true
	} else {
		c.Set(spec.FeatureUsers, hasUser, SourceAdvertised, "")
		c.Set(spec.FeatureGroups, hasGroup, SourceAdvertised, "")
	}
	ent := false
	for _, ext := range user.SchemaExtensions {
		if strings.EqualFold(ext.Schema, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User") {
			ent = true
		}
	}
	c.Set(spec.FeatureEnterpriseUser, ent, SourceAdvertised, "")
	// /Me and POST .search are not advertised by SCIM; assume them and let the
	// suites accept every permitted answer.
	c.Set(spec.FeatureMe, hasUser, SourceDefault, "not advertised by SCIM; probed")
	c.Set(spec.FeatureSearch, true, SourceDefault, "not advertised by SCIM; probed")
	var custom []string
	for _, rt := range c.CustomResourceTypes() {
		custom = append(custom, rt.Name)
	}
	detail := strings.Join(custom, ", ")
	if len(custom) == 0 {
		detail = "/ResourceTypes lists no resource type beyond User and Group"
	}
	c.Set(spec.FeatureCustomTypes, len(custom) > 0, SourceAdvertised, detail)
}

// CustomResourceTypes returns the published resource types other than User
// and Group (RFC 7643 §6 lets a service provider define its own), in
// discovery order; those without a name or endpoint are left out.
func (c *Capabilities) CustomResourceTypes() []ResourceType {
	var out []ResourceType
	for _, rt := range c.ResourceTypes {
		if rt.Name == "" || rt.Endpoint == "" || strings.EqualFold(rt.Name, "User") || strings.EqualFold(rt.Name, "Group") {
			continue
		}
		out = append(out, rt)
	}
	return out
}

// decodeList reads a ListResponse's Resources (absent when it lists
// nothing), or a bare JSON array. ok is false when data is neither.
func decodeList[T any](data []byte) (list []T, ok bool) {
	var lr struct {
		Resources []json.RawMessage `json:"Resources"`
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &lr); err == nil && bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		raw = lr.Resources
	} else if err := json.Unmarshal(data, &raw); err != nil || raw == nil {
		return nil, false
	}
	out := make([]T, 0, len(raw))
	for _, r := range raw {
		var t T
		if json.Unmarshal(r, &t) == nil {
			out = append(out, t)
		}
	}
	return out, true
}

// member reads a JSON object member case-insensitively (SCIM names are).
func member(v any, key string) any {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	if x, ok := m[key]; ok {
		return x
	}
	for k, x := range m {
		if strings.EqualFold(k, key) {
			return x
		}
	}
	return nil
}

func intMember(v any, key string) int {
	if f, ok := member(v, key).(float64); ok && f > 0 && f < 1<<31 {
		return int(f)
	}
	return 0
}
