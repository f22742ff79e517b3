package suites

import (
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/spec"
)

// The PATCH suite: RFC 7644 §3.5.2 with its add (§3.5.2.1), remove
// (§3.5.2.2) and replace (§3.5.2.3) operations. Every spec creates its own
// Users and Groups, sends one PATCH shape and reads the resource back with
// GET to check its real state, not only the PATCH response. Ambiguous
// shapes (docs/interpretations.md I1, I2, I12, I13, I14) accept every
// reading and report what they saw; vendor request shapes are interop
// probes.
var _ = DescribeSCIM("PATCH", spec.Area("patch"), spec.Requires(spec.FeaturePatch), spec.Mutating, func(env *Env) {
	users := spec.Requires(spec.FeatureUsers)
	enterprise := spec.Requires(spec.FeatureUsers, spec.FeatureEnterpriseUser)
	groups := spec.Requires(spec.FeatureUsers, spec.FeatureGroups)

	Context("add on a User", users, func() { describePatchAdd(env) })
	Context("add of a value already present", users, func() { describePatchAddNoOp(env) })
	Context("add with a URN-qualified path", enterprise, func() { describePatchAddExtension(env) })
	Context("replace on a User", users, func() { describePatchReplace(env) })
	Context("replace with a value filter", users, func() { describePatchReplaceFiltered(env) })
	Context("replace with a URN-qualified path", enterprise, func() { describePatchReplaceExtension(env) })
	Context("primary values", users, func() { describePatchPrimary(env) })
	Context("remove on a User", users, func() { describePatchRemove(env) })
	Context("remove with a value filter", users, func() { describePatchRemoveFiltered(env) })
	Context("remove with a URN-qualified path", enterprise, func() { describePatchRemoveExtension(env) })
	Context("invalid operations", users, func() { describePatchErrors(env) })
	Context("mutability", users, func() { describePatchMutability(env) })
	Context("Group mutability", groups, func() { describePatchGroupMutability(env) })
	Context("atomicity", users, func() { describePatchAtomicity(env) })
	Context("responses", users, func() { describePatchResponses(env) })
	Context("meta after a change", users, func() { describePatchMeta(env) })
	Context("on a Group", groups, func() { describePatchGroup(env) })
	Context("Group membership at scale", groups, Ordered, ContinueOnFailure, func() { describePatchMembers(env) })
	Context("interoperability probes", users, func() { describePatchInterop(env) })
	Context("interoperability probes on Groups", groups, func() { describePatchInteropGroups(env) })
})

// Whether a server offers PATCH at all (RFC 7644 §3.5, §3.5.2).
var _ = DescribeSCIM("PATCH support", spec.Area("patch"), spec.Mutating, spec.Requires(spec.FeatureUsers), func(env *Env) {
	// 7644-3.5-02: servers should offer PATCH so that large resources can change in part.
	It("advertises PATCH in the ServiceProviderConfig and applies a PATCH", spec.Req("7644-3.5-02"), spec.SHOULD, func(ctx SpecContext) {
		Expect(env.Caps.Has(spec.FeaturePatch)).To(BeTrue(),
			"%s: the ServiceProviderConfig does not advertise patch.supported true (or the run turned it off); PATCH lets clients change large resources such as Groups without resending them whole. Implement PATCH and advertise it.",
			cite("7644-3.5-02"))
		u := patchCreateUser(ctx, env, map[string]any{"displayName": "Before"})
		patchOK(ctx, env, u, "7644-3.5-02", `a PATCH replacing "displayName"`, Op("replace", "displayName", "Patch Support"))
		patchExpectText(patchRead(ctx, env, u), "", "displayName", "Patch Support", "7644-3.5-02",
			`a replace of "displayName" (PATCH changes a resource in part)`)
	})

	// 7644-3.5.2-01: PATCH is optional; a server without it says so with 501 Not Implemented (RFC 7644 §3.12 Table 8).
	It("answers 501 Not Implemented to PATCH when it does not advertise PATCH", spec.Req("7644-3.5.2-01"), spec.MAY,
		spec.Absent(spec.FeaturePatch), func(ctx SpecContext) {
			u := patchCreateUser(ctx, env, map[string]any{"displayName": "Before"})
			before := patchRead(ctx, env, u)
			resp := env.Patch(ctx, u.Path(), Op("replace", "displayName", "Patch Absent"))
			switch {
			case resp.Status == http.StatusNotImplemented:
				patchExpectUnchanged(before, patchRead(ctx, env, u), "7644-3.5.2-01", "a PATCH refused with 501")
			case resp.Status == http.StatusOK || resp.Status == http.StatusNoContent:
				env.Info("the server applied a PATCH although its ServiceProviderConfig does not advertise patch.supported true; advertise it so clients use it")
				Fail(fmt.Sprintf("%s: PATCH works but is not advertised; set patch.supported to true in /ServiceProviderConfig.", cite("7644-3.5.2-01")))
			default:
				Fail(fmt.Sprintf("%s: a server without PATCH should answer 501 Not Implemented (RFC 7644 §3.12 Table 8), got %s%s.",
					cite("7644-3.5.2-01"), patchStatus(resp.Status), patchErrorNote(resp)))
			}
		})
})
