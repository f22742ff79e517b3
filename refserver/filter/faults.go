package filter

import "github.com/scimconform/scimconform/refserver/fault"

// Fault switch names of the filter area. Each breaks one rule of RFC 7644
// §3.4.2.2 at the single place that rule is implemented.
const (
	faultUsernameCaseSensitive = "filter-username-case-sensitive"
	faultIgnoreAnd             = "filter-ignore-and"
	faultCoAsSw                = "filter-co-as-sw"
	faultValuePathAnyElement   = "filter-valuepath-any-element"
	faultNoInvalidFilter       = "filter-no-invalidfilter"
	faultGtAsGe                = "filter-gt-as-ge"
	faultNotIgnored            = "filter-not-ignored"
	faultPrIgnoresEmpty        = "filter-pr-ignores-empty"
	faultBooleanOrderAllowed   = "filter-boolean-order-allowed"
	faultLeftToRight           = "filter-precedence-left-to-right"
	faultMultiValuedFirstOnly  = "filter-multivalued-first-only"
)

// Faults lists the filter-area fault switches.
var Faults = []fault.Info{
	{Name: faultUsernameCaseSensitive, Req: "7644-3.4.2.2-23", Area: "filter",
		Summary: "compares userName case-sensitively although its caseExact is false",
		Related: []string{"7643-7-10", "7644-3.4.2.2-04"}},
	{Name: faultIgnoreAnd, Req: "7644-3.4.2.2-04", Area: "filter",
		Summary: "evaluates only the left operand of \"and\"",
		Related: []string{"7644-3.4.2.2-07", "7644-3.4.2.2-18"}},
	{Name: faultCoAsSw, Req: "7644-3.4.2.2-04", Area: "filter",
		Summary: "evaluates \"co\" (contains) as \"sw\" (starts with)"},
	{Name: faultValuePathAnyElement, Req: "7644-3.4.2.2-14", Area: "filter",
		Summary: "lets the conditions of a value filter emails[...] hold on different values",
		Related: []string{"7644-3.4.2.2-04"}},
	{Name: faultNoInvalidFilter, Req: "7644-3.4.2.2-22", Area: "filter",
		Summary: "matches every resource instead of answering 400 invalidFilter to a malformed filter",
		Related: []string{"7644-3.4.2.2-17", "7644-3.4.2.2-05"}},
	{Name: faultGtAsGe, Req: "7644-3.4.2.2-04", Area: "filter",
		Summary: "evaluates \"gt\" as \"ge\" (equal values match)"},
	{Name: faultNotIgnored, Req: "7644-3.4.2.2-04", Area: "filter",
		Summary: "ignores \"not\": not (x) matches like x",
		Related: []string{"7644-3.4.2.2-18"}},
	{Name: faultPrIgnoresEmpty, Req: "7644-3.4.2.2-04", Area: "filter",
		Summary: "\"pr\" matches empty strings and empty complex values"},
	{Name: faultBooleanOrderAllowed, Req: "7644-3.4.2.2-09", Area: "filter",
		Summary: "accepts gt/ge/lt/le on boolean attributes (no 400 invalidFilter)",
		Related: []string{"7644-3.4.2.2-10", "7644-3.4.2.2-11", "7644-3.4.2.2-12"}},
	{Name: faultLeftToRight, Req: "7644-3.4.2.2-18", Area: "filter",
		Summary: "evaluates and/or strictly left to right, without \"and\" binding tighter than \"or\"",
		Related: []string{"7644-3.4.2.2-04", "7644-3.4.2.2-13"}},
	{Name: faultMultiValuedFirstOnly, Req: "7644-3.4.2.2-04", Area: "filter",
		Summary: "compares only the first value of a multi-valued attribute"},
}
