package suites

import (
	"fmt"
	"net/http"
	"net/url"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Synchronisation journeys of the use-cases draft: a client that pulls and
// reconciles, a client that caches, two clients writing the same account.

// reconState is what the reconciliation journey carries.
type reconState struct {
	Part  string
	IDs   []string
	Snap  map[string]map[string]any
	Drift Resource
	Tag   string
}

func reconciliationJourney() journey[reconState] {
	return journey[reconState]{
		Text:  "reconciliation: a paged full pull of the run's accounts, an out-of-band change found by version or lastModified, and a remediation PUT under If-Match",
		Needs: []spec.Feature{spec.FeatureUsers, spec.FeatureFilter},
		Steps: []scenarioStep[reconState]{
			{Name: "creates three accounts to reconcile", Req: "7644-3.3-07", Do: func(ctx SpecContext, env *Env, s *reconState) {
				s.Part = env.Name("recon")[len(env.Prefix)+1:] + "u"
				s.IDs = coreCreateUsers(ctx, env, s.Part, 3)
			}},
			{Name: "pulls every account in pages of one", Req: "7644-3.4.2.4-05", Also: []string{"7644-3.4.2-04"}, Do: func(ctx SpecContext, env *Env, s *reconState) {
				s.Snap = scnPull(ctx, env, s, 1)
				Expect(sortedKeys(s.Snap)).To(ConsistOf(s.IDs), "%s: paging through userName sw %q must yield each of the run's three accounts once", cite("7644-3.4.2.4-05"), env.Prefix+"-"+s.Part)
			}},
			{Name: "finds an out-of-band change by version or lastModified", Req: "7643-3.1-18", Do: func(ctx SpecContext, env *Env, s *reconState) {
				s.Drift = Resource{Endpoint: env.Endpoint(coreUser), ID: s.IDs[1]}
				patchSleep(ctx, patchNoOpWait)
				_, doc := scnRead(ctx, env, s.Drift, "7643-3.1-18")
				body := scnReplaceBody(doc)
				body["displayName"] = "changed out of band"
				Expect(env.Put(ctx, s.Drift.Path(), body)).To(matchers.HaveStatus(http.StatusOK, cite("7644-3.5.1-04")+": another administrator's PUT of the account is valid"))
				now := scnPull(ctx, env, s, 10)
				version, modified, note := scnAdvanced(s.Snap[s.Drift.ID], now[s.Drift.ID])
				if !version && !modified {
					Fail(fmt.Sprintf("%s: an account changed since the last pull shows neither a new meta.version nor a later meta.lastModified (%s), so a reconciling client cannot find the change without comparing every attribute",
						cite("7643-3.1-18"), note))
				}
				for _, id := range s.IDs {
					if id != s.Drift.ID && coreMetaString(s.Snap[id], "version") != coreMetaString(now[id], "version") {
						Fail(fmt.Sprintf("%s: the unchanged account %s shows another meta.version in the second pull (%q, was %q): a version names one state of the resource",
							cite("7643-3.1-18"), id, coreMetaString(now[id], "version"), coreMetaString(s.Snap[id], "version")))
					}
				}
			}},
			{Name: "remediates the drift by a PUT under If-Match", Req: "7644-3.14-04", Also: []string{"7644-3.14-02", "7644-3.5.1-04"}, Do: func(ctx SpecContext, env *Env, s *reconState) {
				resp, doc := scnRead(ctx, env, s.Drift, "7644-3.14-04")
				tag := ""
				if env.Caps.Has(spec.FeatureETag) {
					tag = scnTag(resp, "GET "+s.Drift.Path())
				} else {
					env.Info("etag is off: the remediation PUT is sent without If-Match")
				}
				body := scnReplaceBody(doc)
				body["displayName"] = "remediated"
				Expect(scnWrite(ctx, env, http.MethodPut, s.Drift, tag, body)).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf(
					"%s: a PUT under If-Match %s, the version just read, must succeed", cite("7644-3.14-04"), tag)))
				_, after := scnRead(ctx, env, s.Drift, "7644-3.14-04")
				Expect(after["displayName"]).To(Equal("remediated"), "%s: the remediation PUT's displayName is not stored", cite("7644-3.5.1-04"))
			}},
		},
	}
}

// scnPull pages through the journey's accounts (userName sw its prefix)
// with count per page and returns them by id. Each page must respect count
// (7644-3.4.2.4-05) and report totalResults (7644-3.4.2-04).
func scnPull(ctx SpecContext, env *Env, s *reconState, count int) map[string]map[string]any {
	GinkgoHelper()
	path := env.Endpoint(coreUser)
	filter := fmt.Sprintf("userName sw %q", env.Prefix+"-"+s.Part)
	out := map[string]map[string]any{}
	for start, pages := 1, 0; pages < 2*len(s.IDs)+2; pages++ {
		q := url.Values{"filter": {filter}, "startIndex": {fmt.Sprint(start)}, "count": {fmt.Sprint(count)}}
		resp := env.Get(ctx, path, q)
		gateOptionalRefusal(resp, "GET "+lqShow(path, q))
		Expect(resp).To(matchers.HaveStatus(http.StatusOK, cite("7644-3.4.2.4-05")+": GET "+lqShow(path, q)+" is a valid paged query"))
		l := lqParse(resp, "GET "+lqShow(path, q), "7644-3.4.2.4-05")
		if len(l.Resources) > count {
			Fail(fmt.Sprintf("%s: GET %s asked for %d resource(s) per page and got %d", cite("7644-3.4.2.4-05"), lqShow(path, q), count, len(l.Resources)))
		}
		if !l.TotalResults.Present {
			Fail(fmt.Sprintf("%s: GET %s answered a ListResponse without totalResults, so a paging client cannot tell when it is done", cite("7644-3.4.2-04"), lqShow(path, q)))
		}
		for _, r := range l.Resources {
			if id, _ := memberString(r, "id"); id != "" {
				out[id] = r
			}
		}
		start += len(l.Resources)
		if len(l.Resources) == 0 || start > l.TotalResults.Value {
			break
		}
	}
	return out
}

// freshState is what the freshness journey carries.
type freshState struct {
	User Resource
	Tag  string
}

func freshnessJourney() journey[freshState] {
	return journey[freshState]{
		Text:  "freshness: a cached User is answered 304 Not Modified under If-None-Match until it changes, then 200 with the new version",
		Needs: []spec.Feature{spec.FeatureUsers, spec.FeatureETag},
		Steps: []scenarioStep[freshState]{
			{Name: "creates the User and reads its ETag", Req: "7644-3.14-02", Do: func(ctx SpecContext, env *Env, s *freshState) {
				s.User = scnSetup(ctx, env, coreUser, scnUserBody(env, "fresh", "", nil))
				resp, _ := scnRead(ctx, env, s.User, "7644-3.14-02")
				s.Tag = scnTag(resp, "GET "+s.User.Path())
			}},
			{Name: "answers 304 Not Modified to If-None-Match with the current ETag, twice", Req: "7644-3.14-03", Do: func(ctx SpecContext, env *Env, s *freshState) {
				for range 2 {
					resp := env.Do(ctx, scim.Request{Method: http.MethodGet, Path: s.User.Path(), Header: http.Header{"If-None-Match": {s.Tag}}})
					Expect(resp).To(matchers.HaveStatus(http.StatusNotModified, fmt.Sprintf(
						"%s: nothing changed the User since its ETag %s was read, so GET with If-None-Match %s answers 304 Not Modified", cite("7644-3.14-03"), s.Tag, s.Tag)))
				}
			}},
			{Name: "answers 200 with a new ETag once the User changed", Req: "7644-3.14-03", Do: func(ctx SpecContext, env *Env, s *freshState) {
				_, doc := scnRead(ctx, env, s.User, "7644-3.14-03")
				body := scnReplaceBody(doc)
				body["displayName"] = "changed after caching"
				Expect(env.Put(ctx, s.User.Path(), body)).To(matchers.HaveStatus(http.StatusOK, cite("7644-3.5.1-04")+": the PUT is a valid replacement"))
				resp := env.Do(ctx, scim.Request{Method: http.MethodGet, Path: s.User.Path(), Header: http.Header{"If-None-Match": {s.Tag}}})
				Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf(
					"%s: the User changed after its ETag %s was read, so GET with If-None-Match %s answers 200 with the new representation", cite("7644-3.14-03"), s.Tag, s.Tag)))
				if tag, _ := etagOf(resp); tag == s.Tag {
					Fail(fmt.Sprintf("%s: the changed User still carries the ETag %s", cite("7644-3.14-03"), tag))
				}
			}},
		},
	}
}

// lostUpdateState is what the lost update journey carries.
type lostUpdateState struct {
	User Resource
	Doc  map[string]any
	Tag  string
}

func lostUpdateJourney() journey[lostUpdateState] {
	return journey[lostUpdateState]{
		Text:  "lost update: of two clients holding the same version, the second PUT under If-Match is refused with 412 and the first one's change stays",
		Needs: []spec.Feature{spec.FeatureUsers, spec.FeatureETag},
		Steps: []scenarioStep[lostUpdateState]{
			{Name: "creates the User, which both clients read at the same version", Req: "7644-3.14-02", Do: func(ctx SpecContext, env *Env, s *lostUpdateState) {
				s.User = scnSetup(ctx, env, coreUser, scnUserBody(env, "shared", "", nil))
				var resp *scim.Response
				resp, s.Doc = scnRead(ctx, env, s.User, "7644-3.14-02")
				s.Tag = scnTag(resp, "GET "+s.User.Path())
			}},
			{Name: "applies the first client's PUT under If-Match", Req: "7644-3.14-04", Do: func(ctx SpecContext, env *Env, s *lostUpdateState) {
				body := scnReplaceBody(s.Doc)
				body["displayName"] = "first client"
				Expect(scnWrite(ctx, env, http.MethodPut, s.User, s.Tag, body)).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf(
					"%s: a PUT under If-Match %s, the User's current version, must succeed", cite("7644-3.14-04"), s.Tag)))
			}},
			{Name: "refuses the second client's PUT under the same, now stale, version with 412", Req: "7644-3.14-04", Do: func(ctx SpecContext, env *Env, s *lostUpdateState) {
				body := scnReplaceBody(s.Doc)
				body["displayName"] = "second client"
				Expect(scnWrite(ctx, env, http.MethodPut, s.User, s.Tag, body)).To(matchers.HaveStatus(http.StatusPreconditionFailed, fmt.Sprintf(
					"%s: the first client's PUT changed the User, so a PUT under If-Match %s must fail with 412 Precondition Failed instead of overwriting it", cite("7644-3.14-04"), s.Tag)))
			}},
			{Name: "keeps the first client's change", Req: "7644-3.14-04", Do: func(ctx SpecContext, env *Env, s *lostUpdateState) {
				_, doc := scnRead(ctx, env, s.User, "7644-3.14-04")
				Expect(doc["displayName"]).To(Equal("first client"), "%s: the refused PUT must change nothing; displayName is %s", cite("7644-3.14-04"), quoteJSON(doc["displayName"]))
			}},
		},
	}
}
