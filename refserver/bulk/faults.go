package bulk

import "github.com/scimconform/scimconform/refserver/fault"

// Fault switch names of the bulk area. Each one breaks exactly one rule of
// RFC 7644 §3.7; the rule's requirement id is in Faults.
const (
	// FaultBulkIDUnresolved forwards operation data with "bulkId:x" strings left in place.
	FaultBulkIDUnresolved = "bulk-bulkid-unresolved"
	// FaultIgnoreFailOnErrors processes every operation whatever failOnErrors says.
	FaultIgnoreFailOnErrors = "bulk-ignore-failonerrors"
	// FaultStopOnFirstError stops at the first failed operation without failOnErrors.
	FaultStopOnFirstError = "bulk-stop-on-first-error"
	// FaultNoMaxOperations accepts more operations than maxOperations.
	FaultNoMaxOperations = "bulk-no-maxoperations"
	// FaultNoPayloadLimit accepts bodies larger than maxPayloadSize.
	FaultNoPayloadLimit = "bulk-no-payload-limit"
	// FaultLimitNotNamed answers 413 without naming the exceeded limit.
	FaultLimitNotNamed = "bulk-limit-not-named"
	// FaultNoLocation omits location from every operation result.
	FaultNoLocation = "bulk-no-location"
	// FaultStatusWrong reports "200" instead of "201" for successful creates.
	FaultStatusWrong = "bulk-status-wrong"
	// FaultNoBulkIDEcho omits bulkId from the operation results.
	FaultNoBulkIDEcho = "bulk-no-bulkid-echo"
	// FaultNoErrorResponse omits the response body of failed operations.
	FaultNoErrorResponse = "bulk-no-error-response"
	// FaultHTTPStatusWrong answers a processed bulk request with 207 instead of 200.
	FaultHTTPStatusWrong = "bulk-http-status-wrong"
	// FaultVersionNotETag reports with each write result a version that is
	// not the entity tag the resource then has.
	FaultVersionNotETag = "bulk-version-not-etag"
)

// Faults lists the bulk-area fault switches. It is never written after
// package initialisation.
var Faults = []fault.Info{
	{Name: FaultBulkIDUnresolved, Req: "7644-3.7.2-01", Area: "bulk",
		Summary: `leaves "bulkId:..." references in operation data instead of the created resource ids`,
		Related: []string{"7644-3.7.2-02", "7644-3.7.1-01", "7644-3.7-18"}},
	{Name: FaultIgnoreFailOnErrors, Req: "7644-3.7-14", Area: "bulk",
		Summary: "ignores failOnErrors and runs every operation"},
	{Name: FaultStopOnFirstError, Req: "7644-3.7-13", Area: "bulk",
		Summary: "stops at the first failed operation although failOnErrors is absent",
		Related: []string{"7644-3.7.3-01"}},
	{Name: FaultNoMaxOperations, Req: "7644-3.7.4-03", Area: "bulk",
		Summary: "accepts bulk requests with more operations than maxOperations",
		Related: []string{"7644-3.7.4-04"}},
	{Name: FaultNoPayloadLimit, Req: "7644-3.7.4-03", Area: "bulk",
		Summary: "accepts bulk requests larger than maxPayloadSize",
		Related: []string{"7644-3.7.4-04"}},
	{Name: FaultLimitNotNamed, Req: "7644-3.7.4-04", Area: "bulk",
		Summary: "answers 413 without saying which bulk limit was exceeded"},
	{Name: FaultNoLocation, Req: "7644-3.7.3-02", Area: "bulk",
		Summary: "omits location from the operation results",
		Related: []string{"7644-3.7-08"}},
	{Name: FaultStatusWrong, Req: "7644-3.7.3-03", Area: "bulk",
		Summary: `reports status "200" instead of "201" for successful POST operations`},
	{Name: FaultNoBulkIDEcho, Req: "7644-3.7-16", Area: "bulk",
		Summary: "does not return the client's bulkId with the operation results"},
	{Name: FaultNoErrorResponse, Req: "7644-3.7-09", Area: "bulk",
		Summary: "omits the error response body of failed operations",
		Related: []string{"7644-3.7-11", "7644-3.7.3-04"}},
	{Name: FaultHTTPStatusWrong, Req: "7644-3.7-12", Area: "bulk",
		Summary: "answers a processed bulk request with 207 Multi-Status instead of 200"},
	{Name: FaultVersionNotETag, Req: "7644-3.7-05", Area: "bulk",
		Summary: "reports with each write result a version that is not the entity tag the resource then has"},
}
