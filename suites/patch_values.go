package suites

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/scimconform/scimconform/internal/caps"
)

// Reading and comparing resources for the PATCH suite. Attribute names are
// case-insensitive (RFC 7643 §2.1); unassigned, null and empty are the same
// state (RFC 7643 §2.5); the order of multi-valued values carries no meaning.

// patchValue returns the value at an attribute path of doc: "nickName",
// "name.givenName"; urn names the extension object holding the attribute
// ("" for the core schema). It returns nil when the value is unassigned.
func patchValue(doc map[string]any, urn, path string) any {
	container := doc
	if urn != "" {
		container, _ = memberObject(doc, urn)
	}
	if container == nil {
		return nil
	}
	top, sub, dotted := strings.Cut(path, ".")
	v, _ := member(container, top)
	if dotted {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v, _ = member(obj, sub)
	}
	if patchUnassigned(v) {
		return nil
	}
	return v
}

// patchValues returns the values of a multi-valued complex attribute.
func patchValues(doc map[string]any, name string) []map[string]any {
	list, _ := memberList(doc, name)
	out := make([]map[string]any, 0, len(list))
	for _, v := range list {
		if m, ok := v.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// patchWithSub returns the values whose sub-attribute sub equals want
// (case-insensitively: the suite's values are lower-case ASCII).
func patchWithSub(values []map[string]any, sub, want string) []map[string]any {
	var out []map[string]any
	for _, v := range values {
		if s, _ := memberString(v, sub); strings.EqualFold(s, want) {
			out = append(out, v)
		}
	}
	return out
}

// patchSameText compares a received value with the string the spec sent.
// Attributes that are not caseExact may come back in another case
// (RFC 7643 §7), so the comparison ignores case.
func patchSameText(got any, want string) bool {
	s, ok := got.(string)
	return ok && strings.EqualFold(s, want)
}

// patchIsPrimary reads the primary sub-attribute; absent means false
// (RFC 7643 §2.4).
func patchIsPrimary(v map[string]any) bool {
	p, _ := member(v, "primary")
	b, _ := p.(bool)
	return b
}

// patchMemberIDs returns the member values of a Group.
func patchMemberIDs(doc map[string]any) map[string]int {
	out := map[string]int{}
	for _, m := range patchValues(doc, "members") {
		if id, ok := memberString(m, "value"); ok {
			out[id]++
		}
	}
	return out
}

// patchUnassigned reports the unassigned state: null, "", an empty array or
// an object without assigned members (RFC 7643 §2.5).
func patchUnassigned(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		for _, e := range x {
			if !patchUnassigned(e) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range x {
			if !patchUnassigned(e) {
				return false
			}
		}
		return true
	}
	return false
}

// patchCanonical rewrites a decoded JSON value for comparison: object
// member names lower-cased, unassigned members dropped, arrays sorted by
// their JSON text.
func patchCanonical(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if !patchUnassigned(e) {
				out[strings.ToLower(k)] = patchCanonical(e)
			}
		}
		return out
	case []any:
		type keyed struct {
			key string
			val any
		}
		items := make([]keyed, 0, len(x))
		for _, e := range x {
			if patchUnassigned(e) {
				continue
			}
			c := patchCanonical(e)
			b, _ := json.Marshal(c) // decoded JSON always marshals
			items = append(items, keyed{string(b), c})
		}
		sort.Slice(items, func(i, j int) bool { return items[i].key < items[j].key })
		out := make([]any, len(items))
		for i, it := range items {
			out[i] = it.val
		}
		return out
	}
	return v
}

// patchSame reports whether two decoded values hold the same data.
func patchSame(a, b any) bool {
	return reflect.DeepEqual(patchCanonical(a), patchCanonical(b))
}

// patchDiff lists the attributes that differ between two reads of a
// resource, meta excepted; extension objects are compared attribute by
// attribute.
func patchDiff(before, after map[string]any) []string {
	b, a := patchFlatten(before), patchFlatten(after)
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []string
	for _, k := range names {
		if !reflect.DeepEqual(b[k], a[k]) {
			out = append(out, fmt.Sprintf("%s: %s → %s", k, patchShow(b[k]), patchShow(a[k])))
		}
	}
	return out
}

// patchFlatten maps each assigned attribute (meta excepted) to its canonical
// value; the members of an extension object appear as "urn:...:name".
func patchFlatten(doc map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range patchCanonical(doc).(map[string]any) {
		if k == "meta" {
			continue
		}
		if ext, ok := v.(map[string]any); ok && strings.HasPrefix(k, "urn:") {
			for sk, sv := range ext {
				out[k+":"+sk] = sv
			}
			continue
		}
		out[k] = v
	}
	return out
}

// patchShow renders a canonical value for a message ("unassigned" for none).
func patchShow(v any) string {
	if v == nil {
		return "unassigned"
	}
	return quoteJSON(v)
}

// patchMeta returns meta.lastModified (parsed) and meta.version of a read.
func patchMeta(doc map[string]any) (lastModified time.Time, hasLastModified bool, version string) {
	meta, _ := memberObject(doc, "meta")
	version, _ = memberString(meta, "version")
	s, _ := memberString(meta, "lastModified")
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil, version
}

// patchSchemaAttr finds an attribute of a published schema by "name" or
// "name.sub".
func patchSchemaAttr(env *Env, schemaID, path string) (caps.Attribute, bool) {
	if env.Caps == nil {
		return caps.Attribute{}, false
	}
	s, ok := env.Caps.Schema(schemaID)
	if !ok {
		return caps.Attribute{}, false
	}
	top, sub, dotted := strings.Cut(path, ".")
	a, ok := s.Attribute(top)
	if !ok || !dotted {
		return a, ok
	}
	for _, sa := range a.SubAttributes {
		if strings.EqualFold(sa.Name, sub) {
			return sa, true
		}
	}
	return caps.Attribute{}, false
}

// patchWithout returns a shallow copy of doc without the named members
// (matched case-insensitively).
func patchWithout(doc map[string]any, names ...string) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		drop := false
		for _, n := range names {
			drop = drop || strings.EqualFold(k, n)
		}
		if !drop {
			out[k] = v
		}
	}
	return out
}
