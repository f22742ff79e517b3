package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/spec"
)

// Group specs of the create and read areas (RFC 7644 §3.3, RFC 7643 §4.2).

func describeGroupCreate(env *Env) {
	// 7644-3.3-07, 7644-3.3-09, 7644-3.3.1-01, 7643-3.1-02: a Group create answers 201 with Location = meta.location and meta.resourceType Group.
	It("answers 201 Created with Location equal to meta.location and meta.resourceType Group",
		spec.Req("7644-3.3-07", "7644-3.3-09", "7644-3.3.1-01", "7643-3.1-02"), spec.MUST, func(ctx SpecContext) {
			resp, obj, _ := coreCreateSubject(ctx, env, coreGroup, coreGroupBody(env, "group"))
			Expect(resp).To(matchers.HaveStatus(http.StatusCreated, cite("7644-3.3-07")+": POST /Groups with a valid Group must answer 201 Created"))
			expectCreatedLocation(ctx, env, resp, obj)
			want := coreGroup
			if rt, ok := env.Caps.ResourceType(coreGroup); ok && rt.Name != "" {
				want = rt.Name
			}
			failProblems(cite("7644-3.3.1-01")+": the server assigns the Group's meta on create:", coreMetaProblems("the create answer", obj, want))
		})

	// 7644-3.3-01: a Group of 200 members keeps every member.
	It("keeps every member of a Group created with 200 members", spec.Req("7644-3.3-01"), spec.MUST, Slow, spec.Requires(spec.FeatureUsers),
		func(ctx SpecContext) {
			ids := coreCreateUsers(ctx, env, "member", 200)
			_, _, gid := coreCreateSubject(ctx, env, coreGroup, coreGroupBody(env, "big-group", ids...))
			got := coreGet(ctx, env, coreGroup, gid, "7644-3.3-01")
			expectMembers(got, ids, "7644-3.3-01", "a Group created with 200 members")
		})
}

// describeGroupRead declares the read-after-write specs of Groups.
func describeGroupRead(env *Env) {
	// 7644-3.3-01, 7643-2.3.7-02, 7643-2.3.7-05: members come back by value, with a $ref that serves the member.
	It("returns the members of a Group by value, with $ref URIs that serve them", spec.Req("7644-3.3-01", "7643-2.3.7-02", "7643-2.3.7-05"),
		spec.MUST, spec.Requires(spec.FeatureUsers), func(ctx SpecContext) {
			ids := coreCreateUsers(ctx, env, "ref-member", 2)
			body := coreGroupBody(env, "refs", ids...)
			_, _, gid := coreMustCreate(ctx, env, coreGroup, body)
			got := coreGet(ctx, env, coreGroup, gid, "7644-3.3-01")
			name, _ := memberString(got, "displayName")
			Expect(name).To(Equal(body["displayName"]),
				"%s: the Group was created with displayName %q; GET must return it", cite("7644-3.3-01"), body["displayName"])
			expectMembers(got, ids, "7644-3.3-01", "a Group created with two members")
			expectMemberRefs(ctx, env, got, "members", coreUser)
		})
}

// describeUserGroups declares the spec of User.groups (schema area).
func describeUserGroups(env *Env) {
	// 7643-4.1.2-21: with a Group resource type, User.groups lists the Group by id with its URI.
	It("lists a User's Group memberships in User.groups by id and $ref", spec.Req("7643-4.1.2-21"), spec.MUST,
		spec.Requires(spec.FeatureGroups), func(ctx SpecContext) {
			expectUserSchemaAttribute(env, "groups")
			ids := coreCreateUsers(ctx, env, "in-group", 1)
			_, _, gid := coreMustCreate(ctx, env, coreGroup, coreGroupBody(env, "has-user", ids[0]))
			user := coreGet(ctx, env, coreUser, ids[0], "7643-4.1.2-21")
			Expect(coreValues(user, "groups")).To(ContainElement(gid),
				"%s: the User is a member of Group %s, so its groups must list {\"value\": %q, \"$ref\": \".../Groups/%s\"}; found %s",
				cite("7643-4.1.2-21"), gid, gid, gid, corePresent(member(user, "groups")))
			expectMemberRefs(ctx, env, user, "groups", coreGroup)
		})
}

// expectUserSchemaAttribute skips the spec when the published User schema
// does not declare attribute name.
func expectUserSchemaAttribute(env *Env, name string) {
	GinkgoHelper()
	view, ok := coreSchemaView(env, coreUser)
	if !ok {
		return // nothing published: assume the RFC schema
	}
	if _, has := view.Base.Attribute(name); !has {
		Skip(fmt.Sprintf("%sthe published User schema declares no %s attribute", spec.SkipUnsupportedPrefix, name))
	}
}

// coreValues returns the "value" sub-attributes of a multi-valued
// attribute (members, groups).
func coreValues(obj map[string]any, attr string) []string {
	list, _ := memberList(obj, attr)
	out := make([]string, 0, len(list))
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			if v, ok := memberString(m, "value"); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

// expectMembers asserts that a Group's members are exactly ids.
func expectMembers(group map[string]any, ids []string, req, what string) {
	GinkgoHelper()
	got := coreValues(group, "members")
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var missing, extra []string
	seen := map[string]bool{}
	for _, v := range got {
		if !want[v] {
			extra = append(extra, v)
		}
		seen[v] = true
	}
	for _, id := range ids {
		if !seen[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 || len(extra) > 0 {
		sort.Strings(missing)
		sort.Strings(extra)
		Fail(fmt.Sprintf("%s: %s must return exactly those members by value (their ids): %d returned, %d of %d missing %s, unexpected %s",
			cite(req), what, len(got), len(missing), len(ids), quoteJSON(missing), quoteJSON(extra)))
	}
}

// expectMemberRefs checks the $ref of every value of attr: when present it
// must be a URI that serves the referenced resource of type rtName (a
// missing $ref is only noted).
func expectMemberRefs(ctx context.Context, env *Env, obj map[string]any, attr, rtName string) {
	GinkgoHelper()
	list, _ := memberList(obj, attr)
	for i, e := range list {
		m, _ := e.(map[string]any)
		value, _ := memberString(m, "value")
		ref, ok := memberString(m, "$ref")
		if !ok || ref == "" {
			env.Info("%s[%d] (%s) has no $ref; RFC 7643 §4.2/§4.1.2 define it as the member's URI", attr, i, value)
			continue
		}
		trimmed := strings.TrimSuffix(ref, "/")
		Expect(strings.HasSuffix(trimmed, "/"+value) || strings.HasSuffix(trimmed, "/"+url.PathEscape(value))).To(BeTrue(),
			"%s: %s[%d].$ref is %q; it must be the URI of the %s with id %q (ending in %s/%s)", cite("7643-2.3.7-02"), attr, i, ref, rtName, value,
			env.Endpoint(rtName), value)
		if i < 3 {
			if resp := env.GetNamed(ctx, ref, fmt.Sprintf("the $ref of %s[%d]", attr, i)); resp != nil {
				Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf("%s: GET on the reference %s of %s[%d] must return the %s it names",
					cite("7643-2.3.7-05"), ref, attr, i, rtName)))
			}
		}
	}
}
