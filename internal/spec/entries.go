package spec

import "strings"

// Names of the ginkgo report entries the suites attach to a spec; the reports
// package reads them back to build verdicts and transcripts.
const (
	// EntryExchanges holds the spec's HTTP exchanges ([]scim.Exchange).
	EntryExchanges = "scimconform.exchanges"
	// EntryWarning holds one observation that makes a passing spec a WARN
	// (a lenient reading of an ambiguity, a SHOULD not met inside a MUST spec).
	EntryWarning = "scimconform.warning"
	// EntryInfo holds one observation shown with the spec that changes no verdict.
	EntryInfo = "scimconform.info"
	// EntryError marks a failure as the harness being unable to judge (ERROR).
	EntryError = "scimconform.error"
)

// SkipUnsupportedPrefix starts the skip message of a spec whose feature the
// server does not offer; such a spec's verdict is NOT SUPPORTED.
const SkipUnsupportedPrefix = "unsupported: "

// EntryCause names the cause of a spec's failure (a Cause). The reports group
// failing specs whose causes share a key into one finding; a spec that names
// no cause is grouped by its failing HTTP exchange or its message (see
// reports.Findings). A spec records a cause just before it fails; the last
// one recorded counts, and a passing spec's cause is ignored.
const EntryCause = "scimconform.cause"

// Cause is the value of an EntryCause report entry.
type Cause struct {
	// Key identifies the cause across specs: specs with equal keys share
	// one finding ("create-refused POST /Users 400 invalidValue").
	Key string `json:"key"`
	// Summary says what is wrong in a sentence, for the reader of the
	// finding ("POST /Users refuses a valid create: 400 invalidValue").
	Summary string `json:"summary"`
}

// String is the summary (ginkgo's text form of the entry).
func (c Cause) String() string { return c.Summary }

// SkipDataMissingPrefix starts the skip message of a query spec whose
// expected result involves a resource of the shared query data set that the
// server refused to create; such a spec's verdict is SKIPPED, and the
// summary groups these specs by the first line of the message.
const SkipDataMissingPrefix = "data missing: "

// SkipNoScopePrefix starts the skip message of a query spec that must
// restrict its query to the data set to be judged exactly (totals, paging
// arithmetic), on a server that accepts no filter that does so.
const SkipNoScopePrefix = "no query scope: "

// SkipTyped reports whether a skip message starts with one of the typed
// SKIPPED prefixes (data missing, no query scope): the summary groups such
// specs by the message's first line.
func SkipTyped(message string) bool {
	return strings.HasPrefix(message, SkipDataMissingPrefix) || strings.HasPrefix(message, SkipNoScopePrefix)
}
