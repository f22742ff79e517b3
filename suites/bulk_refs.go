package suites

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// bulkId temporary identifiers (RFC 7644 §3.7.1, §3.7.2): references to a
// resource created in the same request, in data, in an extension and in a
// later operation's path, and circular references.

func describeBulkReferences(env *Env) {
	// 7644-3.7.2-01: a member value "bulkId:x" becomes the id of the User created as x.
	It("replaces a bulkId reference in a Group's members with the id of the User created in the same request",
		spec.Req("7644-3.7.2-01"), spec.MUST, spec.Requires(spec.FeatureGroups), func(ctx SpecContext) {
			user, group := env.Name("bulk-member"), env.Name("bulk-team")
			ops := []bulkOp{
				{Method: http.MethodPost, Path: env.Endpoint("User"), BulkID: "member", Data: bulkUserData(user, user)},
				{Method: http.MethodPost, Path: env.Endpoint("Group"), BulkID: "team",
					Data: bulkGroupData(group, map[string]any{"type": "User", "value": "bulkId:member"})},
			}
			reply := bulkSend(ctx, env, ops, bulkNoLimit, "7644-3.7.2-01")
			userID := bulkCreatedID(reply, ops, "member", "7644-3.7.2-01")
			groupID := bulkCreatedID(reply, ops, "team", "7644-3.7.2-01")
			obj := bulkReadResource(ctx, env, env.Endpoint("Group")+"/"+groupID, "7644-3.7.2-01")
			bulkExpectNoBulkIDs(obj, "7644-3.7.2-01")
			Expect(bulkMemberValues(obj, "members")).To(ContainElement(userID),
				"%s: the Group created with member \"bulkId:member\" must list the id %q of the User created with bulkId \"member\"; its members are %s.",
				cite("7644-3.7.2-01"), userID, quoteJSON(obj["members"]))
		})

	// 7644-3.7.2-01: "bulkId:x" in a later operation's path names the resource created as x.
	It("resolves a bulkId reference in the path of a later operation", spec.Req("7644-3.7.2-01"), spec.MUST, func(ctx SpecContext) {
		user := env.Name("bulk-path")
		ops := []bulkOp{
			{Method: http.MethodPost, Path: env.Endpoint("User"), BulkID: "target", Data: bulkUserData(user, user+" v1")},
			{Method: http.MethodPut, Path: env.Endpoint("User") + "/bulkId:target", Data: bulkUserData(user, user+" replaced by reference")},
		}
		reply := bulkSend(ctx, env, ops, bulkNoLimit, "7644-3.7.2-01")
		id := bulkCreatedID(reply, ops, "target", "7644-3.7.2-01")
		if r := reply.Matched[1]; !r.ok() {
			code := 0
			if r != nil {
				code = r.Code
			}
			Fail(fmt.Sprintf("%s: the PUT of %s/bulkId:target, following the POST with bulkId \"target\", reports status %d; replace \"bulkId:target\" in the path with the id of the resource created, as anywhere else in the request.",
				cite("7644-3.7.2-01"), env.Endpoint("User"), code))
		}
		f := &etagFixture{Path: env.Endpoint("User") + "/" + id, UserName: user}
		etagExpectDisplayName(ctx, env, f, user+" replaced by reference", "7644-3.7.2-01", "a bulk PUT addressed with bulkId:target")
	})

	// 7644-3.7.2-02: "bulkId:x" inside the enterprise extension (manager) is resolved too.
	It("resolves a bulkId reference inside the enterprise extension's manager", spec.Req("7644-3.7.2-02"), spec.MUST,
		spec.Requires(spec.FeatureEnterpriseUser), func(ctx SpecContext) {
			boss, employee := env.Name("bulk-boss"), env.Name("bulk-employee")
			data := bulkUserData(employee, employee)
			data["schemas"] = []any{scim.SchemaUser, scim.SchemaEnterpriseUser}
			data[scim.SchemaEnterpriseUser] = map[string]any{"manager": map[string]any{"value": "bulkId:boss"}}
			ops := []bulkOp{
				{Method: http.MethodPost, Path: env.Endpoint("User"), BulkID: "boss", Data: bulkUserData(boss, boss)},
				{Method: http.MethodPost, Path: env.Endpoint("User"), BulkID: "employee", Data: data},
			}
			reply := bulkSend(ctx, env, ops, bulkNoLimit, "7644-3.7.2-02")
			bossID := bulkCreatedID(reply, ops, "boss", "7644-3.7.2-02")
			empID := bulkCreatedID(reply, ops, "employee", "7644-3.7.2-02")
			obj := bulkReadResource(ctx, env, env.Endpoint("User")+"/"+empID, "7644-3.7.2-02")
			bulkExpectNoBulkIDs(obj, "7644-3.7.2-02")
			ext, _ := memberObject(obj, scim.SchemaEnterpriseUser)
			manager, _ := memberObject(ext, "manager")
			got, _ := memberString(manager, "value")
			Expect(got).To(Equal(bossID), "%s: the User created with manager.value \"bulkId:boss\" must have the manager id %q of the User created with bulkId \"boss\"; the extension is %s.",
				cite("7644-3.7.2-02"), bossID, quoteJSON(ext))
		})

}

func describeBulkCircular(env *Env) {
	// 7644-3.7.1-01: Groups referencing each other are resolved, or the server answers 409.
	It("resolves circular bulkId references between two Groups or answers 409 Conflict", spec.Req("7644-3.7.1-01"), spec.MUST,
		spec.Requires(spec.FeatureGroups), func(ctx SpecContext) {
			bulkRequireNestedGroups(ctx, env)
			a, b := env.Name("bulk-circle-a"), env.Name("bulk-circle-b")
			ops := []bulkOp{
				{Method: http.MethodPost, Path: env.Endpoint("Group"), BulkID: "a", Data: bulkGroupData(a, map[string]any{"type": "Group", "value": "bulkId:b"})},
				{Method: http.MethodPost, Path: env.Endpoint("Group"), BulkID: "b", Data: bulkGroupData(b, map[string]any{"type": "Group", "value": "bulkId:a"})},
			}
			reply := bulkSend(ctx, env, ops, bulkNoLimit, "7644-3.7.1-01", http.StatusConflict)
			if reply.Resp.Status == http.StatusConflict {
				env.Info("the server refused the circular bulk request as a whole with 409 Conflict, which RFC 7644 §3.7.1 allows")
				return
			}
			bulkExpectCircle(ctx, env, reply, ops)
		})
}

// bulkExpectCircle judges the two results of the circular request: both
// created and pointing at each other, or a 409 where the server gave up.
func bulkExpectCircle(ctx context.Context, env *Env, reply *bulkReply, ops []bulkOp) {
	GinkgoHelper()
	conflicts := 0
	for i, o := range ops {
		r := reply.Matched[i]
		switch {
		case r == nil:
			Fail(fmt.Sprintf("%s: the circular bulk request has no result for the Group with bulkId %q.", cite("7644-3.7.1-01"), o.BulkID))
		case r.Code == http.StatusConflict:
			conflicts++
		case !r.ok():
			Fail(fmt.Sprintf("%s: the Group with bulkId %q, part of a circle of references, failed with status %d; the server must resolve the circle, or give up with 409 Conflict.",
				cite("7644-3.7.1-01"), o.BulkID, r.Code))
		}
	}
	for _, o := range ops {
		if id := reply.IDs[o.BulkID]; id != "" {
			bulkExpectNoBulkIDs(bulkReadResource(ctx, env, o.Path+"/"+id, "7644-3.7.1-01"), "7644-3.7.1-01")
		}
	}
	if conflicts > 0 {
		env.Info("the server gave up on the circular references with 409 Conflict for %d of the 2 operations, which RFC 7644 §3.7.1 allows", conflicts)
		return
	}
	idA, idB := bulkCreatedID(reply, ops, "a", "7644-3.7.1-01"), bulkCreatedID(reply, ops, "b", "7644-3.7.1-01")
	for _, pair := range [][2]string{{idA, idB}, {idB, idA}} {
		obj := bulkReadResource(ctx, env, env.Endpoint("Group")+"/"+pair[0], "7644-3.7.1-01")
		Expect(bulkMemberValues(obj, "members")).To(ContainElement(pair[1]),
			"%s: both Groups of the circle were reported created, so each must list the other as member: Group %s has members %s, want %s among them.",
			cite("7644-3.7.1-01"), pair[0], quoteJSON(obj["members"]), pair[1])
	}
	env.Info("the server resolved the circular references: each Group lists the other")
}

// bulkRequireNestedGroups skips the spec (NOT SUPPORTED) when the server
// does not accept a Group as a member of another Group, which the circular
// example of RFC 7644 §3.7.1 needs.
func bulkRequireNestedGroups(ctx context.Context, env *Env) {
	GinkgoHelper()
	endpoint := env.Endpoint("Group")
	inner := env.Name("bulk-nested-inner")
	resp, innerID := env.Create(ctx, endpoint, bulkGroupData(inner))
	if innerID == "" {
		env.setupCreateFailed(endpoint, resp, fmt.Sprintf("the spec needs the Group %q to nest", inner))
	}
	outer := env.Name("bulk-nested-outer")
	_, outerID := env.Create(ctx, endpoint, bulkGroupData(outer, map[string]any{"type": "Group", "value": innerID}))
	if outerID == "" {
		Skip(spec.SkipUnsupportedPrefix + "the server does not accept a Group as a member of another Group, which the circular-reference example of RFC 7644 §3.7.1 needs")
	}
}

// bulkReadResource GETs a resource created by a bulk request.
func bulkReadResource(ctx context.Context, env *Env, path, req string) map[string]any {
	GinkgoHelper()
	f := &etagFixture{Path: path}
	_, obj := etagRead(ctx, env, f, cite(req)+": a resource reported created by a bulk request must be readable")
	return obj
}

// bulkExpectNoBulkIDs fails when a stored resource still holds a "bulkId:"
// reference string anywhere.
func bulkExpectNoBulkIDs(obj map[string]any, req string) {
	GinkgoHelper()
	var found []string
	bulkWalkStrings(obj, "", func(path, s string) {
		if strings.HasPrefix(s, "bulkId:") {
			found = append(found, fmt.Sprintf("%s = %q", path, s))
		}
	})
	failProblems(cite(req)+": the stored resource still holds bulkId references; replace every \"bulkId:x\" with the id of the resource created as x:", found)
}

// bulkWalkStrings calls fn for every string in v with its JSON path.
func bulkWalkStrings(v any, path string, fn func(path, s string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			bulkWalkStrings(e, path+"."+k, fn)
		}
	case []any:
		for i, e := range x {
			bulkWalkStrings(e, fmt.Sprintf("%s[%d]", path, i), fn)
		}
	case string:
		fn(strings.TrimPrefix(path, "."), x)
	}
}

// bulkMemberValues returns the "value" of each element of a multi-valued
// complex attribute (Group members).
func bulkMemberValues(obj map[string]any, attr string) []string {
	list, _ := memberList(obj, attr)
	out := make([]string, 0, len(list))
	for _, it := range list {
		if m, ok := it.(map[string]any); ok {
			if v, ok := memberString(m, "value"); ok {
				out = append(out, v)
			}
		}
	}
	return out
}
