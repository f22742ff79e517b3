package suites

import (
	"fmt"
	"net/http"
	"net/url"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/spec"
)

// Data journeys: who owns which attribute, onboarding many people at once,
// and handing out no more than a client asks for.

// authorityState is what the attribute authority journey carries.
type authorityState struct {
	User      Resource
	Created   string
	Immutable coreImmutableTarget
	HasImm    bool
	ImmValue  string
}

func authorityJourney() journey[authorityState] {
	return journey[authorityState]{
		Text:  "attribute authority: readOnly and immutable attributes declared in /Schemas survive a PUT and a PATCH that try to change them",
		Needs: []spec.Feature{spec.FeatureUsers, spec.FeaturePatch},
		Steps: []scenarioStep[authorityState]{
			{Name: "creates the User, setting any immutable attribute /Schemas declares", Req: "7644-3.3-07", Do: func(ctx SpecContext, env *Env, s *authorityState) {
				body := scnUserBody(env, "authority", "", nil)
				if view, ok := coreSchemaView(env, coreUser); ok {
					s.Immutable, s.HasImm = findImmutable(view)
				}
				if s.HasImm {
					s.ImmValue = env.Name("immutable")
					s.Immutable.set(body, s.ImmValue)
				} else {
					env.Info("the published User schemas declare no singular immutable string attribute; the journey checks readOnly attributes only")
				}
				var doc map[string]any
				s.User, _, doc = scnCreate(ctx, env, coreUser, body)
				s.Created = coreMetaString(doc, "created")
			}},
			{Name: "keeps id and meta.created through a PUT that sends other values for them", Req: "7644-3.5.1-11", Also: []string{"7643-3.1-05"}, Do: func(ctx SpecContext, env *Env, s *authorityState) {
				_, doc := scnRead(ctx, env, s.User, "7644-3.5.1-11")
				s.Created = coreMetaString(doc, "created")
				body := scnReplaceBody(doc)
				body["meta"] = map[string]any{"created": "2001-01-01T00:00:00Z", "resourceType": "User"}
				resp := env.Put(ctx, s.User.Path(), body)
				Expect(resp).To(matchers.HaveStatus(http.StatusOK, cite("7644-3.5.1-11")+": readOnly values in a PUT are ignored, so the PUT succeeds"))
				_, after := scnRead(ctx, env, s.User, "7644-3.5.1-11")
				Expect(coreMetaString(after, "created")).To(Equal(s.Created), "%s: meta.created is readOnly; the PUT's value must be ignored", cite("7644-3.5.1-11"))
				Expect(after["id"]).To(Equal(s.User.ID), "%s: id is readOnly and stable", cite("7644-3.5.1-11"))
			}},
			{Name: "keeps the immutable attribute through a PUT that changes it", Req: "7644-3.5.1-09", Do: func(ctx SpecContext, env *Env, s *authorityState) {
				if !s.HasImm {
					env.Info("no immutable attribute to check")
					return
				}
				_, doc := scnRead(ctx, env, s.User, "7644-3.5.1-09")
				body := scnReplaceBody(doc)
				s.Immutable.set(body, s.ImmValue+"-changed")
				resp := env.Put(ctx, s.User.Path(), body)
				if coreIsSuccess(resp.Status) {
					env.Info("the PUT changing immutable %s answered %s; RFC 7644 §3.5.1 says 400 mutability SHOULD be returned", s.Immutable.Name, coreStatus(resp.Status))
				}
				_, after := scnRead(ctx, env, s.User, "7644-3.5.1-09")
				Expect(s.Immutable.get(after)).To(Equal(s.ImmValue), "%s: %s is immutable and has a value, so a PUT must not change it", cite("7644-3.5.1-09"), s.Immutable.Name)
			}},
			{Name: "refuses a PATCH of the immutable attribute and keeps it", Req: "7643-7-17", Do: func(ctx SpecContext, env *Env, s *authorityState) {
				if !s.HasImm {
					env.Info("no immutable attribute to check")
					return
				}
				path := s.Immutable.Name
				if s.Immutable.URN != "" {
					path = s.Immutable.URN + ":" + path
				}
				resp := env.Patch(ctx, s.User.Path(), Op("replace", path, s.ImmValue+"-patched"))
				if resp.Status < 400 {
					Fail(fmt.Sprintf("%s: %s is immutable and has a value, so a PATCH replacing it must fail (400 mutability); got %s", cite("7643-7-17"), path, coreStatus(resp.Status)))
				}
				_, after := scnRead(ctx, env, s.User, "7643-7-17")
				Expect(s.Immutable.get(after)).To(Equal(s.ImmValue), "%s: the refused PATCH changed immutable %s", cite("7643-7-17"), path)
			}},
		},
	}
}

// onboardingState is what the HR onboarding journey carries.
type onboardingState struct {
	Divisions [2]string
	People    [2][]string
	Groups    [2]Resource
}

func onboardingJourney() journey[onboardingState] {
	return journey[onboardingState]{
		Text:  "HR onboarding: two offices of users and groups arrive in one Bulk request with bulkId members (one by one where Bulk is off) and are found by division",
		Needs: []spec.Feature{spec.FeatureUsers, spec.FeatureGroups, spec.FeatureEnterpriseUser, spec.FeatureFilter},
		Steps: []scenarioStep[onboardingState]{
			{Name: "creates two offices, two people and a group each, in one Bulk request or one by one", Req: "7644-3.7.2-01", Do: func(ctx SpecContext, env *Env, s *onboardingState) {
				scenarioNeedAttr(env, coreUser, scnExt+":division", "people are onboarded by division")
				s.Divisions = [2]string{env.Name("div-a"), env.Name("div-b")}
				if env.Caps.Has(spec.FeatureBulk) && (env.Caps.Limits.BulkMaxOperations == 0 || env.Caps.Limits.BulkMaxOperations >= 6) {
					scnOnboardBulk(ctx, env, s)
					return
				}
				env.Info("Bulk is off or allows fewer than 6 operations: the offices are created one request at a time, as the use case allows")
				for o, div := range s.Divisions {
					for range 2 {
						r, _, _ := scnCreate(ctx, env, coreUser, scnUserBody(env, "hire", "", map[string]any{"division": div}))
						s.People[o] = append(s.People[o], r.ID)
					}
					s.Groups[o], _, _ = scnCreate(ctx, env, coreGroup, coreGroupBody(env, "office", s.People[o]...))
				}
			}},
			{Name: "lists each office group with exactly its two people", Req: "7644-3.7.2-01", Do: func(ctx SpecContext, env *Env, s *onboardingState) {
				for o := range s.Groups {
					_, g := scnRead(ctx, env, s.Groups[o], "7644-3.7.2-01")
					Expect(scnMemberIDs(g)).To(ConsistOf(s.People[o]), "%s: the office group %s was created with the people of division %q as members (bulkId references resolved to their ids)",
						cite("7644-3.7.2-01"), s.Groups[o].Path(), s.Divisions[o])
				}
			}},
			{Name: "finds each office's people by division", Req: "7644-3.4.2.2-04", Do: func(ctx SpecContext, env *Env, s *onboardingState) {
				for o, div := range s.Divisions {
					f := fmt.Sprintf("%s:division eq %q", scnExt, div)
					ids := scnFind(ctx, env, coreUser, f, "7644-3.4.2.2-04")
					Expect(ids).To(ConsistOf(s.People[o]), "%s: the filter %s must list exactly the two people onboarded into that division", cite("7644-3.4.2.2-04"), f)
				}
			}},
		},
	}
}

// scnOnboardBulk creates the offices in one Bulk request: users first, then
// each office group with bulkId references to its people.
func scnOnboardBulk(ctx SpecContext, env *Env, s *onboardingState) {
	GinkgoHelper()
	var ops []bulkOp
	var ids [2][]string
	for o, div := range s.Divisions {
		for i := range 2 {
			id := fmt.Sprintf("hire%d%d", o, i)
			ids[o] = append(ids[o], id)
			ops = append(ops, bulkOp{Method: http.MethodPost, Path: env.Endpoint(coreUser), BulkID: id,
				Data: scnUserBody(env, "hire", "", map[string]any{"division": div})})
		}
	}
	for o := range s.Divisions {
		body := coreGroupBody(env, "office")
		body["members"] = []any{map[string]any{"value": "bulkId:" + ids[o][0]}, map[string]any{"value": "bulkId:" + ids[o][1]}}
		ops = append(ops, bulkOp{Method: http.MethodPost, Path: env.Endpoint(coreGroup), BulkID: fmt.Sprintf("office%d", o), Data: body})
	}
	reply := bulkSend(ctx, env, ops, bulkNoLimit, "7644-3.7.2-01")
	for o := range s.Divisions {
		for _, b := range ids[o] {
			id := bulkCreatedID(reply, ops, b, "7644-3.7.2-01")
			scnOwn(env, Resource{Endpoint: env.Endpoint(coreUser), ID: id})
			s.People[o] = append(s.People[o], id)
		}
		s.Groups[o] = Resource{Endpoint: env.Endpoint(coreGroup), ID: bulkCreatedID(reply, ops, fmt.Sprintf("office%d", o), "7644-3.7.2-01")}
		scnOwn(env, s.Groups[o])
	}
}

// disclosureState is what the minimal disclosure journey carries.
type disclosureState struct {
	User     Resource
	UserName string
}

func disclosureJourney() journey[disclosureState] {
	return journey[disclosureState]{
		Text:  "minimal disclosure: attributes and excludedAttributes hand a client only what it asks for, on a read and on a filtered list",
		Needs: []spec.Feature{spec.FeatureUsers, spec.FeatureFilter},
		Steps: []scenarioStep[disclosureState]{
			{Name: "creates the User with a full profile", Req: "7644-3.3-07", Do: func(ctx SpecContext, env *Env, s *disclosureState) {
				body := scnUserBody(env, "private", "", nil)
				s.UserName, _ = memberString(body, "userName")
				s.User, _, _ = scnCreate(ctx, env, coreUser, body)
			}},
			{Name: "returns userName and the always-returned attributes only when asked for userName", Req: "7644-3.9-02", Also: []string{"7643-3.1-05"}, Do: func(ctx SpecContext, env *Env, s *disclosureState) {
				doc := coreGetQuery(ctx, env, coreUser, s.User.ID, url.Values{"attributes": {"userName"}}, "7644-3.9-02")
				scnExpectDisclosed(doc, s, "GET "+s.User.Path()+"?attributes=userName", "7644-3.9-02", "emails", "phoneNumbers", "name", "displayName")
			}},
			{Name: "leaves out the excluded attributes and keeps the always-returned ones", Req: "7644-3.9-03", Do: func(ctx SpecContext, env *Env, s *disclosureState) {
				doc := coreGetQuery(ctx, env, coreUser, s.User.ID, url.Values{"excludedAttributes": {"emails,phoneNumbers"}}, "7644-3.9-03")
				scnExpectDisclosed(doc, s, "GET "+s.User.Path()+"?excludedAttributes=emails,phoneNumbers", "7644-3.9-03", "emails", "phoneNumbers")
			}},
			{Name: "applies attributes to a filtered list too", Req: "7644-3.9-02", Do: func(ctx SpecContext, env *Env, s *disclosureState) {
				q := url.Values{"filter": {fmt.Sprintf("userName eq %q", s.UserName)}, "attributes": {"userName"}}
				l := lqGet(ctx, env, env.Endpoint(coreUser), q, "7644-3.9-02")
				if len(l.Resources) != 1 {
					Fail(fmt.Sprintf("%s: the filter on the User's userName lists %d resources, not the one User", cite("7644-3.4.2.2-04"), len(l.Resources)))
				}
				scnExpectDisclosed(l.Resources[0], s, "GET "+lqShow(env.Endpoint(coreUser), q), "7644-3.9-02", "emails", "phoneNumbers", "name", "displayName")
			}},
		},
	}
}

// scnExpectDisclosed fails when doc carries one of the withheld attributes
// or lacks id or userName (id is returned always; userName was not
// excluded or was asked for).
func scnExpectDisclosed(doc map[string]any, s *disclosureState, what, req string, withheld ...string) {
	GinkgoHelper()
	var problems []string
	for _, a := range withheld {
		if _, ok := member(doc, a); ok {
			problems = append(problems, a+" is present although the request did not ask for it")
		}
	}
	if id, _ := memberString(doc, "id"); id != s.User.ID {
		problems = append(problems, fmt.Sprintf("id is %q, not %q (id is returned always)", id, s.User.ID))
	}
	if name, _ := memberString(doc, "userName"); name != s.UserName {
		problems = append(problems, fmt.Sprintf("userName is %q, not %q", name, s.UserName))
	}
	failProblems(fmt.Sprintf("%s: %s hands out more or less than asked:", cite(req), what), problems)
}
