package runner

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/suites"
)

// sweepPages bounds how many list pages the prefix sweep reads per endpoint.
const sweepPages = 20

// sweeper deletes what the run left on the target after the suite.
type sweeper struct {
	client   *scim.Client
	tracker  *suites.Tracker
	caps     *caps.Capabilities
	prefix   string
	keep     bool
	readOnly bool
}

// run performs the final sweep and returns its outcome and report notes:
// first every resource the tracker still knows, then (when the target
// filters) every User/Group whose name carries this run's prefix. A resource
// found by the listing is deleted only when its name really starts with the
// prefix, so a server that ignores filters cannot make the sweep delete data
// the run did not create.
func (s *sweeper) run(ctx context.Context) (reports.Cleanup, []string) {
	out := reports.Cleanup{Created: s.tracker.CreatedCount(), Kept: s.keep}
	var notes []string
	if s.keep {
		for _, r := range s.tracker.Live() {
			notes = append(notes, "kept (--keep): "+describeResource(r))
		}
		return out, notes
	}
	for _, r := range s.tracker.Live() {
		if err := suites.DeleteResource(ctx, s.client, s.tracker, r); err != nil {
			out.Leaked = append(out.Leaked, describeResource(r)+": "+oneLine(err.Error()))
			continue
		}
		out.Swept = append(out.Swept, describeResource(r))
	}
	if s.readOnly || !s.caps.Has(spec.FeatureFilter) {
		return out, notes
	}
	targets := []struct {
		feature  spec.Feature
		resource string
		attr     string
	}{{spec.FeatureUsers, "User", "userName"}, {spec.FeatureGroups, "Group", "displayName"}}
	for _, t := range targets {
		if !s.caps.Has(t.feature) {
			continue
		}
		endpoint := endpointOf(s.caps, t.resource)
		found, err := s.list(ctx, endpoint, t.attr)
		if err != nil {
			notes = append(notes, fmt.Sprintf("final sweep: listing %s failed: %s", endpoint, oneLine(err.Error())))
		}
		for _, r := range found {
			if err := suites.DeleteResource(ctx, s.client, s.tracker, r); err != nil {
				out.Leaked = append(out.Leaked, describeResource(r)+": "+oneLine(err.Error()))
				continue
			}
			out.Swept = append(out.Swept, describeResource(r))
		}
	}
	return out, notes
}

// list finds the resources of endpoint whose attr starts with the prefix.
func (s *sweeper) list(ctx context.Context, endpoint, attr string) ([]suites.Resource, error) {
	var found []suites.Resource
	seen := map[string]bool{}
	start := 1
	for page := 0; page < sweepPages; page++ {
		q := url.Values{"filter": {fmt.Sprintf("%s sw %q", attr, s.prefix)},
			"startIndex": {strconv.Itoa(start)}, "count": {"100"}}
		resp, err := s.client.Get(ctx, endpoint, q)
		if err != nil {
			return found, err
		}
		if resp.Status != 200 {
			return found, fmt.Errorf("GET %s answered %d", endpoint, resp.Status)
		}
		var lr struct {
			TotalResults int              `json:"totalResults"`
			Resources    []map[string]any `json:"Resources"`
		}
		if err := resp.JSON(&lr); err != nil {
			return found, err
		}
		for _, res := range lr.Resources {
			id, _ := res["id"].(string)
			name := stringMember(res, attr)
			if id == "" || !strings.HasPrefix(name, s.prefix) || seen[id] {
				continue
			}
			seen[id] = true
			found = append(found, suites.Resource{Endpoint: endpoint, ID: id, Name: name})
		}
		start += len(lr.Resources)
		if len(lr.Resources) == 0 || start > lr.TotalResults {
			return found, nil
		}
	}
	return found, fmt.Errorf("stopped after %d pages (%d resources); run `scimconform cleanup --prefix %s` for the rest",
		sweepPages, start-1, s.prefix)
}

// stringMember reads a string member case-insensitively.
func stringMember(m map[string]any, key string) string {
	for k, v := range m {
		if strings.EqualFold(k, key) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

// endpointOf is the endpoint of a resource type, "/Users" style.
func endpointOf(c *caps.Capabilities, resource string) string {
	if rt, ok := c.ResourceType(resource); ok && rt.Endpoint != "" {
		return "/" + strings.TrimLeft(rt.Endpoint, "/")
	}
	return "/" + resource + "s"
}

func describeResource(r suites.Resource) string {
	if r.Name != "" {
		return r.Path() + " (" + r.Name + ")"
	}
	return r.Path()
}
