package reports

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Transcripts is which HTTP exchanges the artifacts keep in full
// (--transcripts). The others are kept as summaries: method, URL, status,
// sizes and timing, without headers or bodies (scim.Exchange.Summarised).
type Transcripts string

// The transcript policies.
const (
	// TranscriptsFailures keeps the exchanges of FAIL, ERROR and WARN specs
	// (and of failed suite nodes) in full and summarises those of passing,
	// unsupported and skipped specs. Exchanges outside any spec (preflight
	// discovery, the final sweep) are kept in full. The runner's default.
	TranscriptsFailures Transcripts = "failures"
	// TranscriptsAll keeps every exchange in full.
	TranscriptsAll Transcripts = "all"
	// TranscriptsNone summarises every exchange.
	TranscriptsNone Transcripts = "none"
)

// ParseTranscripts reads a --transcripts value.
func ParseTranscripts(v string) (Transcripts, error) {
	switch t := Transcripts(strings.ToLower(strings.TrimSpace(v))); t {
	case TranscriptsFailures, TranscriptsAll, TranscriptsNone:
		return t, nil
	}
	return "", fmt.Errorf("%q: want all, failures or none", v)
}

// summaryReason is what a summarised exchange's Omitted says.
func (t Transcripts) summaryReason() string {
	return "headers and bodies not kept (--transcripts " + string(t) + ")"
}

// ApplyTranscripts returns doc and exchanges with policy applied: the
// exchanges entries of the specs whose transcripts are not kept are replaced
// by summaries, and so are their exchanges in the run-wide list (matched by
// Exchange.Spec, the spec's full text). The verdict of each spec decides, so
// this runs on the finished report. An empty policy or TranscriptsAll
// changes nothing. doc and exchanges are not modified.
func ApplyTranscripts(doc Document, exchanges []scim.Exchange, policy Transcripts) (Document, []scim.Exchange) {
	if policy == "" || policy == TranscriptsAll {
		return doc, exchanges
	}
	reason := policy.summaryReason()
	full := keptInFull(doc, policy)
	shrink := exchangePolicy(doc, full, policy)
	specs := make(types.SpecReports, len(doc.Report.SpecReports))
	for i, sr := range doc.Report.SpecReports {
		if !full[i] {
			sr.ReportEntries = summariseEntries(sr.ReportEntries, reason)
		}
		specs[i] = sr
	}
	doc.Report.SpecReports = specs
	out := make([]scim.Exchange, len(exchanges))
	for i, x := range exchanges {
		out[i] = shrink(x)
	}
	return doc, out
}

// ExchangePolicy returns what policy keeps of one exchange of the run-wide
// transcript, judged by the verdict in doc of the spec that sent it
// (Exchange.Spec): the exchange, or its summary. The runner applies it to
// the workers' transcripts as it reads them back, so bodies the policy
// drops never fill its memory; ApplyTranscripts applies it again, to the
// same effect.
func ExchangePolicy(doc Document, policy Transcripts) func(scim.Exchange) scim.Exchange {
	if policy == "" || policy == TranscriptsAll {
		return func(x scim.Exchange) scim.Exchange { return x }
	}
	return exchangePolicy(doc, keptInFull(doc, policy), policy)
}

// keptInFull says for each spec report of doc whether policy keeps its
// exchanges in full (judged once: it evaluates every spec's verdict).
func keptInFull(doc Document, policy Transcripts) []bool {
	out := make([]bool, len(doc.Report.SpecReports))
	for i, sr := range doc.Report.SpecReports {
		out[i] = policy == TranscriptsFailures && keepsTranscript(sr)
	}
	return out
}

// exchangePolicy is ExchangePolicy given keptInFull's answer.
func exchangePolicy(doc Document, full []bool, policy Transcripts) func(scim.Exchange) scim.Exchange {
	keep := map[string]bool{} // spec full text → transcript kept in full
	for i, sr := range doc.Report.SpecReports {
		if sr.LeafNodeType == types.NodeTypeIt {
			keep[sr.FullText()] = full[i]
		}
	}
	reason := policy.summaryReason()
	return func(x scim.Exchange) scim.Exchange {
		kept, ofSpec := keep[x.Spec]
		if !ofSpec { // outside any spec: preflight, sweep
			kept = policy == TranscriptsFailures
		}
		if kept {
			return x
		}
		return x.Summarised(reason)
	}
}

// TranscriptFor returns the transcript a finished spec keeps under policy:
// xs itself, or its summaries when the policy does not keep the spec's
// exchanges in full (judged from sr, the spec's report so far, as
// ApplyTranscripts judges the finished one). The runner hands it to the
// suites (suites.Env.Transcript), so a passing spec's headers and bodies
// are dropped the moment it ends instead of waiting in ginkgo's report for
// the end of the run (and, in a parallel run, crossing to the parent):
// memory follows what a run keeps, not the number of specs. ApplyTranscripts
// on the finished report then changes nothing more (a summary stays a
// summary). full says whether xs was kept as it is; xs is not modified.
func TranscriptFor(sr types.SpecReport, xs scim.Transcript, policy Transcripts) (kept scim.Transcript, full bool) {
	if policy == "" || policy == TranscriptsAll || (policy == TranscriptsFailures && keepsTranscript(sr)) {
		return xs, true
	}
	reason := policy.summaryReason()
	out := make(scim.Transcript, len(xs))
	for i, x := range xs {
		out[i] = x.Summarised(reason)
	}
	return out, false
}

// keepsTranscript reports whether the failures policy keeps sr's exchanges in
// full: a FAIL, ERROR or WARN spec, or a suite node that failed.
func keepsTranscript(sr types.SpecReport) bool {
	if sr.LeafNodeType != types.NodeTypeIt {
		return sr.State.Is(types.SpecStateFailureStates)
	}
	// The verdict does not depend on the exchanges; leaving them out spares
	// Result marshalling them.
	lean := sr
	lean.ReportEntries = make(types.ReportEntries, 0, len(sr.ReportEntries))
	for _, e := range sr.ReportEntries {
		if e.Name != spec.EntryExchanges {
			lean.ReportEntries = append(lean.ReportEntries, e)
		}
	}
	return isProblem(Result(lean).Verdict)
}

// summariseEntries returns entries with every exchanges entry's transcript
// summarised; entries is not modified.
func summariseEntries(entries types.ReportEntries, reason string) types.ReportEntries {
	var out types.ReportEntries
	for i, e := range entries {
		if e.Name != spec.EntryExchanges {
			continue
		}
		var xs scim.Transcript
		if live, ok := e.Value.GetRawValue().(scim.Transcript); ok && e.Value.AsJSON == "" {
			xs = live
		} else if json.Unmarshal(entryJSON(e), &xs) != nil {
			continue
		}
		lean := make(scim.Transcript, len(xs))
		for j, x := range xs {
			lean[j] = x.Summarised(reason)
		}
		if out == nil {
			out = append(types.ReportEntries(nil), entries...)
		}
		out[i].Value = types.WrapEntryValue(lean)
	}
	if out == nil {
		return entries
	}
	return out
}
