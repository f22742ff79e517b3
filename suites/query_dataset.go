package suites

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/fixtures/dataset"
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

	byID map[string]string // id -> key
}

// qsSharedKey is the Env.Shared key of the data set.
const qsSharedKey = "query-set"

// qsWorkers bounds the concurrent creates of one batch.
const qsWorkers = 4

// qsBatchGap separates the two batches. Two seconds and a bit: a server
// whose timestamps have whole-second precision still stamps batch 2 at
// least one whole second after the split instant.
const qsBatchGap = 2100 * time.Millisecond

// LoadQuerySet returns the run's query data set, creating it on first use.
// When the set cannot be created the calling spec ends with verdict ERROR
// (the harness cannot judge a query without its data), with the reason.
func LoadQuerySet(ctx context.Context, env *Env) *QuerySet {
	GinkgoHelper()
	built := false
	v, err := env.Shared(qsSharedKey, func() (any, error) {
		built = true
		return buildQuerySet(ctx, env)
	})
	if err != nil {
		FailHarness("the shared query data set could not be created, so this query cannot be judged: %s", err.Error())
	}
	q := v.(*QuerySet)
	if built {
		for _, n := range q.Notes {
			env.Info("query data set: %s", n)
		}
	}
	return q
}

// Scoped restricts a User filter to the data set:
// (userName sw "<prefix>-") and (<filter>); an empty filter gives the scope
// alone.
func (q *QuerySet) Scoped(filter string) string {
	return q.ScopedFor(dataset.ResourceUser, filter)
}

// ScopedGroups restricts a Group filter to the data set by displayName.
func (q *QuerySet) ScopedGroups(filter string) string {
	return q.ScopedFor(dataset.ResourceGroup, filter)
}

// ScopedFor restricts a filter on resource type rt ("User" or "Group").
func (q *QuerySet) ScopedFor(rt, filter string) string {
	attr := "userName"
	if rt == dataset.ResourceGroup {
		attr = "displayName"
	}
	scope := fmt.Sprintf("%s sw %q", attr, q.Prefix+"-")
	if strings.TrimSpace(filter) == "" {
		return scope
	}
	return "(" + scope + ") and (" + filter + ")"
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

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
