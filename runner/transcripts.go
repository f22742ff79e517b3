package runner

import (
	"encoding/json"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/reports"
)

// wireTranscript is a spec's transcript on its way from a worker to the
// parent: marshalled in full, without ginkgo's text form (the parent
// restores the live value, reviveTranscripts).
type wireTranscript struct{ xs scim.Transcript }

// MarshalJSON is the transcript itself.
func (t wireTranscript) MarshalJSON() ([]byte, error) { return json.Marshal(t.xs) }

// String is empty: the parent rebuilds the text form.
func (t wireTranscript) String() string { return "" }

// wireTranscripts returns sr with its transcript entries ready to send; sr's
// entries are not modified.
func wireTranscripts(sr types.SpecReport) types.SpecReport {
	entries := append(types.ReportEntries(nil), sr.ReportEntries...)
	for i, e := range entries {
		if xs, ok := e.Value.GetRawValue().(scim.Transcript); ok && e.Name == spec.EntryExchanges {
			entries[i].Value = types.WrapEntryValue(wireTranscript{xs})
		}
	}
	sr.ReportEntries = entries
	return sr
}

// reviveTranscripts turns the transcript entries of a spec report a worker
// sent back into live scim.Transcript values, exactly as a serial run holds
// them, so the reports treat both alike.
func reviveTranscripts(sr types.SpecReport) types.SpecReport {
	for i, e := range sr.ReportEntries {
		if e.Name != spec.EntryExchanges || e.Value.AsJSON == "" {
			continue
		}
		var xs scim.Transcript
		if json.Unmarshal([]byte(e.Value.AsJSON), &xs) == nil {
			sr.ReportEntries[i].Value = types.WrapEntryValue(xs)
		}
	}
	return sr
}

// transcriptPolicy is the suites' view of --transcripts: what a finished
// spec keeps of its exchanges (reports.TranscriptFor); the bodies it drops
// go back to rec's body budget, which so bounds what the reports keep. Nil
// with -v, which prints every spec's exchanges in full as it ends (the
// artifacts still follow the policy: ApplyTranscripts).
func (c Config) transcriptPolicy(rec *scim.Recorder) func(types.SpecReport, scim.Transcript) scim.Transcript {
	if c.Verbose {
		return nil
	}
	policy := c.Transcripts
	return func(sr types.SpecReport, xs scim.Transcript) scim.Transcript {
		kept, full := reports.TranscriptFor(sr, xs, policy)
		if !full {
			rec.Refund(xs)
		}
		return kept
	}
}
