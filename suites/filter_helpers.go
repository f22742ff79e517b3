package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/fixtures/dataset"
	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Helpers of the filter suite (RFC 7644 §3.4.2.2). Names start with
// "filter". Every query runs against the shared data set (query_dataset.go)
// and is judged against the hand-written expected keys of
// fixtures/dataset/queries/filter.json.

// filterMaxPages bounds how many pages of one result the suite reads.
const filterMaxPages = 20

// The budget of an answer to a query that could not be scoped to the data
// set (QuerySet.Exact): it holds foreign resources too, and is read up to
// this many pages or resources; beyond it a spec judges what it saw.
const (
	lqBudgetPages     = 10
	lqBudgetResources = 1000
)

// filterResult is the answer to one filter query.
type filterResult struct {
	Sent      string         // the filter as sent
	What      string         // "GET /Users?filter=..." for messages
	Resp      *scim.Response // the first page
	Resources []map[string]any
	Total     int  // totalResults of the first page
	HasTotal  bool // whether totalResults was sent
	// Reduced says the filter was sent without the data set's scope and
	// Resources holds only the data set's own resources of the answer.
	Reduced bool
	// Partial says more pages were left unread (the budget ran out).
	Partial bool
}

// datasetQuery returns a query of the data set; a missing fixture is a
// harness defect (ERROR).
func datasetQuery(name string) dataset.Query {
	GinkgoHelper()
	q, err := dataset.Expected(name)
	if err != nil {
		FailHarness("%s", err.Error())
	}
	return q
}

// prepareQuery loads the data set, skips a query on attributes the server
// does not declare, and returns the filter with its placeholders expanded
// (not yet scoped).
func prepareQuery(ctx context.Context, env *Env, q dataset.Query) (*QuerySet, string) {
	GinkgoHelper()
	qs := LoadQuerySet(ctx, env)
	for _, a := range q.Attrs {
		if qs.HasDropped(a) {
			Skip(fmt.Sprintf("%sthe server's %s schema does not declare %s, so the data set carries no value for it", spec.SkipUnsupportedPrefix, q.ResourceType(), a))
		}
	}
	qs.SkipMissing(q)
	f, err := qs.Expand(q.Filter)
	if err != nil {
		FailHarness("query %s cannot be sent: %v (the server returned no meta.lastModified for the data set, so no instant between its creation batches is known)", q.Name, err)
	}
	return qs, f
}

// filterGet sends GET <endpoint of rt>?filter=f and reads every page of a
// 200 answer. Non-200 answers are returned unread (Resources nil).
func filterGet(ctx context.Context, env *Env, rt, f string) filterResult {
	GinkgoHelper()
	return filterGetPath(ctx, env, env.Endpoint(rt), f)
}

// filterGetPath is filterGet on any query endpoint (the server root "/").
func filterGetPath(ctx context.Context, env *Env, path, f string) filterResult {
	GinkgoHelper()
	return filterGetPages(ctx, env, path, f, filterMaxPages, 0)
}

// filterGetPages is filterGetPath reading at most maxPages pages and, when
// maxResources is positive, stopping once that many resources were read.
// Partial marks an answer with pages left unread.
func filterGetPages(ctx context.Context, env *Env, path, f string, maxPages, maxResources int) filterResult {
	GinkgoHelper()
	r := filterResult{Sent: f, What: fmt.Sprintf("GET %s?filter=%s", path, f)}
	q := url.Values{}
	if f != "" {
		q.Set("filter", f)
	} else {
		r.What = "GET " + path
	}
	r.Resp = env.Get(ctx, path, q)
	if r.Resp.Status != http.StatusOK {
		return r
	}
	page := filterParsePage(r.Resp, r.What)
	r.Resources, r.Total, r.HasTotal = page.resources, page.total, page.hasTotal
	more := func() bool { return r.HasTotal && len(r.Resources) < r.Total && len(page.resources) > 0 }
	for n := 1; more(); n++ {
		if n >= maxPages || (maxResources > 0 && len(r.Resources) >= maxResources) {
			r.Partial = true
			break
		}
		resp := env.Get(ctx, path, lqWith(q, "startIndex", fmt.Sprint(len(r.Resources)+1)))
		if resp.Status != http.StatusOK {
			r.Partial = true
			break
		}
		page = filterParsePage(resp, r.What+" (next page)")
		r.Resources = append(r.Resources, page.resources...)
	}
	return r
}

// filterQuery sends filter f on resource type rt restricted to the data
// set the way the run's scoping probe allows (QuerySet.ScopedFor). When f
// cannot be scoped it goes bare, within the page budget, and the answer is
// reduced to the data set's own resources.
func filterQuery(ctx context.Context, env *Env, qs *QuerySet, rt, f string) filterResult {
	GinkgoHelper()
	if qs.Exact(rt, f) {
		return filterGet(ctx, env, rt, qs.ScopedFor(rt, f))
	}
	return filterReduced(ctx, env, qs, env.Endpoint(rt), f)
}

// filterReduced sends f bare to path within the page budget and keeps the
// data set's own resources of the answer.
func filterReduced(ctx context.Context, env *Env, qs *QuerySet, path, f string) filterResult {
	GinkgoHelper()
	r := filterGetPages(ctx, env, path, f, lqBudgetPages, lqBudgetResources)
	r.Resources, r.Reduced = qs.Own(r.Resources), true
	return r
}

type filterPage struct {
	resources []map[string]any
	total     int
	hasTotal  bool
}

// filterParsePage reads the Resources and totalResults of a ListResponse;
// an unreadable body fails the spec.
func filterParsePage(resp *scim.Response, what string) filterPage {
	GinkgoHelper()
	doc := decodeObject(resp, "the ListResponse of "+what, "7644-3.4.2.2-04")
	var p filterPage
	if t, ok := member(doc, "totalResults"); ok {
		if f, isNum := t.(float64); isNum {
			p.total, p.hasTotal = int(f), true
		}
	}
	raw, _ := member(doc, "Resources")
	if raw == nil {
		return p
	}
	list, ok := raw.([]any)
	if !ok {
		Fail(fmt.Sprintf("%s: the \"Resources\" of %s is a JSON %s; a ListResponse carries the matching resources in an array (RFC 7644 §3.4.2).",
			cite("7644-3.4.2.2-04"), what, jsonKind(raw)))
	}
	for i, it := range list {
		obj, isObj := it.(map[string]any)
		if !isObj {
			Fail(fmt.Sprintf("%s: Resources[%d] of %s is a JSON %s, not a resource.", cite("7644-3.4.2.2-04"), i, what, jsonKind(it)))
		}
		p.resources = append(p.resources, obj)
	}
	return p
}

// filterCites renders the requirement ids of the running spec.
func filterCites() string {
	info := spec.ParseLabels(CurrentSpecReport().Labels())
	parts := make([]string, 0, len(info.Reqs))
	for _, id := range info.Reqs {
		parts = append(parts, cite(id))
	}
	return strings.Join(parts, ", ")
}

// filterExpect runs the data-set query name, scoped to the data set, and
// asserts the exact set of keys it returns.
func filterExpect(ctx context.Context, env *Env, name string) {
	GinkgoHelper()
	q := datasetQuery(name)
	qs, f := prepareQuery(ctx, env, q)
	r := filterSendLenient(ctx, env, qs, q.ResourceType(), f)
	filterExpectOK(r, q)
	filterExpectKeys(env, qs, q, r)
}

// filterNotSpacing matches "not (" in any case, to try the ABNF spelling
// "not(" (erratum 7319).
var filterNotSpacing = regexp.MustCompile(`(?i)\bnot\s+\(`)

// filterSendLenient sends a filter; when it holds "not (" and the server
// answers 400, it tries the ABNF spelling "not(" as well (RFC 7644 erratum
// 7319: the ABNF forbids the space the RFC's examples use) and notes it.
func filterSendLenient(ctx context.Context, env *Env, qs *QuerySet, rt, f string) filterResult {
	GinkgoHelper()
	r := filterQuery(ctx, env, qs, rt, f)
	if r.Resp.Status != http.StatusBadRequest || !filterNotSpacing.MatchString(f) {
		return r
	}
	alt := filterNotSpacing.ReplaceAllString(f, "not(")
	r2 := filterQuery(ctx, env, qs, rt, alt)
	if r2.Resp.Status == http.StatusOK {
		env.Info("the server rejects \"not (\" with a space (the RFC's example spelling) and accepts \"not(\" (the ABNF spelling); both readings are allowed (erratum 7319)")
	}
	return r2
}

// filterExpectOK fails unless the query was answered 200.
func filterExpectOK(r filterResult, q dataset.Query) {
	GinkgoHelper()
	gateOptionalRefusal(r.Resp, r.What)
	Expect(r.Resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf(
		"%s: %s is a valid filter (%s) over data this run created; answer 200 OK with the matching resources (RFC 7644 §3.4.2.2). %s",
		filterCites(), r.What, q.Notes, coreErrorNote(r.Resp))))
}

// filterExpectKeys compares the returned keys with the query's expected
// set: every wanted key exactly once, nothing else except the keys the RFC
// leaves open (reported as INFO).
func filterExpectKeys(env *Env, qs *QuerySet, q dataset.Query, r filterResult) {
	GinkgoHelper()
	got := qs.Keys(r.Resources)
	missing, extra, maybes := filterDiff(got, q.Want, q.Maybe)
	if len(maybes) > 0 {
		env.Info("%s also returned %v, which the RFC lets a server include or not: %s", r.What, maybes, q.Notes)
	}
	if r.Reduced {
		env.Info("%s was sent without the data set's scope (scoping probe: %s); the answer is judged on the data set's own resources", r.What, qs.Scope.Note())
	}
	if len(missing) == 0 && len(extra) == 0 {
		return
	}
	if r.Partial && len(extra) == 0 {
		Skip(fmt.Sprintf("%sthe answer to a query that cannot be scoped to the data set is larger than the harness reads (%d pages or %d resources)\n%s: the pages read lack %v; the rest of the answer was not read",
			spec.SkipNoScopePrefix, lqBudgetPages, lqBudgetResources, r.What, filterShow(missing)))
	}
	Fail(fmt.Sprintf("%s: the filter %q must return exactly %v (%s).\nThe server returned %v: missing %v, unexpected %v.\n%sSent: %s\n%s",
		filterCites(), q.Filter, filterShow(q.Want), q.Notes, filterShow(got), filterShow(missing), filterShow(extra),
		qs.Legend(append(append([]string(nil), missing...), extra...)), r.What, filterHint(qs, q, got)))
}

// filterDiff splits got against want and maybe: wanted keys not returned
// (or returned twice), returned keys neither wanted nor allowed, and the
// allowed ones returned.
func filterDiff(got, want, maybe []string) (missing, extra, maybes []string) {
	count := map[string]int{}
	for _, k := range got {
		count[k]++
	}
	wanted, allowed := map[string]bool{}, map[string]bool{}
	for _, k := range want {
		wanted[k] = true
		if count[k] != 1 {
			missing = append(missing, k)
		}
	}
	for _, k := range maybe {
		allowed[k] = true
	}
	for k, n := range count {
		switch {
		case wanted[k]:
			if n > 1 {
				extra = append(extra, fmt.Sprintf("%s (%d times)", k, n))
			}
		case allowed[k]:
			maybes = append(maybes, k)
		default:
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	sort.Strings(maybes)
	return missing, extra, maybes
}

// filterHint explains a wrong result that looks like an ignored filter.
func filterHint(qs *QuerySet, q dataset.Query, got []string) string {
	all := qs.UserKeys()
	noun := "users"
	if q.ResourceType() == dataset.ResourceGroup {
		all, noun = qs.GroupKeys(), "groups"
	}
	outside := 0
	seen := map[string]bool{}
	for _, k := range got {
		seen[k] = true
		if strings.HasPrefix(k, "other(") {
			outside++
		}
	}
	if outside > 0 {
		return fmt.Sprintf("The server returned %d resources outside this run's data set although the filter limits the %s to names starting with %q: it appears to ignore the filter parameter. Apply the filter, or set filter.supported false in /ServiceProviderConfig.",
			outside, noun, qs.Prefix+"-")
	}
	if strings.Contains(q.Filter, "{split}") {
		return filterSplitHint(qs)
	}
	for _, k := range all {
		if !seen[k] {
			return "Check how the operator and the attribute's type and caseExact are evaluated (RFC 7644 §3.4.2.2, RFC 7643 §2.2)."
		}
	}
	if len(q.Want) < len(all) {
		return fmt.Sprintf("The server returned all %d %s of the data set for a filter that matches %d: it appears to ignore the filter (or the part of it that restricts the result).",
			len(all), noun, len(q.Want))
	}
	return ""
}

// filterShow renders keys for a message ("[]" when empty).
func filterShow(keys []string) string {
	s := append([]string(nil), keys...)
	sort.Strings(s)
	return "[" + strings.Join(s, " ") + "]"
}

// filterSplitHint explains the split instant of dateTime queries with the
// meta.lastModified values the server returned when creating the set.
func filterSplitHint(qs *QuerySet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "dateTime values compare chronologically (RFC 7644 §3.4.2.2 Table 3; %s). The instant %s lies between the two creation batches; the create responses carried meta.lastModified:",
		interpretation(18), qs.Split.UTC().Format("2006-01-02T15:04:05Z"))
	keys := append(qs.UserKeys(), qs.GroupKeys()...)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s(batch %d)=%s", k, qs.Batch[k], qs.Stamps[k])
	}
	return b.String()
}
