package suites

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/scimconform/scimconform/fixtures/dataset"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Creation of the shared query data set (query_dataset.go): two batches of
// concurrent creates with a pause between them, outside any spec's
// DeferCleanup; the tracker's final sweep deletes every resource.

// qsCreated is the outcome of one create.
type qsCreated struct {
	key, id, stamp, note, name string
	// templated lists the attributes a user template added (the server
	// refused the create without them).
	templated []string
	err       error
	// noAnswer marks a create that got no HTTP answer at all.
	noAnswer bool
}

// qsCreateAll creates items concurrently (at most qsWorkers at once) and
// registers each created resource with the tracker. body builds the create
// body of an item; it runs before any request.
func qsCreateAll(ctx context.Context, env *Env, endpoint string, items []dataset.Item, body func(dataset.Item) map[string]any) []qsCreated {
	out := make([]qsCreated, len(items))
	sem := make(chan struct{}, qsWorkers)
	var wg sync.WaitGroup
	for i, it := range items {
		b := body(it)
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = qsCreateOne(ctx, env, endpoint, it.Key, b)
		}()
	}
	wg.Wait()
	return out
}

// qsCreateOne POSTs one body. Any 2xx with an id counts as created (the
// create suites judge 201); the resource is tracked at once.
func qsCreateOne(ctx context.Context, env *Env, endpoint, key string, body map[string]any) qsCreated {
	res := qsCreated{key: key, name: nameOf(body)}
	req := scim.Request{Method: http.MethodPost, Path: endpoint, Body: body}
	resp, err := env.Client.Do(ctx, req)
	if err == nil && resp.Status == http.StatusBadRequest {
		// The data set's values are what its queries expect, so a template
		// is merged only into a body the server refused without it.
		if added := env.stampAdded(endpoint, body); len(added) > 0 {
			req.Body = body
			res.templated = added
			resp, err = env.Client.Do(ctx, req)
			res.note = fmt.Sprintf("%s (%s) was refused without the configured template and created with its %s", key, nameOf(body), strings.Join(added, ", "))
		}
	}
	if err == nil && resp.Status == http.StatusUnsupportedMediaType {
		// The media-type suite reports a server refusing SCIM bodies; the
		// data set is still created so that the queries can be judged.
		req.ContentType = "application/json"
		resp, err = env.Client.Do(ctx, req)
		res.note = "the server refused a create body sent as application/scim+json (415) and the data set was created with application/json instead"
	}
	if err != nil {
		res.err = fmt.Errorf("POST %s (%s): no HTTP response: %w", endpoint, key, err)
		res.noAnswer = true
		return res
	}
	if resp.Status < 200 || resp.Status > 299 {
		res.err = fmt.Errorf("POST %s (%s, %s) answered %s. %s%s", endpoint, key, nameOf(body), statusLine(resp.Status), coreErrorNote(resp), env.templateHint(endpoint, resp))
		return res
	}
	// The data set lives for the whole run: the final sweep deletes it.
	created, perr := env.Ledger.ClaimCreate(ctx, env.Client, endpoint, body, resp)
	if perr != nil {
		res.err = fmt.Errorf("POST %s (%s): %w", endpoint, key, perr)
		return res
	}
	res.id = created.ID
	if obj, err := resp.Object(); err == nil {
		res.stamp = coreMetaString(obj, "lastModified")
	}
	return res
}

// buildQuerySet creates the data set: batch-1 users, batch-1 groups, a pause
// past the split instant, batch-2 users (whose managers exist by then) and
// batch-2 groups.
func buildQuerySet(ctx context.Context, env *Env) (*QuerySet, error) {
	q := &QuerySet{Prefix: env.Name("qs"), Users: map[string]string{}, Groups: map[string]string{},
		Batch: map[string]int{}, Stamps: map[string]string{}, Missing: map[string]string{}, Templated: map[string][]string{}, Names: map[string]string{}, byID: map[string]string{}}
	users, err := dataset.Users(q.Prefix)
	if err != nil {
		return nil, err
	}
	var groups []dataset.Item
	if env.Caps.Has(spec.FeatureGroups) {
		if groups, err = dataset.Groups(q.Prefix); err != nil {
			return nil, err
		}
	}
	q.pruneUsers(env, users)
	var last time.Time
	gap := qsBatchGap
	for batch := 1; batch <= 2; batch++ {
		if batch == 2 {
			if err := q.pause(ctx, last.Add(gap)); err != nil {
				return nil, err
			}
		}
		if err := q.create(ctx, env, dataset.ResourceUser, inBatch(users, batch), q.userBody); err != nil {
			return nil, err
		}
		if err := q.create(ctx, env, dataset.ResourceGroup, inBatch(groups, batch), q.groupBody); err != nil {
			return nil, err
		}
		last = time.Now()
		if batch == 1 {
			latest := q.latestStamp(append(users, groups...))
			q.Split, gap = splitOf(latest), batchGap(latest)
		}
	}
	q.Created = time.Now()
	if n := q.missingNote(); n != "" {
		q.Notes = append(q.Notes, n)
	}
	if len(q.Users) > 0 {
		q.Scope = qsScopeProbe(ctx, env, q.Prefix)
		if n := q.Scope.Note(); n != "" {
			q.Notes = append(q.Notes, n)
		}
	}
	return q, nil
}

// batchGap is how long batch 2 waits after the last batch-1 answer. The
// latest batch-1 stamp was made before that answer arrived, and the server's
// clock runs as fast as the harness's, so after the gap the server's clock
// is past latest + gap: with gap = 2.1 s minus latest's fraction of a second
// that is past the split instant's next whole second, so even a server
// that keeps whole seconds (whatever it returns) stamps batch 2 in a later
// second than the split. It is qsBatchGap when the server returned no
// stamps. The harness's clock is only used for durations, never compared
// with the server's.
func batchGap(latest time.Time) time.Duration {
	if latest.IsZero() {
		return qsBatchGap
	}
	return qsBatchGap - latest.Sub(latest.Truncate(time.Second))
}

// pause waits until the instant until, the end of the gap between batches.
func (q *QuerySet) pause(ctx context.Context, until time.Time) error {
	t := time.NewTimer(time.Until(until))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("interrupted between the creation batches: %w", ctx.Err())
	case <-t.C:
		return nil
	}
}

func inBatch(items []dataset.Item, batch int) []dataset.Item {
	var out []dataset.Item
	for _, it := range items {
		if it.Batch == batch {
			out = append(out, it)
		}
	}
	return out
}

// create creates one batch of one resource type and records the ids. A
// create the server refuses leaves its key in Missing (the set is
// best-effort); only a create without any HTTP answer is an error, and only
// when it leaves the set without a single User.
func (q *QuerySet) create(ctx context.Context, env *Env, rt string, items []dataset.Item, body func(dataset.Item) map[string]any) error {
	if len(items) == 0 {
		return nil
	}
	var unanswered []string
	for _, r := range qsCreateAll(ctx, env, env.Endpoint(rt), items, body) {
		if r.err != nil {
			q.Missing[r.key] = r.err.Error()
			if r.noAnswer {
				unanswered = append(unanswered, r.err.Error())
			}
			continue
		}
		if rt == dataset.ResourceGroup {
			q.Groups[r.key] = r.id
		} else {
			q.Users[r.key] = r.id
		}
		q.byID[r.id] = r.key
		q.Stamps[r.key] = r.stamp
		q.Names[r.key] = r.name
		if len(r.templated) > 0 {
			q.Templated[r.key] = r.templated
		}
		if r.note != "" && !containsString(q.Notes, r.note) {
			q.Notes = append(q.Notes, r.note)
		}
	}
	for _, it := range items {
		q.Batch[it.Key] = it.Batch
	}
	if len(unanswered) > 0 && rt == dataset.ResourceUser && len(q.Users) == 0 {
		return fmt.Errorf("no User of the data set was created; %d creates got no HTTP answer: %s", len(unanswered), strings.Join(unanswered, "; "))
	}
	return nil
}

// missingNote is the data set's one note on what the server refused.
func (q *QuerySet) missingNote() string {
	if len(q.Missing) == 0 {
		return ""
	}
	return fmt.Sprintf("%d resources of the data set were not created, and the query specs whose expected result involves them are SKIPPED (data missing); the data set uses only attributes of RFC 7643 §4 that the server's schemas declare, so the create specs judge a refusal: %s",
		len(q.Missing), q.missingText(sortedKeys(q.Missing)))
}

// userBody completes a user's body: the enterprise manager by id.
func (q *QuerySet) userBody(it dataset.Item) map[string]any {
	if it.ManagerKey == "" {
		return it.Body
	}
	if ext, ok := it.Body[scim.SchemaEnterpriseUser].(map[string]any); ok {
		if id := q.Users[it.ManagerKey]; id != "" {
			ext["manager"] = map[string]any{"value": id}
		} else {
			delete(ext, "manager") // the manager was not created
		}
	}
	return it.Body
}

// groupBody completes a group's body: its members by id.
func (q *QuerySet) groupBody(it dataset.Item) map[string]any {
	if len(it.MemberKeys) == 0 {
		return it.Body
	}
	members := make([]any, 0, len(it.MemberKeys))
	for _, k := range it.MemberKeys {
		if id := q.Users[k]; id != "" { // a member the server refused is left out
			members = append(members, map[string]any{"value": id})
		}
	}
	if len(members) == 0 {
		return it.Body
	}
	it.Body["members"] = members
	return it.Body
}

// splitAfter returns the whole second after the latest meta.lastModified
// the server returned for the batch-1 items (zero when it returned none).
func (q *QuerySet) splitAfter(items []dataset.Item) time.Time {
	return splitOf(q.latestStamp(items))
}

// splitOf is the whole second after latest (zero for zero).
func splitOf(latest time.Time) time.Time {
	if latest.IsZero() {
		return latest
	}
	return latest.UTC().Truncate(time.Second).Add(time.Second)
}

// latestStamp returns the latest meta.lastModified the server returned for
// the batch-1 items (zero when one is missing or unreadable).
func (q *QuerySet) latestStamp(items []dataset.Item) time.Time {
	var latest time.Time
	for _, it := range items {
		if _, gone := q.Missing[it.Key]; it.Batch != 1 || gone {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, q.Stamps[it.Key])
		if err != nil {
			return time.Time{}
		}
		if t.After(latest) {
			latest = t
		}
	}
	return latest
}

// pruneUsers leaves out of the user bodies what the server's published
// schemas do not declare (or declare readOnly): unknown core attributes,
// undeclared extensions and their attributes. Without published schemas
// the bodies are sent as they are.
func (q *QuerySet) pruneUsers(env *Env, users []dataset.Item) {
	view, ok := coreSchemaView(env, coreUser)
	if !ok {
		return
	}
	dropped := map[string]bool{}
	for _, u := range users {
		for k, v := range u.Body {
			switch {
			case k == "schemas" || k == "externalId":
			case strings.HasPrefix(strings.ToLower(k), "urn:"):
				ext := view.extension(k)
				obj, _ := v.(map[string]any)
				if ext == nil || obj == nil {
					delete(u.Body, k)
					dropped[k] = true
					continue
				}
				for sk := range obj {
					if a, ok := ext.Attribute(sk); !ok || strings.EqualFold(a.Mutability, "readOnly") {
						delete(obj, sk)
						dropped[k+":"+sk] = true
					}
				}
			default:
				if a, ok := view.Base.Attribute(k); !ok || strings.EqualFold(a.Mutability, "readOnly") {
					delete(u.Body, k)
					dropped[k] = true
				}
			}
		}
		u.Body["schemas"] = qsSchemas(u.Body)
	}
	q.Dropped = sortedKeys(dropped)
}

// qsSchemas lists the core schema and the extensions body still carries.
func qsSchemas(body map[string]any) []any {
	out := []any{scim.SchemaUser}
	for k := range body {
		if strings.HasPrefix(strings.ToLower(k), "urn:") {
			out = append(out, k)
		}
	}
	return out
}
