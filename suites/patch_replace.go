package suites

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The replace operation (RFC 7644 §3.5.2.3) and primary exclusivity
// (§3.5.2). Replacing a value that exists carries no RFC 2119 keyword, so
// those specs are MAY under 7644-3.5.2-01; the SHALL rules are MUST.

func describePatchReplace(env *Env) {
	// 7644-3.5.2-01: replace with a path overwrites a single-valued attribute.
	It("replaces the value of a single-valued attribute", spec.Req("7644-3.5.2-01"), spec.MAY, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, map[string]any{"displayName": "Before"})
		patchOK(ctx, env, u, "7644-3.5.2-01", `a replace of "displayName"`, Op("replace", "displayName", "After"))
		patchExpectText(patchRead(ctx, env, u), "", "displayName", "After", "7644-3.5.2-01",
			`a replace of "displayName" (RFC 7644 §3.5.2.3)`)
	})

	// 7644-3.5.2.3-02: replace of an attribute that has no value adds it.
	It("adds an attribute that has no value, as an add would", spec.Req("7644-3.5.2.3-02"), spec.MUST, func(ctx SpecContext) {
		a := patchTextAttr(env)
		u := patchCreateUser(ctx, env, nil)
		patchOK(ctx, env, u, "7644-3.5.2.3-02", fmt.Sprintf("a replace of %q, which has no value", a), Op("replace", a, "Patchy"))
		patchExpectText(patchRead(ctx, env, u), "", a, "Patchy", "7644-3.5.2.3-02",
			fmt.Sprintf("a replace of %q while it had no value (replace must then act as add)", a))
	})

	// 7644-3.5.2.3-03: replace at a complex attribute sets the given sub-attributes and keeps the others.
	It("merges the given sub-attributes into a complex attribute and keeps the others", spec.Req("7644-3.5.2.3-03"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		before := patchRead(ctx, env, u)
		patchOK(ctx, env, u, "7644-3.5.2.3-03", `a replace of "name" with {"givenName": ...}`,
			Op("replace", "name", map[string]any{"givenName": "Barbara"}))
		after := patchRead(ctx, env, u)
		what := `a replace of "name" with only givenName (sub-attributes not given stay unchanged)`
		patchExpectText(after, "", "name.givenName", "Barbara", "7644-3.5.2.3-03", what)
		patchExpectKept(before, after, "", "name.familyName", "7644-3.5.2.3-03", what)
	})

	// 7644-3.5.2-01: replace of a multi-valued attribute without a filter replaces all its values.
	It("replaces all values of a multi-valued attribute when no filter is given", spec.Req("7644-3.5.2-01"), spec.MAY, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		home := patchEmail(u.Name, "home")
		patchOK(ctx, env, u, "7644-3.5.2-01", `a replace of "emails"`,
			Op("replace", "emails", []any{map[string]any{"value": home, "type": "home"}}))
		patchExpectEmails(patchValues(patchRead(ctx, env, u), "emails"), []string{home}, "7644-3.5.2-01",
			`a replace of "emails" without a filter (the attribute and all its values are replaced, RFC 7644 §3.5.2.3)`)
	})

	// 7644-3.5.2-01: replace without a path replaces each attribute of the value object.
	It("replaces each attribute of the value object when the path is omitted", spec.Req("7644-3.5.2-01"), spec.MAY, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, map[string]any{"displayName": "Before", "title": "Intern"})
		patchOK(ctx, env, u, "7644-3.5.2-01", "a replace without a path",
			Op("replace", "", map[string]any{"displayName": "After", "title": "Engineer"}))
		after := patchRead(ctx, env, u)
		what := `a replace without a path of {"displayName": ..., "title": ...} (RFC 7644 §3.5.2.3)`
		patchExpectText(after, "", "displayName", "After", "7644-3.5.2-01", what)
		patchExpectText(after, "", "title", "Engineer", "7644-3.5.2-01", what)
	})
}

func describePatchReplaceFiltered(env *Env) {
	// 7644-3.5.2.3-04: a valuePath replace changes the sub-attribute of every matching value.
	It("replaces a sub-attribute in every value the value filter selects", spec.Req("7644-3.5.2.3-04"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, map[string]any{"emails": []any{
			map[string]any{"value": "work1." + patchSuffix(env) + "@example.com", "type": "work"},
			map[string]any{"value": "work2." + patchSuffix(env) + "@example.com", "type": "work"},
			map[string]any{"value": "home." + patchSuffix(env) + "@example.com", "type": "home", "display": "Home"},
		}})
		patchOK(ctx, env, u, "7644-3.5.2.3-04", `a replace of emails[type eq "work"].display`,
			Op("replace", `emails[type eq "work"].display`, "Office"))
		emails := patchValues(patchRead(ctx, env, u), "emails")
		var problems []string
		for _, e := range emails {
			typ, _ := memberString(e, "type")
			typ = strings.ToLower(typ)
			v, _ := memberString(e, "value")
			d, _ := member(e, "display")
			switch {
			case typ == "work" && !patchSameText(d, "Office"):
				problems = append(problems, fmt.Sprintf("work email %s has display %s, want \"Office\"", v, patchShow(d)))
			case typ == "home" && !patchSameText(d, "Home"):
				problems = append(problems, fmt.Sprintf("home email %s has display %s, want it unchanged (\"Home\")", v, patchShow(d)))
			}
		}
		if len(patchWithSub(emails, "type", "work")) != 2 {
			problems = append(problems, fmt.Sprintf("the User should hold 2 work emails, it holds %d", len(patchWithSub(emails, "type", "work"))))
		}
		failProblems(cite("7644-3.5.2.3-04")+`: replace of emails[type eq "work"].display must change every work email and no other:`, problems)
	})

	// 7644-3.5.2.3-04: a valuePath replace of the value sub-attribute changes the selected value.
	It("replaces the value sub-attribute of the value the filter selects", spec.Req("7644-3.5.2.3-04"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		next := patchEmail(u.Name, "new")
		patchOK(ctx, env, u, "7644-3.5.2.3-04", `a replace of emails[type eq "work"].value`,
			Op("replace", `emails[type eq "work"].value`, next))
		emails := patchValues(patchRead(ctx, env, u), "emails")
		patchExpectEmails(emails, []string{next}, "7644-3.5.2.3-04", `a replace of emails[type eq "work"].value`)
		if len(patchWithSub(emails, "type", "work")) != 1 {
			Fail(fmt.Sprintf("%s: replacing emails[type eq \"work\"].value must keep the type of the selected value, but the emails are %s.",
				cite("7644-3.5.2.3-04"), quoteJSON(emails)))
		}
	})

	// 7644-3.5.2.3-05: a valuePath replace whose filter matches nothing fails with 400 noTarget.
	It("answers 400 noTarget when the value filter matches nothing and changes nothing", spec.Req("7644-3.5.2.3-05"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		before := patchRead(ctx, env, u)
		resp := env.Patch(ctx, u.Path(), Op("replace", `emails[type eq "other"].value`, patchEmail(u.Name, "other")))
		patchExpectError(env, resp, patchWantError{status: 400, scimType: "noTarget", strict: true, req: "7644-3.5.2.3-05",
			fix: "A replace whose value filter selects no value must fail with 400 and scimType noTarget."})
		patchExpectUnchanged(before, patchRead(ctx, env, u), "7644-3.5.2.3-05", "a failed replace")
	})
}

func describePatchReplaceExtension(env *Env) {
	const urn = scim.SchemaEnterpriseUser

	// 7644-3.5.2-12: replace with a URN-qualified path overwrites an extension attribute.
	It("replaces an enterprise attribute named by its URN-qualified path", spec.Req("7644-3.5.2-12"), spec.MAY, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, map[string]any{urn: map[string]any{"department": "Before"}})
		patchOK(ctx, env, u, "7644-3.5.2-12", "a replace of the enterprise department", Op("replace", urn+":department", "After"))
		patchExpectText(patchRead(ctx, env, u), urn, "department", "After", "7644-3.5.2-12",
			"a replace with the path "+urn+":department")
	})

	// 7644-3.5.2.3-02: replace of manager.value while manager has no value adds it.
	It("adds manager.value through replace when the User has no manager", spec.Req("7644-3.5.2.3-02", "7644-3.5.2-12"), spec.MUST, func(ctx SpecContext) {
		boss := patchCreateUser(ctx, env, nil)
		u := patchCreateUser(ctx, env, nil)
		patchOK(ctx, env, u, "7644-3.5.2.3-02", "a replace of the enterprise manager.value, which has no value",
			Op("replace", urn+":manager.value", boss.ID))
		patchExpectText(patchRead(ctx, env, u), urn, "manager.value", boss.ID, "7644-3.5.2.3-02",
			"a replace with the path "+urn+":manager.value while it had no value (replace must then act as add)")
	})
}

func describePatchPrimary(env *Env) {
	// 7644-3.5.2-13, 7643-2.4-03: making one value primary through a valuePath turns the others off.
	It("sets primary false on the other values when a replace makes one value primary", spec.Req("7644-3.5.2-13", "7643-2.4-03"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, map[string]any{"emails": []any{
			map[string]any{"value": "work." + patchSuffix(env) + "@example.com", "type": "work", "primary": true},
			map[string]any{"value": "home." + patchSuffix(env) + "@example.com", "type": "home"},
		}})
		patchOK(ctx, env, u, "7644-3.5.2-13", `a replace of emails[type eq "home"].primary with true`,
			Op("replace", `emails[type eq "home"].primary`, true))
		patchExpectPrimary(patchValues(patchRead(ctx, env, u), "emails"), "home", `a replace of emails[type eq "home"].primary with true`)
	})

	// 7644-3.5.2-13, 7643-2.4-03: adding a new primary value turns the others off.
	It("sets primary false on the other values when an add brings a new primary value", spec.Req("7644-3.5.2-13", "7643-2.4-03"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, map[string]any{"emails": []any{
			map[string]any{"value": "work." + patchSuffix(env) + "@example.com", "type": "work", "primary": true},
		}})
		patchOK(ctx, env, u, "7644-3.5.2-13", `an add of a primary "emails" value`, Op("add", "emails", []any{
			map[string]any{"value": "home." + patchSuffix(env) + "@example.com", "type": "home", "primary": true},
		}))
		patchExpectPrimary(patchValues(patchRead(ctx, env, u), "emails"), "home", `an add of a home email with primary true`)
	})
}

// patchExpectPrimary requires exactly one primary email: the one of type typ.
func patchExpectPrimary(emails []map[string]any, typ, after string) {
	GinkgoHelper()
	var primaries []string
	for _, e := range emails {
		if patchIsPrimary(e) {
			t, _ := memberString(e, "type")
			primaries = append(primaries, t)
		}
	}
	if len(primaries) == 1 && primaries[0] == typ {
		return
	}
	Fail(fmt.Sprintf("%s: after %s, the primary emails are of types %s; exactly the %s email must be primary, the server sets primary false on every other value (RFC 7643 §2.4: primary true appears at most once).",
		cite("7644-3.5.2-13"), after, quoteJSON(primaries), typ))
}

// patchSuffix is a short unique token for values that need not carry the
// whole run prefix.
func patchSuffix(env *Env) string { return env.Name("p") }
