package runner

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/ledger"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/reports"
	"github.com/scimconform/scimconform/suites"
)

// WorkerCommand is the hidden subcommand that makes the scimconform binary a
// worker process of a parallel run (see RunWorker). It is not meant to be
// typed: the parent starts its workers with it.
const WorkerCommand = "__worker"

// workerJob is what the parent hands a worker on its stdin (never in argv or
// the environment: the config carries the secrets).
type workerJob struct {
	Config  Config             `json:"config"`
	BaseURL string             `json:"baseURL"`
	Caps    *caps.Capabilities `json:"caps"`
	Prefix  string             `json:"prefix"`
	Worker  int                `json:"worker"`
	Seed    int64              `json:"seed"`
	// Timeout is the time left for the suite.
	Timeout      time.Duration `json:"timeout"`
	Credentialed bool          `json:"credentialed"`
	// Accept is the Accept header preflight settled on (scim.Client.Accept).
	Accept string `json:"accept"`
	// Coordinator is the parent's coordinator URL; Secret authenticates to it.
	Coordinator string `json:"coordinator"`
	Secret      string `json:"secret"`
	// Spill is the file the worker writes its transcript into, one JSON
	// exchange per line, bounded by MaxExchanges and MaxBodyBytes (the
	// run's budgets split among the workers).
	Spill        string `json:"spill"`
	MaxExchanges int    `json:"maxExchanges"`
	MaxBodyBytes int64  `json:"maxBodyBytes"`
	// FirstSeq numbers the worker's exchanges from FirstSeq+1.
	FirstSeq int `json:"firstSeq"`
	// Tokens are the OAuth2 access tokens the parent holds, for the main
	// credential then each tenant (heldTokens): the worker adopts them
	// instead of asking the token endpoint again.
	Tokens []heldToken `json:"tokens,omitempty"`
}

// heldToken is an OAuth2 access token and when it stops being used.
type heldToken struct {
	Token   string    `json:"token,omitempty"`
	Expires time.Time `json:"expires"`
}

// heldTokens returns the cached token of each OAuth2 authenticator of
// auths (an empty entry for any other kind), in order.
func heldTokens(auths []scim.Authenticator) []heldToken {
	out := make([]heldToken, len(auths))
	for i, a := range auths {
		if o, ok := a.(*scim.OAuth2ClientCredentials); ok {
			out[i].Token, out[i].Expires = o.Current()
		}
	}
	return out
}

// adoptTokens hands each OAuth2 authenticator of auths the token held for
// it (heldTokens of the parent's authenticators, in the same order).
func adoptTokens(auths []scim.Authenticator, held []heldToken) {
	for i, a := range auths {
		if o, ok := a.(*scim.OAuth2ClientCredentials); ok && i < len(held) {
			o.Adopt(held[i].Token, held[i].Expires)
		}
	}
}

// RunWorker runs a worker process of a parallel run: it reads its job from
// stdin, runs every spec the coordinator lets it claim, streams each
// finished spec to the parent, and posts its ledger when its suite ends. It
// sends no preflight request: the job carries the capabilities. When stdin
// closes (the parent stops the run, or died) it interrupts its suite: the
// running spec ends and cleans up, the rest are skipped. It returns the
// process exit code (0, or 2 with a one-line error on stderr).
func RunWorker(stdin io.Reader, stderr io.Writer) int {
	var job workerJob
	dec := json.NewDecoder(stdin)
	if err := dec.Decode(&job); err != nil {
		fmt.Fprintf(stderr, "scimconform worker: reading the job: %v\n", err)
		return ExitUsage
	}
	// An interrupt only ever ends the suite (ginkgo's own handler), never
	// the process: the worker still posts its ledger to the parent.
	signal.Notify(make(chan os.Signal, 1), os.Interrupt)
	go func() {
		_, _ = io.Copy(io.Discard, io.MultiReader(dec.Buffered(), stdin))
		if err := interruptSelf(); err != nil {
			os.Exit(ExitNotConformant) // no way to stop the suite: stop the process; the prefix sweep finds its data
		}
	}()
	lean()
	if err := runWorker(job); err != nil {
		fmt.Fprintf(stderr, "scimconform worker %d: %s\n", job.Worker, oneLine(redactErr(err, job.Config.redactor()).Error()))
		return ExitUsage
	}
	return 0
}

// workerSuiteConfig is the ginkgo configuration of a worker's walk. Each
// worker walks every spec (so none is left unrun) in its own order: its own
// seed, single specs shuffled (RandomizeAllSpecs; an Ordered container
// stays one unit), then sorted by ginkgo's SpecPriority. The priorities
// (suites.Slow, suites.ReadsQuerySet) start the slow specs first and the
// shared query data set at once in worker 1, while the other workers read
// the set last, by when it exists. The order changes which process runs a
// spec, never the report: the merged report has the order of the parent's
// walk, with the run's seed.
func workerSuiteConfig(sel Selection, job workerJob) types.SuiteConfig {
	sc := suiteConfig(sel, job.Seed+int64(job.Worker)*7919, job.Config.FailFast, job.Timeout)
	sc.RandomizeAllSpecs = true
	return sc
}

// workerGCPercent is the GC target of a worker unless GOGC says otherwise:
// a worker's live heap is a few MiB, so collecting at 50% growth instead of
// 100% costs little CPU and keeps several workers' resident memory down.
const workerGCPercent = 50

// lean tunes the worker's garbage collector for memory (GOGC, when set,
// wins).
func lean() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(workerGCPercent)
	}
}

func runWorker(job workerJob) error {
	if err := job.Config.Validate(); err != nil {
		return err
	}
	rec := scim.NewRecorder()
	rec.MaxExchanges, rec.MaxBodyBytes = job.MaxExchanges, job.MaxBodyBytes
	rec.NumberFrom(job.FirstSeq)
	spill, err := spillTranscript(rec, job.Spill)
	if err != nil {
		return err
	}
	defer func() { _ = spill.f.Close() }() // on an early return; finish closes it otherwise
	auth, err := job.Config.authenticator()
	if err != nil {
		return err
	}
	led := ledger.New(job.Prefix)
	co := newRemoteCoordinator(job.Coordinator, job.Secret, job.Worker)
	job.Config.budget = remoteBudget{co} // the parent's one budget, for every client of the worker
	tenantAuths, err := job.Config.tenantAuthenticators()
	if err != nil {
		return err
	}
	adoptTokens(append([]scim.Authenticator{auth}, tenantAuths...), job.Tokens)
	client, err := job.Config.newClientWith(job.BaseURL, auth, tenantAuths, rec, led)
	if err != nil {
		return err
	}
	if job.Accept != "" {
		client.SetAccept(job.Accept)
	}
	tenants, err := newTenantClients(job.Config, job.BaseURL, rec, led, auth, tenantAuths)
	if err != nil {
		return err
	}
	for _, c := range tenants {
		if job.Accept != "" {
			c.SetAccept(job.Accept)
		}
	}
	env := &suites.Env{Client: client, Recorder: rec, Caps: job.Caps, Prefix: job.Prefix, Keep: job.Config.Keep,
		Ledger: led, Credentialed: job.Credentialed, Coordinator: co, Worker: job.Worker,
		Templates: map[string]map[string]any{"User": job.Config.UserTemplate, "Group": job.Config.GroupTemplate}}
	env.Transcript = job.Config.transcriptPolicy(rec)
	env.Tenant = newTenantEnv(job.Config, env, tenants)
	if err := buildTree(env); err != nil {
		return err
	}
	sel, err := job.Config.Selection()
	if err != nil {
		return err
	}
	var sendErr error
	report := runSuite(workerSuiteConfig(sel, job), func(sr types.SpecReport) {
		if co.ran(sr) && sendErr == nil {
			sendErr = co.report(redactSpec(sr, client.Redactor().String))
		}
	})
	res := workerResult{Ledger: led.State(), Reasons: report.SpecialSuiteFailureReasons,
		Dropped: rec.Dropped(), Summarised: rec.Summarised()}
	if err := spill.finish(); err != nil {
		res.SpillError = err.Error()
	}
	if err := co.done(res); err != nil {
		return err
	}
	return sendErr
}

// redactSpec redacts every string of a finished spec's report with the
// worker's redactor before it leaves the process: the worker's credentials
// (an OAuth2 token it fetched itself, say) are unknown to the parent, whose
// final redaction pass cannot catch a server echoing them into a message.
func redactSpec(sr types.SpecReport, redact func(string) string) types.SpecReport {
	doc := reports.Document{Report: types.Report{SpecReports: []types.SpecReport{sr}}}
	reports.Redact(&doc, redact)
	return doc.Report.SpecReports[0]
}
