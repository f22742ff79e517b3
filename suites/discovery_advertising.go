package suites

import (
	"fmt"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/spec"
)

// Discovery promises checked against what the server does: required schema
// extensions on real resources, and cursor paging that the
// ServiceProviderConfig should announce. Both only read.
var _ = DescribeSCIM("Discovery promises", spec.Area("discovery"), func(env *Env) {
	// 7643-6-10: a resource type whose extension is marked required serves only resources carrying that extension.
	It("returns the required schema extensions on every listed resource", spec.Req("7643-6-10"), spec.MUST, func(ctx SpecContext) {
		rts := listDiscovery(ctx, env, pathResourceTypes, nil, "7643-6-10")
		checked := 0
		var problems []string
		for i, rt := range rts {
			required := requiredExtensions(rt)
			endpoint, _ := memberString(rt, "endpoint")
			if len(required) == 0 || endpoint == "" {
				continue
			}
			checked++
			list := lqGet(ctx, env, "/"+strings.TrimLeft(endpoint, "/"), url.Values{"count": {"10"}}, "7643-6-10")
			for _, res := range list.Resources {
				for _, urn := range required {
					if !containsFold(schemasOf(res), urn) {
						problems = append(problems, fmt.Sprintf("%s: resource %v lacks required extension %s in \"schemas\"",
							resourceLabel(i, rt), res["id"], urn))
					}
				}
			}
		}
		if checked == 0 {
			Skip("not applicable: no resource type declares a required schema extension")
		}
		failProblems(cite("7643-6-10")+": a schemaExtension marked \"required\": true must be present on every resource of that type; add it to these resources or mark the extension optional:", problems)
	})

	// 9865-4-01: a server that pages with cursors should say so in ServiceProviderConfig "pagination".
	It("advertises cursor paging in the ServiceProviderConfig when it pages with cursors", spec.Req("9865-4-01"), spec.SHOULD,
		spec.Requires(spec.FeatureUsers), func(ctx SpecContext) {
			spc := decodeObject(getDiscovery(ctx, env, pathServiceProviderConfig, nil, "9865-4-01"), "the /ServiceProviderConfig body", "9865-4-01")
			if p, ok := memberObject(spc, "pagination"); ok {
				if on, _ := member(p, "cursor"); on == true {
					env.Info("pagination.cursor is true: cursor paging is advertised")
					return
				}
			}
			// Two probes that only a cursor-paging server answers in kind: a
			// first page that names a next cursor, and a bogus cursor refused
			// with invalidCursor (RFC 9865 §2.1).
			first := env.Get(ctx, env.Endpoint("User"), url.Values{"cursor": {""}, "count": {"1"}})
			if body, err := first.Object(); err == nil && first.Status == 200 {
				if next, ok := memberString(body, "nextCursor"); ok && next != "" {
					Fail(unadvertisedCursor("answers cursor=&count=1 with a nextCursor"))
				}
			}
			bogus := env.Get(ctx, env.Endpoint("User"), url.Values{"cursor": {"scimconform-not-a-cursor"}, "count": {"1"}})
			if e, err := matchers.ParseSCIMError(bogus.Body); bogus.Status == 400 && err == nil && strings.EqualFold(e.ScimType, "invalidCursor") {
				Fail(unadvertisedCursor("refuses a made-up cursor with 400 invalidCursor"))
			}
			env.Info("neither probe showed cursor paging (no nextCursor, no invalidCursor): nothing to advertise")
		})
})

func unadvertisedCursor(evidence string) string {
	return fmt.Sprintf("%s: the server %s, so it pages with cursors, but its ServiceProviderConfig has no \"pagination\" member with \"cursor\": true (RFC 9865 §4). Advertise it so clients can find it.", cite("9865-4-01"), evidence)
}

// requiredExtensions lists the schemaExtensions a resource type marks required.
func requiredExtensions(rt map[string]any) []string {
	exts, _ := memberList(rt, "schemaExtensions")
	if one, ok := memberObject(rt, "schemaExtensions"); ok {
		exts = []any{one}
	}
	var out []string
	for _, e := range exts {
		obj, _ := e.(map[string]any)
		req, _ := member(obj, "required")
		if urn, ok := memberString(obj, "schema"); ok && req == true {
			out = append(out, urn)
		}
	}
	return out
}
