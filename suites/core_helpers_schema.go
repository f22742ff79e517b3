package suites

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/scim"
)

// coreView is what the server publishes about one resource type: the
// ResourceType and the schemas it names in /Schemas.
type coreView struct {
	RT   caps.ResourceType
	Base caps.Schema
	// Exts are the declared extensions that /Schemas defines.
	Exts []caps.Schema
}

// coreSchemaView finds the published resource type rtName and its base
// schema; ok is false when discovery did not publish both.
func coreSchemaView(env *Env, rtName string) (coreView, bool) {
	if env.Caps == nil {
		return coreView{}, false
	}
	rt, ok := env.Caps.ResourceType(rtName)
	if !ok {
		return coreView{}, false
	}
	base, ok := env.Caps.Schema(rt.Schema)
	if !ok {
		return coreView{}, false
	}
	v := coreView{RT: rt, Base: base}
	for _, ext := range rt.SchemaExtensions {
		if s, ok := env.Caps.Schema(ext.Schema); ok {
			v.Exts = append(v.Exts, s)
		}
	}
	return v, true
}

// extension returns the declared extension schema with URN id, or nil.
func (v coreView) extension(id string) *caps.Schema {
	for i := range v.Exts {
		if strings.EqualFold(v.Exts[i].ID, id) {
			return &v.Exts[i]
		}
	}
	return nil
}

// declares reports whether the resource type declares schema URN id as its
// base schema or one of its extensions (whether /Schemas defines it or not).
func (v coreView) declares(id string) bool {
	if strings.EqualFold(v.RT.Schema, id) {
		return true
	}
	for _, ext := range v.RT.SchemaExtensions {
		if strings.EqualFold(ext.Schema, id) {
			return true
		}
	}
	return false
}

// coreAttrLookup finds an attribute definition by name.
type coreAttrLookup func(name string) (caps.Attribute, bool)

func coreSchemaLookup(s caps.Schema) coreAttrLookup { return s.Attribute }

func coreSubLookup(a caps.Attribute) coreAttrLookup {
	return func(name string) (caps.Attribute, bool) {
		for _, sub := range a.SubAttributes {
			if strings.EqualFold(sub.Name, name) {
				return sub, true
			}
		}
		return caps.Attribute{}, false
	}
}

func coreNoLookup(string) (caps.Attribute, bool) { return caps.Attribute{}, false }

// coreIs compares an attribute characteristic case-insensitively.
func coreIs(value, want string) bool { return strings.EqualFold(value, want) }

// coreNotEchoed reports whether a client-sent value of a is not expected
// back: readOnly values are ignored, writeOnly and returned:never values are
// never returned.
func coreNotEchoed(a caps.Attribute) bool {
	return coreIs(a.Mutability, "readOnly") || coreIs(a.Mutability, "writeOnly") || coreIs(a.Returned, "never")
}

// coreDecode decodes a response body as a JSON object keeping numbers as
// json.Number, so that integers and decimals can be told apart.
func coreDecode(resp *scim.Response) (map[string]any, error) {
	if resp.Truncated {
		return nil, errors.New(resp.TooLarge())
	}
	dec := json.NewDecoder(bytes.NewReader(resp.Body))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, fmt.Errorf("the body is not a JSON object")
	}
	return obj, nil
}

// coreTypeProblems lists every value of doc whose JSON type contradicts the
// type the published schemas declare (RFC 7643 §2.3, §2.4, §3.1). doc must
// be decoded with json.Number (coreDecode).
func coreTypeProblems(v coreView, doc map[string]any) []string {
	var out []string
	coreCommonTypes(doc, &out)
	for _, a := range v.Base.Attributes {
		if coreIsCommon(a.Name) {
			continue
		}
		if val, ok := member(doc, a.Name); ok && val != nil {
			coreCheckAttr(a, "$."+a.Name, val, &out)
		}
	}
	for _, ext := range v.Exts {
		val, ok := member(doc, ext.ID)
		if !ok || val == nil {
			continue
		}
		obj, isObj := val.(map[string]any)
		if !isObj {
			out = append(out, fmt.Sprintf("$[%q] is a JSON %s; extension attributes sit in a JSON object keyed by the extension URN", ext.ID, coreKind(val)))
			continue
		}
		for _, a := range ext.Attributes {
			if sv, ok := member(obj, a.Name); ok && sv != nil {
				coreCheckAttr(a, fmt.Sprintf("$[%q].%s", ext.ID, a.Name), sv, &out)
			}
		}
	}
	return out
}

// coreIsCommon reports the RFC 7643 §3.1 common attributes, which are
// checked by coreCommonTypes whether or not a schema lists them.
func coreIsCommon(name string) bool {
	for _, c := range []string{"id", "externalId", "meta", "schemas"} {
		if strings.EqualFold(c, name) {
			return true
		}
	}
	return false
}

// coreCommonTypes checks id, externalId and meta (RFC 7643 §3.1).
func coreCommonTypes(doc map[string]any, out *[]string) {
	for _, name := range []string{"id", "externalId"} {
		if val, ok := member(doc, name); ok && val != nil {
			if _, isStr := val.(string); !isStr {
				*out = append(*out, fmt.Sprintf("$.%s is a JSON %s, RFC 7643 §3.1 makes it a string", name, coreKind(val)))
			}
		}
	}
	val, ok := member(doc, "meta")
	if !ok || val == nil {
		return
	}
	meta, isObj := val.(map[string]any)
	if !isObj {
		*out = append(*out, fmt.Sprintf("$.meta is a JSON %s, RFC 7643 §3.1 makes it a complex attribute (object)", coreKind(val)))
		return
	}
	for _, name := range []string{"created", "lastModified"} {
		if mv, ok := member(meta, name); ok && mv != nil {
			coreCheckSingle(caps.Attribute{Name: name, Type: "dateTime"}, "$.meta."+name, mv, out)
		}
	}
	for _, name := range []string{"resourceType", "location", "version"} {
		if mv, ok := member(meta, name); ok && mv != nil {
			coreCheckSingle(caps.Attribute{Name: name, Type: "string"}, "$.meta."+name, mv, out)
		}
	}
}

// coreCheckAttr checks one attribute value, multi-valued or not.
func coreCheckAttr(a caps.Attribute, path string, val any, out *[]string) {
	if !a.MultiValued {
		coreCheckSingle(a, path, val, out)
		return
	}
	list, ok := val.([]any)
	if !ok {
		*out = append(*out, fmt.Sprintf("%s is a JSON %s; it is multiValued, so it must be an array", path, coreKind(val)))
		return
	}
	for i, e := range list {
		if e != nil {
			coreCheckSingle(a, fmt.Sprintf("%s[%d]", path, i), e, out)
		}
	}
}

// coreCheckSingle checks one value against the declared type of a.
func coreCheckSingle(a caps.Attribute, path string, val any, out *[]string) {
	bad := func(want string) {
		*out = append(*out, fmt.Sprintf("%s is %s, the published schema declares type %q: %s", path, coreDescribe(val), a.Type, want))
	}
	switch strings.ToLower(a.Type) {
	case "string", "reference":
		if _, ok := val.(string); !ok {
			bad("send a JSON string")
		}
	case "boolean":
		if _, ok := val.(bool); !ok {
			bad("send true or false")
		}
	case "integer":
		if n, ok := val.(json.Number); !ok || strings.ContainsAny(string(n), ".eE") {
			bad("send a JSON number without fraction or exponent (RFC 7643 §2.3.4)")
		}
	case "decimal":
		if _, ok := val.(json.Number); !ok {
			bad("send a JSON number")
		}
	case "datetime":
		if s, ok := val.(string); !ok || !coreIsDateTime(s) {
			bad("send an xsd:dateTime string with date and time, e.g. 2015-01-23T04:56:22Z (RFC 7643 §2.3.5)")
		}
	case "binary":
		if s, ok := val.(string); !ok || !coreIsBase64(s) {
			bad("send base64 text (RFC 7643 §2.3.6)")
		}
	case "complex":
		obj, ok := val.(map[string]any)
		if !ok {
			bad("send a JSON object (RFC 7643 §2.3.8)")
			return
		}
		for _, sub := range a.SubAttributes {
			if sv, ok := member(obj, sub.Name); ok && sv != nil {
				coreCheckAttr(sub, path+"."+sub.Name, sv, out)
			}
		}
	}
}

// coreKind names the JSON type of a value decoded with or without json.Number.
func coreKind(v any) string {
	if n, ok := v.(json.Number); ok {
		if strings.ContainsAny(string(n), ".eE") {
			return "number"
		}
		return "integer"
	}
	return jsonKind(v)
}

// coreDescribe renders a value and its JSON type for a message.
func coreDescribe(v any) string {
	return fmt.Sprintf("the JSON %s %s", coreKind(v), quoteJSON(v))
}

// xsdDateTime matches the lexical form of xsd:dateTime (XML Schema 1.0
// §3.2.7): date, "T", time, optional fraction and optional zone.
var xsdDateTime = regexp.MustCompile(`^-?([0-9]{4,})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$`)

// coreIsDateTime reports whether s is a valid xsd:dateTime with both a date
// and a time part (RFC 7643 §2.3.5).
func coreIsDateTime(s string) bool {
	m := xsdDateTime.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	if m[4] == "24" {
		return m[5] == "00" && m[6] == "00" && strings.Trim(m[7], ".0") == ""
	}
	if len(m[1]) != 4 || strings.HasPrefix(s, "-") {
		return true // outside time.Parse's range; the lexical form is right
	}
	t := s
	if m[8] == "" {
		t += "Z"
	}
	_, err := time.Parse(time.RFC3339Nano, t)
	return err == nil
}

// coreIsBase64 accepts standard or URL-safe base64, padded or not.
func coreIsBase64(s string) bool {
	t := strings.TrimRight(s, "=")
	if _, err := base64.RawStdEncoding.DecodeString(t); err == nil {
		return true
	}
	_, err := base64.RawURLEncoding.DecodeString(t)
	return err == nil
}
