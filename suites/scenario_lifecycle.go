package suites

import (
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/spec"
)

// The identity lifecycle of RFC 7642 §3.2 (joiner, mover, leaver): an HR
// system or identity provider pushes a person's life in the organisation
// into the service provider.

// joinerState is what the joiner journey carries from step to step.
type joinerState struct {
	User       Resource
	ExternalID string
	Dept       string
	Location   string
}

func joinerJourney() journey[joinerState] {
	return journey[joinerState]{
		Text:  "joiner: a new hire is created with externalId and the enterprise extension, read back through Location and found by externalId exactly once",
		Needs: []spec.Feature{spec.FeatureUsers, spec.FeatureEnterpriseUser, spec.FeatureFilter},
		Steps: []scenarioStep[joinerState]{
			{Name: "creates the joiner with externalId and an enterprise department", Req: "7644-3.3-07", Do: func(ctx SpecContext, env *Env, s *joinerState) {
				scnNeedDept(env, "the joiner carries the department the HR system assigns")
				s.ExternalID, s.Dept = env.Name("hr-id"), env.Name("dept")
				r, created, _ := scnCreate(ctx, env, coreUser, scnUserBody(env, "joiner", s.ExternalID, map[string]any{"department": s.Dept}))
				s.User, s.Location = r, created.Header.Get("Location")
			}},
			{Name: "reads the joiner back through the Location of the create", Req: "7644-3.3-09", Also: []string{"7643-3.1-05"}, Do: func(ctx SpecContext, env *Env, s *joinerState) {
				if s.Location == "" {
					Fail(cite("7644-3.3-09") + ": the 201 answer to the create carries no Location header, so the provisioning client cannot address the new User")
				}
				resp := env.GetNamed(ctx, s.Location, "the Location of the created joiner")
				if resp == nil {
					return
				}
				Expect(resp).To(matchers.HaveStatus(http.StatusOK, cite("7644-3.3-09")+": the Location of a created User serves it"))
				id, _ := memberString(decodeObject(resp, "the GET "+s.Location+" body", "7644-3.3-09"), "id")
				Expect(id).To(Equal(s.User.ID), "%s: the Location %s serves a resource with another id", cite("7644-3.3-09"), s.Location)
			}},
			{Name: "keeps the externalId and the department the client sent", Req: "7643-3.1-11", Do: func(ctx SpecContext, env *Env, s *joinerState) {
				_, doc := scnRead(ctx, env, s.User, "7643-3.1-11")
				ext, _ := memberString(doc, "externalId")
				Expect(ext).To(Equal(s.ExternalID), "%s: externalId is issued by the provisioning client; the service provider keeps it as sent", cite("7643-3.1-11"))
				Expect(scnExtValue(doc, "department")).To(Equal(s.Dept), "%s: the enterprise department sent with the create is lost", cite("7644-3.3-07"))
			}},
			{Name: "finds the joiner by externalId, exactly once", Req: "7644-3.4.2.2-04", Do: func(ctx SpecContext, env *Env, s *joinerState) {
				f := fmt.Sprintf("externalId eq %q", s.ExternalID)
				ids := scnFind(ctx, env, coreUser, f, "7644-3.4.2.2-04")
				Expect(ids).To(Equal([]string{s.User.ID}), "%s: externalId %q belongs to the joiner alone, so the filter %s lists exactly the joiner (%s)",
					cite("7644-3.4.2.2-04"), s.ExternalID, f, s.User.ID)
			}},
		},
	}
}

// moverState is what the mover journey carries from step to step.
type moverState struct {
	User               Resource
	Old, New, Newest   string
	Before, AfterPatch map[string]any
}

func moverJourney() journey[moverState] {
	return journey[moverState]{
		Text:  "mover: a department change by PATCH on the extension and then by PUT advances version and lastModified, and filters see the new department only",
		Needs: []spec.Feature{spec.FeatureUsers, spec.FeatureEnterpriseUser, spec.FeatureFilter, spec.FeaturePatch},
		Steps: []scenarioStep[moverState]{
			{Name: "creates the mover in the old department", Req: "7644-3.3-07", Do: func(ctx SpecContext, env *Env, s *moverState) {
				scnNeedDept(env, "the mover changes department")
				s.Old, s.New, s.Newest = env.Name("dept-old"), env.Name("dept-new"), env.Name("dept-newest")
				s.User, _, _ = scnCreate(ctx, env, coreUser, scnUserBody(env, "mover", "", map[string]any{"department": s.Old}))
				_, s.Before = scnRead(ctx, env, s.User, "7644-3.3-07")
			}},
			{Name: "moves the department by a PATCH on the extension attribute", Req: "7644-3.5.2-17", Do: func(ctx SpecContext, env *Env, s *moverState) {
				patchSleep(ctx, patchNoOpWait)
				scnPatch(ctx, env, s.User, "PATCH replace "+scnDeptPath, Op("replace", scnDeptPath, s.New))
				_, s.AfterPatch = scnRead(ctx, env, s.User, "7644-3.5.2-17")
				Expect(scnExtValue(s.AfterPatch, "department")).To(Equal(s.New), "%s: after the PATCH the department reads %q, not the %q it set",
					cite("7644-3.5.2-17"), scnExtValue(s.AfterPatch, "department"), s.New)
			}},
			{Name: "advances meta.version with the PATCH", Req: "7643-3.1-18", Do: func(ctx SpecContext, env *Env, s *moverState) {
				scnExpectVersion(s.Before, s.AfterPatch, "a PATCH of the enterprise department")
			}},
			{Name: "advances meta.lastModified with the PATCH (a warning when not)", Req: "7644-3.14-03", Do: func(ctx SpecContext, env *Env, s *moverState) {
				scnExpectModified(env, s.Before, s.AfterPatch, "a PATCH of the enterprise department")
			}},
			{Name: "finds the mover by the new department and no longer by the old one", Req: "7644-3.4.2.2-04", Also: []string{"7644-3.4.2-09"}, Do: func(ctx SpecContext, env *Env, s *moverState) {
				scnExpectFound(ctx, env, coreUser, fmt.Sprintf("%s eq %q", scnDeptPath, s.New), s.User.ID, "7644-3.4.2.2-04", "the PATCH moved the User there")
				scnExpectNotFound(ctx, env, coreUser, fmt.Sprintf("%s eq %q", scnDeptPath, s.Old), s.User.ID, "7644-3.4.2.2-04", "the PATCH moved the User out of it")
			}},
			{Name: "moves the department again by PUT of the whole User", Req: "7644-3.5.1-04", Do: func(ctx SpecContext, env *Env, s *moverState) {
				patchSleep(ctx, patchNoOpWait)
				body := scnReplaceBody(s.AfterPatch)
				ext, _ := body[scnExt].(map[string]any)
				ext = scnCopy(ext)
				ext["department"] = s.Newest
				body[scnExt] = ext
				resp := env.Put(ctx, s.User.Path(), body)
				Expect(resp).To(matchers.HaveStatus(http.StatusOK, cite("7644-3.5.1-04")+": a PUT of the User as read, with another department, is a valid replacement"))
				_, after := scnRead(ctx, env, s.User, "7644-3.5.1-04")
				Expect(scnExtValue(after, "department")).To(Equal(s.Newest), "%s: the PUT's department replaces the stored one", cite("7644-3.5.1-04"))
				scnExpectVersion(s.AfterPatch, after, "a PUT that changed the department")
				scnExpectModified(env, s.AfterPatch, after, "a PUT that changed the department")
			}},
			{Name: "finds the mover by the department of the PUT only", Req: "7644-3.4.2.2-04", Also: []string{"7644-3.4.2-09"}, Do: func(ctx SpecContext, env *Env, s *moverState) {
				scnExpectFound(ctx, env, coreUser, fmt.Sprintf("%s eq %q", scnDeptPath, s.Newest), s.User.ID, "7644-3.4.2.2-04", "the PUT moved the User there")
				scnExpectNotFound(ctx, env, coreUser, fmt.Sprintf("%s eq %q", scnDeptPath, s.New), s.User.ID, "7644-3.4.2.2-04", "the PUT moved the User out of it")
			}},
		},
	}
}

// scnExpectVersion fails when meta.version stays the same after a change
// (7643-3.1-18: an entity tag names one state of the resource). A server
// without meta.version is left to the etag specs.
func scnExpectVersion(before, after map[string]any, what string) {
	GinkgoHelper()
	version, _, note := scnAdvanced(before, after)
	if coreMetaString(before, "version") != "" && !version {
		Fail(fmt.Sprintf("%s: meta.version must change when the resource changes (%s): %s", cite("7643-3.1-18"), what, note))
	}
}

// scnExpectModified warns when meta.lastModified does not move forward
// after a change made more than a second after the previous one
// (7644-3.14-03 is a MAY, but clients that reconcile by lastModified miss
// the change).
func scnExpectModified(env *Env, before, after map[string]any, what string) {
	_, modified, note := scnAdvanced(before, after)
	if !modified {
		env.Warn("%s: meta.lastModified did not move forward after %s, more than a second after the previous change (%s); clients that reconcile by lastModified miss this change",
			cite("7644-3.14-03"), what, note)
	}
}

// scnCopy copies a JSON object one level deep.
func scnCopy(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// leaverState is what the leaver journey carries from step to step.
type leaverState struct {
	User     Resource
	UserName string
	Group    Resource
}

func leaverJourney() journey[leaverState] {
	return journey[leaverState]{
		Text:  "leaver: a leaver is suspended (active false, visible in filters), deleted, answered 404 after, gone from filters and group members, and its userName is free again",
		Needs: []spec.Feature{spec.FeatureUsers, spec.FeatureGroups, spec.FeatureFilter, spec.FeaturePatch},
		Steps: []scenarioStep[leaverState]{
			{Name: "creates the leaver and a group it belongs to", Req: "7644-3.3-07", Do: func(ctx SpecContext, env *Env, s *leaverState) {
				scenarioNeedAttr(env, coreUser, "active", "the leaver is suspended before it is deleted")
				body := scnUserBody(env, "leaver", "", nil)
				s.UserName, _ = memberString(body, "userName")
				s.User, _, _ = scnCreate(ctx, env, coreUser, body)
				s.Group = scnSetup(ctx, env, coreGroup, coreGroupBody(env, "leaver-team", s.User.ID))
			}},
			{Name: "suspends the leaver by a PATCH of active to false", Req: "7644-3.5.2-17", Do: func(ctx SpecContext, env *Env, s *leaverState) {
				scnPatch(ctx, env, s.User, "PATCH replace active false", Op("replace", "active", false))
				_, doc := scnRead(ctx, env, s.User, "7644-3.5.2-17")
				active, ok := member(doc, "active")
				Expect(ok && active == false).To(BeTrue(), "%s: after the PATCH active reads %s, not false", cite("7644-3.5.2-17"), corePresent(active, ok))
			}},
			{Name: "finds the suspended leaver by active eq false", Req: "7644-3.4.2.2-04", Do: func(ctx SpecContext, env *Env, s *leaverState) {
				scnExpectFound(ctx, env, coreUser, fmt.Sprintf("userName eq %q and active eq false", s.UserName), s.User.ID, "7644-3.4.2.2-04", "the leaver is suspended")
			}},
			{Name: "deletes the leaver with 204 No Content", Req: "7644-3.6-05", Do: func(ctx SpecContext, env *Env, s *leaverState) {
				resp := env.Delete(ctx, s.User.Path())
				if coreIsSuccess(resp.Status) {
					env.Ledger.Deleted(s.User.Endpoint, s.User.ID)
				}
				Expect(resp).To(matchers.HaveStatus(http.StatusNoContent, cite("7644-3.6-05")+": a successful DELETE answers 204 No Content"))
			}},
			{Name: "answers 404 to a read and to a second delete of the leaver", Req: "7644-3.6-01", Do: func(ctx SpecContext, env *Env, s *leaverState) {
				Expect(env.Get(ctx, s.User.Path(), nil)).To(matchers.HaveStatus(http.StatusNotFound, cite("7644-3.6-01")+": the leaver was deleted, so GET "+s.User.Path()+" answers 404"))
				Expect(env.Delete(ctx, s.User.Path())).To(matchers.HaveStatus(http.StatusNotFound, cite("7644-3.6-01")+": the leaver was deleted, so a second DELETE answers 404"))
			}},
			{Name: "no longer lists the leaver in a filter on its userName", Req: "7644-3.6-02", Also: []string{"7644-3.4.2-09"}, Do: func(ctx SpecContext, env *Env, s *leaverState) {
				scnExpectNotFound(ctx, env, coreUser, fmt.Sprintf("userName eq %q", s.UserName), s.User.ID, "7644-3.6-02", "the leaver was deleted")
			}},
			{Name: "no longer lists the leaver among its group's members (a warning when it does)", Req: "7644-3.6-02", Do: func(ctx SpecContext, env *Env, s *leaverState) {
				_, g := scnRead(ctx, env, s.Group, "7644-3.6-02")
				if scnCount(scnMemberIDs(g), s.User.ID) > 0 {
					env.Warn("%s: the leaver was deleted, yet the group %s still lists it among its members. RFC 7643 §2.3.7 lets a server leave references unchecked, so this is no FAIL, but every client that reads the group keeps granting the leaver's access (%s)",
						cite("7644-3.6-02"), s.Group.Path(), interpretation(23))
				}
			}},
			{Name: "accepts the leaver's userName for a new User", Req: "7644-3.6-04", Do: func(ctx SpecContext, env *Env, s *leaverState) {
				body := scnUserBody(env, "rehire", "", nil)
				body["userName"] = s.UserName
				resp, id := coreCreate(ctx, env, coreUser, body)
				if id == "" {
					env.Warn("%s: POST %s with the deleted leaver's userName answered %s; a deleted User should not block its userName, or a rehire cannot be provisioned. %s",
						cite("7644-3.6-04"), env.Endpoint(coreUser), coreStatus(resp.Status), coreErrorNote(resp))
				}
			}},
		},
	}
}
