package suites

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// PATCH against attribute mutability and required attributes (RFC 7644
// §3.5.2, §3.5.2.2; RFC 7643 §2.2, §7). The attributes come from the
// server's own /Schemas where the rule depends on a characteristic the
// server may define differently.

func describePatchMutability(env *Env) {
	// 7644-3.5.2.2-06: removing a required attribute (userName) is refused with 400 mutability.
	It("answers 400 mutability to a remove of the required userName and changes nothing", spec.Req("7644-3.5.2.2-06"), spec.MUST, func(ctx SpecContext) {
		patchRequireRequired(env, scim.SchemaUser, "userName")
		u := patchCreateUser(ctx, env, nil)
		before := patchRead(ctx, env, u)
		resp := env.Patch(ctx, u.Path(), Op("remove", "userName", nil))
		patchExpectError(env, resp, patchWantError{status: 400, scimType: "mutability", strict: true, req: "7644-3.5.2.2-06",
			fix: "A remove that would leave a required attribute unassigned must fail with 400 and scimType mutability."})
		patchExpectUnchanged(before, patchRead(ctx, env, u), "7644-3.5.2.2-06", "a rejected remove of userName")
	})

	// 7644-3.5.2-09, 7643-7-14: a path targeting the readOnly id is refused with 400 mutability.
	It("answers 400 mutability to a replace of the readOnly id and keeps the id", spec.Req("7644-3.5.2-09", "7643-7-14", "7644-3.5.2-06"), spec.MUST, func(ctx SpecContext) {
		u := patchCreateUser(ctx, env, nil)
		before := patchRead(ctx, env, u)
		resp := env.Patch(ctx, u.Path(), Op("replace", "id", "scimconform-not-an-id"))
		patchExpectError(env, resp, patchWantError{status: 400, scimType: "mutability", req: "7644-3.5.2-09",
			fix: `"id" is readOnly (RFC 7643 §3.1); an operation whose path targets it must fail, not be applied or ignored.`})
		after := patchRead(ctx, env, u)
		if got, _ := memberString(after, "id"); got != "" && got != u.ID {
			Fail(fmt.Sprintf("%s: the User's id changed from %q to %q; id is readOnly and must never change.", cite("7643-7-14"), u.ID, got))
		}
		patchExpectUnchanged(before, after, "7644-3.5.2-09", "a rejected replace of id")
	})
}

func describePatchGroupMutability(env *Env) {
	// 7644-3.5.2.2-06: removing the Group displayName, required since erratum 5368, is refused with 400 mutability.
	It("answers 400 mutability to a remove of the required Group displayName", spec.Req("7644-3.5.2.2-06"), spec.MUST, func(ctx SpecContext) {
		patchRequireRequired(env, scim.SchemaGroup, "displayName")
		g := patchCreateGroup(ctx, env)
		before := patchRead(ctx, env, g)
		resp := env.Patch(ctx, g.Path(), Op("remove", "displayName", nil))
		patchExpectError(env, resp, patchWantError{status: 400, scimType: "mutability", strict: true, req: "7644-3.5.2.2-06",
			fix: "The server declares Group displayName required, so a remove of it must fail with 400 and scimType mutability."})
		patchExpectUnchanged(before, patchRead(ctx, env, g), "7644-3.5.2.2-06", "a rejected remove of displayName")
	})

	// 7644-3.5.2.2-06, 7643-7-14: removing the readOnly User groups is refused with 400 mutability.
	It("answers 400 mutability to a remove of the readOnly groups of a User", spec.Req("7644-3.5.2.2-06", "7643-7-14"), spec.MUST, func(ctx SpecContext) {
		patchRequireMutability(env, scim.SchemaUser, "groups", "readOnly")
		u := patchCreateUser(ctx, env, nil)
		g := patchCreateGroup(ctx, env, u.ID)
		resp := env.Patch(ctx, u.Path(), Op("remove", "groups", nil))
		patchExpectError(env, resp, patchWantError{status: 400, scimType: "mutability", strict: true, req: "7644-3.5.2.2-06",
			fix: `User "groups" is readOnly (membership changes through the Group); a remove of it must fail with 400 and scimType mutability.`})
		if n := patchMemberIDs(patchRead(ctx, env, g))[u.ID]; n != 1 {
			Fail(fmt.Sprintf("%s: after the rejected remove of the User's groups, the Group lists the User %d time(s); the membership must be untouched.",
				cite("7644-3.5.2.2-06"), n))
		}
	})

	// 7643-7-17, 7644-3.5.2-09: changing an immutable sub-attribute that has a value is refused with 400 mutability.
	It("answers 400 mutability to a change of an immutable member value", spec.Req("7643-7-17", "7644-3.5.2-09"), spec.MUST, func(ctx SpecContext) {
		patchRequireMutability(env, scim.SchemaGroup, "members.value", "immutable")
		a := patchCreateUser(ctx, env, nil)
		b := patchCreateUser(ctx, env, nil)
		g := patchCreateGroup(ctx, env, a.ID)
		before := patchRead(ctx, env, g)
		resp := env.Patch(ctx, g.Path(), Op("replace", fmt.Sprintf(`members[value eq %q].value`, a.ID), b.ID))
		patchExpectError(env, resp, patchWantError{status: 400, scimType: "mutability", req: "7643-7-17",
			fix: "The server declares members.value immutable; once it has a value a PATCH may not change it (remove and add the member instead)."})
		patchExpectUnchanged(before, patchRead(ctx, env, g), "7643-7-17", "a rejected change of an immutable member value")
	})
}

// patchRequireRequired skips the spec unless the server's schema declares
// the attribute required, or publishes no such schema (then the RFC's
// definition applies).
func patchRequireRequired(env *Env, schemaID, attr string) {
	GinkgoHelper()
	if env.Caps == nil {
		return
	}
	if _, published := env.Caps.Schema(schemaID); !published {
		return
	}
	a, ok := patchSchemaAttr(env, schemaID, attr)
	if !ok || !a.Required {
		Skip(fmt.Sprintf("not applicable: the server's schema %s does not declare %s required", schemaID, attr))
	}
}

// patchRequireMutability skips the spec unless the server's schema gives
// the attribute the mutability want, or publishes no such schema (then the
// RFC's definition applies).
func patchRequireMutability(env *Env, schemaID, attr, want string) {
	GinkgoHelper()
	if env.Caps == nil {
		return
	}
	if _, published := env.Caps.Schema(schemaID); !published {
		return
	}
	a, ok := patchSchemaAttr(env, schemaID, attr)
	if !ok || !strings.EqualFold(a.Mutability, want) {
		Skip(fmt.Sprintf("not applicable: the server's schema %s does not declare %s %s", schemaID, attr, want))
	}
}
