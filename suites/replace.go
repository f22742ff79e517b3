package suites

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The replace suite: PUT (RFC 7644 §3.5.1). Every spec reads the result
// back with GET.
var _ = DescribeSCIM("Replace", spec.Area("replace"), spec.Mutating, func(env *Env) {
	Context("PUT /Users/{id}", spec.Requires(spec.FeatureUsers), func() {
		describeReplaceUser(env)
		describeReplaceRules(env)
	})
	Context("PUT /Groups/{id}", spec.Requires(spec.FeatureGroups, spec.FeatureUsers), func() { describeReplaceGroup(env) })
})

// coreUserReplacement builds a PUT body for a User created from created:
// same userName and schemas, every other readWrite value changed, the phone
// numbers left out (docs/interpretations.md#i11) and the id of the URL repeated.
func coreUserReplacement(env *Env, created map[string]any, id string) map[string]any {
	userName, _ := created["userName"].(string)
	local := strings.ToLower(userName)
	body := map[string]any{
		"schemas":     created["schemas"],
		"userName":    userName,
		"name":        map[string]any{"givenName": "Grace", "familyName": "Hopper", "formatted": "Grace Hopper"},
		"displayName": "Grace Hopper " + userName,
		"emails":      []any{map[string]any{"value": local + "@replaced.example.net", "type": "work", "primary": true}},
		"active":      false,
	}
	if _, ok := created[scim.SchemaEnterpriseUser]; ok {
		body[scim.SchemaEnterpriseUser] = map[string]any{"employeeNumber": "R-" + userName, "department": "Replaced"}
	}
	body = corePrune(env, coreUser, body)
	body["id"] = id
	return body
}

// corePut sends PUT and expects success; it returns the response body
// (empty when there is none).
func corePut(ctx SpecContext, env *Env, rtName, id string, body map[string]any, req string) map[string]any {
	GinkgoHelper()
	p := corePath(env, rtName, id)
	resp := env.Put(ctx, p, body)
	Expect(resp).To(matchers.HaveStatus(http.StatusOK, fmt.Sprintf(
		"%s: PUT %s with a complete, valid %s replaces it and answers 200 OK with the resource", cite(req), p, rtName)))
	obj, err := resp.Object()
	if err != nil {
		return map[string]any{}
	}
	return obj
}

func describeReplaceUser(env *Env) {
	// 7644-3.5-01, 7644-3.5.1-04: PUT replaces the readWrite values and GET shows exactly the new ones.
	It("replaces the User's values with PUT and returns the new values on GET", spec.Req("7644-3.5-01", "7644-3.5.1-04"), spec.MUST,
		func(ctx SpecContext) {
			body := coreUserBody(env, "replace")
			_, _, id := coreMustCreate(ctx, env, coreUser, body)
			repl := coreUserReplacement(env, body, id)
			answer := corePut(ctx, env, coreUser, id, repl, "7644-3.5-01")
			got := coreGet(ctx, env, coreUser, id, "7644-3.5.1-04")
			view, ok := coreSchemaView(env, coreUser)
			var problems []string
			if len(answer) > 0 {
				problems = append(problems, prefixAll("PUT answer: ", coreSentProblems(view, ok, repl, answer))...)
			}
			problems = append(problems, prefixAll("GET after PUT: ", coreSentProblems(view, ok, repl, got))...)
			for _, old := range coreValues(body, "emails") {
				for _, now := range coreValues(got, "emails") {
					if strings.EqualFold(old, now) {
						problems = append(problems, fmt.Sprintf("GET after PUT: emails still holds %q although the PUT sent a different list; PUT replaces multi-valued attributes", old))
					}
				}
			}
			failProblems(cite("7644-3.5.1-04")+": the values a PUT supplies replace the stored ones:", problems)
			if _, kept := member(got, "phoneNumbers"); kept {
				env.Info("the PUT left out phoneNumbers and the server kept them (%s: clearing or keeping are both allowed)", interpretation(11))
			} else {
				env.Info("the PUT left out phoneNumbers and the server cleared them (%s)", interpretation(11))
			}
		})

	// 7644-3.5.1-02, 7644-3.2-04: PUT never creates: an unknown id gets 404.
	It("answers 404 to a PUT of an unknown id and creates nothing", spec.Req("7644-3.5.1-02", "7644-3.2-04", "7644-3.12-01"), spec.MUST,
		func(ctx SpecContext) {
			probe := env.Probe(env.Endpoint(coreUser))
			unknown := probe.ID
			body := coreUserBody(env, "put-unknown")
			resp := env.Put(ctx, probe.Path(), body)
			if coreIsSuccess(resp.Status) {
				env.Claim(ctx, env.Endpoint(coreUser), body, resp)
			}
			coreExpectError(resp, http.StatusNotFound, "", fmt.Sprintf(
				"%s: no User has id %s, and PUT only replaces existing resources (ids are issued by the server); answer 404 Not Found and create nothing",
				cite("7644-3.5.1-02"), unknown))
		})
}

// prefixAll prefixes every message.
func prefixAll(prefix string, msgs []string) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = prefix + m
	}
	return out
}

func describeReplaceRules(env *Env) {
	// 7644-3.5.1-11, 7643-7-14: User.groups is readOnly, so groups sent in a PUT change no membership.
	It("ignores readOnly groups sent in a PUT", spec.Req("7644-3.5.1-11", "7643-7-14"), spec.MUST, func(ctx SpecContext) {
		expectReadOnlyGroupsIgnored(ctx, env, func(groups []any) string {
			body := coreUserBody(env, "put-ro-groups")
			_, _, id := coreMustCreate(ctx, env, coreUser, body)
			repl := coreUserReplacement(env, body, id)
			repl["groups"] = groups
			corePut(ctx, env, coreUser, id, repl, "7644-3.5.1-11")
			return id
		}, "7644-3.5.1-11")
	})

	// 7644-3.5.1-11, 7643-3.1-14: meta sent in a PUT is ignored; created stays.
	It("ignores meta sent in a PUT", spec.Req("7644-3.5.1-11", "7643-3.1-14"), spec.MUST, func(ctx SpecContext) {
		body := coreUserBody(env, "put-meta")
		_, created, id := coreMustCreate(ctx, env, coreUser, body)
		repl := coreUserReplacement(env, body, id)
		repl["meta"] = map[string]any{"created": "2001-02-03T04:05:06Z", "resourceType": "ClientType"}
		corePut(ctx, env, coreUser, id, repl, "7644-3.5.1-11")
		got := coreGet(ctx, env, coreUser, id, "7644-3.5.1-11")
		Expect(coreMetaString(got, "resourceType")).NotTo(Equal("ClientType"), "%s: meta is readOnly; the PUT's meta.resourceType was stored", cite("7644-3.5.1-11"))
		before, after := coreMetaString(created, "created"), coreMetaString(got, "created")
		if before != "" {
			Expect(coreSameInstant(before, after)).To(BeTrue(), "%s: meta.created is readOnly and a PUT must not change it: it was %q, after the PUT it is %q",
				cite("7644-3.5.1-11"), before, after)
		}
	})

	// 7643-7-14, 7644-3.5.1-11: meta.created and meta.location are the server's; a PUT leaves both exactly as they were.
	It("keeps meta.created to the exact instant and meta.location unchanged when a PUT replaces the User", spec.Req("7643-7-14", "7644-3.5.1-11"), spec.MUST,
		func(ctx SpecContext) {
			body := coreUserBody(env, "put-keep-meta")
			_, _, id := coreMustCreate(ctx, env, coreUser, body)
			before := coreGet(ctx, env, coreUser, id, "7643-7-14")
			answer := corePut(ctx, env, coreUser, id, coreUserReplacement(env, body, id), "7644-3.5.1-11")
			after := coreGet(ctx, env, coreUser, id, "7643-7-14")
			problems := replaceKeptMetaProblems(env, before, "GET after the PUT", after)
			if len(answer) > 0 {
				problems = append(problems, replaceKeptMetaProblems(env, before, "the PUT answer", answer)...)
			}
			failProblems(cite("7643-7-14")+": meta is readOnly and set by the server; a PUT replaces the client's attributes but must leave meta.created (when the resource was added) and meta.location (its URI) exactly as a GET showed them before (GET before the PUT → after):", problems)
		})

	// 7644-3.14-03: lastModified is the time of the latest change, so a PUT that changes the User moves it forward.
	It("advances meta.lastModified when a PUT changes the User", spec.Req("7644-3.14-03"), spec.MAY, Slow, func(ctx SpecContext) {
		body := coreUserBody(env, "put-lastmod")
		_, _, id := coreMustCreate(ctx, env, coreUser, body)
		was, ok := replaceLastModified(coreGet(ctx, env, coreUser, id, "7644-3.14-03"))
		if !ok {
			Skip("not applicable: the User carries no meta.lastModified the harness can read as a dateTime")
		}
		patchSleep(ctx, patchNoOpWait)
		corePut(ctx, env, coreUser, id, coreUserReplacement(env, body, id), "7644-3.14-03")
		now, _ := replaceLastModified(coreGet(ctx, env, coreUser, id, "7644-3.14-03"))
		Expect(now.After(was)).To(BeTrue(), "%s: a PUT changed displayName, name and emails more than a second after the previous read, but meta.lastModified went from %s to %s; it is the time of the most recent change (RFC 7643 §3.1), so clients syncing by lastModified miss this one",
			cite("7644-3.14-03"), was.Format(time.RFC3339Nano), now.Format(time.RFC3339Nano))
	})

	// 7644-3.5.1-12, 7643-4.1.1-01: a PUT without the required userName is refused and changes nothing.
	It("rejects a PUT that leaves out the required userName", spec.Req("7644-3.5.1-12", "7643-4.1.1-01", "7644-3.12-01"), spec.MUST,
		func(ctx SpecContext) {
			body := coreUserBody(env, "put-required")
			_, _, id := coreMustCreate(ctx, env, coreUser, body)
			repl := coreUserReplacement(env, body, id)
			delete(repl, "userName")
			resp := env.Put(ctx, corePath(env, coreUser, id), repl)
			m := coreExpectError(resp, http.StatusBadRequest, "", cite("7643-4.1.1-01")+
				": userName is REQUIRED, so a PUT replacing the User without it must fail with 400 Bad Request (scimType invalidValue)")
			if st := m.Parsed().ScimType; st != "invalidValue" {
				env.Info("the 400 carries scimType %q; RFC 7644 §3.12 Table 9 suggests invalidValue for a missing required value", st)
			}
			got := coreGet(ctx, env, coreUser, id, "7644-3.5.1-12")
			name, _ := memberString(got, "userName")
			Expect(name).To(Equal(body["userName"]), "%s: the refused PUT must change nothing; userName is now %q", cite("7644-3.5.1-12"), name)
		})

	// 7644-3.5.1-09, 7643-7-17: an immutable attribute that has a value cannot be changed by PUT.
	It("refuses a PUT that changes an immutable attribute", spec.Req("7644-3.5.1-09", "7643-7-17"), spec.MUST, func(ctx SpecContext) {
		expectImmutableEnforced(ctx, env)
	})
}

// replaceKeptMetaProblems compares meta.created (as an instant, to the full
// precision sent) and meta.location (as a URI) of a representation after a
// PUT with those of a GET before it. A value missing before is not judged
// here: the read and schema specs report it.
func replaceKeptMetaProblems(env *Env, before map[string]any, where string, after map[string]any) []string {
	var out []string
	if was := coreMetaString(before, "created"); was != "" {
		now := coreMetaString(after, "created")
		t0, err0 := coreParseTime(was)
		t1, err1 := coreParseTime(now)
		switch {
		case now == "":
			out = append(out, fmt.Sprintf("%s: meta.created %q is gone", where, was))
		case err0 == nil && err1 == nil && !t0.Equal(t1):
			out = append(out, fmt.Sprintf("%s: meta.created %s → %s (moved by %s)", where, was, now, t1.Sub(t0)))
		case err0 != nil || err1 != nil:
			if was != now {
				out = append(out, fmt.Sprintf("%s: meta.created %q → %q", where, was, now))
			}
		}
	}
	base := env.Client.BaseURL()
	if was := coreMetaString(before, "location"); was != "" {
		if now := coreMetaString(after, "location"); !coreSameURI(base, was, now) {
			out = append(out, fmt.Sprintf("%s: meta.location %q → %q", where, was, now))
		}
	}
	return out
}

// replaceLastModified reads meta.lastModified as an instant.
func replaceLastModified(obj map[string]any) (time.Time, bool) {
	t, err := coreParseTime(coreMetaString(obj, "lastModified"))
	return t, err == nil
}

func describeReplaceGroup(env *Env) {
	// 7644-3.5-01, 7644-3.5.1-04: PUT replaces a Group's displayName and members.
	It("replaces the Group's displayName and members with PUT", spec.Req("7644-3.5-01", "7644-3.5.1-04"), spec.MUST, func(ctx SpecContext) {
		ids := coreCreateUsers(ctx, env, "put-member", 2)
		body := coreGroupBody(env, "put-group", ids[0])
		_, _, gid := coreMustCreate(ctx, env, coreGroup, body)
		repl := coreGroupBody(env, "put-group-new", ids[1])
		repl["id"] = gid
		corePut(ctx, env, coreGroup, gid, repl, "7644-3.5-01")
		got := coreGet(ctx, env, coreGroup, gid, "7644-3.5.1-04")
		name, _ := memberString(got, "displayName")
		Expect(name).To(Equal(repl["displayName"]), "%s: the PUT set displayName %q; GET returns %q", cite("7644-3.5.1-04"), repl["displayName"], name)
		expectMembers(got, ids[1:], "7644-3.5.1-04", "a Group whose members a PUT replaced")
	})
}
