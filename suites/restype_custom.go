package suites

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/spec"
)

// The custom resource type suite: every resource type /ResourceTypes
// publishes beyond User and Group (RFC 7643 §6 lets a service provider add
// its own, e.g. a Device registry) goes through the lifecycle of RFC 7644
// §3 with instances built from its schema in /Schemas (restype_custom_helpers.go).
// The spec tree is declared before discovery, so each spec is one behaviour
// that iterates over the discovered types inside its body and names every
// type that fails it: `scimconform list` stays the same for every target.
var _ = DescribeSCIM("Custom resource types", spec.Area("schema"), spec.Requires(spec.FeatureCustomTypes), spec.Mutating, func(env *Env) {
	Context("instances built from the published schema", func() {
		describeCustomCreateRead(env)
		describeCustomQuery(env)
		describeCustomWrite(env)
	})
})

func describeCustomCreateRead(env *Env) {
	// 7644-3.3-07, 7644-3.3-08: a valid create of a custom type answers 201 Created and echoes it.
	It("creates a minimal instance of each custom resource type with 201 Created", spec.Req("7644-3.3-07", "7644-3.3-08"), spec.MUST, func(ctx SpecContext) {
		var problems []string
		for _, t := range customTypes(env) {
			body := customBody(env, t, "custom-create")
			resp, id := env.Create(ctx, t.endpoint(), body)
			if resp.Status != http.StatusCreated {
				problems = append(problems, fmt.Sprintf("%s: POST %s answered %s. %s", t.name(), t.endpoint(), coreStatus(resp.Status), coreErrorNote(resp)))
				continue
			}
			if obj, err := resp.Object(); err == nil && id != "" {
				if miss := customMismatch(body, obj); len(miss) > 0 {
					env.Warn("%s: %s: the created %s does not echo what was sent: %v", cite("7644-3.3-08"), t.name(), t.name(), miss)
				}
			}
		}
		failProblems(cite("7644-3.3-07")+": a valid create of a published resource type answers 201 Created with the new resource (RFC 7644 §3.3); the instance holds the required attributes of the type's schema:", problems)
	})

	// 7644-3.3-09, 7644-3.3-01: the new resource is served at its id and at its Location.
	It("reads each custom resource back by id and by its Location", spec.Req("7644-3.3-09", "7644-3.3-01"), spec.MUST, func(ctx SpecContext) {
		var problems []string
		for _, t := range customTypes(env) {
			body := customBody(env, t, "custom-read")
			resp, id := env.Create(ctx, t.endpoint(), body)
			if id == "" {
				env.setupCreateFailed(t.endpoint(), resp, "the spec needs a "+t.name())
			}
			paths := []string{customPath(t, id)}
			if loc := resp.Header.Get("Location"); loc != "" {
				paths = append(paths, loc)
			}
			for _, p := range paths {
				got := env.GetNamed(ctx, p, "the "+t.name()+" just created")
				if got == nil {
					continue
				}
				obj, err := got.Object()
				if got.Status != http.StatusOK || err != nil {
					problems = append(problems, fmt.Sprintf("%s: GET %s answered %s", t.name(), p, coreStatus(got.Status)))
					continue
				}
				if miss := customMismatch(body, obj); len(miss) > 0 {
					problems = append(problems, fmt.Sprintf("%s: GET %s: %v", t.name(), p, miss))
				}
			}
		}
		failProblems(cite("7644-3.3-09")+": a created resource is served, as written, at its id and at the Location the create named:", problems)
	})
}

func describeCustomQuery(env *Env) {
	// 7644-3.4.2.2-04: eq on a required string attribute finds exactly the resource.
	It("finds each custom resource by eq on a required string attribute", spec.Req("7644-3.4.2.2-04"), spec.MUST, spec.Requires(spec.FeatureFilter),
		func(ctx SpecContext) {
			var problems []string
			for _, t := range customTypes(env) {
				if t.key == "" {
					env.Info("%s: no required string attribute to filter on", t.name())
					continue
				}
				body, id := customCreate(ctx, env, t, "custom-filter")
				filter := fmt.Sprintf("%s eq %s", t.key, quoteJSON(body[t.key]))
				resp := env.Get(ctx, t.endpoint(), url.Values{"filter": {filter}})
				gateOptionalRefusal(resp, "GET "+t.endpoint()+"?filter="+filter)
				if ids := tenantListedIDs(resp); resp.Status != http.StatusOK || len(ids) != 1 || ids[0] != id {
					problems = append(problems, fmt.Sprintf("%s: GET %s?filter=%s answered %s with ids %v, want exactly [%s]", t.name(), t.endpoint(), filter, coreStatus(resp.Status), ids, id))
				}
			}
			failProblems(cite("7644-3.4.2.2-04")+": a filter returns exactly the resources that match it:", problems)
		})

	// 7644-3.4.2.4-05: pages of count=1 hold one resource each and together every match.
	It("pages through each custom resource type with count=1", spec.Req("7644-3.4.2.4-05"), spec.MUST, spec.Requires(spec.FeatureFilter, spec.FeatureIndexPaging),
		func(ctx SpecContext) {
			var problems []string
			for _, t := range customTypes(env) {
				_, id1 := customCreate(ctx, env, t, "custom-page")
				_, id2 := customCreate(ctx, env, t, "custom-page")
				filter := fmt.Sprintf("externalId sw %s", quoteJSON(env.Prefix+"-custom-page"))
				seen := map[string]bool{}
				for start := 1; start <= 4; start++ {
					q := url.Values{"filter": {filter}, "count": {"1"}, "startIndex": {strconv.Itoa(start)}}
					resp := env.Get(ctx, t.endpoint(), q)
					gateOptionalRefusal(resp, "GET "+t.endpoint()+"?filter="+filter)
					ids := tenantListedIDs(resp)
					if len(ids) > 1 {
						problems = append(problems, fmt.Sprintf("%s: startIndex=%d&count=1 returned %d resources", t.name(), start, len(ids)))
					}
					for _, id := range ids {
						seen[id] = true
					}
					if len(ids) == 0 {
						break
					}
				}
				if !seen[id1] || !seen[id2] {
					problems = append(problems, fmt.Sprintf("%s: pages of count=1 over %s did not yield both %s and %s (saw %v)", t.name(), filter, id1, id2, seen))
				}
			}
			failProblems(cite("7644-3.4.2.4-05")+": count bounds the page size, and index pages together return every match:", problems)
		})
}

func describeCustomWrite(env *Env) {
	// 7644-3.5.2-01: a PATCH replace of a readWrite attribute is applied.
	It("applies a PATCH replace of a readWrite string attribute of each custom resource", spec.Req("7644-3.5.2-01"), spec.MAY, spec.Requires(spec.FeaturePatch),
		func(ctx SpecContext) {
			var problems []string
			for _, t := range customTypes(env) {
				if t.edit == "" {
					env.Info("%s: no optional readWrite string attribute to PATCH", t.name())
					continue
				}
				_, id := customCreate(ctx, env, t, "custom-patch")
				want := env.Name("custom-patched")
				resp := env.Patch(ctx, customPath(t, id), Op("replace", t.edit, want))
				got := env.Get(ctx, customPath(t, id), nil)
				obj, _ := got.Object()
				if v, _ := member(obj, t.edit); !coreIsSuccess(resp.Status) || v != want {
					problems = append(problems, fmt.Sprintf("%s: PATCH replace %s = %q answered %s; GET then shows %s = %v", t.name(), t.edit, want, coreStatus(resp.Status), t.edit, quoteJSON(v)))
				}
			}
			failProblems(cite("7644-3.5.2-01")+": a PATCH replace operation sets the attribute (RFC 7644 §3.5.2.3):", problems)
		})

	// 7644-3.5-01, 7644-3.5.1-04: PUT replaces the resource's readWrite values.
	It("replaces each custom resource with PUT", spec.Req("7644-3.5-01", "7644-3.5.1-04"), spec.MUST, func(ctx SpecContext) {
		var problems []string
		for _, t := range customTypes(env) {
			if t.edit == "" {
				env.Info("%s: no optional readWrite string attribute to replace", t.name())
				continue
			}
			body, id := customCreate(ctx, env, t, "custom-put")
			body[t.edit] = env.Name("custom-replaced")
			resp := env.Put(ctx, customPath(t, id), body)
			got := env.Get(ctx, customPath(t, id), nil)
			obj, _ := got.Object()
			if miss := customMismatch(body, obj); !coreIsSuccess(resp.Status) || len(miss) > 0 {
				problems = append(problems, fmt.Sprintf("%s: PUT answered %s; GET then differs: %v", t.name(), coreStatus(resp.Status), miss))
			}
		}
		failProblems(cite("7644-3.5.1-04")+": a PUT replaces the readWrite values of the resource with those sent:", problems)
	})

	// 7643-3.3-05, 7643-3.3-03: a declared extension is accepted on create and served back.
	It("accepts the declared extensions of each custom resource type on create", spec.Req("7643-3.3-05", "7643-3.3-03"), spec.MUST,
		func(ctx SpecContext) {
			var problems []string
			tried := 0
			for _, t := range customTypes(env) {
				for _, ext := range t.view.Exts {
					attr := ""
					for _, a := range ext.Attributes {
						if customStringRW(a) && attr == "" {
							attr = a.Name
						}
					}
					if attr == "" {
						continue
					}
					tried++
					body := customBody(env, t, "custom-ext")
					obj, _ := body[ext.ID].(map[string]any)
					if obj == nil {
						obj = map[string]any{}
						body["schemas"] = append(body["schemas"].([]any), ext.ID)
					}
					want := env.Name("custom-ext-value")
					obj[attr] = want
					body[ext.ID] = obj
					resp, id := env.Create(ctx, t.endpoint(), body)
					if id == "" {
						problems = append(problems, fmt.Sprintf("%s with %s: POST answered %s. %s", t.name(), ext.ID, coreStatus(resp.Status), coreErrorNote(resp)))
						continue
					}
					got, _ := env.Get(ctx, customPath(t, id), nil).Object()
					gotExt, _ := memberObject(got, ext.ID)
					if v, _ := member(gotExt, attr); v != want {
						problems = append(problems, fmt.Sprintf("%s: %s:%s sent %q, GET shows %v", t.name(), ext.ID, attr, want, quoteJSON(v)))
					}
				}
			}
			if tried == 0 {
				Skip(spec.SkipUnsupportedPrefix + "no custom resource type declares an extension with a writable string attribute")
			}
			failProblems(cite("7643-3.3-05")+": values of a declared extension, sent in the object keyed by its URN, are stored and returned:", problems)
		})

	// 7644-3.6-01: after DELETE the resource answers 404.
	It("deletes each custom resource, which then answers 404", spec.Req("7644-3.6-01"), spec.MUST, func(ctx SpecContext) {
		var problems []string
		for _, t := range customTypes(env) {
			_, id := customCreate(ctx, env, t, "custom-delete")
			del := env.Delete(ctx, customPath(t, id))
			if coreIsSuccess(del.Status) {
				env.Ledger.Deleted(t.endpoint(), id)
			}
			if got := env.Get(ctx, customPath(t, id), nil); !coreIsSuccess(del.Status) || got.Status != http.StatusNotFound {
				problems = append(problems, fmt.Sprintf("%s: DELETE answered %s, then GET answered %s", t.name(), coreStatus(del.Status), coreStatus(got.Status)))
			}
		}
		failProblems(cite("7644-3.6-01")+": after a successful DELETE every request on the id answers 404 Not Found:", problems)
	})
}
