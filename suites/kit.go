package suites

import (
	"context"
	"net/http"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/ledger"
	"github.com/scimconform/scimconform/internal/scim"
)

// Resource identifies one resource on the target.
type Resource = ledger.Resource

// Create POSTs body to endpoint and claims whatever the server created (see
// Claim). It returns the response and the new id ("" when nothing was
// created). Asserting the status is the caller's business: a spec may expect
// a failure. A create without a readable answer ends the spec as ERROR and
// counts as possibly created.
func (e *Env) Create(ctx context.Context, endpoint string, body map[string]any) (*scim.Response, string) {
	GinkgoHelper()
	return e.CreateRequest(ctx, scim.Request{Method: http.MethodPost, Path: endpoint, Body: body})
}

// CreateRequest sends a create request (a POST with a JSON body, possibly
// with another Content-Type or credentials) and claims what it created.
func (e *Env) CreateRequest(ctx context.Context, req scim.Request) (*scim.Response, string) {
	GinkgoHelper()
	sent, _ := req.Body.(map[string]any)
	resp := e.Do(ctx, req) // stamps the template into sent; no answer: the client told the ledger // no answer: the client told the ledger (uncertain)
	return resp, e.Claim(ctx, req.Path, sent, resp)
}

// Claim is the one id rule of the suites: it proves that a create answer
// names a resource the run made (ledger.ClaimCreate), records it and
// registers its deletion at once with DeferCleanup (unless --keep), so it is
// removed even when the spec fails later. It returns the id the answer named
// ("" when nothing was created). An answer the run cannot prove is reported
// as a warning; the id is returned so the spec can read it, and every write
// to it is refused.
func (e *Env) Claim(ctx context.Context, endpoint string, sent map[string]any, resp *scim.Response) string {
	GinkgoHelper()
	res, err := e.Ledger.ClaimCreate(ctx, e.Client, endpoint, sent, resp)
	e.afterClaim(res, err)
	return res.ID
}

// ClaimExisting proves that endpoint/id is the resource the run made with
// body sent (created by Bulk, or found by a listing) and tracks it like
// Claim. It reports whether the run owns it.
func (e *Env) ClaimExisting(ctx context.Context, endpoint, id string, sent map[string]any) bool {
	GinkgoHelper()
	res, err := e.Ledger.ClaimExisting(ctx, e.Client, endpoint, id, sent)
	e.afterClaim(res, err)
	return err == nil
}

func (e *Env) afterClaim(res Resource, err error) {
	if err != nil {
		e.Warn("%s", err.Error())
		return
	}
	if res.ID != "" {
		if e.TenantName != "" {
			e.Ledger.Assign(res.Endpoint, res.ID, e.TenantName)
			res.Tenant = e.TenantName
		}
		e.DeleteAtEnd(res)
	}
}

// DeleteAtEnd registers the deletion of an owned resource when the spec
// ends (nothing with --keep); a failure is left to the final sweep.
func (e *Env) DeleteAtEnd(r Resource) {
	if e.Keep {
		return
	}
	DeferCleanup(func(ctx SpecContext) {
		if err := e.Ledger.Delete(ctx, e.Client, r); err != nil {
			e.Info("cleanup: %v (the final sweep will retry)", err)
		}
	})
}

// Probe returns a resource under endpoint with a random id that names
// nothing: writes to it are allowed, to provoke 404 Not Found.
func (e *Env) Probe(endpoint string) Resource {
	return e.Ledger.Probe(endpoint)
}

func nameOf(body map[string]any) string {
	for _, k := range []string{"userName", "displayName", "externalId"} {
		if s, ok := body[k].(string); ok {
			return s
		}
	}
	return ""
}
