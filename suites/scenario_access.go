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

// Access journeys of RFC 7642 §3 and the use-cases draft: credentials
// reset by a help desk, rights moved between people, accounts created on
// first use and completed later, access withdrawn through a group.

// passwordState is what the password reset journey carries.
type passwordState struct {
	User     Resource
	UserName string
	Tag      string
}

// scnPassword is a password of reasonable complexity, unique per call.
func scnPassword(env *Env) string { return "Sc1m!" + env.Name("pw") }

func passwordResetJourney() journey[passwordState] {
	return journey[passwordState]{
		Text:  "password reset: a help desk resets a password under If-Match, a reset under a stale version is refused, and no read ever returns the password",
		Needs: []spec.Feature{spec.FeatureUsers, spec.FeaturePatch, spec.FeatureETag, spec.FeatureChangePassword},
		Steps: []scenarioStep[passwordState]{
			{Name: "creates the User with an initial password and does not echo it", Req: "7643-4.1.1-17", Also: []string{"7644-3.3-07"}, Do: func(ctx SpecContext, env *Env, s *passwordState) {
				scenarioNeedAttr(env, coreUser, "password", "the journey resets a password")
				body := scnUserBody(env, "pwreset", "", nil)
				body["password"] = scnPassword(env)
				s.UserName, _ = memberString(body, "userName")
				var created map[string]any
				s.User, _, created = scnCreate(ctx, env, coreUser, body)
				scnExpectNoPassword(created, "the answer to the create")
			}},
			{Name: "reads the User's current version", Req: "7644-3.14-02", Do: func(ctx SpecContext, env *Env, s *passwordState) {
				resp, doc := scnRead(ctx, env, s.User, "7644-3.14-02")
				s.Tag = scnTag(resp, "GET "+s.User.Path())
				scnExpectNoPassword(doc, "GET "+s.User.Path())
			}},
			{Name: "resets the password by a PATCH under If-Match with the current version", Req: "7644-3.14-04", Also: []string{"7644-3.5.2.3-02"}, Do: func(ctx SpecContext, env *Env, s *passwordState) {
				resp := scnWrite(ctx, env, http.MethodPatch, s.User, s.Tag, PatchOp(Op("replace", "password", scnPassword(env))))
				if resp.Status != http.StatusOK && resp.Status != http.StatusNoContent {
					Fail(fmt.Sprintf("%s: a PATCH of password under If-Match %s, the version the User has, must succeed (200 or 204); got %s. %s",
						cite("7644-3.14-04"), s.Tag, coreStatus(resp.Status), coreErrorNote(resp)))
				}
				if obj, err := resp.Object(); err == nil {
					scnExpectNoPassword(obj, "the answer to the PATCH")
				}
			}},
			{Name: "refuses a second reset under the now stale version with 412", Req: "7644-3.14-04", Do: func(ctx SpecContext, env *Env, s *passwordState) {
				resp := scnWrite(ctx, env, http.MethodPatch, s.User, s.Tag, PatchOp(Op("replace", "password", scnPassword(env))))
				Expect(resp).To(matchers.HaveStatus(http.StatusPreconditionFailed, fmt.Sprintf(
					"%s: the reset changed the User, so If-Match %s no longer matches and the second reset must fail with 412 Precondition Failed", cite("7644-3.14-04"), s.Tag)))
			}},
			{Name: "returns no password on a read, a read asking for it, and a filtered list", Req: "7643-4.1.1-17", Do: func(ctx SpecContext, env *Env, s *passwordState) {
				_, doc := scnRead(ctx, env, s.User, "7643-4.1.1-17")
				scnExpectNoPassword(doc, "GET "+s.User.Path())
				resp := env.Get(ctx, s.User.Path(), url.Values{"attributes": {"password,userName"}})
				if resp.Status == http.StatusOK {
					obj, _ := resp.Object()
					scnExpectNoPassword(obj, "GET "+s.User.Path()+"?attributes=password,userName")
				}
				q := url.Values{"filter": {fmt.Sprintf("userName eq %q", s.UserName)}}
				if resp := env.Get(ctx, env.Endpoint(coreUser), q); resp.Status == http.StatusOK {
					for _, r := range lqParse(resp, "GET "+lqShow(env.Endpoint(coreUser), q), "7643-4.1.1-17").Resources {
						scnExpectNoPassword(r, "the filtered list")
					}
				}
			}},
		},
	}
}

// scnExpectNoPassword fails when a representation carries a password.
func scnExpectNoPassword(obj map[string]any, where string) {
	GinkgoHelper()
	if v, ok := member(obj, "password"); ok {
		Fail(fmt.Sprintf("%s: %s carries password (%s); password is writeOnly and returned never, not even hashed", cite("7643-4.1.1-17"), where, jsonKind(v)))
	}
}

// transferState is what the rights transfer journey carries.
type transferState struct {
	Bob, Bill, Group Resource
	After            []string
}

func rightsTransferJourney() journey[transferState] {
	return journey[transferState]{
		Text:  "rights transfer: one PATCH removes Bob and adds Bill to a group, and a PATCH whose second operation is invalid changes nothing",
		Needs: []spec.Feature{spec.FeatureUsers, spec.FeatureGroups, spec.FeaturePatch},
		Steps: []scenarioStep[transferState]{
			{Name: "creates Bob, Bill and a group whose member is Bob", Req: "7644-3.3-07", Do: func(ctx SpecContext, env *Env, s *transferState) {
				s.Bob = scnSetup(ctx, env, coreUser, scnUserBody(env, "bob", "", nil))
				s.Bill = scnSetup(ctx, env, coreUser, scnUserBody(env, "bill", "", nil))
				s.Group = scnSetup(ctx, env, coreGroup, coreGroupBody(env, "approvers", s.Bob.ID))
			}},
			{Name: "moves the membership from Bob to Bill in one PATCH", Req: "7644-3.5.2-14", Do: func(ctx SpecContext, env *Env, s *transferState) {
				scnPatch(ctx, env, s.Group, "PATCH remove Bob, add Bill",
					Op("remove", fmt.Sprintf("members[value eq %q]", s.Bob.ID), nil),
					Op("add", "members", patchMemberValues(s.Bill.ID)))
				_, g := scnRead(ctx, env, s.Group, "7644-3.5.2-14")
				s.After = scnMemberIDs(g)
				Expect(s.After).To(ConsistOf(s.Bill.ID), "%s: after the PATCH removing Bob (%s) and adding Bill (%s) the members are %v",
					cite("7644-3.5.2-14"), s.Bob.ID, s.Bill.ID, s.After)
			}},
			{Name: "refuses a PATCH whose second operation is invalid, with a SCIM error", Req: "7644-3.5.2-16", Also: []string{"7644-3.12-01"}, Do: func(ctx SpecContext, env *Env, s *transferState) {
				resp := env.Patch(ctx, s.Group.Path(),
					Op("add", "members", patchMemberValues(s.Bob.ID)),
					Op("frobnicate", "displayName", "x"))
				if resp.Status < 400 {
					Fail(fmt.Sprintf("%s: the second operation has op \"frobnicate\", which is not add, remove or replace, so the PATCH must fail with 400 and a SCIM error; got %s",
						cite("7644-3.5.2-16"), coreStatus(resp.Status)))
				}
				expectSCIMError(resp, matchers.HaveSCIMError(resp.Status, ""), cite("7644-3.5.2-16")+": a failed PATCH answers with a SCIM error body")
			}},
			{Name: "leaves the group exactly as before the refused PATCH", Req: "7644-3.5.2-15", Do: func(ctx SpecContext, env *Env, s *transferState) {
				_, g := scnRead(ctx, env, s.Group, "7644-3.5.2-15")
				Expect(scnMemberIDs(g)).To(ConsistOf(s.After), "%s: the refused PATCH must leave the group unchanged, but its valid first operation (adding Bob back) was kept: members %v, before %v",
					cite("7644-3.5.2-15"), scnMemberIDs(g), s.After)
			}},
		},
	}
}

// jitState is what the just-in-time journey carries.
type jitState struct {
	User  Resource
	Added map[string]any
}

func jitJourney() journey[jitState] {
	return journey[jitState]{
		Text:  "just-in-time: an account created on first use with a userName only is completed later by one PATCH",
		Needs: []spec.Feature{spec.FeatureUsers, spec.FeaturePatch},
		Steps: []scenarioStep[jitState]{
			{Name: "creates the account with nothing but a userName", Req: "7644-3.3-07", Do: func(ctx SpecContext, env *Env, s *jitState) {
				// A server whose business rules refuse so small a User (an
				// e-mail required, ...) leaves the journey SKIPPED with the
				// template hint: the RFC requires userName only, the rest
				// is the server's policy (see --user-template).
				s.User = scnSetup(ctx, env, coreUser, map[string]any{"schemas": []any{scim.SchemaUser}, "userName": env.Name("jit")})
			}},
			{Name: "completes the account by one PATCH adding displayName, name and emails", Req: "7644-3.5.2.1-01", Do: func(ctx SpecContext, env *Env, s *jitState) {
				full := coreUserBody(env, "jit-profile")
				s.Added = map[string]any{}
				var ops []map[string]any
				for _, k := range []string{"displayName", "name", "emails"} {
					if v, ok := full[k]; ok {
						s.Added[k] = v
						ops = append(ops, Op("add", k, v))
					}
				}
				if len(ops) == 0 {
					scnSkipUnsupported("the User schema declares none of displayName, name and emails to complete the account with")
				}
				scnPatch(ctx, env, s.User, "PATCH add displayName, name and emails", ops...)
			}},
			{Name: "reads the completed account with every value the PATCH added", Req: "7644-3.5.2.1-01", Do: func(ctx SpecContext, env *Env, s *jitState) {
				_, doc := scnRead(ctx, env, s.User, "7644-3.5.2.1-01")
				view, ok := coreSchemaView(env, coreUser)
				failProblems(cite("7644-3.5.2.1-01")+": the PATCH added these values, which the account does not show:", coreSentProblems(view, ok, s.Added, doc))
			}},
		},
	}
}

// deprovisionState is what the group deprovisioning journey carries.
type deprovisionState struct {
	User, Group Resource
}

func groupDeprovisionJourney() journey[deprovisionState] {
	return journey[deprovisionState]{
		Text:  "deprovisioning through a group: removing a User from an access group drops the membership on both sides and keeps the User",
		Needs: []spec.Feature{spec.FeatureUsers, spec.FeatureGroups, spec.FeaturePatch},
		Steps: []scenarioStep[deprovisionState]{
			{Name: "creates the User and the access group it belongs to", Req: "7644-3.3-07", Do: func(ctx SpecContext, env *Env, s *deprovisionState) {
				s.User = scnSetup(ctx, env, coreUser, scnUserBody(env, "deprov", "", nil))
				s.Group = scnSetup(ctx, env, coreGroup, coreGroupBody(env, "app-access", s.User.ID))
			}},
			{Name: "removes the User from the group by a PATCH remove with a value filter", Req: "7644-3.5.2.2-03", Do: func(ctx SpecContext, env *Env, s *deprovisionState) {
				scnPatch(ctx, env, s.Group, "PATCH remove members[value eq ...]", Op("remove", fmt.Sprintf("members[value eq %q]", s.User.ID), nil))
				_, g := scnRead(ctx, env, s.Group, "7644-3.5.2.2-03")
				Expect(scnMemberIDs(g)).To(BeEmpty(), "%s: the group's only member was removed, so members is unassigned; it lists %v", cite("7644-3.5.2.2-03"), scnMemberIDs(g))
			}},
			{Name: "keeps the User and drops the group from its groups", Req: "7643-4.1.2-21", Do: func(ctx SpecContext, env *Env, s *deprovisionState) {
				_, u := scnRead(ctx, env, s.User, "7643-4.1.2-21")
				groups, _ := memberList(u, "groups")
				for _, g := range groups {
					if obj, ok := g.(map[string]any); ok && obj["value"] == s.Group.ID {
						Fail(fmt.Sprintf("%s: the User was removed from group %s, yet its groups still lists it", cite("7643-4.1.2-21"), s.Group.ID))
					}
				}
			}},
		},
	}
}
