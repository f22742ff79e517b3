package suites

import (
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The remove operation (RFC 7644 §3.5.2.2).

func describePatchRemove(env *Env) {
	// 7644-3.5.2.2-01: removing a single-valued attribute leaves it unassigned.
	It("unassigns a single-valued attribute", spec.Req("7644-3.5.2.2-01"), spec.MUST, func(ctx SpecContext) {
		a := patchTextAttr(env)
		u := patchCreateUser(ctx, env, map[string]any{a: "Patchy"})
		what := fmt.Sprintf("a remove of %q", a)
		patchOK(ctx, env, u, "7644-3.5.2.2-01", what, Op("remove", a, nil))
		patchExpectUnassigned(patchRead(ctx, env, u), "", a, "7644-3.5.2.2-01", what)
	})

	// 7644-3.5.2.2-01, 7644-3.5.2.2-04: removing a sub-attribute by dotted path unassigns it only.
	It("unassigns a sub-attribute named with dotted notation and keeps its siblings", spec.Req("7644-3.5.2.2-01", "7644-3.5.2.2-04"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, map[string]any{"name": map[string]any{"givenName": "Patch", "middleName": "M", "familyName": "Tester"}})
		before := patchRead(ctx, env, u)
		patchOK(ctx, env, u, "7644-3.5.2.2-04", `a remove of "name.middleName"`, Op("remove", "name.middleName", nil))
		after := patchRead(ctx, env, u)
		patchExpectUnassigned(after, "", "name.middleName", "7644-3.5.2.2-04", `a remove of "name.middleName"`)
		patchExpectKept(before, after, "", "name.givenName", "7644-3.5.2.2-01", `a remove of "name.middleName"`)
		patchExpectKept(before, after, "", "name.familyName", "7644-3.5.2.2-01", `a remove of "name.middleName"`)
	})

	// 7644-3.5.2.2-02: removing a multi-valued attribute without a filter drops all its values.
	It("removes every value of a multi-valued attribute when no filter is given", spec.Req("7644-3.5.2.2-02"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, map[string]any{"emails": []any{
			map[string]any{"value": "work." + patchSuffix(env) + "@example.com", "type": "work"},
			map[string]any{"value": "home." + patchSuffix(env) + "@example.com", "type": "home"},
		}})
		patchOK(ctx, env, u, "7644-3.5.2.2-02", `a remove of "emails"`, Op("remove", "emails", nil))
		patchExpectUnassigned(patchRead(ctx, env, u), "", "emails", "7644-3.5.2.2-02",
			`a remove of "emails" without a filter (the attribute and all its values are removed)`)
	})

}

func describePatchRemoveFiltered(env *Env) {
	// 7644-3.5.2.2-03, 7644-3.5.2.2-05: a filtered remove drops the matching values only.
	It("removes only the values the value filter selects", spec.Req("7644-3.5.2.2-03", "7644-3.5.2.2-05"), spec.MUST, func(ctx SpecContext) {
		work, home := "work."+patchSuffix(env)+"@example.com", "home."+patchSuffix(env)+"@example.com"
		u := patchCreateUser(ctx, env, map[string]any{"emails": []any{
			map[string]any{"value": work, "type": "work"},
			map[string]any{"value": home, "type": "home"},
		}})
		patchOK(ctx, env, u, "7644-3.5.2.2-03", `a remove of emails[type eq "home"]`, Op("remove", `emails[type eq "home"]`, nil))
		patchExpectEmails(patchValues(patchRead(ctx, env, u), "emails"), []string{work}, "7644-3.5.2.2-03",
			`a remove of emails[type eq "home"] (only the values the filter matches are removed)`)
	})

	// 7644-3.5.2.2-03, 7644-3.5.2.2-05: removing the last value leaves the attribute unassigned.
	It("unassigns a multi-valued attribute whose last value a filter removes", spec.Req("7644-3.5.2.2-03", "7644-3.5.2.2-05"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		path := fmt.Sprintf(`emails[value eq %q]`, patchEmail(u.Name, "work"))
		patchOK(ctx, env, u, "7644-3.5.2.2-05", "a remove of the only email by a value filter", Op("remove", path, nil))
		patchExpectUnassigned(patchRead(ctx, env, u), "", "emails", "7644-3.5.2.2-05",
			"a remove of "+path+" (no value remains, so the attribute is unassigned)")
	})

	// 7644-3.5.2.2-04: removing a sub-attribute of the filtered values unassigns it there only.
	It("unassigns a sub-attribute in the values the value filter selects", spec.Req("7644-3.5.2.2-04"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, map[string]any{"emails": []any{
			map[string]any{"value": "work." + patchSuffix(env) + "@example.com", "type": "work", "display": "Office"},
			map[string]any{"value": "home." + patchSuffix(env) + "@example.com", "type": "home", "display": "Home"},
		}})
		patchOK(ctx, env, u, "7644-3.5.2.2-04", `a remove of emails[type eq "work"].display`, Op("remove", `emails[type eq "work"].display`, nil))
		emails := patchValues(patchRead(ctx, env, u), "emails")
		var problems []string
		for _, typ := range []string{"work", "home"} {
			sel := patchWithSub(emails, "type", typ)
			if len(sel) != 1 {
				problems = append(problems, fmt.Sprintf("the User should still hold one %s email, it holds %d", typ, len(sel)))
				continue
			}
			d, _ := member(sel[0], "display")
			if typ == "work" && !patchUnassigned(d) {
				problems = append(problems, fmt.Sprintf("the work email still has display %s; it must be unassigned", patchShow(d)))
			}
			if typ == "home" && !patchSameText(d, "Home") {
				problems = append(problems, fmt.Sprintf("the home email's display is %s; it must stay \"Home\"", patchShow(d)))
			}
		}
		failProblems(cite("7644-3.5.2.2-04")+`: remove of emails[type eq "work"].display must unassign display in the work email and nowhere else:`, problems)
	})

	// 7644-3.5.2.2-03, 7644-3.5.2-15 (docs/interpretations.md#i1): a filter matching nothing either succeeds without change or fails with noTarget.
	It("succeeds without change or answers 400 noTarget when the remove filter matches nothing", spec.Req("7644-3.5.2.2-03", "7644-3.5.2-15"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		before := patchRead(ctx, env, u)
		resp := env.Patch(ctx, u.Path(), Op("remove", `emails[type eq "other"]`, nil))
		switch resp.Status {
		case http.StatusOK, http.StatusNoContent:
			env.Info("the server answered %s to a remove whose filter matches nothing (the §3.5.2.2 example reading, %s)", patchStatus(resp.Status), interpretation(1))
		case http.StatusBadRequest:
			patchExpectError(env, resp, patchWantError{status: 400, scimType: "noTarget", req: "7644-3.5.2.2-03",
				fix: "When such a remove is rejected, Table 9 names scimType noTarget."})
			env.Info("the server answered 400 to a remove whose filter matches nothing (the Table 9 noTarget reading, %s)", interpretation(1))
		default:
			Fail(fmt.Sprintf("%s: a remove whose filter matches nothing must either succeed without change (200/204) or fail with 400 noTarget (%s), got %s%s.",
				cite("7644-3.5.2.2-03"), interpretation(1), patchStatus(resp.Status), patchErrorNote(resp)))
		}
		patchExpectUnchanged(before, patchRead(ctx, env, u), "7644-3.5.2.2-03", "a remove whose filter matches nothing")
	})
}

func describePatchRemoveExtension(env *Env) {
	const urn = scim.SchemaEnterpriseUser

	// 7644-3.5.2.2-01: removing an extension attribute by URN-qualified path unassigns it.
	It("unassigns an enterprise attribute named by its URN-qualified path", spec.Req("7644-3.5.2.2-01"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, map[string]any{urn: map[string]any{"department": "Research", "costCenter": "42"}})
		before := patchRead(ctx, env, u)
		patchOK(ctx, env, u, "7644-3.5.2.2-01", "a remove of the enterprise department", Op("remove", urn+":department", nil))
		after := patchRead(ctx, env, u)
		what := "a remove with the path " + urn + ":department"
		patchExpectUnassigned(after, urn, "department", "7644-3.5.2.2-01", what)
		patchExpectKept(before, after, urn, "costCenter", "7644-3.5.2.2-01", what)
	})

	// 7644-3.5.2.2-01, 7644-3.5.2.2-04: removing manager.value by URN-qualified path unassigns it.
	It("unassigns a sub-attribute of an enterprise attribute named by its URN-qualified path", spec.Req("7644-3.5.2.2-01", "7644-3.5.2.2-04"), spec.MUST, func(ctx SpecContext) {
		boss := patchCreateUser(ctx, env, nil)
		u := patchCreateUser(ctx, env, map[string]any{urn: map[string]any{"department": "Research", "manager": map[string]any{"value": boss.ID}}})
		patchOK(ctx, env, u, "7644-3.5.2.2-04", "a remove of the enterprise manager.value", Op("remove", urn+":manager.value", nil))
		patchExpectUnassigned(patchRead(ctx, env, u), urn, "manager.value", "7644-3.5.2.2-04",
			"a remove with the path "+urn+":manager.value")
	})
}
