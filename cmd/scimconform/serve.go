package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/runner"
)

// defaultServeMaxResources bounds the memory of a standalone reference
// server left running (a few KiB per resource: about 0.5 GiB at most).
const defaultServeMaxResources = 100_000

// envServeToken sets the bearer token of `scimconform serve`.
const envServeToken = "SCIMCONFORM_SERVE_TOKEN"

// multiFlag is a repeatable, comma-separated string flag.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }

func (m *multiFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*m = append(*m, p)
		}
	}
	return nil
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (port 0: a free port)")
	token := fs.String("token", "", "bearer token clients must send (default: "+envServeToken+", else random)")
	noAuth := fs.Bool("no-auth", false, "accept requests without credentials")
	listFaults := fs.Bool("list-faults", false, "list the fault switches and exit")
	maxResources := fs.Int("max-resources", defaultServeMaxResources, "most resources (Users and Groups) the server holds")
	throttle := fs.Int("throttle", 0, "answer every Nth request 429 with Retry-After: 1 (0: never)")
	var faults multiFlag
	fs.Var(&faults, "fault", "enable a fault switch (repeatable, comma-separated)")
	var tenants tenantFlag
	fs.Var(&tenants, "tenant", "a further tenant NAME=TOKEN with its own store (repeatable; NAME alone: a random token)")
	err := fs.Parse(args)
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if code, ok := parseOrUsage(err, "serve", stdout, stderr, printServeUsage); !ok {
		return code
	}
	if *listFaults {
		printFaults(stdout)
		return 0
	}
	if *maxResources < 1 {
		fail(stderr, fmt.Errorf("serve: --max-resources %d must be at least 1", *maxResources))
		return runner.ExitUsage
	}
	if *throttle < 0 {
		fail(stderr, fmt.Errorf("serve: --throttle %d must be 0 (never) or more", *throttle))
		return runner.ExitUsage
	}
	set, err := fault.NewSet(refserver.AllFaults(), faults...)
	if err != nil {
		fail(stderr, fmt.Errorf("serve: %w", err))
		return runner.ExitUsage
	}
	tok, authLine := serveToken(*token, *noAuth)
	if len(tenants) > 0 && tok == "" {
		fail(stderr, fmt.Errorf("serve: --tenant needs authentication (it cannot be combined with --no-auth)"))
		return runner.ExitUsage
	}
	srv, err := refserver.Listen(*addr, refserver.Options{Token: tok, Faults: set, MaxResources: *maxResources, ThrottleEvery: *throttle,
		Tenants: []refserver.Tenant(tenants)})
	if err != nil {
		fail(stderr, fmt.Errorf("serve: %w", err))
		return runner.ExitUsage
	}
	fmt.Fprintf(stdout, "scimconform reference server %s\n", runner.Version())
	fmt.Fprintf(stdout, "  base URL: %s\n", srv.URL)
	fmt.Fprintf(stdout, "  auth:     %s\n", authLine)
	for _, t := range tenants {
		fmt.Fprintf(stdout, "  tenant:   %s, Authorization: Bearer %s  (its own Users, Groups, Devices)\n", t.Name, t.Token)
	}
	fmt.Fprintf(stdout, "  storage:  in memory, at most %d resources (--max-resources)\n", *maxResources)
	if *throttle > 0 {
		fmt.Fprintf(stdout, "  throttle: one request in %d answered 429, Retry-After: %s (--throttle)\n", *throttle, refserver.ThrottleRetryAfter)
	}
	if len(faults) > 0 {
		fmt.Fprintf(stdout, "  faults:   %s\n", strings.Join(faults, ", "))
	} else {
		fmt.Fprintln(stdout, "  faults:   none (conformant)")
	}
	fmt.Fprintln(stdout, "Press Ctrl-C to stop.")
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Close(sctx); err != nil {
		fail(stderr, fmt.Errorf("serve: stopping: %w", err))
		return runner.ExitUsage
	}
	fmt.Fprintln(stdout, "stopped")
	return 0
}

// serveToken picks the bearer token and describes it for the banner.
func serveToken(flagToken string, noAuth bool) (token, describe string) {
	switch {
	case noAuth:
		return "", "none (--no-auth)"
	case flagToken != "":
		return flagToken, "Authorization: Bearer " + flagToken
	}
	if t := strings.TrimSpace(os.Getenv(envServeToken)); t != "" {
		return t, "Authorization: Bearer <the token in " + envServeToken + ">"
	}
	t := runner.RandomToken()
	return t, "Authorization: Bearer " + t + "  (random; fix it with --token or " + envServeToken + ")"
}

// tenantFlag is the repeatable --tenant NAME=TOKEN flag; NAME alone gets a
// random token.
type tenantFlag []refserver.Tenant

func (t *tenantFlag) String() string { return "" }

func (t *tenantFlag) Set(v string) error {
	name, token, _ := strings.Cut(v, "=")
	name, token = strings.TrimSpace(name), strings.TrimSpace(token)
	if name == "" {
		return fmt.Errorf("want NAME=TOKEN")
	}
	if token == "" {
		token = runner.RandomToken()
	}
	*t = append(*t, refserver.Tenant{Name: name, Token: token})
	return nil
}

func printFaults(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FAULT\tAREA\tREQUIREMENT\tWHAT THE SERVER DOES WRONG")
	for _, f := range fault.Sorted(refserver.AllFaults()) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Name, f.Area, f.Req, f.Summary)
	}
	_ = tw.Flush()
}

func printServeUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: scimconform serve [--addr 127.0.0.1:8080] [--token T] [--tenant NAME=TOKEN ...] [--max-resources N] [--throttle N] [--fault NAME ...] [--list-faults]

Runs the reference SCIM 2.0 service provider (in memory: Users with the
enterprise extension, Groups, Devices (a custom resource type), discovery,
filters, sort, paging, PATCH, Bulk, ETags, /Me) in the foreground until
Ctrl-C. It prints its base URL and the Authorization header clients must
send. Fault switches make it break one rule each, to see what a failing run
looks like.

Flags:
  --addr HOST:PORT   listen address (default 127.0.0.1:8080; port 0 picks a free port)
  --token T          bearer token (default: $SCIMCONFORM_SERVE_TOKEN, else a random one)
  --no-auth          accept requests without credentials
  --tenant NAME=TOKEN  a further tenant: requests with this bearer token see
                     their own store (Users, Groups, Devices, ids, userName
                     uniqueness, Bulk, /Me); repeatable; NAME alone picks a
                     random token. The --token tenant is the main one.
  --max-resources N  most Users and Groups held (default 100000, the /Me user
                     included); a create beyond it is answered 507
  --throttle N       answer every Nth request 429 Too Many Requests with
                     Retry-After: 1, unprocessed, as a rate-limited service
                     does (default 0: never); still conformant
  --fault NAME       enable a fault switch (repeatable, comma-separated)
  --list-faults      list the fault switches (name, area, requirement id, summary) and exit

Examples:
  scimconform serve --addr 127.0.0.1:9000 --token dev
  scimconform serve --fault create-no-location
  scimconform serve --throttle 50                    # every 50th request is throttled
  scimconform serve --token dev --tenant acme=acme-token --tenant globex=globex-token
  scimconform run --ref-fault create-no-location     # the embedded server, with a fault
`)
}
