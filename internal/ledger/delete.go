package ledger

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"

	"github.com/scimconform/scimconform/internal/scim"
)

// NewPrefix returns a fresh run prefix: scimconform-<8 hex>. Every name the
// run creates starts with it, and ownership is proven by it.
func NewPrefix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return "scimconform-" + hex.EncodeToString(b)
}

// Delete deletes r on the target and records it as gone; 404 counts as gone.
// The client's guard refuses the DELETE unless the ledger owns r.
func (l *Ledger) Delete(ctx context.Context, c *scim.Client, r Resource) error {
	resp, err := c.Do(ctx, scim.Request{Method: http.MethodDelete, Path: r.Path()})
	if err != nil {
		return err
	}
	if resp.Status >= 200 && resp.Status < 300 || resp.Status == http.StatusNotFound {
		l.Deleted(r.Endpoint, r.ID)
		return nil
	}
	return fmt.Errorf("DELETE %s answered %d", r.Path(), resp.Status)
}
