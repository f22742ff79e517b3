package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/ledger"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/suites"
)

// sweepTimeout bounds the final sweep, which runs even after a timed-out suite.
const sweepTimeout = 2 * time.Minute

// maxExchanges bounds the run-wide transcript kept for exchanges.har.
const maxExchanges = 50000

// Run performs one conformance run as configured and returns the exit code:
// 0 conformant, 1 not conformant, 2 usage, configuration or preflight error
// (then err says why, in one line, without secrets). It prints live progress
// and the summary on stdout and writes the reports into cfg.Out. The spec
// tree can be declared once per process, so Run runs once per process.
func Run(ctx context.Context, cfg Config, stdout, stderr io.Writer) (code int, err error) {
	var r *run
	defer func() { // runs last: whatever the error says, it says it without secrets
		red := cfg.redactor()
		if r != nil && r.client != nil {
			red = r.client.Redactor()
		}
		err = redactErr(err, red)
	}()
	defer func() {
		if p := recover(); p != nil {
			code, err = ExitUsage, fmt.Errorf("internal error: %v", p)
		}
	}()
	tl := newTimeline(time.Now())
	defer tl.print(stderr)
	if err := cfg.Validate(); err != nil {
		return ExitUsage, err
	}
	sel, _ := cfg.Selection()
	gate, err := cfg.loadGate()
	if err != nil {
		return ExitUsage, err
	}
	seed := cfg.Seed
	if seed == 0 {
		seed = time.Now().Unix()
	}
	env := &suites.Env{}
	if err := buildTree(env); err != nil {
		return ExitUsage, err
	}
	tl.mark("tree built")
	sc := suiteConfig(sel, seed, cfg.FailFast, suiteTimeout(ctx, cfg.Timeout))
	selected := 0
	specs := preview(sc)
	tl.mark("preview done")
	for _, s := range specs {
		if s.Selected {
			selected++
		}
	}
	if selected == 0 {
		return ExitUsage, errNoSpecs
	}
	r = &run{cfg: cfg, env: env, sc: sc, seed: seed, selected: selected, stdout: stdout, stderr: stderr, gate: gate,
		workers: min(cfg.Parallel, parallelUnits(specs)), serialSpecs: serialUnits(specs), tl: tl}
	return r.execute(ctx)
}

// suiteTimeout is the total timeout, shortened to ctx's deadline.
func suiteTimeout(ctx context.Context, total time.Duration) time.Duration {
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl); left < total {
			return max(left, time.Second)
		}
	}
	return total
}

// run is the state of one Run after validation and selection.
type run struct {
	cfg      Config
	env      *suites.Env
	sc       types.SuiteConfig
	seed     int64
	selected int
	stdout   io.Writer
	stderr   io.Writer

	baseURL  string
	embedded *Embedded
	// client is the run's SCIM client once built; its Redactor redacts
	// everything the run prints or writes.
	client  *scim.Client
	started time.Time
	// randomToken: the embedded server's token was generated, not configured.
	randomToken bool
	// gate is what --expect and --baseline loaded.
	gate gate
	// defaultTenant: the embedded server's second tenant was started
	// because the config named none.
	defaultTenant bool
	// tenants are the clients of further tenants, by name.
	tenants map[string]*scim.Client
	// workers is how many worker processes run the specs; 1 or less runs
	// them in this process (the serial run).
	workers int
	// serialSpecs counts the selected specs that run alone (Serial): once
	// they have run, a parallel run's workers may start.
	serialSpecs int
	// tl records the run's phases (SCIMCONFORM_DEBUG_TIMELINE=1).
	tl *timeline
	// auths are the authenticators of the main credential and of each
	// tenant (in config order), for the tokens a worker adopts.
	auths []scim.Authenticator
}

func (r *run) execute(ctx context.Context) (int, error) {
	r.started = time.Now()
	r.tl.mark("run started")
	if err := r.startTarget(); err != nil {
		return ExitUsage, err
	}
	r.tl.mark("target ready")
	if r.embedded != nil {
		defer func() {
			r.closeIdleConnections()
			_ = r.embedded.Close()
			r.tl.mark("embedded server stopped")
		}()
	}
	rec := scim.NewRecorder()
	rec.MaxExchanges, rec.MaxBodyBytes = maxExchanges, scim.DefaultMaxRecordedBytes
	if r.workers > 1 { // the run's budgets are split among the processes
		rec.MaxExchanges, rec.MaxBodyBytes = maxExchanges/(r.workers+1), scim.DefaultMaxRecordedBytes/int64(r.workers+1)
	}
	var spillNotes []string
	spill, err := spillTranscript(rec, "")
	if err != nil { // kept in memory instead, as the budgets allow
		spillNotes = append(spillNotes, fmt.Sprintf("exchanges.har: the transcript was kept in memory: %s", oneLine(err.Error())))
		spill = nil
	} else {
		defer func() { _ = spill.f.Close(); _ = os.Remove(spill.path()) }()
	}
	auth, err := r.cfg.authenticator()
	if err != nil {
		return ExitUsage, err
	}
	tenantAuths, err := r.cfg.tenantAuthenticators()
	if err != nil {
		return ExitUsage, err
	}
	r.env.Prefix = ledger.NewPrefix()
	r.env.Ledger = ledger.New(r.env.Prefix)
	r.auths = append([]scim.Authenticator{auth}, tenantAuths...)
	r.cfg.budget = r.cfg.newBudget() // one budget for the main and every tenant client
	client, err := r.cfg.newClientWith(r.baseURL, auth, tenantAuths, rec, r.env.Ledger)
	if err != nil {
		return ExitUsage, err
	}
	r.client = client
	if r.tenants, err = r.tenantClients(rec, auth, tenantAuths); err != nil {
		return ExitUsage, err
	}
	pctx, cancel := context.WithTimeout(ctx, r.sc.Timeout)
	pf, err := r.preflight(pctx, client, auth)
	for _, c := range r.tenants { // the Accept header preflight settled on
		c.SetAccept(client.Accept())
	}
	if err == nil {
		err = r.preflightTenants(pctx, tenantAuths)
	}
	cancel()
	if err != nil {
		return ExitUsage, err
	}
	r.tl.mark("preflight done")
	r.setTenantsCapability(pf.Caps)
	overrides, _ := r.cfg.FeatureOverrides()
	pf.Caps.Override(overrides)

	r.env.Client, r.env.Recorder, r.env.Caps = client, rec, pf.Caps
	r.env.Keep = r.cfg.Keep
	r.env.Transcript = r.cfg.transcriptPolicy(rec)
	r.env.Templates = map[string]map[string]any{"User": r.cfg.UserTemplate, "Group": r.cfg.GroupTemplate}
	r.env.Credentialed = auth != nil || r.embedded != nil
	r.env.Tenant = r.tenantEnv(r.tenants)
	StatusFrom(ctx).started(r.env.Prefix, client.Redactor().URL(client.BaseURL()), r.embedded != nil)
	r.printHeader(client)

	progress := reports.NewProgress(r.stdout, r.terminalOptions())
	red := client.Redactor().String
	progress.Redact = func(s string) string { return reports.TrimSourcePaths(red(s)) }
	var report types.Report
	var par *parallelOutcome
	if r.workers > 1 {
		if report, par, err = r.runParallel(ctx, r.workers, progress.Spec); err != nil {
			return ExitUsage, err
		}
		defer par.cleanup()
	} else {
		report = runSuite(r.sc, progress.Spec)
	}
	r.tl.mark("specs done")
	report = markStopped(report)

	sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), sweepTimeout)
	sw := &sweeper{client: client, tenants: r.tenants, ledger: r.env.Ledger, caps: pf.Caps, prefix: r.env.Prefix,
		keep: r.cfg.Keep, readOnly: r.cfg.ReadOnly, requestTimeout: min(r.cfg.RequestTimeout, sweepRequestTimeout)}
	if ctx.Err() != nil { // interrupted: a dead server must not hold the exit long
		sw.requestTimeout = min(sw.requestTimeout, sweepInterruptedTimeout)
	}
	cleanup, sweepNotes := sw.run(sctx)
	scancel()
	r.tl.mark("sweep done")

	doc := r.document(client, pf, report, cleanup, append(pf.Notes, sweepNotes...))
	exchanges, dropped, summarised, notes := r.transcript(&doc, rec, spill, par)
	doc.Metadata.Notes = append(doc.Metadata.Notes, append(spillNotes, notes...)...)
	if n := dropped; n > 0 {
		doc.Metadata.Notes = append(doc.Metadata.Notes, fmt.Sprintf("exchanges.har: %d exchanges beyond %d left out", n, maxExchanges))
	}
	if n := summarised; n > 0 {
		doc.Metadata.Notes = append(doc.Metadata.Notes, fmt.Sprintf(
			"transcripts: the run's budget of %s for recorded bodies was spent; the bodies of the last %d exchanges are not recorded (their method, URL, status, headers, sizes and timing are)",
			scim.FormatBytes(scim.DefaultMaxRecordedBytes), n))
	}
	// One pass over every string of the document before any writer or the
	// summary sees it: messages, notes, warnings, config, cleanup lists.
	reports.Redact(&doc, client.Redactor().String)
	// No path of the machine that built the binary, nor the working
	// directory, goes into an artifact: code locations become
	// module-relative ("suites/filter.go:42").
	reports.TrimLocalPaths(&doc)
	r.tl.mark("document assembled")
	defer r.tl.mark("reports written")
	return r.finish(doc, exchanges)
}

// closeIdleConnections closes the idle connections of the run's clients:
// the embedded server's graceful shutdown would otherwise wait up to 5 s
// for a connection dialled but never used.
func (r *run) closeIdleConnections() {
	if r.client != nil {
		r.client.CloseIdleConnections()
	}
	for _, c := range r.tenants {
		c.CloseIdleConnections()
	}
}

// preflight fetches an OAuth2 token first (so a token endpoint problem is
// named as such), then reads the discovery documents.
func (r *run) preflight(ctx context.Context, client *scim.Client, auth scim.Authenticator) (*Preflight, error) {
	if o, ok := auth.(*scim.OAuth2ClientCredentials); ok {
		if _, err := o.Token(ctx); err != nil {
			return nil, &PreflightError{Msg: fmt.Sprintf("cannot get an OAuth2 token from %s: %s",
				client.Redactor().URL(o.TokenURL), oneLine(client.Redactor().String(err.Error())))}
		}
	}
	pf, err := preflight(ctx, client, auth != nil)
	if err != nil && errors.Is(ctx.Err(), context.Canceled) {
		return nil, &PreflightError{Msg: "interrupted during preflight; no spec ran"}
	}
	return pf, err
}

// startTarget resolves the base URL, starting the embedded server without --url.
func (r *run) startTarget() error {
	if !r.cfg.Embedded() {
		r.baseURL = r.cfg.URL
		return nil
	}
	tok, err := r.cfg.bearerToken()
	if err != nil {
		return err
	}
	tenants, err := r.embeddedTenants()
	if err != nil {
		return err
	}
	e, err := StartEmbedded(tok, tenants, r.cfg.RefFaults)
	if err != nil {
		return err
	}
	r.embedded, r.baseURL = e, e.URL
	if tok == "" {
		r.cfg.Secrets.Token = e.Token // the client authenticates with it and redacts it
		r.randomToken = true
	}
	return nil
}

func (r *run) printHeader(client *scim.Client) {
	target := client.Redactor().URL(client.BaseURL())
	if r.embedded != nil {
		target = "embedded reference server (no --url given) at " + target
		if len(r.cfg.RefFaults) > 0 {
			target += fmt.Sprintf(" with faults %v", []string(r.cfg.RefFaults))
		}
	}
	fmt.Fprintf(r.stdout, "scimconform %s: %d specs selected, seed %d, run prefix %s\n", Version(), r.selected, r.seed, r.env.Prefix)
	fmt.Fprintf(r.stdout, "target: %s\n", target)
}

func (r *run) terminalOptions() reports.TerminalOptions {
	return reports.TerminalOptions{Color: reports.ColorEnabled(r.stdout), Verbose: r.cfg.Verbose}
}

// document assembles report.json: run metadata plus ginkgo's report.
func (r *run) document(client *scim.Client, pf *Preflight, report types.Report, cleanup reports.Cleanup, notes []string) reports.Document {
	cfgMap := r.cfg.Redacted()
	cfgMap["seed"] = r.seed
	if r.randomToken {
		cfgMap["auth"] = "bearer (random token of the embedded reference server)"
	}
	if len(r.cfg.Tenants) > 0 {
		cfgMap["tenants"] = r.cfg.tenantsRedacted()
	}
	var list []caps.Capability
	var limits caps.Limits
	if pf.Caps != nil {
		list, limits = pf.Caps.List(), pf.Caps.Limits
	}
	return reports.Document{
		Metadata: reports.Metadata{
			Tool: "scimconform", Version: Version(), Target: client.Redactor().URL(client.BaseURL()),
			Embedded: r.embedded != nil, Started: r.started, Finished: time.Now(), Seed: r.seed,
			Prefix: r.env.Prefix, Strict: r.cfg.Strict, Config: cfgMap, Capabilities: list,
			Limits: limits, Cleanup: cleanup, Notes: notes,
			Expectations: r.gate.expect, Baseline: r.gate.baseline,
		},
		Report: report,
	}
}

// finish writes the reports, prints the summary and returns the exit code.
func (r *run) finish(doc reports.Document, exchanges []scim.Exchange) (int, error) {
	summary := reports.Evaluate(doc)
	paths, werr := reports.WriteAll(r.cfg.Out, doc, exchanges, reports.WriteOptions{Strict: r.cfg.Strict, Transcripts: r.cfg.Transcripts})
	if r.cfg.SummaryMD != "" {
		if err := reports.WriteSummaryMarkdownFile(r.cfg.SummaryMD, doc, summary, paths); err != nil {
			werr = errors.Join(werr, fmt.Errorf("summary-md: %w", err))
		}
	}
	reports.PrintSummary(r.stdout, doc, summary, paths, r.terminalOptions())
	if werr != nil {
		return ExitUsage, fmt.Errorf("writing reports: %s", oneLine(werr.Error()))
	}
	if len(doc.Report.SpecReports) == 0 {
		return ExitUsage, errors.New("the suite did not run (no report from ginkgo)")
	}
	return ExitCode(summary), nil
}
