package runner

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/ledger"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/reports"
)

const (
	// sweepPages bounds how many list pages the prefix sweep reads per endpoint.
	sweepPages = 20
	// sweepWorkers bounds the sweep's requests in flight.
	sweepWorkers = 8
	// sweepRequestTimeout bounds one sweep request (shorter after an
	// interrupt), so a server that stopped answering cannot hold the run.
	sweepRequestTimeout     = 15 * time.Second
	sweepInterruptedTimeout = 5 * time.Second
	// sweepDeadAfter consecutive transport failures end the sweep: the
	// target stopped answering.
	sweepDeadAfter = 3
)

// sweeper deletes what the run left on the target after the suite, and
// accounts for it exactly: "leaked" means confirmed present afterwards.
type sweeper struct {
	client *scim.Client
	// tenants are the clients of further tenants by name: a resource a
	// tenant created is deleted and listed with its credential only.
	tenants  map[string]*scim.Client
	ledger   *ledger.Ledger
	caps     *caps.Capabilities
	prefix   string
	keep     bool
	readOnly bool
	// requestTimeout bounds each request (0: sweepRequestTimeout).
	requestTimeout time.Duration

	mu        sync.Mutex
	leaked    map[string]string // path -> line
	uncertain map[string]string // path or key -> line
	swept     map[string]string // path -> line
	notes     []string
	failures  atomic.Int32 // consecutive transport failures
	dead      atomic.Bool
}

// sweepTarget is a resource type the prefix sweep lists.
type sweepTarget struct {
	feature  spec.Feature
	resource string
	attr     string
}

// sweepTargets are the resource types the prefix sweep lists: Users by
// userName, Groups by displayName, and every other published type by
// externalId (the custom type specs give each resource a run-prefixed one).
func sweepTargets(c *caps.Capabilities) []sweepTarget {
	out := []sweepTarget{{spec.FeatureUsers, "User", "userName"}, {spec.FeatureGroups, "Group", "displayName"}}
	for _, rt := range c.CustomResourceTypes() {
		out = append(out, sweepTarget{spec.FeatureCustomTypes, rt.Name, "externalId"})
	}
	return out
}

// clientFor is the client of tenant ("" = the main credential).
func (s *sweeper) clientFor(tenant string) *scim.Client {
	if c, ok := s.tenants[tenant]; ok && tenant != "" {
		return c
	}
	return s.client
}

// credentials lists "" (the main credential) and every tenant, sorted.
func (s *sweeper) credentials() []string {
	out := []string{""}
	for name := range s.tenants {
		out = append(out, name)
	}
	sort.Strings(out[1:])
	return out
}

// run performs the final sweep and returns its outcome and report notes:
// first every resource the ledger owns and still holds live, then (when the
// target filters) every User/Group whose name carries the run prefix, each
// proven to be the run's by reading it before it is deleted. A delete that
// fails is checked by a read: present means leaked, absent means gone, no
// answer means uncertain. Creates whose outcome the run never saw stay
// uncertain unless a prefix listing of their endpoint settled them.
func (s *sweeper) run(ctx context.Context) (reports.Cleanup, []string) {
	s.leaked, s.uncertain, s.swept = map[string]string{}, map[string]string{}, map[string]string{}
	out := reports.Cleanup{Kept: s.keep}
	if s.keep {
		for _, r := range s.ledger.Live() {
			s.notes = append(s.notes, reports.KeptNotePrefix+r.String())
		}
		s.addUncertainCreates(nil)
		return s.outcome(out), s.notes
	}
	s.deleteAll(ctx, s.ledger.Live())
	listed := map[string]bool{}
	if !s.readOnly && s.caps.Has(spec.FeatureFilter) {
		for _, t := range sweepTargets(s.caps) {
			if !s.caps.Has(t.feature) || s.dead.Load() {
				continue
			}
			endpoint := endpointOf(s.caps, t.resource)
			complete := true
			for _, tenant := range s.credentials() {
				complete = s.sweepListed(ctx, tenant, endpoint, t.attr) && complete
			}
			listed[strings.ToLower(endpoint)] = complete
		}
	}
	s.addUncertainCreates(listed)
	if s.dead.Load() {
		s.notes = append(s.notes, "final sweep: the target stopped answering, so the sweep ended early")
	}
	return s.outcome(out), s.notes
}

func (s *sweeper) outcome(out reports.Cleanup) reports.Cleanup {
	out.Created = s.ledger.Created()
	out.Swept = sortedValues(s.swept)
	out.Leaked = sortedValues(s.leaked)
	out.Uncertain = sortedValues(s.uncertain)
	out.Disowned = s.ledger.Disowned()
	return out
}

// addUncertainCreates reports the creates whose outcome the run never saw,
// except on endpoints a complete prefix listing settled.
func (s *sweeper) addUncertainCreates(settled map[string]bool) {
	for i, u := range s.ledger.Uncertain() {
		if settled[strings.ToLower(u.Endpoint)] {
			continue
		}
		s.uncertain["create "+strconv.Itoa(i)] = "possibly created: " + u.String()
	}
}

// sweepListed lists endpoint by prefix with the credential of tenant and
// deletes what it proves to be the run's. It reports whether the listing
// was complete.
func (s *sweeper) sweepListed(ctx context.Context, tenant, endpoint, attr string) bool {
	client := s.clientFor(tenant)
	found, err := s.list(ctx, client, endpoint, attr)
	if err != nil {
		where := ""
		if tenant != "" {
			where = " in tenant " + tenant
		}
		s.notes = append(s.notes, fmt.Sprintf("final sweep: listing %s%s failed: %s", endpoint, where, oneLine(err.Error())))
	}
	var mine []ledger.Resource
	for _, id := range found {
		if s.ledger.IsLive(endpoint, id) {
			continue // its delete failed above and is accounted for already
		}
		if s.ledger.Owns(endpoint, id) { // deleted, yet listed: try again
			mine = append(mine, ledger.Resource{Endpoint: endpoint, ID: id, Tenant: tenant})
			continue
		}
		rctx, cancel := s.requestContext(ctx)
		res, perr := s.ledger.ClaimListed(rctx, client, endpoint, id, attr)
		cancel()
		s.observe(perr)
		if perr == nil {
			s.ledger.Assign(endpoint, id, tenant)
			res.Tenant = tenant
			mine = append(mine, res)
		}
	}
	s.deleteAll(ctx, mine)
	return err == nil
}

// deleteAll deletes resources concurrently and accounts for each.
func (s *sweeper) deleteAll(ctx context.Context, resources []ledger.Resource) {
	jobs := make(chan ledger.Resource)
	var wg sync.WaitGroup
	for range sweepWorkers {
		wg.Go(func() {
			for r := range jobs {
				s.deleteOne(ctx, r)
			}
		})
	}
	for _, r := range resources {
		jobs <- r
	}
	close(jobs)
	wg.Wait()
}

// deleteOne deletes r; when that fails it reads r to tell leaked from gone.
func (s *sweeper) deleteOne(ctx context.Context, r ledger.Resource) {
	if s.dead.Load() {
		s.setUncertain(r, "not deleted: the target stopped answering")
		return
	}
	rctx, cancel := s.requestContext(ctx)
	defer cancel()
	client := s.clientFor(r.Tenant)
	err := s.ledger.Delete(rctx, client, r)
	s.observe(err)
	if err == nil {
		s.mu.Lock()
		s.swept[r.Path()] = r.String()
		s.mu.Unlock()
		return
	}
	resp, gerr := client.Get(rctx, r.Path(), url.Values{"attributes": {"id"}})
	s.observe(gerr)
	switch {
	case gerr == nil && resp.Status == http.StatusNotFound:
		s.ledger.Deleted(r.Endpoint, r.ID) // gone after all
	case gerr == nil && resp.Status == http.StatusOK:
		s.mu.Lock()
		s.leaked[r.Path()] = r.String() + ": " + oneLine(err.Error())
		s.mu.Unlock()
	default:
		s.setUncertain(r, "delete failed ("+oneLine(err.Error())+") and a read could not tell whether it is still there")
	}
}

func (s *sweeper) setUncertain(r ledger.Resource, why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.uncertain[r.Path()] = r.String() + ": " + why
}

// requestContext bounds one sweep request.
func (s *sweeper) requestContext(ctx context.Context) (context.Context, context.CancelFunc) {
	d := s.requestTimeout
	if d <= 0 {
		d = sweepRequestTimeout
	}
	return context.WithTimeout(ctx, d)
}

// observe counts consecutive transport failures; after sweepDeadAfter of
// them the target is taken to have stopped answering.
func (s *sweeper) observe(err error) {
	var terr *scim.TransportError
	if err != nil && (errors.As(err, &terr) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)) {
		if s.failures.Add(1) >= sweepDeadAfter {
			s.dead.Store(true)
		}
		return
	}
	s.failures.Store(0)
}

// list finds the ids of endpoint whose attr starts with the prefix.
func (s *sweeper) list(ctx context.Context, client *scim.Client, endpoint, attr string) ([]string, error) {
	var found []string
	seen := map[string]bool{}
	start := 1
	for page := 0; page < sweepPages; page++ {
		q := url.Values{"filter": {fmt.Sprintf("%s sw %q", attr, s.prefix)},
			"startIndex": {strconv.Itoa(start)}, "count": {"100"}}
		rctx, cancel := s.requestContext(ctx)
		resp, err := client.Get(rctx, endpoint, q)
		cancel()
		s.observe(err)
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
			if id == "" || !ledger.HasPrefix(memberString(res, attr), s.prefix) || seen[id] {
				continue
			}
			seen[id] = true
			found = append(found, id)
		}
		start += len(lr.Resources)
		if len(lr.Resources) == 0 || start > lr.TotalResults {
			return found, nil
		}
	}
	return found, fmt.Errorf("stopped after %d pages (%d resources); run `scimconform cleanup --prefix %s` for the rest",
		sweepPages, start-1, s.prefix)
}

// endpointOf is the endpoint of a resource type, "/Users" style.
func endpointOf(c *caps.Capabilities, resource string) string {
	if rt, ok := c.ResourceType(resource); ok && rt.Endpoint != "" {
		return "/" + strings.TrimLeft(rt.Endpoint, "/")
	}
	return "/" + resource + "s"
}

// memberString reads a string member case-insensitively ("" when absent).
func memberString(m map[string]any, name string) string {
	v, _ := scim.Member(m, name).(string)
	return v
}

func sortedValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}
