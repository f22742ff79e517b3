package runner

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/fault"
)

// Embedded is a running embedded reference server.
type Embedded struct {
	// URL is its SCIM base URL; Token its bearer token.
	URL, Token string
	running    *refserver.Running
}

// StartEmbedded starts the reference server on a free loopback port with the
// given bearer token ("" = a random one), further tenants (each with its own
// store and bearer token) and fault switches.
func StartEmbedded(token string, tenants []refserver.Tenant, faults []string) (*Embedded, error) {
	set, err := fault.NewSet(refserver.AllFaults(), faults...)
	if err != nil {
		return nil, fmt.Errorf("ref-fault: %w", err)
	}
	if token == "" {
		token = RandomToken()
	}
	r, err := refserver.Listen("127.0.0.1:0", refserver.Options{Token: token, Tenants: tenants, Faults: set})
	if err != nil {
		return nil, fmt.Errorf("embedded reference server: %w", err)
	}
	return &Embedded{URL: r.URL, Token: token, running: r}, nil
}

// DefaultEmbeddedTenant names the second tenant the embedded server starts
// when the config names none, so that the default run checks tenant
// isolation too (the reference server supports tenants; a user expects a
// run without --url to exercise every suite it can).
const DefaultEmbeddedTenant = "tenant-b"

// Close stops the server, waiting at most five seconds for open requests.
func (e *Embedded) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return e.running.Close(ctx)
}

// RandomToken returns 32 random hex characters.
func RandomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
