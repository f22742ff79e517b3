package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	"github.com/scimconform/scimconform/internal/ledger"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// runPrefix is the form of every run prefix: nothing else may be swept.
var runPrefix = regexp.MustCompile(`^scimconform-[0-9a-f]{8}$`)

// Cleanup deletes what an earlier run left on the target at cfg.URL (kept
// with --keep, or leaked): every User and Group whose name starts with
// prefix, found through a filtered listing and deleted only when the name
// really carries the prefix. The prefix must have the form of a run prefix
// (scimconform-<8 hex>), so no other data can match. It prints what it
// deleted and returns 0 when nothing is left, 1 when some resource could not
// be deleted, 2 (with err) for usage, configuration or preflight errors.
func Cleanup(ctx context.Context, cfg Config, prefix string, stdout io.Writer) (code int, err error) {
	red := cfg.redactor()
	defer func() { err = redactErr(err, red) }()
	switch {
	case !runPrefix.MatchString(prefix):
		return ExitUsage, fmt.Errorf("prefix %q is not a run prefix (scimconform-<8 hex digits>, printed by the run and stored in report.json)", prefix)
	case cfg.Embedded():
		return ExitUsage, errors.New("url: cleanup needs --url (the embedded reference server keeps nothing between runs)")
	}
	if err := cfg.Validate(); err != nil {
		return ExitUsage, err
	}
	auth, err := cfg.authenticator()
	if err != nil {
		return ExitUsage, err
	}
	owned := ledger.New(prefix)
	client, err := cfg.newClient(cfg.URL, auth, scim.NewRecorder(), owned)
	if err != nil {
		return ExitUsage, err
	}
	red = client.Redactor()
	ctx, cancel := context.WithTimeout(ctx, min(cfg.Timeout, sweepTimeout))
	defer cancel()
	pf, err := preflight(ctx, client, auth != nil)
	if err != nil {
		return ExitUsage, err
	}
	if !pf.Caps.Has(spec.FeatureFilter) {
		return ExitUsage, errors.New("the target does not advertise filtering, so resources cannot be found by prefix; delete them by the ids report.json lists")
	}
	sw := &sweeper{client: client, ledger: owned, caps: pf.Caps, prefix: prefix, requestTimeout: min(cfg.RequestTimeout, sweepRequestTimeout)}
	start := time.Now()
	out, notes := sw.run(ctx)
	for _, r := range out.Swept {
		fmt.Fprintf(stdout, "deleted %s\n", red.String(r))
	}
	for _, r := range out.Leaked {
		fmt.Fprintf(stdout, "could not delete %s\n", red.String(r))
	}
	for _, r := range out.Uncertain {
		fmt.Fprintf(stdout, "uncertain: %s\n", r)
	}
	for _, n := range notes {
		fmt.Fprintf(stdout, "note: %s\n", red.String(n))
	}
	fmt.Fprintf(stdout, "%d resources with prefix %s deleted, %d left, in %s\n", len(out.Swept), prefix, len(out.Leaked),
		time.Since(start).Round(time.Millisecond))
	if len(out.Leaked) > 0 || len(out.Uncertain) > 0 || len(notes) > 0 {
		return ExitNotConformant, nil
	}
	return ExitConformant, nil
}
