package suites

import (
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Capability honesty (RFC 7643 §5): the ServiceProviderConfig tells clients
// which optional features exist. A feature it calls unsupported that the
// server uses anyway misleads clients that read it, so such specs run where
// the capability gate would make the feature's own suite NOT SUPPORTED
// (label absent:<feature>) and look for the feature at work.

// expectHonestlyOff judges one "advertised false, observed working" check:
// it reads <feature>.supported of /ServiceProviderConfig and, when that is
// false, fails (WARN at SHOULD) with the evidence observe finds that the
// server uses the feature anyway. A capability that is off only because
// the user overrode it is not the server's statement, so the spec is then
// not applicable.
func expectHonestlyOff(ctx SpecContext, env *Env, feature, req string, observe func(SpecContext) []string) {
	GinkgoHelper()
	spc := decodeObject(getDiscovery(ctx, env, pathServiceProviderConfig, nil, req), "the /ServiceProviderConfig body", req)
	obj, _ := memberObject(spc, feature)
	if on, ok := member(obj, "supported"); !ok || on != false {
		Skip(fmt.Sprintf("not applicable: /ServiceProviderConfig does not say %s.supported false (%s is off by the run's configuration, not by the server)", feature, feature))
	}
	evidence := observe(ctx)
	if len(evidence) == 0 {
		env.Info("%s.supported is false and no response showed %s at work", feature, feature)
		return
	}
	Fail(fmt.Sprintf("%s: /ServiceProviderConfig says %s.supported false, but the server uses %s anyway: %s. Clients trust the advertised value (RFC 7643 §5): advertise true, or stop using it.",
		cite(req), feature, feature, strings.Join(evidence, "; ")))
}

var _ = DescribeSCIM("ETags when not advertised", spec.Area("etag"), spec.Absent(spec.FeatureETag), spec.Requires(spec.FeatureUsers), spec.Mutating, func(env *Env) {
	// 7643-5-16: with etag.supported false, responses carry neither ETag headers nor meta.version.
	It("sends no ETag header and no meta.version while etag.supported is false", spec.Req("7643-5-16"), spec.SHOULD, func(ctx SpecContext) {
		expectHonestlyOff(ctx, env, "etag", "7643-5-16", func(ctx SpecContext) []string {
			body := coreUserBody(env, "etag-off")
			created, id := coreCreate(ctx, env, coreUser, body)
			if id == "" {
				FailHarness("setup: creating a User failed (%s), so this spec cannot look for versions; the create specs report why", coreStatus(created.Status))
			}
			var evidence []string
			for _, a := range []coreAnswer{{"the create answer", created}, {"GET by id", env.Get(ctx, corePath(env, coreUser, id), nil)}} {
				if a.resp.Status == http.StatusOK || a.resp.Status == http.StatusCreated {
					evidence = append(evidence, versionEvidence(a.where, a.resp)...)
				}
			}
			return evidence
		})
	})
})

// versionEvidence describes an ETag header and a meta.version in one answer.
func versionEvidence(where string, resp *scim.Response) []string {
	var out []string
	if h := strings.TrimSpace(resp.Header.Get("ETag")); h != "" {
		out = append(out, fmt.Sprintf("%s carries the ETag header %s", where, h))
	}
	if obj, err := resp.Object(); err == nil {
		if v, ok := etagMetaVersion(obj); ok {
			out = append(out, fmt.Sprintf("%s carries meta.version %s", where, v))
		}
	}
	return out
}
