package suites

import (
	"context"
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/ledger"
	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/spec"
)

// coreUnknownID returns a random UUID (version 4) that names no resource.
func coreUnknownID() string { return ledger.RandomUUID() }

// expectReadOnlyGroupsIgnored checks that User.groups sent by a client
// changes no membership (RFC 7643 §4.1.2: groups is readOnly). write sends
// the User with the given groups value (create or replace, expecting
// success) and returns the User's id. With a Group resource type a real,
// empty Group is named, so that a server checking references has nothing
// to object to.
func expectReadOnlyGroupsIgnored(ctx context.Context, env *Env, write func(groups []any) string, req string) {
	GinkgoHelper()
	view, ok := coreSchemaView(env, coreUser)
	if !ok {
		Skip(spec.SkipUnsupportedPrefix + "the server publishes no User schema, so whether groups is readOnly is unknown")
	}
	a, has := view.Base.Attribute("groups")
	if !has || !coreIs(a.Mutability, "readOnly") {
		Skip(fmt.Sprintf("%sthe published User schema does not declare groups readOnly (groups: %s)", spec.SkipUnsupportedPrefix, corePresent(a.Mutability, has)))
	}
	groupID, display := coreUnknownID(), "no such group"
	if env.Caps.Has(spec.FeatureGroups) {
		body := coreGroupBody(env, "ro-target")
		_, _, groupID = coreMustCreate(ctx, env, coreGroup, body)
		display, _ = body["displayName"].(string)
	}
	id := write([]any{map[string]any{"value": groupID, "display": display}})
	user := coreGet(ctx, env, coreUser, id, req)
	Expect(coreValues(user, "groups")).NotTo(ContainElement(groupID),
		"%s: User.groups is readOnly and must be ignored in a request body, yet the User now lists the Group %s it sent; memberships change only through the Group (RFC 7643 §4.1.2)",
		cite(req), groupID)
	if env.Caps.Has(spec.FeatureGroups) {
		group := coreGet(ctx, env, coreGroup, groupID, req)
		Expect(coreValues(group, "members")).NotTo(ContainElement(id),
			"%s: User.groups is readOnly, yet the Group %s now has the User as a member", cite(req), groupID)
	}
}

// coreImmutableTarget is a singular string attribute a published User
// schema declares immutable: Name in the core schema, or in extension URN.
type coreImmutableTarget struct {
	URN  string
	Name string
}

// findImmutable returns the first immutable singular string attribute of
// the published User schemas.
func findImmutable(v coreView) (coreImmutableTarget, bool) {
	pick := func(s caps.Schema, urn string) (coreImmutableTarget, bool) {
		for _, a := range s.Attributes {
			if coreIs(a.Mutability, "immutable") && !a.MultiValued && coreIs(a.Type, "string") && !coreIsCommon(a.Name) {
				return coreImmutableTarget{URN: urn, Name: a.Name}, true
			}
		}
		return coreImmutableTarget{}, false
	}
	if t, ok := pick(v.Base, ""); ok {
		return t, true
	}
	for _, ext := range v.Exts {
		if t, ok := pick(ext, ext.ID); ok {
			return t, true
		}
	}
	return coreImmutableTarget{}, false
}

// set writes value into body at the target.
func (t coreImmutableTarget) set(body map[string]any, value string) {
	if t.URN == "" {
		body[t.Name] = value
		return
	}
	ext, _ := body[t.URN].(map[string]any)
	if ext == nil {
		ext = map[string]any{}
		body["schemas"] = append(append([]any{}, body["schemas"].([]any)...), t.URN)
	}
	ext[t.Name] = value
	body[t.URN] = ext
}

// get reads the target's value from a representation.
func (t coreImmutableTarget) get(obj map[string]any) string {
	if t.URN == "" {
		s, _ := memberString(obj, t.Name)
		return s
	}
	ext, _ := memberObject(obj, t.URN)
	s, _ := memberString(ext, t.Name)
	return s
}

// expectImmutableEnforced sets an immutable attribute on create, tries to
// change it with PUT and checks the value stays (RFC 7644 §3.5.1).
func expectImmutableEnforced(ctx SpecContext, env *Env) {
	GinkgoHelper()
	view, ok := coreSchemaView(env, coreUser)
	target, found := findImmutable(view)
	if !ok || !found {
		Skip(spec.SkipUnsupportedPrefix + "the published User schemas declare no singular immutable string attribute to test")
	}
	body := coreUserBody(env, "immutable")
	first := "first-" + env.Name("immutable")
	target.set(body, first)
	_, _, id := coreMustCreate(ctx, env, coreUser, body)
	if got := target.get(coreGet(ctx, env, coreUser, id, "7644-3.5.1-09")); got != first {
		Skip(fmt.Sprintf("the server did not store the immutable attribute %s on create (it reads %q), so there is no value to protect", target.Name, got))
	}
	repl := coreUserReplacement(env, body, id)
	target.set(repl, "second-"+env.Name("immutable"))
	resp := env.Put(ctx, corePath(env, coreUser, id), repl)
	after := target.get(coreGet(ctx, env, coreUser, id, "7644-3.5.1-09"))
	Expect(after).To(Equal(first), "%s: %s is immutable and already set to %q; a PUT with a different value must fail (400, scimType mutability) and leave it, but it now reads %q",
		cite("7644-3.5.1-09"), target.Name, first, after)
	switch {
	case resp.Status == http.StatusBadRequest:
		if e, err := matchers.ParseSCIMError(resp.Body); err == nil && e.ScimType != "mutability" {
			env.Warn("the refused PUT carries scimType %q; RFC 7644 §3.5.1 asks for \"mutability\"", e.ScimType)
		}
	case coreIsSuccess(resp.Status):
		env.Warn("the PUT changing immutable %s succeeded (%s) and silently kept the old value; RFC 7644 §3.5.1 asks for 400 with scimType mutability",
			target.Name, coreStatus(resp.Status))
	default:
		Fail(fmt.Sprintf("%s: a PUT changing immutable %s should fail with 400 (scimType mutability); got %s", cite("7644-3.5.1-09"), target.Name, coreStatus(resp.Status)))
	}
}
