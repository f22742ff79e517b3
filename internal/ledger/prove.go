package ledger

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/scimconform/scimconform/internal/scim"
)

// identityAttributes name a resource as the run's: a create body carries at
// least one of them with a run-prefixed value (RFC 7643 §4.1 userName, §4.2
// displayName, §3.1 externalId).
var identityAttributes = []string{"userName", "displayName", "externalId"}

// Identity returns the run-prefixed identity values of a create body
// (attribute name → value); empty when the body names nothing as the run's.
func Identity(prefix string, body map[string]any) map[string]string {
	out := map[string]string{}
	for _, attr := range identityAttributes {
		if v, ok := scim.Member(body, attr).(string); ok && HasPrefix(v, prefix) {
			out[attr] = v
		}
	}
	return out
}

// HasPrefix reports whether name starts with the run prefix, ignoring case:
// userName is not case-exact (RFC 7643 §4.1.1), so a server may store it in
// another case, and the specs send case variants on purpose.
func HasPrefix(name, prefix string) bool {
	return prefix != "" && len(name) >= len(prefix) && strings.EqualFold(name[:len(prefix)], prefix)
}

// ProofError says why the run does not own what a server named in answer to
// a create: the run will not write to it.
type ProofError struct {
	// Resource is what the server named (ID may be empty).
	Resource Resource
	// Reason is one sentence: what was expected and what was seen.
	Reason string
}

func (e *ProofError) Error() string { return e.Reason }

// ClaimCreate proves and records what a create answered. sent is the body the
// run POSTed to endpoint; resp its answer. A non-2xx answer created nothing
// (zero Resource, nil). A 2xx answer names the new resource by the body's id,
// else by the last segment of Location; the run owns it when the
// representation at that id names exactly what the run sent (a run-prefixed
// userName, displayName or externalId) — read from the answer, else from a GET
// of the resource. Otherwise it returns a *ProofError: the id is disowned and
// the create counts as uncertain, for the prefix sweep to settle.
func (l *Ledger) ClaimCreate(ctx context.Context, c *scim.Client, endpoint string, sent map[string]any, resp *scim.Response) (Resource, error) {
	if resp == nil || resp.Status < 200 || resp.Status > 299 {
		return Resource{}, nil
	}
	ident := Identity(l.prefix, sent)
	res := Resource{Endpoint: endpoint, ID: CreatedID(resp), Name: firstValue(ident)}
	if res.ID == "" {
		return res, l.fail(res, fmt.Sprintf("POST %s answered %d with neither an id nor a Location naming the new resource", endpoint, resp.Status), false)
	}
	if len(ident) == 0 {
		return res, l.fail(res, fmt.Sprintf("POST %s created %s, but the body the run sent carried no run-prefixed userName, displayName or externalId to prove it by", endpoint, res.Path()), true)
	}
	if obj, err := resp.Object(); err == nil && idMatches(obj, res.ID) && matchIdentity(obj, ident) == "" {
		l.Own(res)
		return res, nil
	}
	return l.claimByRead(ctx, c, res, ident, fmt.Sprintf("POST %s answered with id %q", endpoint, res.ID))
}

// ClaimExisting proves that endpoint/id is a resource the run made with the
// body sent (e.g. by a Bulk POST operation, or one a listing found) by
// reading it, and records it as owned.
func (l *Ledger) ClaimExisting(ctx context.Context, c *scim.Client, endpoint, id string, sent map[string]any) (Resource, error) {
	ident := Identity(l.prefix, sent)
	res := Resource{Endpoint: endpoint, ID: id, Name: firstValue(ident)}
	if len(ident) == 0 {
		return res, l.fail(res, fmt.Sprintf("%s: the body the run sent carried no run-prefixed userName, displayName or externalId to prove it by", res.Path()), true)
	}
	return l.claimByRead(ctx, c, res, ident, fmt.Sprintf("%s was named as created by the run", res.Path()))
}

// ClaimListed proves that endpoint/id, found by listing, carries a name
// starting with the run prefix in attr (userName, displayName), by reading
// it, and records it as owned. The sweep and `scimconform cleanup` use it.
func (l *Ledger) ClaimListed(ctx context.Context, c *scim.Client, endpoint, id, attr string) (Resource, error) {
	res := Resource{Endpoint: endpoint, ID: id}
	if l.Owns(endpoint, id) {
		return res, nil
	}
	resp, err := c.Get(ctx, res.Path(), url.Values{"attributes": {attr}})
	if err != nil {
		return res, fmt.Errorf("reading %s to prove it is the run's: %w", res.Path(), err)
	}
	obj, jerr := resp.Object()
	if resp.Status != http.StatusOK || jerr != nil || !idMatches(obj, id) {
		return res, &ProofError{Resource: res, Reason: fmt.Sprintf("GET %s answered %d, not the listed resource, so it is not deleted", res.Path(), resp.Status)}
	}
	name, _ := scim.Member(obj, attr).(string)
	if !HasPrefix(name, l.prefix) {
		return res, &ProofError{Resource: res, Reason: fmt.Sprintf("GET %s shows %s %q, which does not start with %s, so it is not the run's and is not deleted", res.Path(), attr, name, l.prefix)}
	}
	res.Name = name
	l.Own(res)
	return res, nil
}

// claimByRead GETs the resource and owns it when it names what was sent.
func (l *Ledger) claimByRead(ctx context.Context, c *scim.Client, res Resource, ident map[string]string, what string) (Resource, error) {
	resp, err := c.Get(ctx, res.Path(), nil)
	if err != nil {
		return res, l.fail(res, fmt.Sprintf("%s, and reading %s to prove it is the run's failed: %s", what, res.Path(), err), false)
	}
	obj, jerr := resp.Object()
	switch {
	case resp.Status != http.StatusOK || jerr != nil:
		return res, l.fail(res, fmt.Sprintf("%s, but GET %s answered %d, not the resource", what, res.Path(), resp.Status), true)
	case !idMatches(obj, res.ID):
		return res, l.fail(res, fmt.Sprintf("%s, but GET %s shows a resource with another id", what, res.Path()), true)
	}
	if mismatch := matchIdentity(obj, ident); mismatch != "" {
		return res, l.fail(res, fmt.Sprintf("%s, but GET %s shows %s", what, res.Path(), mismatch), true)
	}
	l.Own(res)
	return res, nil
}

// fail records an unproven create: uncertain (the run's resource may exist
// elsewhere) and, when a server named an id, disowned.
func (l *Ledger) fail(res Resource, reason string, named bool) error {
	reason += ": the harness will not write to it"
	l.AddUncertain(Uncertain{Endpoint: res.Endpoint, Name: res.Name, Reason: reason})
	if named && res.ID != "" {
		l.Disown(reason)
	}
	return &ProofError{Resource: res, Reason: reason}
}

// matchIdentity returns "" when obj carries at least one of the identity
// values (case-insensitively: userName is not case-exact, RFC 7643 §4.1.1),
// else what it shows instead.
func matchIdentity(obj map[string]any, ident map[string]string) string {
	var seen []string
	for _, attr := range identityAttributes {
		want, ok := ident[attr]
		if !ok {
			continue
		}
		got, _ := scim.Member(obj, attr).(string)
		if strings.EqualFold(got, want) {
			return ""
		}
		seen = append(seen, fmt.Sprintf("%s %q where the run sent %q", attr, got, want))
	}
	return strings.Join(seen, ", ")
}

// idMatches reports whether obj has no id or the given one.
func idMatches(obj map[string]any, id string) bool {
	got, ok := scim.Member(obj, "id").(string)
	return !ok || got == id
}

// CreatedID is the id a 2xx create answer names: the body's id, else the
// last segment of the Location header, else of meta.location; "" when none.
func CreatedID(resp *scim.Response) string {
	obj, _ := resp.Object()
	if id, ok := scim.Member(obj, "id").(string); ok && id != "" {
		return id
	}
	loc := resp.Header.Get("Location")
	if meta, ok := scim.Member(obj, "meta").(map[string]any); ok && loc == "" {
		loc, _ = scim.Member(meta, "location").(string)
	}
	if u, err := url.Parse(loc); err == nil {
		loc = u.EscapedPath()
	}
	loc = strings.TrimRight(loc, "/")
	if i := strings.LastIndexByte(loc, '/'); i >= 0 && i < len(loc)-1 {
		if id, err := url.PathUnescape(loc[i+1:]); err == nil {
			return id
		}
	}
	return ""
}

func firstValue(ident map[string]string) string {
	for _, attr := range identityAttributes {
		if v, ok := ident[attr]; ok {
			return v
		}
	}
	return ""
}
