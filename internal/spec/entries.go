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
