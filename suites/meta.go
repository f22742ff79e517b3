package suites

import (
	"fmt"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/spec"
)

// The meta.location of every representation (RFC 7643 §3.1): the URI of the
// resource, on resources and discovery documents alike. Relative URI
// references are a reading the text allows (docs/interpretations.md#i21).
var _ = DescribeSCIM("Resource meta", spec.Area("schema"), spec.Requires(spec.FeatureUsers), spec.Mutating, func(env *Env) {
	// 7643-3.1-17, 7643-2.3.7-02: meta.location is a well-formed URI of the resource; an absolute one is expected.
	It("gives a well-formed absolute URI in meta.location of resources and discovery documents", spec.Req("7643-3.1-17", "7643-2.3.7-02"), spec.MUST,
		func(ctx SpecContext) {
			docs := metaLocationDocs(ctx, env)
			var bad, relative []string
			for _, d := range docs {
				loc, ok := memberString(coreMeta(d.obj), "location")
				if !ok {
					continue
				}
				switch problem, rel := metaLocationProblem(loc); {
				case problem != "":
					bad = append(bad, fmt.Sprintf("%s: meta.location %q %s", d.where, loc, problem))
				case rel:
					relative = append(relative, fmt.Sprintf("%s: %q", d.where, loc))
				}
			}
			if len(relative) > 0 {
				env.Warn("%s: meta.location is a relative reference in %d representation(s); clients and the RFC examples expect an absolute URI a client can use as is (%s): %s",
					cite("7643-3.1-17"), len(relative), interpretation(21), strings.Join(relative, "; "))
			}
			failProblems(cite("7643-2.3.7-02")+": meta.location is a reference, a URI of the resource; these values are not URIs at all:", bad)
		})
})

// metaDoc is one representation whose meta the spec reads.
type metaDoc struct {
	where string
	obj   map[string]any
}

// metaLocationDocs collects the discovery documents and a User (and a Group
// where Groups exist) created for the spec, as created and as read back.
func metaLocationDocs(ctx SpecContext, env *Env) []metaDoc {
	GinkgoHelper()
	spc, _ := getDiscovery(ctx, env, pathServiceProviderConfig, nil, "7643-3.1-17").Object()
	docs := []metaDoc{{"/ServiceProviderConfig", spc}}
	for _, path := range []string{pathResourceTypes, pathSchemas} {
		for i, item := range listDiscovery(ctx, env, path, nil, "7643-3.1-17") {
			docs = append(docs, metaDoc{path + " " + resourceLabel(i, item), item})
		}
	}
	kinds := []string{coreUser}
	if env.Caps.Has(spec.FeatureGroups) {
		kinds = append(kinds, coreGroup)
	}
	for _, rt := range kinds {
		body := coreUserBody(env, "meta-location")
		if rt == coreGroup {
			body = coreGroupBody(env, "meta-location")
		}
		_, created, id := coreMustCreate(ctx, env, rt, body)
		docs = append(docs, metaDoc{"the answer to POST " + env.Endpoint(rt), created},
			metaDoc{"GET " + corePath(env, rt, id), coreGet(ctx, env, rt, id, "7643-3.1-17")})
	}
	return docs
}

// metaLocationProblem judges one meta.location value: problem says why it
// is no URI reference at all; relative reports a reference without scheme
// or host.
func metaLocationProblem(loc string) (problem string, relative bool) {
	if strings.TrimSpace(loc) == "" {
		return "is empty", false
	}
	if strings.ContainsAny(loc, " \t\r\n<>\"{}|\\^`") {
		return "holds characters a URI cannot contain unencoded", false
	}
	u, err := url.Parse(loc)
	if err != nil {
		return fmt.Sprintf("does not parse as a URI (%v)", err), false
	}
	return "", !u.IsAbs()
}
