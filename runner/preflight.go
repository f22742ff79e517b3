package runner

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// PreflightError is a target problem found before any spec runs: the run
// stops with exit code 2 and this one-line message.
type PreflightError struct{ Msg string }

func (e *PreflightError) Error() string { return e.Msg }

// Preflight is what the harness learned from the discovery endpoints.
type Preflight struct {
	Caps      *caps.Capabilities
	Discovery caps.Discovery
	// Notes are observations for the report (an unreadable /Schemas, ...).
	Notes []string
}

// preflight GETs /ServiceProviderConfig, /ResourceTypes and /Schemas once and
// derives the capabilities. It fails with a *PreflightError when the target
// cannot be reached, rejects the credentials, or serves no usable
// ServiceProviderConfig; problems with the other two documents are notes (the
// discovery suite judges them).
func preflight(ctx context.Context, client *scim.Client, credentialed bool) (*Preflight, error) {
	base := client.BaseURL()
	pf := &Preflight{}
	docs := []struct {
		path string
		dst  *[]byte
	}{
		{"/ServiceProviderConfig", &pf.Discovery.ServiceProviderConfig},
		{"/ResourceTypes", &pf.Discovery.ResourceTypes},
		{"/Schemas", &pf.Discovery.Schemas},
	}
	for i, d := range docs {
		resp, err := client.Get(ctx, d.path, nil)
		if err == nil && i == 0 && resp.Status == http.StatusNotAcceptable {
			resp, err = plainJSONFallback(ctx, client, d.path, resp, pf)
		}
		if err != nil {
			return nil, &PreflightError{Msg: fmt.Sprintf("cannot reach %s: %s", base, transportReason(err))}
		}
		if resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden {
			return nil, &PreflightError{Msg: authMessage(base, d.path, resp.Status, credentialed)}
		}
		if resp.Status < 200 || resp.Status > 299 {
			if i == 0 {
				return nil, &PreflightError{Msg: fmt.Sprintf("%s: GET %s answered %d %s; is this the SCIM base URL?",
					base, d.path, resp.Status, http.StatusText(resp.Status))}
			}
			pf.Notes = append(pf.Notes, fmt.Sprintf("preflight: GET %s answered %d; capabilities from it are unknown", d.path, resp.Status))
			continue
		}
		if resp.Truncated {
			pf.Notes = append(pf.Notes, fmt.Sprintf("preflight: GET %s exceeded the response size cap", d.path))
		}
		*d.dst = resp.Body
	}
	c, err := caps.FromDiscovery(pf.Discovery)
	if err != nil {
		return nil, &PreflightError{Msg: fmt.Sprintf("%s: GET /ServiceProviderConfig did not return a JSON object; is this the SCIM base URL?", base)}
	}
	if u, _ := c.Get(spec.FeatureUsers); u.Source == caps.SourceDefault {
		pf.Notes = append(pf.Notes, "preflight: /ResourceTypes could not be read; Users and Groups are assumed at /Users and /Groups")
	}
	pf.Caps = c
	return pf, nil
}

// plainJSONFallback handles a 406 to the run's usual Accept header (the SCIM
// media type, plain JSON as second choice): when the same document is served
// to "Accept: application/json", the run goes on with that header, so the
// media-type specs can report the refusal (RFC 7644 §3.8, 7644-3.8-05) instead
// of the whole run stopping at preflight. Otherwise the first answer stands.
func plainJSONFallback(ctx context.Context, client *scim.Client, path string, first *scim.Response, pf *Preflight) (*scim.Response, error) {
	resp, err := client.Do(ctx, scim.Request{Method: http.MethodGet, Path: path, Header: http.Header{"Accept": {"application/json"}}})
	if err != nil || resp.Status < 200 || resp.Status > 299 {
		return first, nil //nolint:nilerr // the fallback failed too: the first answer is the one to report
	}
	client.SetAccept("application/json")
	pf.Notes = append(pf.Notes, fmt.Sprintf(
		"preflight: GET %s answered 406 to \"Accept: %s\" but 200 to \"Accept: application/json\"; the run sends \"Accept: application/json\" (7644-3.8-05 judges the refusal)",
		path, scim.DefaultAccept))
	return resp, nil
}

// transportReason is the reason of a client transport error without the
// request line ("cannot connect (...)").
func transportReason(err error) string {
	var te *scim.TransportError
	if errors.As(err, &te) && te.Reason != "" {
		return oneLine(te.Reason)
	}
	msg := oneLine(err.Error())
	if method, rest, ok := strings.Cut(msg, " "); ok && method == strings.ToUpper(method) {
		if _, reason, ok := strings.Cut(rest, ": "); ok {
			return reason
		}
	}
	return msg
}

func authMessage(base, path string, status int, credentialed bool) string {
	what := "rejected the credentials"
	hint := "check the token or password"
	if !credentialed {
		what = "requires credentials"
		hint = "set " + EnvToken + ", --token-file, " + EnvUser + "/" + EnvPassword + " or OAuth2"
	}
	return fmt.Sprintf("%s %s (GET %s answered %d %s); %s", base, what, path, status, http.StatusText(status), hint)
}
