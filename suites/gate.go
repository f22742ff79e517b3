package suites

import (
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// gateOptionalRefusal is the one gate for optional behaviour a server
// declines with the RFC's own answer: it ends the running spec NOT SUPPORTED,
// naming the refusal, when resp is
//   - 400 invalidFilter to a valid filter: RFC 7644 §3.12 Table 9 lets a
//     server decline an attribute and operator combination it does not
//     support (interpretation I20);
//   - 400 tooMany: the filter yields more results than the server will
//     return (RFC 7644 §3.12, 7644-3.12-09);
//   - 501 Not Implemented: the operation is not offered (RFC 7644 §3.12).
//
// what names the request ("GET /Users?filter=title co \"x\""). Any other
// answer returns, for the caller to judge.
func gateOptionalRefusal(resp *scim.Response, what string) {
	GinkgoHelper()
	if resp == nil {
		return
	}
	if resp.Status == http.StatusNotImplemented {
		Skip(fmt.Sprintf("%s%s answered 501 Not Implemented: the server does not offer it", spec.SkipUnsupportedPrefix, what))
	}
	if resp.Status != http.StatusBadRequest {
		return
	}
	e, err := matchers.ParseSCIMError(resp.Body)
	if err != nil {
		return
	}
	detail := ""
	if e.Detail != "" {
		detail = fmt.Sprintf(" (%q)", e.Detail)
	}
	switch strings.ToLower(e.ScimType) {
	case "invalidfilter":
		Skip(fmt.Sprintf("%s%s answered 400 invalidFilter%s: the server declines this attribute and operator combination, which RFC 7644 §3.12 Table 9 allows (%s)",
			spec.SkipUnsupportedPrefix, what, detail, interpretation(20)))
	case "toomany":
		Skip(fmt.Sprintf("%s%s answered 400 tooMany%s: the server declines a query it finds too broad (RFC 7644 §3.12)",
			spec.SkipUnsupportedPrefix, what, detail))
	}
}

// gateSCIMAccepted ends a spec that judges the Content-Type label of answers
// (7644-8.1-01: application/scim+json "when the client accepts it") when the
// run does not ask for the SCIM media type: preflight fell back to
// "Accept: application/json" because the server refused the SCIM media type,
// which 7644-3.8-05 reports, and a server answering plain JSON to a client
// asking for plain JSON does what it was asked.
func gateSCIMAccepted(env *Env) {
	GinkgoHelper()
	if accept := env.Client.Accept(); !strings.Contains(accept, scim.MediaType) {
		Skip(fmt.Sprintf("the run sends \"Accept: %s\": the server refused %s at preflight (reported by 7644-3.8-05), so the label of its answers is not judged", accept, scim.MediaType))
	}
}
