package suites

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The auth suite: RFC 7644 §2. The harness holds only valid credentials;
// the client sends none (CredentialsNone) or deliberately wrong ones
// (CredentialsInvalid).
var _ = DescribeSCIM("Authentication", spec.Area("auth-security"), spec.Requires(spec.FeatureUsers), func(env *Env) {
	BeforeEach(func() {
		if !env.Credentialed {
			Skip("the run has no credentials: the target serves anonymous clients, so there is nothing to refuse")
		}
	})
	describeUnauthenticated(env)
})

// authProbe sends one request with the given credentials; a User it
// creates anyway is tracked.
func authProbe(ctx context.Context, env *Env, method string, mode scim.CredentialMode) *scim.Response {
	GinkgoHelper()
	endpoint := env.Endpoint(coreUser)
	req := scim.Request{Method: method, Path: endpoint, Credentials: mode}
	if method == http.MethodPost {
		req.Body = coreUserBody(env, "anonymous")
	}
	if method == http.MethodPost {
		resp, _ := env.CreateRequest(ctx, req)
		return resp
	}
	return env.Do(ctx, req)
}

// authChallengeScheme is the HTTP authentication scheme of the run's own
// credentials ("Bearer", "Basic"), "" when it is not a standard one.
func authChallengeScheme(env *Env) string {
	switch env.Client.AuthScheme() {
	case "bearer", "oauth2":
		return "Bearer"
	case "basic":
		return "Basic"
	}
	return ""
}

// authChallenges reports whether a WWW-Authenticate header value names the
// scheme (case-insensitively, RFC 7235 §2.1), at the start of a challenge.
func authChallenges(values []string, scheme string) bool {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			if f := strings.Fields(part); len(f) > 0 && strings.EqualFold(f[0], scheme) {
				return true
			}
		}
	}
	return false
}

// expectRefused judges the answer to a request without valid credentials:
// 401 passes, 403 is warned about, anything else fails.
func expectRefused(env *Env, resp *scim.Response, what, req string) {
	GinkgoHelper()
	switch {
	case resp.Status == http.StatusUnauthorized:
	case resp.Status == http.StatusForbidden:
		env.Warn("%s got 403 Forbidden; refused, but RFC 7235 §3.1 and RFC 6750 §3.1 call for 401 Unauthorized with a WWW-Authenticate challenge", what)
	case coreIsSuccess(resp.Status):
		Fail(fmt.Sprintf("%s: %s was served (%s): every request must be mapped to an authenticated subject; answer 401 Unauthorized instead",
			cite(req), what, coreStatus(resp.Status)))
	default:
		Fail(fmt.Sprintf("%s: %s got %s; answer 401 Unauthorized with a WWW-Authenticate challenge (RFC 7644 §2, RFC 7235 §3.1)",
			cite(req), what, coreStatus(resp.Status)))
	}
}

func describeUnauthenticated(env *Env) {
	// 7644-2-08: a request without credentials is refused with 401, for reads and writes.
	DescribeTable("refuses a request without credentials:",
		func(ctx SpecContext, method string) {
			resp := authProbe(ctx, env, method, scim.CredentialsNone)
			expectRefused(env, resp, method+" "+env.Endpoint(coreUser)+" without credentials", "7644-2-08")
		},
		Entry("GET", spec.Req("7644-2-08"), spec.MUST, http.MethodGet),
		Entry("POST", spec.Req("7644-2-08"), spec.MUST, spec.Mutating, http.MethodPost),
	)

	// 7644-2-07: a request with wrong credentials is refused with 401, for reads and writes.
	DescribeTable("refuses a request with wrong credentials:",
		func(ctx SpecContext, method string) {
			resp := authProbe(ctx, env, method, scim.CredentialsInvalid)
			expectRefused(env, resp, method+" "+env.Endpoint(coreUser)+" with wrong credentials", "7644-2-07")
		},
		Entry("GET", spec.Req("7644-2-07"), spec.MUST, http.MethodGet),
		Entry("POST", spec.Req("7644-2-07"), spec.MUST, spec.Mutating, http.MethodPost),
	)

	// 7644-2-06: a 401 names the accepted authentication schemes in WWW-Authenticate.
	It("sends a WWW-Authenticate challenge with a 401", spec.Req("7644-2-06"), spec.MUST, func(ctx SpecContext) {
		var seen *scim.Response
		for _, mode := range []scim.CredentialMode{scim.CredentialsNone, scim.CredentialsInvalid} {
			resp := authProbe(ctx, env, http.MethodGet, mode)
			if resp.Status != http.StatusUnauthorized {
				continue
			}
			seen = resp
			challenges := resp.Header.Values("WWW-Authenticate")
			if len(challenges) == 0 {
				Fail(fmt.Sprintf("%s: a 401 answer must carry a WWW-Authenticate header naming the accepted schemes (e.g. Bearer realm=\"scim\"), per RFC 7235 §4.1; it has none",
					cite("7644-2-06")))
			}
			if scheme := authChallengeScheme(env); scheme != "" && !authChallenges(challenges, scheme) {
				env.Warn("the 401 challenges %q, but the server accepts the %s credentials this run authenticates with: a client reading the challenge is sent to the wrong scheme (RFC 7235 §4.1: the challenge names a scheme applicable to the resource)",
					strings.Join(challenges, ", "), scheme)
			}
		}
		if seen == nil {
			Skip("neither a request without credentials nor one with wrong credentials got 401, so there is no challenge to check (the refusal specs report it)")
		}
	})
}
