package suites

import (
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/fixtures/dataset"
	"github.com/scimconform/scimconform/internal/spec"
)

func describeFilterExtension(env *Env) {
	// 7644-3.4.2.2-04: URN-qualified extension attributes and their
	// sub-attributes filter like core attributes (RFC 7644 §3.10).
	DescribeTable("returns exactly the users matching the enterprise extension attribute",
		filterBody(env),
		Entry("department eq", filterMatch(), onEnterprise(), "filter-enterprise-department"),
		Entry("DEPARTMENT eq in another case", filterMatch("7644-3.4.2.2-23"), onEnterprise(), "filter-enterprise-department-case"),
		Entry("employeeNumber sw", filterMatch(), onEnterprise(), "filter-enterprise-employeenumber-sw"),
		Entry("employeeNumber gt", filterMatch(), onEnterprise(), "filter-enterprise-employeenumber-gt"),
		Entry("organization ne", filterMatch(), onEnterprise(), "filter-enterprise-organization-ne"),
		Entry("manager.value eq", filterMatch(), onEnterprise(), "filter-enterprise-manager-value"),
		Entry("manager pr", filterMatch(), onEnterprise(), "filter-enterprise-manager-pr"),
		Entry("department and organization", filterMatch(), onEnterprise(), "filter-enterprise-and"),
	)

	// 7644-3.4.2.2-04 with 7643-4.1.2-21: User.groups is derived from Group
	// membership, and filters see it.
	DescribeTable("returns exactly the users matching the derived groups attribute:",
		filterBody(env),
		Entry("groups.value eq a group id", filterMatch("7643-4.1.2-21"), onGroups(), "filter-user-groups-value"),
		Entry("groups pr", filterMatch("7643-4.1.2-21"), onGroups(), "filter-user-groups-pr"),
	)

	// 7644-3.4.2.1-03: meta.resourceType restricts a query to one resource type.
	DescribeTable("returns exactly the resources of the type named by meta.resourceType:",
		filterBody(env),
		Entry("User", filterMatch("7644-3.4.2.1-03"), "filter-resourcetype-user"),
		Entry("Group", filterMatch("7644-3.4.2.1-03"), onGroups(), "filter-resourcetype-group"),
	)

	// 7644-3.4.2.2-24: a client may query by schema URN through "schemas".
	It("returns the users carrying the enterprise extension for a filter on schemas",
		spec.Req("7644-3.4.2.2-24", "7644-3.4.2.2-04"), spec.MAY, onEnterprise(), func(ctx SpecContext) {
			filterExpect(ctx, env, "filter-schemas-enterprise")
		})

	// 7644-3.4.2.1-02, -03: a query at the server root covers every resource
	// type, and meta.resourceType selects one of them. The query is joined
	// to the data set's scope by "and" (7644-3.4.2.2-04): a server ignoring
	// the scope also returns every other Group that exists at that moment.
	It("returns exactly the data set's groups for a root query on meta.resourceType",
		spec.Req("7644-3.4.2.1-02", "7644-3.4.2.1-03", "7644-3.4.2.2-04"), spec.MAY, onGroups(), func(ctx SpecContext) {
			filterExpectRoot(ctx, env)
		})
}

func describeFilterGroups(env *Env) {
	// 7644-3.4.2.2-04: Group filters on displayName and members select exactly
	// the matching groups.
	DescribeTable("returns exactly the groups matching",
		filterBody(env),
		Entry("displayName eq in another case", filterMatch("7644-3.4.2.2-23"), onGroups(), "filter-groups-displayname-eq"),
		Entry("displayName ew", filterMatch(), onGroups(), "filter-groups-displayname-ew"),
		Entry("members.value eq a user id", filterMatch(), onGroups(), "filter-groups-members-value"),
		Entry("members[value eq a user id]", filterMatch("7644-3.4.2.2-14"), onGroups(), "filter-groups-members-valuepath"),
		Entry("members pr", filterMatch(), onGroups(), "filter-groups-members-pr"),
		Entry("not (members pr)", filterMatch("7644-3.4.2.2-18"), onGroups(), "filter-groups-members-not-pr"),
	)
}

// filterExpectRoot queries the server root for the data set's groups. A
// root query is optional (RFC 7644 §3.4.2.1): a server that declines it is
// reported, not failed.
func filterExpectRoot(ctx SpecContext, env *Env) {
	q := datasetQuery("filter-resourcetype-group")
	qs, f := prepareQuery(ctx, env, q)
	var r filterResult
	if qs.Exact(dataset.ResourceGroup, f) {
		r = filterGetPath(ctx, env, "/", qs.combine(f, qs.ScopedGroups("")))
	} else {
		r = filterReduced(ctx, env, qs, "/", f)
	}
	if r.Resp.Status != http.StatusOK {
		Skip(fmt.Sprintf("%sthe server answers a query at the root with %s; root queries are optional (RFC 7644 §3.4.2.1). %s",
			spec.SkipUnsupportedPrefix, statusLine(r.Resp.Status), coreErrorNote(r.Resp)))
	}
	filterExpectKeys(env, qs, q, r)
}

// filterExpectComplexI3 sends emails co "example.com" (docs/interpretations.md#i3)
// and accepts: the value sub-attribute reading (exactly the expected users),
// 400 invalidFilter, or no match. Anything else fails.
func filterExpectComplexI3(ctx SpecContext, env *Env) {
	q := datasetQuery("filter-emails-complex-co")
	qs, f := prepareQuery(ctx, env, q)
	r := filterQuery(ctx, env, qs, q.ResourceType(), f)
	switch {
	case r.Resp.Status == http.StatusBadRequest:
		filterExpectInvalid(r, "7644-3.4.2.2-04")
		env.Info("the server rejects a comparison of the complex attribute emails without a sub-attribute (400 invalidFilter), one of the readings of RFC 7644 §3.4.2.2 (%s)", interpretation(3))
		return
	case r.Resp.Status != http.StatusOK:
		filterExpectOK(r, q)
	case len(r.Resources) == 0:
		env.Info("the server matches nothing for a comparison of the complex attribute emails without a sub-attribute, one of the readings of RFC 7644 §3.4.2.2 (%s)", interpretation(3))
		return
	}
	env.Info("the server reads emails co \"...\" as emails.value co \"...\" (%s)", interpretation(3))
	filterExpectKeys(env, qs, q, r)
}
