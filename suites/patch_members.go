package suites

import (
	"context"
	"fmt"
	"sort"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/spec"
)

// Group membership through PATCH at the scale PATCH exists for (RFC 7644
// §3.5: large Groups change in part). The container is Ordered only so
// that its 100 Users are created once (BeforeAll, 8 requests in flight);
// every spec makes its own Group and does not depend on another spec.

// patchScale is the number of members the scale specs handle in one PATCH.
const patchScale = 100

// patchWorkers bounds the concurrent creates of the scale specs.
const patchWorkers = 8

func describePatchMembers(env *Env) {
	var users []Resource
	BeforeAll(func(ctx SpecContext) {
		users = patchCreateUsers(ctx, env, patchScale, patchWorkers)
	})
	ids := func(from, to int) []string {
		out := make([]string, 0, to-from)
		for _, u := range users[from:to] {
			out = append(out, u.ID)
		}
		return out
	}

	// 7644-3.5-02: one PATCH adds 100 members to a Group.
	It("adds 100 members in one PATCH", spec.Req("7644-3.5-02", "7644-3.5.2-01"), spec.SHOULD, func(ctx SpecContext) {
		g := patchCreateGroup(ctx, env)
		all := ids(0, patchScale)
		patchOK(ctx, env, g, "7644-3.5-02", fmt.Sprintf("an add of %d members", len(all)), Op("add", "members", patchMemberValues(all...)))
		patchExpectMembers(patchRead(ctx, env, g), all, "7644-3.5-02", fmt.Sprintf("an add of %d members in one PATCH", len(all)))
	})

	// 7644-3.5.2.2-03: a remove with members[value eq "id"] drops that member only.
	It("removes the one member a value filter selects", spec.Req("7644-3.5.2.2-03"), spec.MUST, func(ctx SpecContext) {
		all := ids(0, patchScale)
		g := patchGroupWith(ctx, env, all)
		gone := all[patchScale/2]
		path := fmt.Sprintf("members[value eq %q]", gone)
		patchOK(ctx, env, g, "7644-3.5.2.2-03", "a remove of "+path, Op("remove", path, nil))
		patchExpectMembers(patchRead(ctx, env, g), patchExcept(all, gone), "7644-3.5.2.2-03", "a remove of "+path)
	})

	// 7644-3.5.2.2-03: several filtered removes in one PATCH drop exactly those members.
	It("removes several members selected by value filters in one PATCH", spec.Req("7644-3.5.2.2-03"), spec.MUST, func(ctx SpecContext) {
		all := ids(0, patchScale)
		g := patchGroupWith(ctx, env, all)
		gone := []string{all[0], all[17], all[42], all[63], all[patchScale-1]}
		ops := make([]map[string]any, 0, len(gone))
		for _, id := range gone {
			ops = append(ops, Op("remove", fmt.Sprintf("members[value eq %q]", id), nil))
		}
		patchOK(ctx, env, g, "7644-3.5.2.2-03", fmt.Sprintf("%d removes by value filter", len(gone)), ops...)
		patchExpectMembers(patchRead(ctx, env, g), patchExcept(all, gone...), "7644-3.5.2.2-03",
			fmt.Sprintf("%d removes of members[value eq ...] in one PATCH", len(gone)))
	})

	// 7644-3.5-02: one replace of members swaps the whole member list.
	It("replaces all members with a new list in one PATCH", spec.Req("7644-3.5-02", "7644-3.5.2-01"), spec.SHOULD, func(ctx SpecContext) {
		g := patchGroupWith(ctx, env, ids(0, patchScale/2))
		next := ids(patchScale/2, patchScale)
		patchOK(ctx, env, g, "7644-3.5-02", fmt.Sprintf("a replace of members with %d others", len(next)),
			Op("replace", "members", patchMemberValues(next...)))
		patchExpectMembers(patchRead(ctx, env, g), next, "7644-3.5-02",
			"a replace of members without a filter (the attribute and all its values are replaced, RFC 7644 §3.5.2.3)")
	})

	// 7644-3.5.2.2-02: a remove of "members" without a filter drops every member.
	It("removes every member when the path names members without a filter", spec.Req("7644-3.5.2.2-02"), spec.MUST, func(ctx SpecContext) {
		g := patchGroupWith(ctx, env, ids(0, patchScale))
		patchOK(ctx, env, g, "7644-3.5.2.2-02", `a remove of "members"`, Op("remove", "members", nil))
		patchExpectUnassigned(patchRead(ctx, env, g), "", "members", "7644-3.5.2.2-02", `a remove of "members" without a filter`)
	})

	// 7644-3.5.2.1-04: adding a member the Group already has keeps one membership.
	It("keeps a single membership when an existing member is added again", spec.Req("7644-3.5.2.1-04"), spec.SHOULD, func(ctx SpecContext) {
		members := ids(0, 10)
		g := patchGroupWith(ctx, env, members)
		before := patchRead(ctx, env, g)
		patchOK(ctx, env, g, "7644-3.5.2.1-04", "an add of an existing member", Op("add", "members", patchMemberValues(members[3])))
		after := patchRead(ctx, env, g)
		patchExpectMembers(after, members, "7644-3.5.2.1-04", "an add of a member the Group already has (no change should be made)")
		patchExpectUnchanged(before, after, "7644-3.5.2.1-04", "an add of a member the Group already has")
	})
}

// patchGroupWith creates a Group with the given members and checks that it
// holds them; otherwise the spec cannot be judged (ERROR).
func patchGroupWith(ctx context.Context, env *Env, members []string) Resource {
	GinkgoHelper()
	g := patchCreateGroup(ctx, env, members...)
	got := patchMemberIDs(patchRead(ctx, env, g))
	if len(got) != len(members) {
		FailHarness("a Group created with %d members reads back with %d, so the membership PATCH cannot be judged; the Group suites report it",
			len(members), len(got))
	}
	return g
}

// patchExcept returns ids minus drop.
func patchExcept(ids []string, drop ...string) []string {
	skip := map[string]bool{}
	for _, d := range drop {
		skip[d] = true
	}
	var out []string
	for _, id := range ids {
		if !skip[id] {
			out = append(out, id)
		}
	}
	return out
}

// patchExpectMembers requires the Group to hold exactly the ids, each once.
func patchExpectMembers(doc map[string]any, want []string, req, after string) {
	GinkgoHelper()
	got := patchMemberIDs(doc)
	wanted := map[string]bool{}
	var problems []string
	for _, id := range want {
		wanted[id] = true
		switch n := got[id]; {
		case n == 0:
			problems = append(problems, "missing member "+id)
		case n > 1:
			problems = append(problems, fmt.Sprintf("member %s is listed %d times", id, n))
		}
	}
	var extra []string
	for id := range got {
		if !wanted[id] {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	for _, id := range extra {
		problems = append(problems, "unexpected member "+id)
	}
	failProblems(fmt.Sprintf("%s: after %s, the Group must hold exactly %d members, it holds %d distinct:", cite(req), after, len(want), len(got)), problems)
}

// PATCH of a Group's own attributes and of a few members (RFC 7644 §3.5.2).
func describePatchGroup(env *Env) {
	// 7644-3.5.2-01: replace with a path overwrites the Group displayName.
	It("replaces the displayName of a Group", spec.Req("7644-3.5.2-01"), spec.MAY, func(ctx SpecContext) {
		g := patchCreateGroup(ctx, env)
		next := env.Name("patch-group-renamed")
		patchOK(ctx, env, g, "7644-3.5.2-01", `a replace of the Group "displayName"`, Op("replace", "displayName", next))
		patchExpectText(patchRead(ctx, env, g), "", "displayName", next, "7644-3.5.2-01", `a replace of the Group "displayName"`)
	})

	// 7644-3.5.2-01: add to members appends the new members and keeps the others.
	It("appends members to a Group and keeps the existing members", spec.Req("7644-3.5.2-01"), spec.MAY, func(ctx SpecContext) {
		a, b, c := patchCreateUser(ctx, env, nil), patchCreateUser(ctx, env, nil), patchCreateUser(ctx, env, nil)
		g := patchGroupWith(ctx, env, []string{a.ID})
		patchOK(ctx, env, g, "7644-3.5.2-01", "an add of two members", Op("add", "members", patchMemberValues(b.ID, c.ID)))
		patchExpectMembers(patchRead(ctx, env, g), []string{a.ID, b.ID, c.ID}, "7644-3.5.2-01",
			"an add of two members (an add to a multi-valued attribute appends, RFC 7644 §3.5.2.1)")
	})

	// 7644-3.5.2-01: operations apply in order; one request removes a member and adds another (the RFC's example).
	It("removes one member and adds another in one request", spec.Req("7644-3.5.2-01"), spec.MAY, func(ctx SpecContext) {
		a, b, c := patchCreateUser(ctx, env, nil), patchCreateUser(ctx, env, nil), patchCreateUser(ctx, env, nil)
		g := patchGroupWith(ctx, env, []string{a.ID, b.ID})
		patchOK(ctx, env, g, "7644-3.5.2-01", "a remove of one member followed by an add of another",
			Op("remove", fmt.Sprintf("members[value eq %q]", a.ID), nil),
			Op("add", "members", patchMemberValues(c.ID)))
		patchExpectMembers(patchRead(ctx, env, g), []string{b.ID, c.ID}, "7644-3.5.2-01",
			"a remove of one member and an add of another in one request (operations apply in order, RFC 7644 §3.5.2)")
	})
}
