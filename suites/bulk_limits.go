package suites

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Bulk limits (RFC 7644 §3.7.4) and the answer of a server without Bulk.
// Requests over a limit only delete or patch Users that do not exist, so a
// server that wrongly processes them changes nothing.

// Bounds on what the harness sends to test a limit: beyond them the spec is
// skipped rather than flooding the target.
const (
	bulkMaxOpsToSend     = 10000
	bulkMaxBytesToSend   = 10 << 20
	bulkLimitSkipPrefix  = "not testable here: "
	bulkLimitsSPCMessage = "the limits spec reports the missing limit"
)

func describeBulkLimits(env *Env) {
	// 7644-3.7.4-01: the server defines positive maxOperations and maxPayloadSize.
	It("advertises a positive maxOperations and maxPayloadSize in the ServiceProviderConfig", spec.Req("7644-3.7.4-01"), spec.MUST, func(ctx SpecContext) {
		resp := getDiscovery(ctx, env, pathServiceProviderConfig, nil, "7644-3.7.4-01")
		obj := decodeObject(resp, "the /ServiceProviderConfig body", "7644-3.7.4-01")
		bulk, _ := memberObject(obj, "bulk")
		var problems []string
		for _, k := range []string{"maxOperations", "maxPayloadSize"} {
			v, ok := member(bulk, k)
			if f, isNum := v.(float64); !ok || !isNum || !isWholeNumber(f) || f < 1 {
				problems = append(problems, fmt.Sprintf("bulk.%s is %s, must be a positive integer", k, presentOr(v, ok)))
			}
		}
		failProblems(cite("7644-3.7.4-01")+": a server supporting Bulk must define how many operations and how many bytes one bulk request may hold, and publish them in bulk.maxOperations and bulk.maxPayloadSize:", problems)
	})

	// Alone: in a parallel run the limit probes run alone, before every
	// other spec. Each judges the server's answer to one request just over
	// an advertised limit; under other workers' load a server may refuse it
	// for the load (429/503) or for a shared budget instead, and a payload
	// of up to maxPayloadSize bytes must not slow every other spec.
	Context("over a limit", spec.Mutating, Alone, func() {
		// 7644-3.7.4-03: one operation more than maxOperations gets 413.
		It("answers 413 Payload Too Large to a request with more operations than maxOperations", spec.Req("7644-3.7.4-03"), spec.MUST, func(ctx SpecContext) {
			resp := bulkOverOperations(ctx, env)
			Expect(resp).To(matchers.HaveStatus(http.StatusRequestEntityTooLarge, fmt.Sprintf(
				"%s: the request holds %d operations, one more than the advertised bulk.maxOperations; refuse it as a whole with 413 before processing any operation",
				cite("7644-3.7.4-03"), env.Caps.Limits.BulkMaxOperations+1)))
		})

		// 7644-3.7.4-03: a body one byte over maxPayloadSize gets 413.
		It("answers 413 Payload Too Large to a request larger than maxPayloadSize", spec.Req("7644-3.7.4-03"), spec.MUST, func(ctx SpecContext) {
			resp := bulkOverPayload(ctx, env)
			Expect(resp).To(matchers.HaveStatus(http.StatusRequestEntityTooLarge, fmt.Sprintf(
				"%s: the request body is %d bytes, one more than the advertised bulk.maxPayloadSize; refuse it as a whole with 413",
				cite("7644-3.7.4-03"), env.Caps.Limits.BulkMaxPayloadSize+1)))
		})

		// 7644-3.7.4-04: the 413 error for too many operations names that limit.
		It("names maxOperations in the SCIM error of a 413 for too many operations", spec.Req("7644-3.7.4-04"), spec.MUST, func(ctx SpecContext) {
			resp := bulkOverOperations(ctx, env)
			n := env.Caps.Limits.BulkMaxOperations
			bulkExpectLimitNamed(resp, "maxOperations", []string{"maxoperations", "operations", strconv.Itoa(n)})
		})

		// 7644-3.7.4-04: the 413 error for an oversized body names that limit.
		It("names maxPayloadSize in the SCIM error of a 413 for an oversized request", spec.Req("7644-3.7.4-04"), spec.MUST, func(ctx SpecContext) {
			resp := bulkOverPayload(ctx, env)
			n := env.Caps.Limits.BulkMaxPayloadSize
			bulkExpectLimitNamed(resp, "maxPayloadSize", []string{"maxpayloadsize", "payload", strconv.Itoa(n)})
		})
	})
}

// bulkOverOperations sends maxOperations+1 DELETEs of Users that do not
// exist. It skips the spec when the limit is unknown, too large to send, or
// cannot be exceeded without also exceeding maxPayloadSize.
func bulkOverOperations(ctx context.Context, env *Env) *scim.Response {
	GinkgoHelper()
	n := env.Caps.Limits.BulkMaxOperations
	switch {
	case n <= 0:
		Skip(bulkLimitSkipPrefix + "the server advertises no bulk.maxOperations; " + bulkLimitsSPCMessage)
	case n >= bulkMaxOpsToSend:
		env.Info("bulk.maxOperations is %d; the harness sends at most %d operations in one request", n, bulkMaxOpsToSend)
		Skip(fmt.Sprintf("%sbulk.maxOperations (%d) is too large to exceed with a reasonable request", bulkLimitSkipPrefix, n))
	}
	ops := make([]bulkOp, n+1)
	for i := range ops {
		ops[i] = bulkOp{Method: http.MethodDelete, Path: bulkMissingPath(env)}
	}
	raw, err := json.Marshal(bulkRequestBody(bulkNoLimit, ops))
	if err != nil {
		FailHarness("harness: encoding the bulk request: %v", err)
	}
	if p := env.Caps.Limits.BulkMaxPayloadSize; p > 0 && len(raw) > p {
		Skip(fmt.Sprintf("%s%d operations take %d bytes, more than bulk.maxPayloadSize (%d), so a 413 could not be attributed to maxOperations",
			bulkLimitSkipPrefix, n+1, len(raw), p))
	}
	return env.Do(ctx, scim.Request{Method: http.MethodPost, Path: pathBulk, RawBody: raw})
}

// bulkOverPayload sends a one-operation request (a PATCH of a User that does
// not exist) padded to exactly maxPayloadSize+1 bytes. It skips the spec
// when the limit is unknown or larger than the harness sends.
func bulkOverPayload(ctx context.Context, env *Env) *scim.Response {
	GinkgoHelper()
	limit := env.Caps.Limits.BulkMaxPayloadSize
	switch {
	case limit <= 0:
		Skip(bulkLimitSkipPrefix + "the server advertises no bulk.maxPayloadSize; " + bulkLimitsSPCMessage)
	case limit >= bulkMaxBytesToSend:
		env.Info("bulk.maxPayloadSize is %d bytes; the harness sends no request body above %d bytes", limit, bulkMaxBytesToSend)
		Skip(fmt.Sprintf("%sbulk.maxPayloadSize (%d bytes) is too large to exceed with a reasonable request", bulkLimitSkipPrefix, limit))
	}
	build := func(pad int) []byte {
		op := bulkOp{Method: http.MethodPatch, Path: bulkMissingPath(env),
			Data: PatchOp(Op("replace", "displayName", strings.Repeat("x", pad)))}
		raw, err := json.Marshal(bulkRequestBody(bulkNoLimit, []bulkOp{op}))
		if err != nil {
			FailHarness("harness: encoding the bulk request: %v", err)
		}
		return raw
	}
	raw := build(0)
	if pad := limit + 1 - len(raw); pad > 0 {
		raw = build(pad)
	}
	return env.Do(ctx, scim.Request{Method: http.MethodPost, Path: pathBulk, RawBody: raw})
}

// bulkExpectLimitNamed expects a 413 whose SCIM error body names the limit:
// its name, a word for it, or its advertised value (any case).
func bulkExpectLimitNamed(resp *scim.Response, limit string, words []string) {
	GinkgoHelper()
	Expect(resp).To(matchers.HaveStatus(http.StatusRequestEntityTooLarge, cite("7644-3.7.4-03")+
		": the request exceeds bulk."+limit+", so the server must answer 413 and say in the error body which limit was exceeded"))
	e, err := matchers.ParseSCIMError(resp.Body)
	if err != nil || !e.HasErrorSchema() {
		Fail(fmt.Sprintf("%s: the 413 body is not a SCIM error (RFC 7644 §3.12), so it cannot say that %s was exceeded. Answer with an error whose detail names the limit.%s",
			cite("7644-3.7.4-04"), limit, bodyHint(resp)))
	}
	body := strings.ToLower(string(resp.Body))
	for _, w := range words {
		if strings.Contains(body, strings.ToLower(w)) {
			return
		}
	}
	Fail(fmt.Sprintf("%s: the 413 error does not say which limit was exceeded (detail %q); name %s or its value %s in the detail so the client knows how to split the request.",
		cite("7644-3.7.4-04"), e.Detail, limit, words[len(words)-1]))
}

// The answer of a server that does not support Bulk.
var _ = DescribeSCIM("Bulk when not advertised", spec.Area("bulk"), spec.Absent(spec.FeatureBulk), spec.Mutating, func(env *Env) {
	// 7644-3.12-05: an unsupported operation is answered 501 Not Implemented.
	It("answers 501 Not Implemented to POST /Bulk", spec.Req("7644-3.12-05"), spec.SHOULD, func(ctx SpecContext) {
		resp := env.Post(ctx, pathBulk, bulkRequestBody(bulkNoLimit, nil))
		if resp.Status >= 200 && resp.Status <= 299 {
			Fail(fmt.Sprintf("%s: POST %s answered HTTP %d: the server processes bulk requests although bulk.supported is not true (or the run turned the feature off). Advertise bulk.supported: true, or answer 501 Not Implemented.",
				cite("7644-3.12-05"), pathBulk, resp.Status))
		}
		Expect(resp).To(matchers.HaveStatus(http.StatusNotImplemented, cite("7644-3.12-05")+
			": a server without Bulk should answer POST /Bulk with 501 Not Implemented (RFC 7644 §3.12 Table 8), so clients can tell a missing feature from a wrong request"))
	})
})
