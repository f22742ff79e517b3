package suites

import (
	"context"
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The tenant isolation suite (area auth-security: isolation is the access
// control policy of RFC 7644 §2; every spec cites 7644-2-07 and 7644-6.1-01,
// tenancy inferred from the credential): RFC 7644 §6 (multi-tenancy, optional) and §2
// (every authenticated client is mapped to an access control policy). It
// runs only when the config gives a credential of a second tenant
// (tenants:); the user asserts the two credentials belong to different
// tenants, so the server's policy must keep each out of the other's
// resources (interpretation I22). Tenant A is the run's main credential,
// tenant B env.Tenant. Every resource is created by the run in A (so the
// ledger owns it and lets B's client send writes to it) and read back
// through A afterwards: a refused write must also have changed nothing.
var _ = DescribeSCIM("Tenant isolation", spec.Area("auth-security"), spec.Requires(spec.FeatureTenants, spec.FeatureUsers), spec.Mutating,
	func(env *Env) {
		BeforeEach(func() {
			if env.Tenant == nil {
				Skip(spec.SkipUnsupportedPrefix + "no second credential: add a tenants: entry to the config file")
			}
		})
		Context("a User of tenant A, from tenant B", func() { describeTenantIsolation(env) })
		Context("a User of tenant A, in tenant B's writes", func() { describeTenantWrites(env) })
	})

func describeTenantIsolation(env *Env) {
	// 7644-2-07: B's policy does not reach A's resources; a read by id is refused.
	It("answers 404 or 403 to tenant B's GET of tenant A's User", spec.Req("7644-2-07", "7644-6.1-01"), spec.MUST, func(ctx SpecContext) {
		_, _, id := coreMustCreate(ctx, env, coreUser, coreUserBody(env, "tenant-read"))
		resp := env.Tenant.Get(ctx, corePath(env, coreUser, id), nil)
		expectTenantRefused(resp, "GET", corePath(env, coreUser, id))
	})

	// 7644-2-07: B's queries do not find A's resources.
	It("leaves tenant A's User out of tenant B's filtered queries", spec.Req("7644-2-07", "7644-6.1-01"), spec.MUST, spec.Requires(spec.FeatureFilter),
		func(ctx SpecContext) {
			body := coreUserBody(env, "tenant-list")
			_, _, id := coreMustCreate(ctx, env, coreUser, body)
			name := body["userName"].(string)
			resp := env.Tenant.Get(ctx, env.Endpoint(coreUser), coreUserNameFilter(name))
			if resp.Status == http.StatusForbidden || resp.Status == http.StatusNotFound {
				return // B may not query at all: nothing leaks
			}
			ids := tenantListedIDs(resp)
			Expect(ids).NotTo(ContainElement(id), "%s: tenant B's query userName eq %q returned tenant A's User %s; a query answers only with the resources of the caller's tenant (%s)",
				cite("7644-2-07"), name, id, interpretation(22))
		})

	// 7643-7-23: server uniqueness holds within one tenant; the same userName may exist in another.
	It("accepts in tenant B a User with the userName of a User of tenant A", spec.Req("7643-7-23", "7644-6.1-01"), spec.SHOULD,
		func(ctx SpecContext) {
			body := coreUserBody(env, "tenant-same")
			coreMustCreate(ctx, env, coreUser, body)
			again := coreUserBody(env.Tenant, "tenant-same")
			again["userName"] = body["userName"]
			resp, id := env.Tenant.Create(ctx, env.Endpoint(coreUser), again)
			Expect(id).NotTo(BeEmpty(), "%s: tenant B could not create a User with userName %q, which exists only in tenant A (%s); uniqueness of userName is scoped to the endpoint or tenancy, so the other tenant's User should not conflict. %s",
				cite("7643-7-23"), body["userName"], coreStatus(resp.Status), coreErrorNote(resp))
		})
}

func describeTenantWrites(env *Env) {
	// 7644-2-07, 7644-3.5.1-02: B's PUT of A's User is refused, changes nothing and creates nothing.
	It("refuses tenant B's PUT of tenant A's User and leaves it unchanged", spec.Req("7644-2-07", "7644-6.1-01", "7644-3.5.1-02"), spec.MUST, func(ctx SpecContext) {
		body := coreUserBody(env, "tenant-put")
		_, _, id := coreMustCreate(ctx, env, coreUser, body)
		before := coreGet(ctx, env, coreUser, id, "7644-2-07")
		changed := coreUserBody(env, "tenant-put-b")
		changed["userName"] = body["userName"]
		resp := env.Tenant.Put(ctx, corePath(env, coreUser, id), changed)
		Expect(resp.Status).NotTo(Equal(http.StatusCreated), "%s: tenant B's PUT %s answered 201 Created: a PUT replaces an existing resource and never creates one; to tenant B this id names nothing, so answer 404",
			cite("7644-3.5.1-02"), corePath(env, coreUser, id))
		expectTenantRefused(resp, "PUT", corePath(env, coreUser, id))
		expectTenantUnchanged(ctx, env, id, before)
	})

	// 7644-2-07: B's PATCH of A's User is refused and changes nothing.
	It("refuses tenant B's PATCH of tenant A's User and leaves it unchanged", spec.Req("7644-2-07", "7644-6.1-01"), spec.MUST, spec.Requires(spec.FeaturePatch),
		func(ctx SpecContext) {
			_, _, id := coreMustCreate(ctx, env, coreUser, coreUserBody(env, "tenant-patch"))
			before := coreGet(ctx, env, coreUser, id, "7644-2-07")
			resp := env.Tenant.Patch(ctx, corePath(env, coreUser, id), Op("replace", "displayName", env.Name("tenant-patched")))
			expectTenantRefused(resp, "PATCH", corePath(env, coreUser, id))
			expectTenantUnchanged(ctx, env, id, before)
		})

	// 7644-2-07: B's DELETE of A's User is refused; the User stays.
	It("refuses tenant B's DELETE of tenant A's User and keeps it", spec.Req("7644-2-07", "7644-6.1-01"), spec.MUST, func(ctx SpecContext) {
		_, _, id := coreMustCreate(ctx, env, coreUser, coreUserBody(env, "tenant-delete"))
		before := coreGet(ctx, env, coreUser, id, "7644-2-07")
		resp := env.Tenant.Delete(ctx, corePath(env, coreUser, id))
		expectTenantRefused(resp, "DELETE", corePath(env, coreUser, id))
		expectTenantUnchanged(ctx, env, id, before)
	})

	// 7644-2-07: a Group of B cannot take A's User as a member.
	It("keeps tenant A's User out of the members of a Group of tenant B", spec.Req("7644-2-07", "7644-6.1-01"), spec.MUST, spec.Requires(spec.FeatureGroups),
		func(ctx SpecContext) {
			_, _, id := coreMustCreate(ctx, env, coreUser, coreUserBody(env, "tenant-member"))
			before := coreGet(ctx, env, coreUser, id, "7644-2-07")
			resp, gid := env.Tenant.Create(ctx, env.Endpoint(coreGroup), coreGroupBody(env.Tenant, "tenant-group", id))
			if gid != "" {
				group := coreGet(ctx, env.Tenant, coreGroup, gid, "7644-2-07")
				Expect(bulkMemberValues(group, "members")).NotTo(ContainElement(id), "%s: tenant B created Group %s with tenant A's User %s as a member; a reference to a resource of another tenant is refused (400) or dropped (%s)",
					cite("7644-2-07"), gid, id, interpretation(22))
			} else {
				Expect(coreIsSuccess(resp.Status)).To(BeFalse())
			}
			expectTenantUnchanged(ctx, env, id, before)
		})

	// 7644-2-07, 7644-3.5.1-02: Bulk operations of B naming A's User are refused, each one (a PUT creates nothing either).
	It("refuses tenant B's Bulk PUT, PATCH and DELETE of tenant A's User and leaves it unchanged", spec.Req("7644-2-07", "7644-6.1-01", "7644-3.5.1-02"), spec.MUST,
		spec.Requires(spec.FeatureBulk, spec.FeaturePatch), func(ctx SpecContext) {
			body := coreUserBody(env, "tenant-bulk")
			_, _, id := coreMustCreate(ctx, env, coreUser, body)
			before := coreGet(ctx, env, coreUser, id, "7644-2-07")
			changed := coreUserBody(env, "tenant-bulk-b")
			changed["userName"] = body["userName"]
			path := corePath(env, coreUser, id)
			resp := env.Tenant.Post(ctx, "/Bulk", tenantBulk(path, changed))
			expectTenantBulkRefused(resp, path)
			expectTenantUnchanged(ctx, env, id, before)
		})
}

// expectTenantRefused fails unless tenant B's request was refused with 404
// or 403 (any 2xx means B reached A's resource).
func expectTenantRefused(resp *scim.Response, method, path string) {
	GinkgoHelper()
	Expect(resp.Status).To(Or(Equal(http.StatusNotFound), Equal(http.StatusForbidden)),
		"%s: tenant B's %s %s names a resource of tenant A and answered %s; the other tenant's resources do not exist for this credential: answer 404 (or 403) and change nothing (%s)",
		cite("7644-2-07"), method, path, coreStatus(resp.Status), interpretation(22))
}

// expectTenantUnchanged reads the User through tenant A and fails when its
// version or content differs from before.
func expectTenantUnchanged(ctx context.Context, env *Env, id string, before map[string]any) {
	GinkgoHelper()
	after := coreGet(ctx, env, coreUser, id, "7644-2-07")
	changed := []string{}
	for _, k := range []string{"userName", "displayName", "active", "name", "emails"} {
		if fmt.Sprint(before[k]) != fmt.Sprint(after[k]) {
			changed = append(changed, fmt.Sprintf("%s %v -> %v", k, before[k], after[k]))
		}
	}
	if v0, v1 := coreMetaString(before, "version"), coreMetaString(after, "version"); v0 != v1 {
		changed = append(changed, fmt.Sprintf("meta.version %s -> %s", v0, v1))
	}
	Expect(changed).To(BeEmpty(), "%s: tenant A's User %s changed after tenant B's request: %v; a request of another tenant must not touch it (%s)",
		cite("7644-2-07"), id, changed, interpretation(22))
}

// tenantBulk is a BulkRequest of PUT, PATCH and DELETE of one path.
func tenantBulk(path string, data map[string]any) map[string]any {
	return map[string]any{
		"schemas": []any{scim.MessageBulkRequest},
		"Operations": []any{
			map[string]any{"method": "PUT", "path": path, "data": data},
			map[string]any{"method": "PATCH", "path": path, "data": PatchOp(Op("replace", "displayName", "tenant-b-bulk"))},
			map[string]any{"method": "DELETE", "path": path},
		},
	}
}

// expectTenantBulkRefused accepts a refusal of the whole request (4xx) or a
// BulkResponse whose every operation failed; any operation with a 2xx
// status reached tenant A's resource.
func expectTenantBulkRefused(resp *scim.Response, path string) {
	GinkgoHelper()
	if resp.Status >= 400 && resp.Status < 500 {
		return
	}
	obj := decodeObject(resp, "the BulkResponse", "7644-2-07")
	ops, _ := scim.Member(obj, "Operations").([]any)
	var reached []string
	for _, o := range ops {
		op, _ := o.(map[string]any)
		status := fmt.Sprint(scim.Member(op, "status"))
		if len(status) >= 1 && status[0] == '2' {
			reached = append(reached, fmt.Sprintf("%v %s", scim.Member(op, "method"), status))
		}
	}
	Expect(reached).To(BeEmpty(), "%s: tenant B's Bulk request names %s, a resource of tenant A, and these operations succeeded: %v; each must fail with 404 (or 403), and a PUT never creates a resource (%s) (%s)",
		cite("7644-2-07"), path, reached, cite("7644-3.5.1-02"), interpretation(22))
}

// tenantListedIDs returns the ids of a ListResponse's Resources.
func tenantListedIDs(resp *scim.Response) []string {
	obj, err := resp.Object()
	if err != nil {
		return nil
	}
	list, _ := scim.Member(obj, "Resources").([]any)
	var ids []string
	for _, r := range list {
		if m, ok := r.(map[string]any); ok {
			if id, ok := scim.Member(m, "id").(string); ok {
				ids = append(ids, id)
			}
		}
	}
	return ids
}
