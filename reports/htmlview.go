package reports

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// htmlView is everything report.html shows, computed before rendering so the
// template stays free of logic. Every string in it is plain text: the template
// escapes all of them.
type htmlView struct {
	Meta         Metadata
	Conformant   bool
	VerdictText  string
	Date         string
	RunTime      string
	SpecCount    int
	Columns      []Verdict
	CountRows    []countRow
	Limits       []keyValue
	Config       []keyValue
	Suite        []specView // failed suite nodes (BeforeSuite ...)
	Sections     []sectionView
	Hidden       int // SKIPPED specs (not applicable, did not run), not listed
	LeftOut      int // specs the selection left out, neither counted nor listed
	NotRun       int // selected specs that did not run
	Stopped      string
	Unsupported  []reasonCount
	Inapplicable []reasonCount
	Coverage     coverageView
	Failing      []failingReq
	// Findings group the FAIL/ERROR specs (then, apart, the WARN specs) by
	// cause; FailingSpecs and WarnSpecs count the specs in each.
	Findings                []findingView
	WarnFindings            []findingView
	FailingSpecs, WarnSpecs int
	Kept                    []string // resources --keep left on the target
	Notes                   []string // run notes other than Kept
	CSSClass                map[Verdict]string

	// Gate lists what --expect and --baseline made of the run, by group.
	Gate []gateGroup
}

type countRow struct {
	Name  string
	Cells []countCell
	Total int
	Bold  bool
}

type countCell struct {
	N     int
	Class string
}

type keyValue struct{ Key, Value string }

type sectionView struct {
	Title  string // RFC 7644 §3.4.2.2
	Anchor string
	Badges []countCell
	Specs  []specView
}

// findingView is one finding with its requirements and links to its specs.
type findingView struct {
	Finding
	Class  string
	Anchor string // finding-F1
	Reqs   []reqView
	Specs  []specLink
}

type specLink struct{ Name, Anchor string }

type specView struct {
	SpecResult
	// Anchor is the id of the spec's article (spec-N), FindingAnchor that
	// of its finding ("" when it has none).
	Anchor, FindingAnchor string
	// Shown is the message as report.html shows it (shownMessage); Raw is
	// the whole message when Shown left something out.
	Shown, Raw string
	Class      string
	Reqs       []reqView
	Duration   string
	Exchanges  []exchangeView
	// Open unfolds the exchanges of a spec that did not pass.
	Open bool
}

type reqView struct{ ID, Summary string }

type exchangeView struct {
	Title string // GET https://... → 200
	Class string
	Text  string // scim.Exchange String form
	Open  bool
	// Summary: the exchange was kept as a summary (--transcripts); Title
	// is its one line and there is no Text.
	Summary bool
}

type coverageView struct {
	Note  string // why there are no rows, if there are none
	Rows  []coverageRow
	Total coverageRow
}

type coverageRow struct {
	Area                    string
	Total, InReport, Judged int
	InReportPct, JudgedPct  int
	UncoveredIDs            []string
}

type failingReq struct {
	ID, Summary string
	Verdict     Verdict
	Class       string
	Specs       []string
}

var verdictClass = map[Verdict]string{
	PASS: "pass", FAIL: "fail", WARN: "warn", ERROR: "error", NotSupported: "unsup", SKIPPED: "skip",
}

// buildView derives the HTML view from a normalised document.
func buildView(doc Document, cat *spec.Catalog, catErr error) htmlView {
	s := Evaluate(doc)
	m := doc.Metadata
	v := htmlView{Meta: m, Conformant: s.Conformant, CSSClass: verdictClass, Columns: Verdicts}
	v.VerdictText = "CONFORMANT"
	if !s.Conformant {
		v.VerdictText = "NOT CONFORMANT"
	}
	if !m.Started.IsZero() {
		v.Date = m.Started.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	v.RunTime = humanDuration(runTime(doc))
	f := factsOf(doc, s)
	v.CountRows = countRows(f)
	v.LeftOut, v.NotRun, v.Stopped = f.LeftOut, f.NotRun, f.Stopped
	v.Unsupported, v.Inapplicable = f.Unsupported, f.Inapplicable
	v.Limits = limitsOf(m.Limits)
	v.Config = configOf(m.Config)
	v.Kept, v.Notes = splitKept(m.Notes)
	anchors := specAnchors(s)
	v.Sections, v.Suite, v.Hidden = sectionsOf(s, cat, anchors)
	v.Findings, v.WarnFindings = findingViews(s.Findings, cat, anchors)
	for _, f := range v.Findings {
		v.FailingSpecs += len(f.Specs)
	}
	for _, f := range v.WarnFindings {
		v.WarnSpecs += len(f.Specs)
	}
	v.Hidden -= f.LeftOut
	for _, sec := range v.Sections {
		v.SpecCount += len(sec.Specs)
	}
	v.Coverage = coverageOf(s, cat, catErr)
	v.Failing = failingOf(s, cat)
	v.Gate = gateGroups(s, m.Strict)
	if s.Gate != nil {
		v.VerdictText = gateLine(newPalette(false), doc, s)
	}
	return v
}

func countRows(f runFacts) []countRow {
	mk := func(name string, counts map[Verdict]int, bold bool) countRow {
		r := countRow{Name: name, Bold: bold}
		for _, v := range Verdicts {
			n := counts[v]
			cls := ""
			if n > 0 {
				cls = verdictClass[v]
			}
			r.Cells = append(r.Cells, countCell{N: n, Class: cls})
			r.Total += n
		}
		return r
	}
	var rows []countRow
	for _, l := range levelsOf(f.Counts) {
		rows = append(rows, mk(levelName(l), f.Counts[l], false))
	}
	return append(rows, mk("total", f.Totals, true))
}

func limitsOf(l caps.Limits) []keyValue {
	var out []keyValue
	add := func(k string, n int) {
		if n > 0 {
			out = append(out, keyValue{k, strconv.Itoa(n)})
		}
	}
	add("filter.maxResults", l.FilterMaxResults)
	add("bulk.maxOperations", l.BulkMaxOperations)
	add("bulk.maxPayloadSize", l.BulkMaxPayloadSize)
	add("pagination.maxPageSize", l.CursorMaxPageSize)
	add("pagination.cursorTimeout", l.CursorTimeout)
	add("pagination.defaultPageSize", l.DefaultPageSize)
	return out
}

// specAnchors gives every result a stable anchor derived from its full text
// (stableAnchor), so links into report.html (from the interop matrix, from a
// bookmark) survive runs that add or drop other specs. Two texts whose
// anchors collide keep them apart with a suffix, in the order of the results.
func specAnchors(s Summary) map[string]string {
	m := make(map[string]string, len(s.Results))
	used := make(map[string]bool, len(s.Results))
	for _, r := range s.Results {
		a := stableAnchor("spec-", r.Name)
		for n := 2; used[a]; n++ {
			a = fmt.Sprintf("%s-%d", stableAnchor("spec-", r.Name), n)
		}
		used[a] = true
		m[r.Name] = a
	}
	return m
}

// stableAnchor is prefix plus 12 hex digits of the SHA-256 of text: an HTML
// id that depends on nothing but the text.
func stableAnchor(prefix, text string) string {
	sum := sha256.Sum256([]byte(text))
	return prefix + hex.EncodeToString(sum[:6])
}

// findingViews splits the findings into FAIL/ERROR and WARN ones, with the
// summaries of their requirements and links to their specs.
func findingViews(fs []Finding, cat *spec.Catalog, anchors map[string]string) (fails, warns []findingView) {
	for _, f := range fs {
		fv := findingView{Finding: f, Class: verdictClass[f.Verdict], Anchor: "finding-" + f.ID}
		for _, id := range f.Reqs {
			fv.Reqs = append(fv.Reqs, reqViewOf(id, cat))
		}
		for _, name := range f.Specs {
			fv.Specs = append(fv.Specs, specLink{Name: name, Anchor: anchors[name]})
		}
		if f.Verdict == WARN {
			warns = append(warns, fv)
		} else {
			fails = append(fails, fv)
		}
	}
	return fails, warns
}

func reqViewOf(id string, cat *spec.Catalog) reqView {
	rv := reqView{ID: id}
	if cat != nil {
		if req, ok := cat.Get(id); ok {
			rv.Summary = req.Summary
		}
	}
	return rv
}

// sectionsOf groups the results by their first RFC section (natural order).
// Specs skipped by the selection are counted, not listed.
func sectionsOf(s Summary, cat *spec.Catalog, anchors map[string]string) (sections []sectionView, suite []specView, hidden int) {
	bySection := map[string][]specView{}
	for _, r := range s.Results {
		if r.Verdict == SKIPPED {
			hidden++
			continue
		}
		sv := specViewOf(r, cat)
		sv.Anchor = anchors[r.Name]
		if r.Finding != "" {
			sv.FindingAnchor = "finding-" + r.Finding
		}
		if isSuiteNode(r) {
			suite = append(suite, sv)
			continue
		}
		key := primarySection(r.Sections)
		bySection[key] = append(bySection[key], sv)
	}
	keys := make([]string, 0, len(bySection))
	for k := range bySection {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return naturalLess(keys[i], keys[j]) })
	for _, k := range keys {
		specs := bySection[k]
		sort.SliceStable(specs, func(i, j int) bool { return verdictRank(specs[i].Verdict) < verdictRank(specs[j].Verdict) })
		sec := sectionView{Title: "Other", Anchor: "sec-other", Specs: specs}
		if k != "" {
			sec.Title = sectionTitle(k)
			sec.Anchor = "sec-" + strings.NewReplacer(" ", "-", ".", "-").Replace(k)
		}
		sec.Badges = badgesOf(specs)
		sections = append(sections, sec)
	}
	return sections, suite, hidden
}

// primarySection is the naturally smallest of a spec's sections ("" if none).
func primarySection(sections []string) string {
	best := ""
	for _, s := range sections {
		if best == "" || naturalLess(s, best) {
			best = s
		}
	}
	return best
}

func badgesOf(specs []specView) []countCell {
	counts := map[Verdict]int{}
	for _, s := range specs {
		counts[s.Verdict]++
	}
	var out []countCell
	for _, v := range Verdicts {
		if counts[v] > 0 {
			out = append(out, countCell{N: counts[v], Class: verdictClass[v]})
		}
	}
	return out
}

func verdictRank(v Verdict) int {
	for i, x := range Verdicts {
		if x == v {
			return i
		}
	}
	return len(Verdicts)
}

func specViewOf(r SpecResult, cat *spec.Catalog) specView {
	sv := specView{SpecResult: r, Class: verdictClass[r.Verdict], Duration: humanDuration(r.Duration)}
	switch r.Verdict {
	case FAIL, ERROR, WARN:
		sv.Open = true
	case NotSupported, SKIPPED:
		sv.Location = "" // where the spec skipped itself is of no use to a reader
	}
	for _, id := range r.Reqs {
		sv.Reqs = append(sv.Reqs, reqViewOf(id, cat))
	}
	if r.Message != "" {
		sv.Shown = shownMessage(r.Message)
		if sv.Shown != strings.TrimRight(r.Message, "\n") {
			sv.Raw = r.Message
		}
	}
	for _, x := range r.Exchanges {
		ev := exchangeViewOf(x)
		ev.Open = sv.Open && len(r.Exchanges) <= openExchanges
		sv.Exchanges = append(sv.Exchanges, ev)
	}
	return sv
}

// openExchanges is how many exchanges a spec that did not pass may have for
// report.html to show them unfolded.
const openExchanges = 3

func exchangeViewOf(x scim.Exchange) exchangeView {
	ev := exchangeView{Title: x.Request.Method + " " + x.Request.URL, Text: x.String()}
	switch {
	case x.Response == nil:
		ev.Title += " → no response"
		ev.Class = "error"
	default:
		ev.Title += fmt.Sprintf(" → %d (%s)", x.Response.Status, humanDuration(x.Duration))
		switch {
		case x.Response.Status >= 500:
			ev.Class = "error"
		case x.Response.Status >= 400:
			ev.Class = "warn"
		default:
			ev.Class = "pass"
		}
	}
	if x.Attempt > 1 {
		ev.Title += fmt.Sprintf(" (retry %d)", x.Attempt-1)
	}
	if x.Summary {
		ev.Summary, ev.Text = true, ""
		ev.Title = strings.TrimSuffix(strings.TrimPrefix(x.String(), "= "), "\n")
	}
	return ev
}

// naturalLess orders "7643 2.1" < "7644 3.4.2.2" < "7644 3.10" < "9865 2":
// numeric parts compare as numbers, others as text.
func naturalLess(a, b string) bool {
	pa, pb := sectionParts(a), sectionParts(b)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] == pb[i] {
			continue
		}
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		switch {
		case ea == nil && eb == nil:
			if na == nb { // "03" and "3"
				continue
			}
			return na < nb
		case ea == nil: // numbers before letters (appendices)
			return true
		case eb == nil:
			return false
		default:
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}

func sectionParts(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '.' })
}
