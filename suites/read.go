package suites

import (
	"fmt"
	"regexp"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/spec"
)

// The read suite: GET by id returns what was written (RFC 7644 §3.3,
// §3.4.1) with the RFC 7643 §3.1 common attributes.
var _ = DescribeSCIM("Read", spec.Area("read"), spec.Mutating, func(env *Env) {
	Context("GET /Users/{id}", spec.Requires(spec.FeatureUsers), func() {
		describeUserRead(env)
		describeReadMeta(env)
	})
	Context("GET /Groups/{id}", spec.Requires(spec.FeatureGroups), func() { describeGroupRead(env) })
})

func describeUserRead(env *Env) {
	// 7644-3.3-01: the stored User holds every readWrite value the create sent; GET by id shows them.
	It("returns the User as it was written, attribute by attribute", spec.Req("7644-3.3-01"), spec.MUST, func(ctx SpecContext) {
		body := coreUserBody(env, "read")
		_, _, id := coreMustCreate(ctx, env, coreUser, body)
		got := coreGet(ctx, env, coreUser, id, "7644-3.3-01")
		view, ok := coreSchemaView(env, coreUser)
		failProblems(cite("7644-3.3-01")+": GET by id must return the values the create stored; these sent values are missing or different:",
			coreSentProblems(view, ok, body, got))
	})

	// 7643-3.1-05, 7643-3.1-07: every representation carries the same non-empty id.
	It("returns the same non-empty id on create, read and query", spec.Req("7643-3.1-05", "7643-3.1-07"), spec.MUST, func(ctx SpecContext) {
		body := coreUserBody(env, "stable-id")
		_, created, id := coreMustCreate(ctx, env, coreUser, body)
		seen := map[string]map[string]any{"the create answer": created}
		seen["GET by id"] = coreGet(ctx, env, coreUser, id, "7643-3.1-05")
		seen["a second GET by id"] = coreGet(ctx, env, coreUser, id, "7643-3.1-05")
		if env.Caps.Has(spec.FeatureFilter) {
			q := coreUserNameFilter(body["userName"].(string))
			if items, err := listResources(env.Get(ctx, env.Endpoint(coreUser), q)); err == nil && len(items) == 1 {
				seen["the query by userName"] = items[0]
			}
		}
		var problems []string
		for _, where := range coreSortedKeys(toAnyMap(seen)) {
			if got, _ := memberString(seen[where], "id"); got != id {
				problems = append(problems, fmt.Sprintf("%s has id %s", where, corePresent(member(seen[where], "id"))))
			}
		}
		failProblems(fmt.Sprintf("RFC 7643 §3.1 (7643-3.1-05, 7643-3.1-07): every representation of a resource carries its id, which never changes; the User was created with id %q but:", id), problems)
	})
}

// toAnyMap widens a map's value type for coreSortedKeys.
func toAnyMap(m map[string]map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// entityTag matches an HTTP entity-tag (RFC 7232 §2.3): an optional W/
// and a quoted opaque string.
var entityTag = regexp.MustCompile(`^(W/)?"[\x21\x23-\x7E\x80-\xFF]*"$`)

func describeReadMeta(env *Env) {
	// 7643-3.1-16: a never-modified resource has lastModified equal to created.
	It("reports meta.lastModified equal to meta.created until the User changes", spec.Req("7643-3.1-16"), spec.MUST, func(ctx SpecContext) {
		_, created, id := coreMustCreate(ctx, env, coreUser, coreUserBody(env, "unmodified"))
		for where, obj := range map[string]map[string]any{"the create answer": created, "GET by id": coreGet(ctx, env, coreUser, id, "7643-3.1-16")} {
			c, lm := coreMetaString(obj, "created"), coreMetaString(obj, "lastModified")
			if c == "" || lm == "" {
				env.Info("%s lacks meta.created or meta.lastModified (the meta spec reports it)", where)
				continue
			}
			Expect(coreSameInstant(c, lm)).To(BeTrue(), "%s: the User was never modified, so %s must report meta.lastModified equal to meta.created; created %q, lastModified %q",
				cite("7643-3.1-16"), where, c, lm)
		}
	})

	// 7643-3.1-17: meta.location equals Content-Location; docs/interpretations.md#i10 makes this informational.
	It("sends a Content-Location equal to meta.location when it sends one", spec.Req("7643-3.1-17"), spec.MUST, func(ctx SpecContext) {
		_, _, id := coreMustCreate(ctx, env, coreUser, coreUserBody(env, "content-location"))
		resp := env.Get(ctx, corePath(env, coreUser, id), nil)
		obj := decodeObject(resp, "the GET body", "7643-3.1-17")
		cl, loc := resp.Header.Get("Content-Location"), coreMetaString(obj, "location")
		switch {
		case cl == "":
			env.Info("GET %s has no Content-Location header; RFC 7643 §3.1 ties meta.location to it, but this is informational (%s)",
				corePath(env, coreUser, id), interpretation(10))
		case !coreSameURI(resp.URL, cl, loc):
			env.Warn("Content-Location is %q but meta.location is %q; RFC 7643 §3.1 (7643-3.1-17) wants them equal (%s: reported, not failed)", cl, loc, interpretation(10))
		}
	})

	// 7643-3.1-18: meta.version, when given, is an entity tag, weak tags prefixed W/.
	It("writes meta.version as an entity tag when it gives one", spec.Req("7643-3.1-18"), spec.MUST, func(ctx SpecContext) {
		_, created, id := coreMustCreate(ctx, env, coreUser, coreUserBody(env, "version"))
		for where, obj := range map[string]map[string]any{"the create answer": created, "GET by id": coreGet(ctx, env, coreUser, id, "7643-3.1-18")} {
			v, ok := member(coreMeta(obj), "version")
			if !ok {
				env.Info("%s has no meta.version (optional)", where)
				continue
			}
			s, _ := v.(string)
			Expect(entityTag.MatchString(s)).To(BeTrue(),
				"%s: %s has meta.version %s; a version is an HTTP entity tag: a quoted string, prefixed W/ when it is not a strong validator (e.g. W/\"3694e05e9dff590\")",
				cite("7643-3.1-18"), where, quoteJSON(v))
		}
	})
}
