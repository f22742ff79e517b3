package suites

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/ledger"
	"github.com/scimconform/scimconform/internal/matchers"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Env is everything a spec may use. The runner fills it after preflight and
// before RunSpecs; at tree-construction time (and for `scimconform list`) only
// the pointer exists, so container bodies must not read its fields.
type Env struct {
	// Client talks to the target; every exchange lands in Recorder.
	Client   *scim.Client
	Recorder *scim.Recorder
	// Transcript, when set, decides what a finished spec keeps of its
	// exchanges (the run's --transcripts policy): given the spec's report
	// so far and its exchanges, it returns them or their summaries.
	Transcript func(sr types.SpecReport, xs scim.Transcript) scim.Transcript
	// Caps are the target's capabilities after overrides.
	Caps *caps.Capabilities
	// Prefix starts every name the harness creates: scimconform-<8 hex>.
	Prefix string
	// Keep leaves created data on the target (--keep).
	Keep bool
	// Ledger knows every resource the run proved it created and whether it is
	// gone; the client refuses writes to anything else.
	Ledger *ledger.Ledger
	// Credentialed reports whether the run has credentials at all (auth specs
	// need some to compare against).
	Credentialed bool
	// Templates are the attributes the target requires beyond the RFC, by
	// resource type ("User", "Group"): user-template and group-template,
	// merged into every body of that type the run creates or replaces.
	Templates map[string]map[string]any
	// Tenant is the Env of a second tenant of the target (the first entry of
	// tenants: in the config): its own client, everything else shared with
	// this Env (prefix, ledger, recorder, capabilities). Nil without one.
	Tenant *Env
	// TenantName names the tenant of this Env ("" for the main credential).
	TenantName string

	// Coordinator connects the processes of a parallel run; nil in a
	// serial run (see parallel.go).
	Coordinator Coordinator
	// Worker is this process's number in a parallel run (1..N); 0 for the
	// serial run and the parent process. Names carry it (Name).
	Worker int

	once sync.Map // key -> *onceValue, for run-wide shared data sets
	// plans are the steps of every journey, by spec text, written while
	// the tree is declared (see declareJourney) and read by listings.
	plans  map[string][]spec.Step
	seqMu  sync.Mutex
	seqNum int
}

// Name returns a name unique in the run carrying the run prefix:
// prefix-part-N, or prefix-part-wW-N in worker W of a parallel run.
func (e *Env) Name(part string) string {
	e.seqMu.Lock()
	e.seqNum++
	n := e.seqNum
	e.seqMu.Unlock()
	if e.Worker > 0 {
		return fmt.Sprintf("%s-%s-w%d-%d", e.Prefix, part, e.Worker, n)
	}
	return fmt.Sprintf("%s-%s-%d", e.Prefix, part, n)
}

// Do sends a request; a User or Group body it creates or replaces gets the
// configured template first (see stamp). A transport failure (no response at all) ends the spec
// with verdict ERROR: the harness could not judge. A URL off the target's
// origin is never fetched (scim.OffOriginError): the spec is skipped with a
// warning; specs that follow a URL the server named use GetNamed instead and
// judge what they can.
func (e *Env) Do(ctx context.Context, req scim.Request) *scim.Response {
	GinkgoHelper()
	e.stampRequest(req)
	resp, err := e.Client.Do(ctx, req)
	var off *scim.OffOriginError
	var refused *scim.RefusedWriteError
	switch {
	case errors.As(err, &refused):
		FailHarness("%s; the behaviour cannot be judged on a resource the run does not own", err.Error())
	case errors.As(err, &off):
		e.Warn("%s; the harness sends no request to another origin", off.Error())
		Skip(off.Error())
	case err != nil:
		failTransport(err)
	}
	return resp
}

// GetNamed sends GET to a URL the server named (a Location, meta.location or
// $ref). When that URL is off the target's origin the harness does not fetch
// it: GetNamed records a warning saying so (what names the URL, e.g. "the
// Location of the created User") and returns nil, and the caller judges what
// it can without the response.
func (e *Env) GetNamed(ctx context.Context, rawURL, what string) *scim.Response {
	GinkgoHelper()
	resp, err := e.Client.Get(ctx, rawURL, nil)
	var off *scim.OffOriginError
	switch {
	case errors.As(err, &off):
		e.Warn("%s (%s): the harness sends no request to another origin, so whether it serves what it names is not checked. "+
			"A server behind a proxy that names its internal address has a misconfigured base URL", off.Error(), what)
		return nil
	case err != nil:
		failTransport(err)
	}
	return resp
}

// failTransport ends a spec whose request got no complete answer: a
// connection the server dropped is the server's failure of the rule under
// test (FAIL, or WARN for a SHOULD); anything else (refused, timed out,
// cancelled) leaves the harness unable to judge (ERROR).
func failTransport(err error) {
	GinkgoHelper()
	var terr *scim.TransportError
	if errors.As(err, &terr) && terr.Dropped {
		Fail(fmt.Sprintf("no complete HTTP answer: %s. A service provider answers every request with a status, and an error with a SCIM error body (RFC 7644 §3.12).", err.Error()))
	}
	FailHarness("no HTTP response: %s", err.Error())
}

// FailHarness ends the spec with verdict ERROR: the harness could not set up
// or observe what it needs to judge the requirement (a transport failure, a
// setup step another spec judges, an unusable response).
func FailHarness(format string, args ...any) {
	GinkgoHelper()
	msg := fmt.Sprintf(format, args...)
	AddReportEntry(spec.EntryError, msg)
	Fail(msg)
}

// Get sends GET path with optional query.
func (e *Env) Get(ctx context.Context, path string, query url.Values) *scim.Response {
	GinkgoHelper()
	return e.Do(ctx, scim.Request{Method: http.MethodGet, Path: path, Query: query})
}

// Post sends POST path with a JSON body.
func (e *Env) Post(ctx context.Context, path string, body any) *scim.Response {
	GinkgoHelper()
	return e.Do(ctx, scim.Request{Method: http.MethodPost, Path: path, Body: body})
}

// Put sends PUT path with a JSON body.
func (e *Env) Put(ctx context.Context, path string, body any) *scim.Response {
	GinkgoHelper()
	return e.Do(ctx, scim.Request{Method: http.MethodPut, Path: path, Body: body})
}

// Patch sends PATCH path with a PatchOp body built from ops.
func (e *Env) Patch(ctx context.Context, path string, ops ...map[string]any) *scim.Response {
	GinkgoHelper()
	return e.Do(ctx, scim.Request{Method: http.MethodPatch, Path: path, Body: PatchOp(ops...)})
}

// Delete sends DELETE path.
func (e *Env) Delete(ctx context.Context, path string) *scim.Response {
	GinkgoHelper()
	return e.Do(ctx, scim.Request{Method: http.MethodDelete, Path: path})
}

// Warn records an observation that turns a passing spec into a WARN: a
// lenient reading of an ambiguity (docs/interpretations.md) or a SHOULD not met.
func (e *Env) Warn(format string, args ...any) {
	AddReportEntry(spec.EntryWarning, fmt.Sprintf(format, args...))
}

// Info records an observation shown with the spec; it changes no verdict.
func (e *Env) Info(format string, args ...any) {
	AddReportEntry(spec.EntryInfo, fmt.Sprintf(format, args...))
}

// Cause names the cause of the failure that follows: the reports group
// failing specs whose causes share key into one finding, shown once with
// summary ("create refused: POST /Users answered 400 invalidValue"). Call it
// just before failing, from the helper that knows the cause (a refused
// setup create, an error body that is not a SCIM Error), with a key that
// leaves out what differs between specs (ids, names, the spec's own values);
// the last cause a spec records counts.
func (e *Env) Cause(key, summary string) { addCause(key, summary) }

// addCause records a spec.Cause report entry (see Env.Cause).
func addCause(key, summary string) {
	AddReportEntry(spec.EntryCause, spec.Cause{Key: key, Summary: summary})
}

// createRefusedCause names a refused create of a resource a spec needs as
// the cause of the failure that follows: every spec whose setup create the
// target refuses the same way (endpoint, status, scimType) shares one
// finding, whatever requirement the spec itself checks.
// setupCreateFailed ends a spec whose setup create the server refused: the
// behaviour under test cannot be observed without the resource, so the spec
// is SKIPPED with a typed "data missing" reason (the create specs judge the
// refusal itself; one create problem must not become dozens of verdicts).
// The reason's first line names the endpoint and answer, so the summary
// groups every spec that met the same refusal; what the spec needed follows.
func (e *Env) setupCreateFailed(endpoint string, resp *scim.Response, need string) {
	GinkgoHelper()
	createRefusedCause(endpoint, resp)
	status := "no usable answer"
	if resp != nil {
		status = coreStatus(resp.Status)
		if er, err := matchers.ParseSCIMError(resp.Body); err == nil && resp.Status >= 300 && er.ScimType != "" {
			status += " " + er.ScimType
		}
	}
	Skip(fmt.Sprintf("%sPOST %s did not create the resource a spec needs (%s)\n%s; the create specs judge the create itself. %s%s",
		spec.SkipDataMissingPrefix, endpoint, status, need, coreErrorNote(resp), e.templateHint(endpoint, resp)))
}

func createRefusedCause(endpoint string, resp *scim.Response) {
	status, scimType := 0, ""
	if resp != nil {
		status = resp.Status
		if e, err := matchers.ParseSCIMError(resp.Body); err == nil && resp.Status >= 300 {
			scimType = e.ScimType
		}
	}
	key := fmt.Sprintf("create-refused POST %s %d %s", endpoint, status, scimType)
	summary := fmt.Sprintf("create refused: POST %s answered %s to a valid create the specs need", endpoint, coreStatus(status))
	if scimType != "" {
		summary += fmt.Sprintf(" (scimType %s)", scimType)
	}
	addCause(key, summary)
}

// PatchOp wraps operations in a PatchOp message (RFC 7644 §3.5.2).
func PatchOp(ops ...map[string]any) map[string]any {
	list := make([]any, 0, len(ops))
	for _, op := range ops {
		list = append(list, op)
	}
	return map[string]any{"schemas": []any{scim.MessagePatchOp}, "Operations": list}
}

// Op builds one PATCH operation; path "" is omitted, value nil is omitted.
func Op(op, path string, value any) map[string]any {
	m := map[string]any{"op": op}
	if path != "" {
		m["path"] = path
	}
	if value != nil {
		m["value"] = value
	}
	return m
}

type onceValue struct {
	once sync.Once
	val  any
	err  error
}

// Endpoint returns the endpoint of a resource type ("/Users"), falling back
// to the RFC default when discovery did not publish one.
func (e *Env) Endpoint(resourceType string) string {
	if e.Caps != nil {
		if rt, ok := e.Caps.ResourceType(resourceType); ok && rt.Endpoint != "" {
			return "/" + strings.TrimLeft(rt.Endpoint, "/")
		}
	}
	return "/" + resourceType + "s"
}
