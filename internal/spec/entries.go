package spec

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
