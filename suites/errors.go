package suites

import (
	"context"
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// The errors suite: RFC 7644 §3.12. Each entry provokes one error and
// checks the Error body; the other suites check the body of the errors
// they provoke too (coreExpectError).
var _ = DescribeSCIM("Errors", spec.Area("errors"), func(env *Env) {
	describeErrorBodies(env)
	describeErrorTypes(env)
})

// coreMalformedJSON is a request body that is not JSON.
const coreMalformedJSON = `{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "broken",`

// errorProbe provokes one error answer; it returns nil to skip the entry.
type errorProbe func(ctx context.Context, env *Env) *scim.Response

// errorEntryReqs are the requirements every error-body entry checks.
func errorEntryReqs() Labels {
	return spec.Req("7644-3.12-01", "7644-3.12-02", "7644-3.2-05", "7644-3.1-02")
}

func describeErrorBodies(env *Env) {
	// 7644-3.12-01, 7644-3.12-02, 7644-3.2-05, 7644-3.1-02: every error has a SCIM Error body whose status repeats the HTTP status.
	DescribeTable("answers with a SCIM Error body whose status repeats the HTTP status:",
		func(ctx SpecContext, status int, probe errorProbe) {
			resp := probe(ctx, env)
			m := coreExpectError(resp, status, "", fmt.Sprintf("%s: the request provokes a %s; report it with that HTTP status and a SCIM Error body",
				cite("7644-3.2-05"), coreStatus(status)))
			if m.StatusWasInteger() {
				env.Warn("the Error body's status is the JSON number %s; RFC 7644 §3.12 (7644-3.12-02) asks for a string such as \"%d\" (%s: many servers send a number)",
					m.Parsed().Status, status, interpretation(8))
			}
		},
		Entry("a GET of an unknown User id", errorEntryReqs(), spec.MUST, spec.Requires(spec.FeatureUsers), http.StatusNotFound,
			errorProbe(func(ctx context.Context, env *Env) *scim.Response {
				return env.Get(ctx, corePath(env, coreUser, coreUnknownID()), nil)
			})),
		Entry("a GET of an unknown Group id", errorEntryReqs(), spec.MUST, spec.Requires(spec.FeatureGroups), http.StatusNotFound,
			errorProbe(func(ctx context.Context, env *Env) *scim.Response {
				return env.Get(ctx, corePath(env, coreGroup, coreUnknownID()), nil)
			})),
		Entry("a DELETE of an unknown User id", errorEntryReqs(), spec.MUST, spec.Requires(spec.FeatureUsers), spec.Mutating, http.StatusNotFound,
			errorProbe(func(ctx context.Context, env *Env) *scim.Response {
				return env.Delete(ctx, env.Probe(env.Endpoint(coreUser)).Path())
			})),
		Entry("a PATCH of an unknown User id", errorEntryReqs(), spec.MUST, spec.Requires(spec.FeatureUsers, spec.FeaturePatch), spec.Mutating,
			http.StatusNotFound, errorProbe(func(ctx context.Context, env *Env) *scim.Response {
				return env.Patch(ctx, env.Probe(env.Endpoint(coreUser)).Path(), Op("replace", "displayName", "nobody"))
			})),
		Entry("a POST of malformed JSON", errorEntryReqs(), spec.MUST, spec.Requires(spec.FeatureUsers), spec.Mutating, http.StatusBadRequest,
			errorProbe(postMalformed)),
		Entry("a request with wrong credentials", errorEntryReqs(), spec.MUST, http.StatusUnauthorized,
			errorProbe(func(ctx context.Context, env *Env) *scim.Response {
				if !env.Credentialed {
					Skip("the run has no credentials, so the harness cannot send wrong ones")
				}
				resp := env.Do(ctx, scim.Request{Method: http.MethodGet, Path: env.Endpoint(coreUser), Credentials: scim.CredentialsInvalid})
				if resp.Status != http.StatusUnauthorized {
					Skip(fmt.Sprintf("wrong credentials got %s, not 401; the auth specs judge that", coreStatus(resp.Status)))
				}
				return resp
			})),
	)
}

// postMalformed POSTs a body that is not JSON to /Users; if the server
// creates something anyway it is tracked.
func postMalformed(ctx context.Context, env *Env) *scim.Response {
	resp, _ := env.CreateRequest(ctx, scim.Request{Method: http.MethodPost, Path: env.Endpoint(coreUser), RawBody: []byte(coreMalformedJSON)})
	return resp
}

func describeErrorTypes(env *Env) {
	// 7644-3.12-05, 7644-3.12-03: malformed JSON gets 400 with scimType invalidSyntax (Table 9).
	It("uses scimType invalidSyntax for a body that is not JSON", spec.Req("7644-3.12-05", "7644-3.12-03"), spec.SHOULD,
		spec.Requires(spec.FeatureUsers), spec.Mutating, func(ctx SpecContext) {
			resp := postMalformed(ctx, env)
			expectSCIMError(resp, matchers.HaveSCIMError(http.StatusBadRequest, "invalidSyntax"),
				"%s: a request body the server cannot parse is answered 400 with scimType invalidSyntax (RFC 7644 §3.12 Table 9)", cite("7644-3.12-05"))
		})

	// 7644-3.12-05, 7644-3.12-03: a value of the wrong JSON type gets 400 with scimType invalidValue (Table 9).
	It("refuses an attribute value of the wrong JSON type with 400 invalidValue", spec.Req("7644-3.12-05", "7644-3.12-03"), spec.SHOULD,
		spec.Requires(spec.FeatureUsers), spec.Mutating, func(ctx SpecContext) {
			body := coreUserBody(env, "wrong-type")
			attr, bad := wrongTypeValue(env)
			body[attr] = bad
			resp, _ := coreCreate(ctx, env, coreUser, body)
			expectSCIMError(resp, matchers.HaveSCIMError(http.StatusBadRequest, "invalidValue"),
				"%s: %s is sent as %s, which its declared type does not allow; refuse the create with 400 and scimType invalidValue (RFC 7644 §3.12 Table 9) instead of storing or coercing it",
				cite("7644-3.12-05"), attr, coreDescribe(bad))
		})
}

// wrongTypeValue picks a User attribute and a value of the wrong JSON type
// for it: active given a string when the schema declares a boolean active,
// else displayName given an object.
func wrongTypeValue(env *Env) (string, any) {
	if view, ok := coreSchemaView(env, coreUser); ok {
		if a, has := view.Base.Attribute("active"); has && coreIs(a.Type, "boolean") && !coreIs(a.Mutability, "readOnly") {
			return "active", "not-a-boolean"
		}
		if _, has := view.Base.Attribute("displayName"); !has {
			return "userName", map[string]any{"not": "a string"}
		}
	}
	return "displayName", map[string]any{"not": "a string"}
}
