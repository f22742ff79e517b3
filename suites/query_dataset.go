package suites

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/fixtures/dataset"
	"github.com/scimconform/scimconform/internal/spec"
)

// The shared query data set of the filter, sort, paging, attribute and
// .search suites (issue 5): the Users and Groups of fixtures/dataset,
// created once per run, concurrently, and read by many specs. Specs must not
// modify it. It is not created with env.Create (DeferCleanup would delete it
// after the first spec): every resource is registered with env.Tracker so
// the run's final sweep deletes it.

// QuerySet is the shared query data set as it exists on the target.
type QuerySet struct {
	// Prefix starts every userName, Group displayName and externalId of the
	// set: the run prefix plus a unique part ("scimconform-1a2b3c4d-qs-3").
	// The set's names start with Prefix + "-".
	Prefix string
	// Users and Groups map data-set keys ("u01", "g1") to server ids.
	Users, Groups map[string]string
	// Batch maps every key to its creation batch (1 or 2).
	Batch map[string]int
	// Split is an instant between the two batches, in whole seconds UTC
	// (docs/interpretations.md#i18), derived from the server's own meta.lastModified
	// values: every batch-1 resource was last modified before it and every
	// batch-2 resource after it. Zero when the server sent no timestamps.
	Split time.Time
	// Stamps holds the meta.lastModified each create response carried, by
	// key (for failure messages).
	Stamps map[string]string
	// Dropped lists the attributes left out of the bodies because the
	// server's schemas do not declare them ("nickName", an extension URN).
	Dropped []string
	// Created is the harness's clock when the whole set existed.
	Created time.Time
	// Notes are observations made while creating the set, reported with
	// the spec that created it.
	Notes []string
	// Missing maps the key of every resource the server did not create to
	// why ("POST /Users (u03, ...) answered 400 ..."). The set is
	// best-effort: the create specs judge the refusal, and every query spec
	// judges the resources that exist (see MissingFor).
	Missing map[string]string
	// Templated maps the key of every resource created only with the
	// configured template (the server refused it without) to the
	// attributes the template added: their values are not the data set's,
	// so a query naming one of them cannot count on that resource.
	Templated map[string][]string
	// Names maps every created resource's key to its userName (Users) or
	// displayName (Groups), for messages.
	Names map[string]string
	// Scope is how queries are restricted to the set (the run's scoping
	// probe, query_scope.go); nil means the grouped form.
	Scope *QueryScope

	byID map[string]string // id -> key
}

// UnmarshalJSON reads a QuerySet another process of a parallel run built
// and rebuilds its id index.
func (q *QuerySet) UnmarshalJSON(data []byte) error {
	type plain QuerySet
	if err := json.Unmarshal(data, (*plain)(q)); err != nil {
		return fmt.Errorf("query data set: %w", err)
	}
	q.byID = make(map[string]string, len(q.Users)+len(q.Groups))
	for _, m := range []map[string]string{q.Users, q.Groups} {
		for k, id := range m {
			q.byID[id] = k
		}
	}
	return nil
}

// qsSharedKey is the Shared key of the data set.
const qsSharedKey = "query-set"

// qsWorkers bounds the concurrent creates of one batch.
const qsWorkers = 4

// qsBatchGap separates the two batches when the server's timestamps give
// no better bound (batchGap). Two seconds and a bit: a server whose
// timestamps have whole-second precision still stamps batch 2 at least one
// whole second after the split instant.
const qsBatchGap = 2100 * time.Millisecond

// LoadQuerySet returns the run's query data set, creating it on first use.
// The set is best-effort: resources the server refused are listed in
// Missing and the specs needing them skip. When no User at all could be
// created the calling spec is SKIPPED with the reason (ERROR when the
// server gave no HTTP answer, or the harness itself failed).
func LoadQuerySet(ctx context.Context, env *Env) *QuerySet {
	GinkgoHelper()
	built := false
	q, err := Shared(ctx, env, qsSharedKey, func() (*QuerySet, error) {
		built = true
		return buildQuerySet(ctx, env)
	})
	if err != nil {
		FailHarness("the shared query data set could not be created, so this query cannot be judged: %s", err.Error())
	}
	if built {
		for _, n := range q.Notes {
			env.Info("query data set: %s", n)
		}
	}
	if len(q.Users) == 0 {
		Skip(fmt.Sprintf("%sthe server created none of the query data set's Users, so no query can be judged\n%s",
			spec.SkipDataMissingPrefix, q.missingText(sortedKeys(q.Missing))))
	}
	return q
}

// Scoped restricts a User filter to the data set exactly:
// (userName sw "<prefix>-") and (<filter>) (or the form the scoping probe
// found); an empty filter gives the scope alone. It is for specs that judge
// a whole answer (totals, pages, order): when the server accepts no filter
// that scopes this one, the running spec is SKIPPED (RequireScope).
func (q *QuerySet) Scoped(filter string) string {
	GinkgoHelper()
	q.RequireScope(dataset.ResourceUser, filter)
	return q.ScopedFor(dataset.ResourceUser, filter)
}

// ScopedGroups restricts a Group filter to the data set by displayName,
// exactly (see Scoped).
func (q *QuerySet) ScopedGroups(filter string) string {
	GinkgoHelper()
	q.RequireScope(dataset.ResourceGroup, filter)
	return q.ScopedFor(dataset.ResourceGroup, filter)
}

// Vars are the placeholder values of this set (fixtures/dataset Expand).
func (q *QuerySet) Vars() dataset.Vars {
	ids := make(map[string]string, len(q.Users)+len(q.Groups))
	for k, id := range q.Users {
		ids[k] = id
	}
	for k, id := range q.Groups {
		ids[k] = id
	}
	v := dataset.Vars{Prefix: q.Prefix, IDs: ids}
	if !q.Split.IsZero() {
		v.Split = q.Split.UTC().Format(time.RFC3339)
	}
	return v
}

// Expand replaces the placeholders of a fixture filter ({prefix}, {PREFIX},
// {id:KEY}, {split}).
func (q *QuerySet) Expand(filter string) (string, error) {
	return dataset.Expand(filter, q.Vars())
}

// Key returns the data-set key of a server id, or "" for a resource outside
// the set.
func (q *QuerySet) Key(id string) string { return q.byID[id] }

// Keys maps returned resources to data-set keys, in order. A resource
// outside the set is shown as "other(<userName or displayName or id>)".
func (q *QuerySet) Keys(resources []map[string]any) []string {
	out := make([]string, 0, len(resources))
	for _, r := range resources {
		id, _ := memberString(r, "id")
		if k, ok := q.byID[id]; ok {
			out = append(out, k)
			continue
		}
		name := id
		for _, a := range []string{"userName", "displayName"} {
			if s, ok := memberString(r, a); ok && s != "" {
				name = s
				break
			}
		}
		out = append(out, "other("+name+")")
	}
	return out
}

// UserKeys returns every user key of the set, sorted.
func (q *QuerySet) UserKeys() []string { return sortedKeys(q.Users) }

// GroupKeys returns every group key of the set, sorted.
func (q *QuerySet) GroupKeys() []string { return sortedKeys(q.Groups) }

// HasDropped reports whether attribute (an attribute name, a dotted path or
// a URN-qualified name) was left out of the set because the server does not
// declare it, or lies below a dropped attribute or extension.
func (q *QuerySet) HasDropped(attribute string) bool {
	a := strings.ToLower(attribute)
	for _, d := range q.Dropped {
		d = strings.ToLower(d)
		if a == d || strings.HasPrefix(a, d+".") || strings.HasPrefix(a, d+":") {
			return true
		}
	}
	return false
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// missingText renders why each of keys is missing: "u03 (POST /Users ...
// answered 400 ...); u05 (...)".
func (q *QuerySet) missingText(keys []string) string {
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+" ("+q.unusable(k)+")")
	}
	return strings.Join(parts, "; ")
}

// qsPlaceholderID matches the {id:KEY} placeholders of a fixture filter.
var qsPlaceholderID = regexp.MustCompile(`\{id:([a-z0-9]+)\}`)

// qsRelational matches the attributes whose values depend on other
// resources of the set (Group members, the derived User groups, the
// enterprise manager): a missing resource changes them.
var qsRelational = regexp.MustCompile(`(?i)\b(members|groups|manager)\b`)

// MissingFor returns the missing resources a query's expectation depends
// on, sorted. Per kind (explained in issue 11's note):
//   - a filter's expected set is fixed per resource, so it stays sound
//     without resources it does not name: only the keys it must or may
//     return, and the ids its filter names, count;
//   - a sort's expected order stays sound for the keys that exist (a
//     sub-sequence of a sorted list is sorted): only the ids its filter
//     names count, and the caller restricts its want list (Present);
//   - a query on a relation (members, groups, manager) may change with
//     any missing resource: every missing key counts.
//
// A missing resource the query must not return (a trap of the fixture)
// leaves that trap untested; the data set's note names every missing
// resource, so the report says so.
func (q *QuerySet) MissingFor(dq dataset.Query) []string {
	if len(q.Missing) == 0 && len(q.Templated) == 0 {
		return nil
	}
	need := map[string]bool{}
	for _, m := range qsPlaceholderID.FindAllStringSubmatch(dq.Filter, -1) {
		need[m[1]] = true
	}
	relational := qsRelational.MatchString(dq.Filter + " " + dq.SortBy + " " + strings.Join(dq.Attrs, " "))
	if dq.Kind != "sort" || relational {
		for _, k := range append(append([]string(nil), dq.Want...), dq.Maybe...) {
			need[k] = true
		}
	}
	var out []string
	for k := range q.Missing {
		if need[k] || relational {
			out = append(out, k)
		}
	}
	out = append(out, q.templatedFor(dq.Filter+" "+dq.SortBy+" "+strings.Join(dq.Attrs, " "))...)
	sort.Strings(out)
	return out
}

// templatedFor lists the resources whose template-added attributes a query
// text names: whether they match is the template's doing, not the data
// set's, so the query cannot be judged on them.
func (q *QuerySet) templatedFor(text string) []string {
	named := map[string]bool{}
	for _, word := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r == '_' || r == '-' || r == ':' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9')
	}) {
		named[word] = true
	}
	var out []string
	for k, attrs := range q.Templated {
		for _, a := range attrs {
			a = strings.ToLower(a)
			if named[a] || strings.Contains(a, ":") && strings.Contains(strings.ToLower(text), a) { // an extension URN
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// Legend names the given data-set keys ("u03 is scimconform-…-BOB.BROWN"),
// one line ending in a newline, so a vendor can find them on the server;
// "" when none is known.
func (q *QuerySet) Legend(keys []string) string {
	var parts []string
	seen := map[string]bool{}
	for _, k := range keys {
		if name, ok := q.Names[k]; ok && !seen[k] {
			seen[k] = true
			parts = append(parts, k+" = "+name)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	sort.Strings(parts)
	return "Keys: " + strings.Join(parts, ", ") + "\n"
}

// unusable says why key cannot be counted on ("" when it can): the server
// did not create it, or created it only with template values.
func (q *QuerySet) unusable(key string) string {
	if why, ok := q.Missing[key]; ok {
		return why
	}
	if attrs, ok := q.Templated[key]; ok {
		return "created only with the configured template's " + strings.Join(attrs, ", ")
	}
	return ""
}

// SkipMissing skips the running spec when the query's expectation depends
// on a resource the server did not create (MissingFor).
func (q *QuerySet) SkipMissing(dq dataset.Query) {
	GinkgoHelper()
	q.SkipMissingKeys(dq.Name, q.MissingFor(dq))
}

// SkipMissingKeys skips the running spec when one of keys was not created;
// what names the query or the check that needs them.
func (q *QuerySet) SkipMissingKeys(what string, keys []string) {
	GinkgoHelper()
	var gone []string
	for _, k := range keys {
		if q.unusable(k) != "" {
			gone = append(gone, k)
		}
	}
	if len(gone) > 0 {
		Skip(fmt.Sprintf("%sthe query data set cannot count on %s\nthe expected result of %s involves %s; the create specs judge a refusal",
			spec.SkipDataMissingPrefix, q.missingText(gone), what, strings.Join(gone, ", ")))
	}
}

// Present keeps the keys that exist on the server, in order.
func (q *QuerySet) Present(keys []string) []string {
	var out []string
	for _, k := range keys {
		if _, gone := q.Missing[k]; !gone {
			out = append(out, k)
		}
	}
	return out
}
