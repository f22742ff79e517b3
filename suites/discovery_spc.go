package suites

import (
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/fixtures"
	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// spcFeatures are the ServiceProviderConfig members that carry a
// "supported" flag (RFC 7643 §5).
var spcFeatures = []string{"patch", "bulk", "filter", "changePassword", "sort", "etag"}

// spcLimits are the integer limits RFC 7643 §5 requires: member.sub.
var spcLimits = [][2]string{{"bulk", "maxOperations"}, {"bulk", "maxPayloadSize"}, {"filter", "maxResults"}}

// knownAuthTypes are the authenticationSchemes types RFC 7643 §5 defines.
var knownAuthTypes = []string{"oauth", "oauth2", "oauthbearertoken", "httpbasic", "httpdigest"}

// describeServiceProviderConfig declares the /ServiceProviderConfig specs.
func describeServiceProviderConfig(env *Env) {
	describeSPCDocument(env)
	describeSPCAuthAndPaging(env)
}

// describeSPCDocument declares the specs of the document's shape and of its
// feature members (RFC 7644 §4, RFC 7643 §5).
func describeSPCDocument(env *Env) {
	// 7644-4-02: the configuration is a JSON object whose schemas name the ServiceProviderConfig URN.
	It("returns a JSON object whose schemas list the ServiceProviderConfig URN", spec.Req("7644-4-02"), spec.MUST, func(ctx SpecContext) {
		resp := getDiscovery(ctx, env, pathServiceProviderConfig, nil, "7644-4-02")
		obj := decodeObject(resp, "the /ServiceProviderConfig body", "7644-4-02")
		schemas := schemasOf(obj)
		if containsString(schemas, scim.SchemaSPC) {
			return
		}
		hint := ""
		for _, s := range schemas {
			if strings.EqualFold(s, scim.SchemaSPC) {
				hint = " (one value differs only in letter case; send the URN exactly as registered)"
			}
		}
		Fail(fmt.Sprintf("%s: \"schemas\" of /ServiceProviderConfig is %s; it must contain %q%s.",
			cite("7644-4-02"), quoteJSON(schemas), scim.SchemaSPC, hint))
	})

	// 7643-5-02..20, 7644-4-02: the whole document matches the ServiceProviderConfig wire format.
	It("conforms to the ServiceProviderConfig wire format", spec.Req("7644-4-02", "7643-5-02", "7643-5-03", "7643-5-04",
		"7643-5-05", "7643-5-06", "7643-5-07", "7643-5-08", "7643-5-09", "7643-5-10", "7643-5-11", "7643-5-12", "7643-5-13",
		"7643-5-14", "7643-5-15", "7643-5-16", "7643-5-17", "7643-5-18", "7643-5-19", "7643-5-20"), spec.MUST, func(ctx SpecContext) {
		resp := getDiscovery(ctx, env, pathServiceProviderConfig, nil, "7644-4-02")
		Expect(resp).To(matchers.MatchJSONSchema(fixtures.SchemaServiceProviderConfig),
			"RFC 7644 §4, RFC 7643 §5: /ServiceProviderConfig must list its schema URN and carry every REQUIRED member with its declared type; fix each violation listed below.")
	})

	// 7643-5-02..16: patch, bulk, filter, changePassword, sort and etag are objects with a boolean "supported".
	It("declares supported as a boolean for patch, bulk, filter, changePassword, sort and etag", spec.Req("7643-5-02", "7643-5-03",
		"7643-5-04", "7643-5-05", "7643-5-08", "7643-5-09", "7643-5-11", "7643-5-12", "7643-5-13", "7643-5-14", "7643-5-15", "7643-5-16"),
		spec.MUST, func(ctx SpecContext) {
			resp := getDiscovery(ctx, env, pathServiceProviderConfig, nil, "7643-5-02")
			obj := decodeObject(resp, "the /ServiceProviderConfig body", "7643-5-02")
			var problems []string
			for _, name := range spcFeatures {
				problems = append(problems, supportedProblem(obj, name)...)
			}
			failProblems(fmt.Sprintf("RFC 7643 §5 (%s): each feature member must be an object with \"supported\": true or false, saying whether the feature works:",
				"7643-5-02..16"), problems)
		})

	// 7643-5-06, 5-07, 5-10: bulk.maxOperations, bulk.maxPayloadSize and filter.maxResults are integers.
	It("declares bulk maxOperations, bulk maxPayloadSize and filter maxResults as non-negative integers",
		spec.Req("7643-5-04", "7643-5-06", "7643-5-07", "7643-5-08", "7643-5-10"), spec.MUST, func(ctx SpecContext) {
			resp := getDiscovery(ctx, env, pathServiceProviderConfig, nil, "7643-5-06")
			obj := decodeObject(resp, "the /ServiceProviderConfig body", "7643-5-06")
			var problems []string
			for _, l := range spcLimits {
				problems = append(problems, limitProblem(obj, l[0], l[1])...)
			}
			failProblems("RFC 7643 §5 (7643-5-06, 5-07, 5-10): the limits are REQUIRED even when the feature is unsupported; publish each as a whole JSON number (0 when there is no such operation):", problems)
		})

}

// describeSPCAuthAndPaging declares the specs of authenticationSchemes and of
// the RFC 9865 pagination member.
func describeSPCAuthAndPaging(env *Env) {
	// 7643-5-17..20: authenticationSchemes lists each scheme with type, name and description.
	It("lists authentication schemes, each with a type, a name and a description",
		spec.Req("7643-5-17", "7643-5-18", "7643-5-19", "7643-5-20"), spec.MUST, func(ctx SpecContext) {
			resp := getDiscovery(ctx, env, pathServiceProviderConfig, nil, "7643-5-17")
			obj := decodeObject(resp, "the /ServiceProviderConfig body", "7643-5-17")
			failProblems("RFC 7643 §5 (7643-5-17..20): \"authenticationSchemes\" is REQUIRED; list every scheme clients can use, each with \"type\", \"name\" and \"description\":",
				authSchemeProblems(env, obj))
		})

	// 9865-4-03..08: a published pagination member has boolean cursor and index and positive limits.
	It("declares pagination cursor and index as booleans when it publishes pagination",
		spec.Req("9865-4-03", "9865-4-04", "9865-4-05", "9865-4-06", "9865-4-07", "9865-4-08"), spec.MUST, func(ctx SpecContext) {
			resp := getDiscovery(ctx, env, pathServiceProviderConfig, nil, "9865-4-03")
			obj := decodeObject(resp, "the /ServiceProviderConfig body", "9865-4-03")
			if _, ok := member(obj, "pagination"); !ok {
				Skip(spec.SkipUnsupportedPrefix + "the ServiceProviderConfig publishes no RFC 9865 pagination member")
			}
			failProblems("RFC 9865 §4 (9865-4-03..08): \"pagination\" must say with booleans whether cursor and index paging work; optional limits are positive integers:",
				paginationProblems(obj))
		})

	// 7643-5-17: the configuration, with its authenticationSchemes, is readable without credentials.
	It("serves authenticationSchemes to a client without credentials", spec.Req("7643-5-17"), spec.SHOULD, func(ctx SpecContext) {
		resp := env.Do(ctx, scim.Request{Method: http.MethodGet, Path: pathServiceProviderConfig, Credentials: scim.CredentialsNone})
		Expect(resp).To(matchers.HaveStatus(http.StatusOK,
			cite("7643-5-17")+": clients discover how to authenticate from authenticationSchemes, so GET /ServiceProviderConfig should answer without credentials (with appropriate security considerations)"))
		obj := decodeObject(resp, "the unauthenticated /ServiceProviderConfig body", "7643-5-17")
		_, ok := memberList(obj, "authenticationSchemes")
		Expect(ok).To(BeTrue(), "%s: the unauthenticated /ServiceProviderConfig answer carries no authenticationSchemes array; include it so clients can discover how to authenticate.", cite("7643-5-17"))
	})
}

// supportedProblem checks one feature member and its "supported" flag.
func supportedProblem(obj map[string]any, name string) []string {
	v, ok := member(obj, name)
	if !ok {
		return []string{fmt.Sprintf("%q is missing; add {\"supported\": true|false}", name)}
	}
	feature, ok := v.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("%q is a JSON %s, must be an object", name, jsonKind(v))}
	}
	s, ok := member(feature, "supported")
	if !ok {
		return []string{fmt.Sprintf("%s.supported is missing", name)}
	}
	if _, ok := s.(bool); !ok {
		return []string{fmt.Sprintf("%s.supported is %s (a JSON %s), must be true or false", name, quoteJSON(s), jsonKind(s))}
	}
	return nil
}

// limitProblem checks one integer limit.
func limitProblem(obj map[string]any, name, sub string) []string {
	feature, ok := memberObject(obj, name)
	if !ok {
		return []string{fmt.Sprintf("%q is missing or not an object, so %s.%s is missing", name, name, sub)}
	}
	v, ok := member(feature, sub)
	if !ok {
		return []string{fmt.Sprintf("%s.%s is missing", name, sub)}
	}
	f, isNum := v.(float64)
	if !isNum || !isWholeNumber(f) || f < 0 {
		return []string{fmt.Sprintf("%s.%s is %s (a JSON %s), must be a non-negative integer", name, sub, quoteJSON(v), jsonKind(v))}
	}
	return nil
}

// authSchemeProblems checks authenticationSchemes; an unknown type is noted.
func authSchemeProblems(env *Env, obj map[string]any) []string {
	v, ok := member(obj, "authenticationSchemes")
	if !ok {
		return []string{"\"authenticationSchemes\" is missing"}
	}
	list, ok := v.([]any)
	if !ok {
		return []string{fmt.Sprintf("\"authenticationSchemes\" is a JSON %s, must be an array", jsonKind(v))}
	}
	if len(list) == 0 {
		return []string{"\"authenticationSchemes\" is empty; an empty list counts as absent (RFC 7643 §2.5)"}
	}
	var problems []string
	for i, it := range list {
		scheme, ok := it.(map[string]any)
		if !ok {
			problems = append(problems, fmt.Sprintf("authenticationSchemes[%d] is a JSON %s, must be an object", i, jsonKind(it)))
			continue
		}
		for _, k := range []string{"type", "name", "description"} {
			s, ok := memberString(scheme, k)
			if !ok || (k != "description" && s == "") {
				problems = append(problems, fmt.Sprintf("authenticationSchemes[%d].%s is missing or not a non-empty string", i, k))
			}
		}
		if t, ok := memberString(scheme, "type"); ok && t != "" && !containsFold(knownAuthTypes, t) {
			env.Info("authenticationSchemes[%d].type %q is not one of the types RFC 7643 §5 defines (%s); clients may not recognise it",
				i, t, strings.Join(knownAuthTypes, ", "))
		}
	}
	return problems
}

// paginationProblems checks the RFC 9865 §4 pagination member.
func paginationProblems(obj map[string]any) []string {
	v, _ := member(obj, "pagination")
	p, ok := v.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("\"pagination\" is a JSON %s, must be an object", jsonKind(v))}
	}
	var problems []string
	for _, k := range []string{"cursor", "index"} {
		b, ok := member(p, k)
		if _, isBool := b.(bool); !ok || !isBool {
			problems = append(problems, fmt.Sprintf("pagination.%s is %s, must be true or false", k, presentOr(b, ok)))
		}
	}
	if m, ok := member(p, "defaultPaginationMethod"); ok {
		if s, _ := m.(string); !strings.EqualFold(s, "cursor") && !strings.EqualFold(s, "index") {
			problems = append(problems, fmt.Sprintf("pagination.defaultPaginationMethod is %s, must be \"cursor\" or \"index\"", quoteJSON(m)))
		}
	}
	for _, k := range []string{"defaultPageSize", "maxPageSize", "cursorTimeout"} {
		if n, ok := member(p, k); ok {
			if f, isNum := n.(float64); !isNum || !isWholeNumber(f) || f < 1 {
				problems = append(problems, fmt.Sprintf("pagination.%s is %s, must be a positive integer", k, quoteJSON(n)))
			}
		}
	}
	return problems
}

// presentOr renders a member value, or "missing".
func presentOr(v any, present bool) string {
	if !present {
		return "missing"
	}
	return quoteJSON(v)
}

// containsFold reports whether list holds s, ignoring case.
func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
