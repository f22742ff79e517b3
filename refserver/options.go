package refserver

import (
	"fmt"
	"strings"
	"time"

	"github.com/scimconform/scimconform/refserver/fault"
)

// Defaults of Options.
const (
	DefaultBasePath           = "/scim/v2"
	DefaultPrincipal          = "principal"
	DefaultMaxResults         = 1000
	DefaultMaxPageSize        = 500
	DefaultPageSize           = 100
	DefaultBulkMaxOperations  = 1000
	DefaultBulkMaxPayloadSize = 1 << 20
	DefaultMaxBodyBytes       = 2 << 20
	// DefaultMaxResources bounds the store of an embedded server: far above
	// the ~550 resources a full conformance run creates. `scimconform
	// serve` uses its own, lower default (--max-resources).
	DefaultMaxResources = 1_000_000
	// CursorTimeout is the advertised RFC 9865 cursorTimeout: a cursor stays
	// valid this long after the response that issued it.
	CursorTimeout = time.Hour
)

// Options configures a reference server. The zero value is usable: every
// zero field takes its default.
type Options struct {
	// Token is the bearer token required on every request; "" disables auth.
	Token string
	// Tenants are further tenants, each with its own bearer token and its
	// own store (RFC 7644 §6); requests with Token reach the main tenant.
	// Tenants need Token.
	Tenants []Tenant
	// Principal is the userName of the /Me subject, seeded at start
	// (default "principal").
	Principal string
	// Faults are the enabled fault switches (see AllFaults).
	Faults fault.Set
	// BasePath is the path prefix of every endpoint (default "/scim/v2").
	BasePath string
	// MaxResults is the advertised filter.maxResults (default 1000): no
	// response carries more resources.
	MaxResults int
	// MaxPageSize is the RFC 9865 maxPageSize (default 500).
	MaxPageSize int
	// BulkMaxOperations is the advertised bulk.maxOperations (default 1000).
	BulkMaxOperations int
	// BulkMaxPayloadSize is the advertised bulk.maxPayloadSize in bytes
	// (default 1 MiB).
	BulkMaxPayloadSize int
	// MaxBodyBytes bounds non-bulk request bodies (default 2 MiB); larger
	// bodies are answered 413.
	MaxBodyBytes int64
	// MaxResources is the most resources (Users and Groups, the /Me
	// principal included) the store holds (default DefaultMaxResources);
	// creating one more is answered 507 Insufficient Storage.
	MaxResources int
	// ThrottleEvery > 0 answers every ThrottleEvery-th request 429 with
	// Retry-After: 1 (ThrottleRetryAfter) without processing it, as a
	// rate-limited service does; 0 never throttles. A throttled service is
	// still conformant: a client retrying after the pause must see no
	// difference but time.
	ThrottleEvery int
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Tenant is one further tenant of a server: a name (for messages) and the
// bearer token that selects it.
type Tenant struct {
	Name  string
	Token string
}

// checkTenants wants a main token, and for each tenant a name and a token
// used by no other tenant.
func (o Options) checkTenants() error {
	if len(o.Tenants) > 0 && o.Token == "" {
		return fmt.Errorf("refserver: tenants need a main token")
	}
	names, tokens := map[string]bool{}, map[string]bool{o.Token: true}
	for _, t := range o.Tenants {
		switch {
		case t.Name == "" || t.Token == "":
			return fmt.Errorf("refserver: every tenant needs a name and a token")
		case names[t.Name]:
			return fmt.Errorf("refserver: tenant %q is configured twice", t.Name)
		case tokens[t.Token]:
			return fmt.Errorf("refserver: tenant %q has the token of another tenant", t.Name)
		}
		names[t.Name], tokens[t.Token] = true, true
	}
	return nil
}

// withDefaults fills zero fields and normalises BasePath.
func (o Options) withDefaults() (Options, error) {
	if err := o.checkTenants(); err != nil {
		return o, err
	}
	if o.Principal == "" {
		o.Principal = DefaultPrincipal
	}
	if o.BasePath == "" {
		o.BasePath = DefaultBasePath
	}
	if !strings.HasPrefix(o.BasePath, "/") || strings.ContainsAny(o.BasePath, "?#") {
		return o, fmt.Errorf("refserver: base path %q must start with / and hold no query", o.BasePath)
	}
	o.BasePath = strings.TrimRight(o.BasePath, "/")
	o.MaxResults = positive(o.MaxResults, DefaultMaxResults)
	o.MaxPageSize = positive(o.MaxPageSize, DefaultMaxPageSize)
	o.BulkMaxOperations = positive(o.BulkMaxOperations, DefaultBulkMaxOperations)
	o.BulkMaxPayloadSize = positive(o.BulkMaxPayloadSize, DefaultBulkMaxPayloadSize)
	o.MaxResources = positive(o.MaxResources, DefaultMaxResources)
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Faults == nil {
		o.Faults = fault.Set{}
	}
	return o, nil
}

func positive(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// defaultPageSize is the page size used when a query gives no count.
func (o Options) defaultPageSize() int {
	return min(DefaultPageSize, o.MaxPageSize, o.MaxResults)
}
