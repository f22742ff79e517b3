package reports

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Finding is one cause of failure and the specs it made fail: a vendor
// fixes the finding once and every spec in it passes. FAIL and ERROR specs
// form findings F1, F2, ...; WARN specs form their own, W1, W2, ... (a
// WARN never joins a FAIL finding, so "what makes the run fail" stays apart
// from "what to look at").
type Finding struct {
	ID string `json:"id"`
	// Verdict is the worst verdict of its specs (FAIL, ERROR or WARN).
	Verdict Verdict `json:"verdict"`
	// Basis says how its specs were grouped: "cause" (a cause the specs
	// named), "exchange" (the same failing request shape and answer) or
	// "message" (the same failure message once ids, names, numbers and
	// quoted values are set aside).
	Basis string `json:"basis"`
	// Key is the grouping key (stable across runs against the same target).
	Key string `json:"key"`
	// Summary says what is wrong: the named cause, the failing exchange
	// ("GET /Users/{id}?attributes → 200 OK") or the message's first line.
	Summary string `json:"summary"`
	// Reqs are the requirement ids its specs are charged to (blamedReqs),
	// Level the strictest level among its specs.
	Reqs  []string   `json:"reqs"`
	Level spec.Level `json:"level"`
	// Message is the evidence: the failure message of its first spec, as
	// the reports show it (see shownMessage); Exchange that spec's failing
	// HTTP exchange in one line, without bodies ("" when it has none).
	Message  string `json:"message"`
	Exchange string `json:"exchange,omitempty"`
	// Specs are the full texts of its specs, sorted.
	Specs []string `json:"specs"`
}

// Bases of a finding (Finding.Basis).
const (
	BasisCause    = "cause"
	BasisExchange = "exchange"
	BasisMessage  = "message"
)

// Findings groups the FAIL, ERROR and WARN results of a run that share a
// cause. The cause key of a result is, in order of preference:
//
//  1. the cause the spec named (its last spec.EntryCause report entry, see
//     suites' Env.Cause): "create refused: POST /Users answered 400", "error
//     answers are not SCIM Error bodies";
//  2. else the signature of its failing HTTP exchange — the last exchange
//     that started before the failure (or before the first warning of a
//     passed WARN spec), so cleanup requests never count: method, path
//     template (see pathTemplate: ids, numbers and run-prefixed names
//     become {id} and {name}, query values are dropped, parameter names
//     kept), response status (or "no response") and the scimType of a SCIM
//     error body, plus the first requirement id the spec is charged to;
//  3. else its failure message (or warnings) with ids, run-prefixed
//     names, numbers other than HTTP statuses and requirement ids, and
//     quoted values replaced by placeholders (normaliseMessage).
//
// Results with equal keys form one finding. FAIL and ERROR results group
// together, WARN results apart. Findings are ordered by number of specs
// (most first), then by first requirement id, then by key, and numbered
// F1, F2, ... (W1, W2, ... for WARN); target is the run's base URL, whose
// path is left out of templates. Findings is a pure function: reports
// recompute it from report.json.
func Findings(results []SpecResult, target string) []Finding {
	base := basePath(target)
	type group struct {
		f     Finding
		first *SpecResult
		reqs  map[string]bool
	}
	groups := map[string]*group{}
	var order []string
	for i := range results {
		r := &results[i]
		if !isProblem(r.Verdict) {
			continue
		}
		basis, key, summary := causeOf(*r, base)
		class := "F"
		if r.Verdict == WARN {
			class = "W"
		}
		gk := class + " " + key
		g := groups[gk]
		if g == nil {
			g = &group{f: Finding{ID: class, Basis: basis, Key: key, Summary: summary, Verdict: r.Verdict, Level: r.Level}, first: r, reqs: map[string]bool{}}
			groups[gk] = g
			order = append(order, gk)
		}
		if verdictRank(r.Verdict) < verdictRank(g.f.Verdict) {
			g.f.Verdict = r.Verdict
		}
		if r.Level != "" && (g.f.Level == "" || r.Level.Rank() < g.f.Level.Rank()) {
			g.f.Level = r.Level
		}
		for _, id := range blamedReqs(*r) {
			g.reqs[id] = true
		}
		g.f.Specs = append(g.f.Specs, r.Name)
	}
	out := make([]Finding, 0, len(order))
	for _, gk := range order {
		g := groups[gk]
		for id := range g.reqs {
			g.f.Reqs = append(g.f.Reqs, id)
		}
		sort.Slice(g.f.Reqs, func(i, j int) bool { return naturalLess(idKey(g.f.Reqs[i]), idKey(g.f.Reqs[j])) })
		sort.Strings(g.f.Specs)
		g.f.Message = shownMessage(problemText(*g.first))
		if x, ok := failingExchange(*g.first); ok {
			g.f.Exchange = exchangeLine(x)
		}
		out = append(out, g.f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.ID == "W") != (b.ID == "W") {
			return b.ID == "W"
		}
		if len(a.Specs) != len(b.Specs) {
			return len(a.Specs) > len(b.Specs)
		}
		if fa, fb := firstOr(a.Reqs), firstOr(b.Reqs); fa != fb {
			return naturalLess(idKey(fa), idKey(fb))
		}
		return a.Key < b.Key
	})
	n := map[string]int{}
	for i := range out {
		n[out[i].ID]++
		out[i].ID = fmt.Sprintf("%s%d", out[i].ID, n[out[i].ID])
	}
	return out
}

// isProblem reports the verdicts findings are made of.
func isProblem(v Verdict) bool { return v == FAIL || v == ERROR || v == WARN }

func firstOr(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// findingOf maps each spec name to the id of its finding.
func findingOf(fs []Finding) map[string]string {
	m := map[string]string{}
	for _, f := range fs {
		for _, s := range f.Specs {
			m[s] = f.ID
		}
	}
	return m
}

// causeOf is the grouping key of one result and the summary a finding made
// from it shows (see Findings for the rule).
func causeOf(r SpecResult, base string) (basis, key, summary string) {
	if r.Cause != nil && r.Cause.Key != "" {
		summary = r.Cause.Summary
		if summary == "" {
			summary = r.Cause.Key
		}
		return BasisCause, "cause " + r.Cause.Key, summary
	}
	if x, ok := failingExchange(r); ok {
		method, tmpl := x.Request.Method, pathTemplate(x.Request.URL, base)
		status, answer := "no response", "no response"
		scimType := ""
		if x.Response != nil {
			status = fmt.Sprint(x.Response.Status)
			answer = statusLine(x.Response.Status)
			if x.Response.Status >= 300 {
				if e, err := matchers.ParseSCIMError([]byte(x.Response.Body)); err == nil && e.ScimType != "" {
					scimType = e.ScimType
					answer += " (scimType " + scimType + ")"
				}
			}
		}
		first := firstOr(blamedReqs(r))
		key = strings.Join([]string{"exchange", method, tmpl, status, scimType, first}, " ")
		return BasisExchange, key, method + " " + tmpl + " → " + answer
	}
	text := problemText(r)
	first, _ := firstLines(shownMessage(text), 1)
	return BasisMessage, "message " + normaliseMessage(text), capLine(first, findingLineChars)
}

// problemText is what a result says is wrong: its failure message, else its
// warnings.
func problemText(r SpecResult) string {
	if r.Message != "" {
		return r.Message
	}
	return strings.Join(r.Warnings, "\n")
}

// failingExchange is the exchange a result failed on: the last one that
// started no later than the failure (or, for a passed spec, its first
// warning); requests sent afterwards (cleanup) do not count. Without a
// failure time it is the last exchange.
func failingExchange(r SpecResult) (scim.Exchange, bool) {
	if len(r.Exchanges) == 0 {
		return scim.Exchange{}, false
	}
	if r.FailedAt.IsZero() {
		return r.Exchanges[len(r.Exchanges)-1], true
	}
	pick := -1
	for i, x := range r.Exchanges {
		if x.Started.IsZero() || !x.Started.After(r.FailedAt) {
			pick = i
		}
	}
	if pick < 0 {
		return scim.Exchange{}, false
	}
	return r.Exchanges[pick], true
}

// exchangeLine is one exchange in a line: "GET https://.../Users/2819c223 →
// 404 Not Found" (bodies stay in the transcript, stored once).
func exchangeLine(x scim.Exchange) string {
	line := x.Request.Method + " " + x.Request.URL + " → "
	if x.Response == nil {
		line += "no response"
		if x.Error != "" {
			line += " (" + x.Error + ")"
		}
		return capLine(line, findingLineChars)
	}
	line += statusLine(x.Response.Status)
	return capLine(line, findingLineChars)
}

func statusLine(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}

// basePath is the path of the target's base URL ("/scim/v2"), which path
// templates leave out.
func basePath(target string) string {
	u, err := url.Parse(target)
	if err != nil || u.Path == "/" {
		return ""
	}
	return strings.TrimSuffix(u.Path, "/")
}

var (
	reUUID    = regexp.MustCompile(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	reRunName = regexp.MustCompile(`scimconform[-:][0-9a-f]{8}[A-Za-z0-9._@:+~-]*`)
	reIDLike  = regexp.MustCompile(`^[A-Za-z0-9_=+.~-]{8,}$`)
	reDigit   = regexp.MustCompile(`[0-9]`)
	reNumber  = regexp.MustCompile(`[0-9]+`)
	reHexID   = regexp.MustCompile(`(?i)\b[0-9a-f]{16,}\b`)
	reQuoted  = regexp.MustCompile(`"(?:[^"\\\n]|\\.)*"`)
)

// pathTemplate is the shape of a request URL: its path relative to the base
// URL with each segment that names an instance replaced — a run-prefixed
// name (scimconform-<hex>-...) by {name}, a UUID, a number or another
// id-like segment (8 or more characters with a digit, no ':') by {id} — and
// the query reduced to its sorted parameter names ("/Users/{id}?attributes").
func pathTemplate(raw, base string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return normaliseMessage(raw)
	}
	p := u.EscapedPath()
	if base != "" && strings.HasPrefix(p, base) {
		p = strings.TrimPrefix(p, base)
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if dec, err := url.PathUnescape(s); err == nil {
			s = dec
		}
		switch {
		case s == "":
		case reRunName.MatchString(s):
			s = "{name}"
		case reUUID.MatchString(s), isDigits(s), reIDLike.MatchString(s) && reDigit.MatchString(s):
			s = "{id}"
		}
		segs[i] = s
	}
	out := strings.Join(segs, "/")
	if !strings.HasPrefix(out, "/") {
		out = "/" + out
	}
	if q := u.Query(); len(q) > 0 {
		names := make([]string, 0, len(q))
		for k := range q {
			names = append(names, k)
		}
		sort.Strings(names)
		out += "?" + strings.Join(names, "&")
	}
	return out
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// normaliseMessage sets aside what differs between specs failing for one
// reason: quoted values become "…", run-prefixed names {name}, UUIDs and
// long hex ids {id}, and numbers {n} — except HTTP statuses (three digits,
// 100–599) and the numbers inside requirement ids and section numbers
// (next to '.', '-' or '§'), which tell causes apart. Whitespace is
// collapsed and the text capped.
func normaliseMessage(s string) string {
	s = reQuoted.ReplaceAllString(s, `"…"`)
	s = reRunName.ReplaceAllString(s, "{name}")
	s = reUUID.ReplaceAllString(s, "{id}")
	s = reHexID.ReplaceAllString(s, "{id}")
	s = replaceNumbers(s)
	s = strings.Join(strings.Fields(s), " ")
	return capLine(s, 2000)
}

func replaceNumbers(s string) string {
	idx := reNumber.FindAllStringIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range idx {
		start, end := m[0], m[1]
		num := s[start:end]
		before, after := s[:start], s[end:]
		keep := len(num) == 3 && num >= "100" && num <= "599" ||
			strings.HasSuffix(before, ".") || strings.HasSuffix(before, "-") || strings.HasSuffix(before, "§") ||
			(strings.HasPrefix(after, ".") || strings.HasPrefix(after, "-")) && len(after) > 1 && after[1] >= '0' && after[1] <= '9'
		b.WriteString(s[last:start])
		if keep {
			b.WriteString(num)
		} else {
			b.WriteString("{n}")
		}
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}
