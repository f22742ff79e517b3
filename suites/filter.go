package suites

import (
	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/spec"
)

// The filter suite: RFC 7644 §3.4.2.2 over the shared query data set
// (fixtures/dataset). Each spec sends one filter, scoped to the data set,
// and asserts the exact set of resources returned against the hand-written
// expected keys of fixtures/dataset/queries/filter.json. The specs only
// read, but the first one creates the data set: the container is mutating,
// so --read-only leaves the whole suite out.
var _ = DescribeSCIM("Filtering", spec.Area("filter"), ReadsQuerySet, spec.Requires(spec.FeatureFilter, spec.FeatureUsers), spec.Mutating, func(env *Env) {
	Context("on strings whose caseExact is false", func() { describeFilterStrings(env) })
	Context("on Boolean, dateTime and reference attributes", func() { describeFilterTypes(env) })
	Context("on multi-valued and complex attributes", func() { describeFilterMultiValued(env) })
	Context("with logical operators and grouping", func() { describeFilterLogic(env) })
	Context("in the forms that scope a query to a set of resources", func() { describeFilterScoping(env) })
	Context("with caseExact attributes and case-insensitive names", func() { describeFilterCase(env) })
	Context("on extension, derived and meta attributes", func() { describeFilterExtension(env) })
	Context("on Groups", func() { describeFilterGroups(env) })
	Context("results", func() { describeFilterResults(env) })
	Context("invalid filters", func() { describeFilterInvalid(env) })
})

// filterBody is the body of every table that runs one data-set query.
func filterBody(env *Env) func(ctx SpecContext, name string) {
	return func(ctx SpecContext, name string) { filterExpect(ctx, env, name) }
}

// filterMatch labels an entry judged by the exact result set (7644-3.4.2.2-04)
// plus the further requirements it exercises.
func filterMatch(more ...string) Labels {
	return append(spec.Req(append([]string{"7644-3.4.2.2-04"}, more...)...), spec.MUST...)
}

// onGroups gates an entry on a published Group resource type.
func onGroups() Labels { return spec.Requires(spec.FeatureGroups) }

// onEnterprise gates an entry on the enterprise User extension.
func onEnterprise() Labels { return spec.Requires(spec.FeatureEnterpriseUser) }

func describeFilterStrings(env *Env) {
	// 7644-3.4.2.2-04: each operator of Table 3 selects exactly the matching users;
	// 7644-3.4.2.2-23: userName, title and name.* are caseExact false, so case is ignored.
	DescribeTable("returns exactly the users matching",
		filterBody(env),
		Entry("userName eq with the stored case", filterMatch(), "filter-username-eq"),
		Entry("userName eq with another case", filterMatch("7644-3.4.2.2-23", "7643-7-10"), "filter-username-eq-other-case"),
		Entry("userName ne", filterMatch("7644-3.4.2.2-23"), "filter-username-ne"),
		Entry("userName co", filterMatch("7644-3.4.2.2-23"), "filter-username-co"),
		Entry("userName sw", filterMatch("7644-3.4.2.2-23"), "filter-username-sw"),
		Entry("userName ew", filterMatch("7644-3.4.2.2-23"), "filter-username-ew"),
		Entry("userName gt, lexicographically and ignoring case", filterMatch("7644-3.4.2.2-23"), "filter-username-gt"),
		Entry("userName ge", filterMatch("7644-3.4.2.2-23"), "filter-username-ge"),
		Entry("userName lt", filterMatch("7644-3.4.2.2-23"), "filter-username-lt"),
		Entry("userName le", filterMatch("7644-3.4.2.2-23"), "filter-username-le"),
		Entry("title eq", filterMatch("7644-3.4.2.2-23"), "filter-title-eq"),
		Entry("title ne", filterMatch(), "filter-title-ne"),
		Entry("title co", filterMatch(), "filter-title-co"),
		Entry("title sw", filterMatch("7644-3.4.2.2-23"), "filter-title-sw"),
		Entry("title ew", filterMatch("7644-3.4.2.2-23"), "filter-title-ew"),
		Entry("title pr", filterMatch(), "filter-title-pr"),
		Entry("nickName pr, where an empty string is not present", filterMatch(), "filter-nickname-pr"),
		Entry("name.familyName gt", filterMatch("7644-3.4.2.2-23"), "filter-familyname-gt"),
		Entry("name.familyName ge", filterMatch(), "filter-familyname-ge"),
		Entry("name.givenName lt", filterMatch(), "filter-givenname-lt"),
		Entry("name.givenName le", filterMatch("7644-3.4.2.2-23"), "filter-givenname-le"),
	)
}

func describeFilterTypes(env *Env) {
	// 7644-3.4.2.2-04: Boolean, dateTime (chronological, I18: whole seconds UTC)
	// and reference attributes compare by their type.
	DescribeTable("returns exactly the resources matching",
		filterBody(env),
		Entry("active eq true", filterMatch(), "filter-active-eq-true"),
		Entry("active eq false", filterMatch(), "filter-active-eq-false"),
		Entry("active ne true", filterMatch(), "filter-active-ne-true"),
		Entry("meta.lastModified gt an instant between the creation batches", filterMatch(), "filter-lastmodified-gt"),
		Entry("meta.lastModified ge that instant", filterMatch(), "filter-lastmodified-ge"),
		Entry("meta.lastModified lt that instant", filterMatch(), "filter-lastmodified-lt"),
		Entry("meta.lastModified le that instant", filterMatch(), "filter-lastmodified-le"),
		Entry("meta.created gt that instant", filterMatch(), "filter-created-gt"),
		Entry("Group meta.lastModified gt that instant", filterMatch(), onGroups(), "filter-groups-lastmodified-gt"),
		Entry("Group meta.lastModified lt that instant", filterMatch(), onGroups(), "filter-groups-lastmodified-lt"),
		Entry("profileUrl eq, a reference", filterMatch(), "filter-profileurl-eq"),
		Entry("profileUrl sw", filterMatch(), "filter-profileurl-sw"),
		Entry("profileUrl pr", filterMatch(), "filter-profileurl-pr"),
	)
}

func describeFilterMultiValued(env *Env) {
	// 7644-3.4.2.2-04: a sub-attribute of a multi-valued attribute matches when any value does.
	DescribeTable("returns exactly the users matching",
		filterBody(env),
		Entry("emails.type eq, on any value and not only the first", filterMatch(), "filter-emails-type-home"),
		Entry("emails.value ew", filterMatch(), "filter-emails-value-ew"),
		Entry("emails.value co", filterMatch(), "filter-emails-value-co"),
		Entry("emails pr", filterMatch(), "filter-emails-pr"),
		Entry("phoneNumbers.value sw", filterMatch(), "filter-phones-value-sw"),
	)

	// 7644-3.4.2.2-14: the expressions inside [ ] must all hold on one and the same value.
	DescribeTable("applies a value filter to one value at a time:",
		filterBody(env),
		Entry("emails[type eq work and value co @example.com] skips users whose work email and @example.com email differ",
			filterMatch("7644-3.4.2.2-14"), "filter-emails-work-and-domain"),
		Entry("emails[type eq work and primary eq true] skips users whose primary email is not the work one",
			filterMatch("7644-3.4.2.2-14"), "filter-emails-work-primary"),
		Entry("emails[primary eq true]", filterMatch("7644-3.4.2.2-14"), "filter-emails-primary"),
		Entry("emails[type eq home or type eq other]", filterMatch("7644-3.4.2.2-14"), "filter-emails-home-or-other"),
		Entry("emails[not (type eq work)]", filterMatch("7644-3.4.2.2-14"), "filter-emails-not-work"),
		Entry("phoneNumbers[type eq mobile]", filterMatch("7644-3.4.2.2-14"), "filter-phones-mobile"),
	)

	// 7644-3.4.2.2-19 (I3): a complex attribute without a sub-attribute is read
	// as its value sub-attribute, rejected with invalidFilter, or matches nothing.
	It("answers a comparison of a complex attribute without sub-attribute in one of the readings the RFC allows",
		spec.Req("7644-3.4.2.2-04"), spec.MUST, func(ctx SpecContext) { filterExpectComplexI3(ctx, env) })
}

func describeFilterLogic(env *Env) {
	// 7644-3.4.2.2-04, -18: and, or, not and parentheses combine with not before
	// and, and before or.
	DescribeTable("combines expressions:",
		filterBody(env),
		Entry("and requires both operands", filterMatch(), "filter-and"),
		Entry("or accepts either operand", filterMatch(), "filter-or"),
		Entry("and binds tighter than or", filterMatch("7644-3.4.2.2-18"), "filter-precedence"),
		Entry("parentheses make or go first", filterMatch("7644-3.4.2.2-18"), "filter-parentheses"),
		Entry("not negates its expression, attributes without a value included", filterMatch("7644-3.4.2.2-18"), "filter-not"),
		Entry("not binds tighter than and", filterMatch("7644-3.4.2.2-18"), "filter-not-and"),
		Entry("not (emails pr) returns the users without emails", filterMatch("7644-3.4.2.2-18"), "filter-emails-not-pr"),
	)
}

func describeFilterCase(env *Env) {
	// 7644-3.4.2.2-23, 7643-7-10: externalId is caseExact, so case matters.
	DescribeTable("compares caseExact attributes with their case:",
		filterBody(env),
		Entry("externalId eq with the stored case", filterMatch(), "filter-externalid-eq"),
		Entry("externalId eq does not match another case", filterMatch("7644-3.4.2.2-23", "7643-7-10"), "filter-externalid-caseexact-eq"),
		Entry("externalId sw does not match another case", filterMatch("7644-3.4.2.2-23", "7643-7-10"), "filter-externalid-caseexact-sw"),
		Entry("externalId co does not match another case", filterMatch("7644-3.4.2.2-23", "7643-7-10"), "filter-externalid-caseexact-co"),
		Entry("externalId pr", filterMatch(), "filter-externalid-pr"),
		Entry("id eq", filterMatch(), "filter-id-eq"),
		Entry("Group externalId sw does not match another case", filterMatch("7644-3.4.2.2-23", "7643-7-10"), onGroups(), "filter-groups-externalid-caseexact"),
	)

	// 7644-3.4.2.2-17: attribute names and operators are matched case-insensitively.
	DescribeTable("accepts names and operators in any case:",
		filterBody(env),
		Entry("USERNAME EQ", filterMatch("7644-3.4.2.2-17"), "filter-case-attribute-names"),
		Entry("Title CO ... AND ACTIVE eq", filterMatch("7644-3.4.2.2-17"), "filter-case-mixed"),
		Entry("EMAILS[TYPE Eq ... aNd VALUE co ...]", filterMatch("7644-3.4.2.2-17", "7644-3.4.2.2-14"), "filter-case-valuepath"),
		Entry("name.FAMILYNAME eq", filterMatch("7644-3.4.2.2-17"), "filter-case-subattribute"),
	)
}
