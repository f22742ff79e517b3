package reports

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// configOf lists the effective configuration, nested maps flattened to
// dotted keys ("oauth2.token-url") and every value in plain words.
func configOf(c map[string]any) []keyValue {
	var out []keyValue
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok && len(sub) > 0 && k != "headers" && k != "features" {
				walk(prefix+k+".", sub)
				continue
			}
			out = append(out, keyValue{prefix + k, configValue(v)})
		}
	}
	walk("", c)
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// configValue renders one setting: lists comma-separated, maps as
// "k: v, ..." sorted, empty values as "—".
func configValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		if x == "" {
			return "—"
		}
		return x
	case float64: // numbers read back from report.json
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []string:
		return orDash(strings.Join(x, ", "))
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, fmt.Sprint(e))
		}
		return orDash(strings.Join(parts, ", "))
	case map[string]string:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = e
		}
		return configValue(m)
	case map[string]bool:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = e
		}
		return configValue(m)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, k+": "+configValue(x[k]))
		}
		return orDash(strings.Join(parts, ", "))
	default:
		return fmt.Sprint(v)
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// splitKept separates the notes naming resources --keep left behind.
func splitKept(notes []string) (kept, other []string) {
	for _, n := range notes {
		if strings.HasPrefix(n, KeptNotePrefix) {
			kept = append(kept, strings.TrimPrefix(n, KeptNotePrefix))
			continue
		}
		other = append(other, n)
	}
	return kept, other
}
