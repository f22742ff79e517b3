package patch

import "github.com/scimconform/scimconform/refserver/fault"

// Fault switch names of the patch area. Each breaks one rule of RFC 7644
// §3.5.2 at the single place that rule is implemented.
const (
	faultNotAtomic          = "patch-not-atomic"
	faultPrimaryNotExcl     = "patch-primary-not-exclusive"
	faultReplaceNoMerge     = "patch-replace-no-merge"
	faultAddDuplicates      = "patch-add-duplicates"
	faultRemoveNoPath       = "patch-remove-no-path-allowed"
	faultValuePathFirstOnly = "patch-valuepath-first-only"
	faultReadOnlyAllowed    = "patch-readonly-allowed"
	faultNoInvalidPath      = "patch-no-invalidpath"
	faultImmutableAllowed   = "patch-immutable-allowed"
	faultNoTargetIgnored    = "patch-valuepath-notarget-ignored"
	faultReplaceMissing     = "patch-replace-missing-notarget"
	faultRemoveRequired     = "patch-remove-required-allowed"
	faultUnknownOpIgnored   = "patch-unknown-op-ignored"
)

// Faults lists the patch-area fault switches.
var Faults = []fault.Info{
	{Name: faultNotAtomic, Req: "7644-3.5.2-14", Area: "patch",
		Summary: "keeps the operations applied before a failing one (edits the stored resource in place)",
		Related: []string{"7644-3.5.2-15"}},
	{Name: faultPrimaryNotExcl, Req: "7644-3.5.2-13", Area: "patch",
		Summary: "leaves other values primary when a PATCH sets primary true on one value",
		Related: []string{"7643-2.4-03"}},
	{Name: faultReplaceNoMerge, Req: "7644-3.5.2.3-03", Area: "patch",
		Summary: "replace of a complex value drops the sub-attributes the request does not mention"},
	{Name: faultAddDuplicates, Req: "7644-3.5.2.1-04", Area: "patch",
		Summary: "add appends a value the multi-valued attribute already contains",
		Related: []string{"7644-3.5.2.1-05", "7643-2.4-07"}},
	{Name: faultRemoveNoPath, Req: "7644-3.5.2-05", Area: "patch",
		Summary: "accepts remove without a path (no 400 noTarget) and changes nothing"},
	{Name: faultValuePathFirstOnly, Req: "7644-3.5.2.3-04", Area: "patch",
		Summary: "replace with a value filter changes only the first matching value"},
	{Name: faultReadOnlyAllowed, Req: "7644-3.5.2-09", Area: "patch",
		Summary: "lets a PATCH path modify or remove a readOnly attribute (no 400 mutability)",
		Related: []string{"7644-3.5.2-06", "7644-3.5.2-07", "7643-7-14", "7644-3.5.2.2-06"}},
	{Name: faultNoInvalidPath, Req: "7644-3.5.2-09", Area: "patch",
		Summary: "silently ignores operations on unknown attributes (no 400 invalidPath)",
		Related: []string{"7644-3.5.2-06"}},
	{Name: faultImmutableAllowed, Req: "7643-7-17", Area: "patch",
		Summary: "lets a PATCH change or remove an immutable attribute that has a value",
		Related: []string{"7644-3.5.2-06", "7644-3.5.2-07", "7644-3.5.2-09"}},
	{Name: faultNoTargetIgnored, Req: "7644-3.5.2.3-05", Area: "patch",
		Summary: "replace with a value filter that matches nothing succeeds without change (no 400 noTarget)"},
	{Name: faultReplaceMissing, Req: "7644-3.5.2.3-02", Area: "patch",
		Summary: "replace of an attribute without a value fails with 400 noTarget instead of adding it"},
	{Name: faultRemoveRequired, Req: "7644-3.5.2.2-06", Area: "patch",
		Summary: "lets remove unassign a required attribute (no 400 mutability)"},
	{Name: faultUnknownOpIgnored, Req: "7644-3.5.2-16", Area: "patch",
		Summary: "skips an operation whose op is not add, remove or replace and answers success"},
}
