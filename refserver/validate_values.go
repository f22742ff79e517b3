package refserver

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// value canonicalises the value of attribute a. It returns nil for an
// unassigned value.
func (c *canonicalizer) value(a *schema.Attribute, v any, path string) (any, error) {
	if v == nil {
		return nil, nil
	}
	if !a.MultiValued {
		return c.single(a, v, path)
	}
	list, ok := v.([]any)
	if !ok {
		return nil, typeError(path, "an array")
	}
	out := make([]any, 0, len(list))
	primaries := 0
	for _, e := range list {
		cv, err := c.single(a, e, path)
		if err != nil {
			return nil, err
		}
		if cv == nil {
			continue
		}
		if m, ok := cv.(map[string]any); ok && m["primary"] == true {
			primaries++
		}
		out = append(out, cv)
	}
	if primaries > 1 && !c.faults.Has(FaultSchemaMultiplePrimary) {
		return nil, scimerr.BadRequest(scimerr.InvalidValue, "%s: primary may be true for one value only", path)
	}
	if c.mode != modePatch && !c.faults.Has(FaultSchemaDuplicateValuesKept) {
		out = dropDuplicatePairs(out)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// dropDuplicatePairs keeps the first of the complex values that share
// both type and value (RFC 7643 §2.4: the pair should not be returned
// twice); a dropped duplicate marked primary passes primary to the kept one.
// Values without a type or a value are kept as they are. PATCH results are
// left alone: the PATCH engine decides what an add of a present value does.
func dropDuplicatePairs(list []any) []any {
	out := list[:0:0]
	first := map[string]map[string]any{}
	for _, e := range list {
		m, ok := e.(map[string]any)
		typ, hasType := m["type"].(string)
		if !ok || !hasType || m["value"] == nil {
			out = append(out, e)
			continue
		}
		key := typ + "\x00" + fmt.Sprint(m["value"])
		if kept, dup := first[key]; dup {
			if m["primary"] == true {
				kept["primary"] = true
			}
			continue
		}
		first[key] = m
		out = append(out, e)
	}
	return out
}

// single canonicalises one value of attribute a.
func (c *canonicalizer) single(a *schema.Attribute, v any, path string) (any, error) {
	if v == nil {
		return nil, nil
	}
	if a.Type != schema.TypeComplex {
		return c.simple(a, v, path)
	}
	in, ok := v.(map[string]any)
	if !ok {
		return nil, typeError(path, "a JSON object")
	}
	out := map[string]any{}
	for k, sv := range in {
		sa := a.Sub(k)
		if sa == nil || sa.Mutability == schema.ReadOnly {
			continue
		}
		cv, err := c.value(sa, sv, path+"."+sa.Name)
		if err != nil {
			return nil, err
		}
		if cv != nil {
			out[sa.Name] = cv
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// simple checks and canonicalises a value of a simple type (RFC 7643 §2.3).
func (c *canonicalizer) simple(a *schema.Attribute, v any, path string) (any, error) {
	if c.faults.Has(FaultSchemaTypesUnchecked) {
		return normalizeNumbers(v), nil
	}
	switch a.Type {
	case schema.TypeString, schema.TypeReference:
		if s, ok := v.(string); ok {
			return s, nil
		}
		return nil, typeError(path, "a string")
	case schema.TypeBoolean:
		return c.boolean(v, path)
	case schema.TypeInteger:
		if f, ok := number(v); ok && isIntegral(v, f) {
			return f, nil
		}
		return nil, typeError(path, "an integer")
	case schema.TypeDecimal:
		if f, ok := number(v); ok {
			return f, nil
		}
		return nil, typeError(path, "a number")
	case schema.TypeDateTime:
		return dateTime(v, path)
	case schema.TypeBinary:
		s, ok := v.(string)
		if ok && (isBase64(s) || c.faults.Has(FaultSchemaBinaryUnchecked)) {
			return s, nil
		}
		return nil, typeError(path, "a base64 string")
	}
	return nil, scimerr.BadRequest(scimerr.InvalidValue, "%s: unsupported type %s", path, a.Type)
}

// boolean accepts a JSON Boolean; in a PATCH result also the strings
// "true"/"false" in any case, as some clients send them (docs/interpretations.md#i12).
func (c *canonicalizer) boolean(v any, path string) (any, error) {
	if b, ok := v.(bool); ok {
		return b, nil
	}
	if s, ok := v.(string); ok && c.mode == modePatch {
		switch strings.ToLower(s) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return nil, typeError(path, "a Boolean")
}

func typeError(path, want string) error {
	return scimerr.BadRequest(scimerr.InvalidValue, "%s must be %s", path, want)
}

// number reads a JSON number decoded as json.Number or float64.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil && !math.IsInf(f, 0)
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

// isIntegral reports whether a number has no fraction or exponent
// (RFC 7643 §2.3.4).
func isIntegral(v any, f float64) bool {
	if n, ok := v.(json.Number); ok && strings.ContainsAny(string(n), ".eE") {
		return false
	}
	return f == math.Trunc(f) && math.Abs(f) < 1<<53
}

// dateTime parses an xsd:dateTime (date and time required) and returns it
// in UTC in the server's layout. A value without offset is taken as UTC.
func dateTime(v any, path string) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, typeError(path, "a dateTime string")
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Format(timeLayout), nil
		}
	}
	return nil, typeError(path, "an xsd:dateTime such as 2015-01-23T04:56:22Z")
}

// isBase64 accepts standard and URL-safe base64, padded or not
// (RFC 7643 §2.3.6).
func isBase64(s string) bool {
	t := strings.TrimRight(s, "=")
	if _, err := base64.RawStdEncoding.DecodeString(t); err == nil {
		return true
	}
	_, err := base64.RawURLEncoding.DecodeString(t)
	return err == nil
}

// normalizeNumbers turns every json.Number inside v into a float64.
func normalizeNumbers(v any) any {
	switch t := v.(type) {
	case json.Number:
		if f, err := t.Float64(); err == nil {
			return f
		}
		return t.String()
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = normalizeNumbers(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalizeNumbers(e)
		}
		return out
	}
	return v
}

// checkRequired rejects a document that lacks a required attribute
// (RFC 7643 §2.2, §7): 400 invalidValue (RFC 7644 §3.12 Table 9).
func (c *canonicalizer) checkRequired(doc map[string]any) error {
	if err := c.requiredIn(doc, c.rs.Core, ""); err != nil {
		return err
	}
	for _, ext := range c.rs.Extensions {
		if obj, ok := doc[ext.ID].(map[string]any); ok {
			if err := c.requiredIn(obj, ext, ext.ID+":"); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *canonicalizer) requiredIn(obj map[string]any, s *schema.Schema, prefix string) error {
	for _, a := range s.Attributes {
		if !a.Required || a.Mutability == schema.ReadOnly || c.requiredWaived(s, a) {
			continue
		}
		if a.Name == "password" {
			continue
		}
		v, ok := obj[a.Name]
		if str, isStr := v.(string); !ok || (isStr && strings.TrimSpace(str) == "") {
			return scimerr.BadRequest(scimerr.InvalidValue, "%s%s is required", prefix, a.Name)
		}
	}
	return nil
}

// requiredWaived implements the faults that stop enforcing one required
// attribute.
func (c *canonicalizer) requiredWaived(s *schema.Schema, a *schema.Attribute) bool {
	switch {
	case s.ID == schema.URNUser && a.Name == "userName":
		return c.faults.Has(FaultUserNameNotRequired) ||
			(c.mode == modeReplace && c.faults.Has(FaultReplaceRequiredNotEnforced))
	case s.ID == schema.URNGroup && a.Name == "displayName":
		return c.faults.Has(FaultGroupDisplayNameOptional)
	}
	return false
}
