package suites

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
)

// Expectations of the PATCH suite: the state a read-back must show and the
// error a rejected PATCH must carry. Messages say what was expected, what
// the server did, the requirement at stake and what to change.

// patchWantError is what a failing PATCH must answer.
type patchWantError struct {
	status   int    // the HTTP status, 400
	scimType string // the Table 9 scimType
	// strict makes a missing or different scimType a failure (the RFC names
	// it for the case); otherwise it is a warning, since §3.12 makes
	// scimType OPTIONAL and leaves "appropriate" to the server.
	strict bool
	// alsoOK lists other scimTypes accepted with an INFO note.
	alsoOK []string
	req    string // the requirement id at stake
	fix    string // what the vendor should change
}

// patchExpectError checks a PATCH failure: the HTTP status always; the
// scimType when the body is a SCIM error. A body that is not a SCIM error
// is noted only: the spec for 7644-3.5.2-16 reports it, so that one defect
// fails one spec.
func patchExpectError(env *Env, resp *scim.Response, want patchWantError) {
	GinkgoHelper()
	if resp.Status != want.status {
		Fail(fmt.Sprintf("%s: expected %s with scimType %q, got %s%s. %s",
			cite(want.req), patchStatus(want.status), want.scimType, patchStatus(resp.Status), patchErrorNote(resp), want.fix))
	}
	e, err := matchers.ParseSCIMError(resp.Body)
	if err != nil || (!e.HasErrorSchema() && e.ScimType == "") {
		env.Info("the %d answer is not a SCIM error body, so its scimType was not checked; the spec for 7644-3.5.2-16 reports the body", resp.Status)
		return
	}
	if e.ScimType == want.scimType {
		return
	}
	for _, alt := range want.alsoOK {
		if e.ScimType == alt {
			env.Info("the server answered scimType %q where Table 9 suggests %q; both readings are accepted here", e.ScimType, want.scimType)
			return
		}
	}
	got := "no scimType"
	if e.ScimType != "" {
		got = fmt.Sprintf("scimType %q", e.ScimType)
	}
	msg := fmt.Sprintf("%s: the %d answer carries %s; RFC 7644 §3.12 Table 9 gives %q for this case, which clients use to tell errors apart. %s",
		cite(want.req), want.status, got, want.scimType, want.fix)
	if want.strict {
		Fail(msg)
	}
	env.Warn("%s", msg)
}

// patchExpectUnchanged fails when after differs from before in any
// attribute (meta excepted), naming each difference.
func patchExpectUnchanged(before, after map[string]any, req, what string) {
	GinkgoHelper()
	failProblems(fmt.Sprintf("%s: %s must leave the resource as it was, but reading it back shows changes (before → after):", cite(req), what),
		patchDiff(before, after))
}

// patchExpectText requires the attribute at urn/path of doc to read back as
// want. after describes the operation and the rule it follows.
func patchExpectText(doc map[string]any, urn, path, want, req, after string) {
	GinkgoHelper()
	got := patchValue(doc, urn, path)
	if patchSameText(got, want) {
		return
	}
	Fail(fmt.Sprintf("%s: after %s, reading the resource back shows %s = %s; expected %q.",
		cite(req), after, patchAttrName(urn, path), patchShow(got), want))
}

// patchExpectUnassigned requires the attribute at urn/path to be unassigned
// (absent, null or empty: RFC 7643 §2.5).
func patchExpectUnassigned(doc map[string]any, urn, path, req, after string) {
	GinkgoHelper()
	got := patchValue(doc, urn, path)
	if got == nil {
		return
	}
	Fail(fmt.Sprintf("%s: after %s, reading the resource back still shows %s = %s; it must be unassigned (absent, null or empty).",
		cite(req), after, patchAttrName(urn, path), patchShow(got)))
}

// patchExpectKept requires the attribute at urn/path to hold the same data
// as before (an operation elsewhere must not touch it).
func patchExpectKept(before, after map[string]any, urn, path, req, op string) {
	GinkgoHelper()
	was, now := patchValue(before, urn, path), patchValue(after, urn, path)
	if patchSame(was, now) {
		return
	}
	Fail(fmt.Sprintf("%s: %s must leave %s alone, but it changed from %s to %s.",
		cite(req), op, patchAttrName(urn, path), patchShow(patchCanonical(was)), patchShow(patchCanonical(now))))
}

// patchAttrName renders an attribute path for messages, URN-qualified when
// it belongs to an extension.
func patchAttrName(urn, path string) string {
	if urn == "" {
		return path
	}
	return urn + ":" + path
}
