package suites

import (
	"fmt"
	"sort"
	"strings"

	"github.com/scimconform/scimconform/internal/caps"
)

// Read-after-write comparison: what the client sent against what the
// server returned (RFC 7644 §3.3, §3.5.1).

// coreSentProblems compares what a client sent with a representation the
// server returned, attribute by attribute: every value sent must come back
// (readOnly, writeOnly and returned:never attributes excepted). Values of
// attributes that are not caseExact compare without regard to case; a
// primary false may be omitted (RFC 7643 §2.4); the server may add
// sub-attributes and values.
func coreSentProblems(v coreView, hasView bool, sent, got map[string]any) []string {
	lookup := coreNoLookup
	if hasView {
		lookup = coreSchemaLookup(v.Base)
	}
	var out []string
	for _, k := range coreSortedKeys(sent) {
		if k == "schemas" || k == "id" || k == "meta" || sent[k] == nil {
			continue // id and meta are readOnly: the server's values win
		}
		if strings.HasPrefix(strings.ToLower(k), "urn:") {
			coreSentExtension(v, hasView, k, sent[k], got, &out)
			continue
		}
		coreSentMember(lookup, "$", k, sent[k], got, &out)
	}
	return out
}

func coreSentExtension(v coreView, hasView bool, urn string, sent any, got map[string]any, out *[]string) {
	sobj, _ := sent.(map[string]any)
	gv, ok := member(got, urn)
	gobj, isObj := gv.(map[string]any)
	if !ok || !isObj {
		*out = append(*out, fmt.Sprintf("$[%q] was sent with %s but the response has no such extension object", urn, quoteJSON(sent)))
		return
	}
	lookup := coreNoLookup
	if ext := v.extension(urn); hasView && ext != nil {
		lookup = coreSchemaLookup(*ext)
	}
	for _, k := range coreSortedKeys(sobj) {
		coreSentMember(lookup, fmt.Sprintf("$[%q]", urn), k, sobj[k], gobj, out)
	}
}

// coreSentMember compares member k of a sent object with the returned object.
func coreSentMember(lookup coreAttrLookup, parent, k string, sv any, got map[string]any, out *[]string) {
	a, known := lookup(k)
	if (known && coreNotEchoed(a)) || strings.EqualFold(k, "password") || sv == nil {
		return
	}
	path := parent + "." + k
	gv, ok := member(got, k)
	if !ok || gv == nil {
		if b, isBool := sv.(bool); isBool && !b && strings.EqualFold(k, "primary") {
			return
		}
		*out = append(*out, fmt.Sprintf("%s was sent as %s but is missing from the response", path, quoteJSON(sv)))
		return
	}
	if p := coreValueProblem(a, path, sv, gv); p != "" {
		*out = append(*out, p)
	}
}

// coreValueProblem compares one sent value with the returned one.
func coreValueProblem(a caps.Attribute, path string, sv, gv any) string {
	switch s := sv.(type) {
	case []any:
		g, ok := gv.([]any)
		if !ok {
			return fmt.Sprintf("%s was sent as an array but came back as %s", path, coreDescribe(gv))
		}
		for i, e := range s {
			if !coreAnyMatches(a, e, g) {
				return fmt.Sprintf("%s[%d] was sent as %s but no returned value matches it (returned %s)", path, i, quoteJSON(e), quoteJSON(g))
			}
		}
	case map[string]any:
		g, ok := gv.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s was sent as an object but came back as %s", path, coreDescribe(gv))
		}
		var sub []string
		for _, k := range coreSortedKeys(s) {
			coreSentMember(coreSubLookup(a), path, k, s[k], g, &sub)
		}
		if len(sub) > 0 {
			return strings.Join(sub, "; ")
		}
	case string:
		g, ok := gv.(string)
		if !ok || (a.CaseExact && g != s) || !strings.EqualFold(g, s) {
			return fmt.Sprintf("%s was sent as %q but came back as %s", path, s, quoteJSON(gv))
		}
	default:
		if fmt.Sprint(sv) != fmt.Sprint(gv) {
			return fmt.Sprintf("%s was sent as %s but came back as %s", path, quoteJSON(sv), quoteJSON(gv))
		}
	}
	return ""
}

// coreAnyMatches reports whether some returned value matches a sent value
// of a multi-valued attribute.
func coreAnyMatches(a caps.Attribute, sent any, got []any) bool {
	for _, g := range got {
		if coreValueProblem(a, "", sent, g) == "" {
			return true
		}
	}
	return false
}

// coreSortedKeys returns the keys of m, sorted, for stable messages.
func coreSortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
