package refserver

import "github.com/scimconform/scimconform/refserver/fault"

// Core fault switch names. Each breaks exactly one rule at a single place in
// this package; coreFaults gives the requirement id it violates.
const (
	FaultDiscoverySPCWrongSchema         = "discovery-spc-wrong-schema"
	FaultDiscoverySchemasNotList         = "discovery-schemas-not-list"
	FaultDiscoveryResourceTypeNoEndpoint = "discovery-resourcetype-no-endpoint"
	FaultDiscoveryQueryRejected          = "discovery-query-rejected"
	FaultDiscoveryPaginationHidden       = "discovery-pagination-unadvertised"
	FaultDiscoveryExtensionRequired      = "discovery-extension-required-unmet"
	FaultDiscoverySPCQueryRejected       = "discovery-spc-query-rejected"
	FaultDiscoveryItemsPerPage           = "discovery-itemsperpage-page-size"
	FaultDiscoveryResourceTypeMetaWrong  = "discovery-resourcetype-meta-wrong"
	FaultDiscoveryMetaLocationRelative   = "discovery-meta-location-relative"

	FaultUserEchoPassword             = "user-echo-password"
	FaultSchemaBinaryUnchecked        = "schema-binary-unchecked"
	FaultSchemaTypesUnchecked         = "schema-types-unchecked"
	FaultUserNameNotRequired          = "schema-username-not-required"
	FaultGroupDisplayNameOptional     = "schema-group-displayname-optional"
	FaultUniqueCaseSensitive          = "schema-username-unique-case-sensitive"
	FaultSchemaMultiplePrimary        = "schema-multiple-primary-accepted"
	FaultSchemaUserGroupsNotDerived   = "schema-user-groups-not-derived"
	FaultListResourcesNoSchemas       = "list-resources-no-schemas"
	FaultSchemaDuplicateValuesKept    = "schema-duplicate-values-kept"
	FaultCreateWithoutSchemasAccepted = "schema-missing-schemas-accepted"

	FaultCreateNoLocation       = "create-no-location"
	FaultCreateReturns200       = "create-returns-200"
	FaultCreateDuplicateAllowed = "create-duplicate-allowed"
	FaultCreateReadOnlyKept     = "create-readonly-accepted"
	FaultCreateNoResourceType   = "create-no-resourcetype"

	FaultReadNoID                   = "read-no-id"
	FaultReadLastModifiedNotCreated = "read-lastmodified-not-created"

	FaultReplaceCreates             = "replace-creates-resource"
	FaultReplaceRequiredNotEnforced = "replace-required-not-enforced"
	FaultReplaceReadOnlyKept        = "replace-readonly-accepted"
	FaultReplaceCreatedTruncated    = "replace-created-truncated"
	FaultWriteLastModifiedFrozen    = "write-lastmodified-frozen"

	FaultDeleteReturns200      = "delete-returns-200"
	FaultDeleteStillReadable   = "delete-still-readable"
	FaultDeleteStillListed     = "delete-still-listed"
	FaultDeleteUserNameBlocked = "delete-username-still-taken"

	// Scenario-level faults: single-requirement specs pass, a journey
	// (suites/scenario_*.go) catches them.
	FaultLeaverStillMember        = "leaver-still-group-member"
	FaultFilterIndexStale         = "filter-index-stale-after-write"
	FaultExtensionWriteNotTouched = "extension-change-lastmodified-frozen"

	FaultErrorsStatusInteger = "errors-status-integer"
	FaultErrorsNotJSON       = "errors-not-json"

	FaultMediaTypeJSON             = "media-type-json-content-type"
	FaultMediaTypeRejectSCIMAccept = "media-type-reject-scim-accept"
	FaultMediaTypeRejectSCIMBody   = "media-type-reject-scim-charset"
	FaultMediaTypeRejectJSONAccept = "media-type-reject-json-accept"
	FaultMediaTypeOnlyJSON         = "media-type-only-json"

	FaultAuthNoChallenge = "auth-no-www-authenticate"
	FaultAuthAnyToken    = "auth-accept-any-token"
	FaultAuthAnonymous   = "auth-anonymous-allowed"
	FaultAuthWrongScheme = "auth-challenge-wrong-scheme"

	FaultMeNoLocation    = "me-no-location"
	FaultMeLocationAlias = "me-location-is-alias"

	FaultSortIgnored           = "sort-ignored"
	FaultSortDefaultDescending = "sort-default-descending"
	FaultSortCaseSensitive     = "sort-case-sensitive"

	FaultPagingStartIndexRejected    = "paging-startindex-below-one-rejected"
	FaultPagingNegativeCountRejected = "paging-negative-count-rejected"
	FaultPagingCountExceeded         = "paging-count-exceeded"
	FaultPagingNoTotalResults        = "paging-no-totalresults"
	FaultPagingEmpty404              = "paging-no-match-404"
	FaultPagingItemsPerPageIsCount   = "paging-itemsperpage-is-count"
	FaultQueryUnknownParamRejected   = "query-unknown-parameter-rejected"

	FaultTenantLeakRead  = "tenant-leak-read"
	FaultTenantLeakList  = "tenant-leak-list"
	FaultTenantLeakWrite = "tenant-leak-write"
	FaultTenantLeakBulk  = "tenant-leak-bulk"

	FaultDevicePatchIgnored = "device-patch-ignored"

	FaultCursorNextOnLastPage  = "cursor-next-on-last-page"
	FaultCursorPreviousOnFirst = "cursor-previous-on-first-page"
	FaultCursorInvalidAccepted = "cursor-invalid-accepted"
	FaultCursorIgnored         = "cursor-ignored"

	FaultAttributesIgnored        = "attributes-ignored"
	FaultAttributesExcludeAlways  = "attributes-excluded-always-removed"
	FaultAttributesIgnoredOnWrite = "attributes-ignored-on-write"
	FaultAttributesDropSchemas    = "attributes-drop-schemas"

	FaultSearchPostNotFound      = "search-post-not-found"
	FaultSearchPostIgnoresFilter = "search-post-ignores-filter"
	FaultSearchRootUsersOnly     = "search-root-users-only"

	FaultEtagIgnoreIfMatch     = "etag-ignore-if-match"
	FaultEtagIgnoreIfNoneMatch = "etag-ignore-if-none-match"
	FaultEtagNoHeader          = "etag-no-header"
	FaultEtagVersionUnchanged  = "etag-version-unchanged"
	FaultEtagHeaderMismatch    = "etag-header-differs-from-version"
	FaultEtagUnadvertised      = "etag-unadvertised"

	FaultConcurrencyLostUpdate      = "concurrency-lost-update"
	FaultConcurrencyDuplicateCreate = "concurrency-duplicate-create"
)

// coreFaults is the registry of this package's fault switches. It is never
// written after initialisation.
var coreFaults = []fault.Info{
	{Name: FaultDiscoverySPCWrongSchema, Req: "7644-4-02", Area: "discovery",
		Summary: "serves /ServiceProviderConfig with a wrong schemas URN"},
	{Name: FaultDiscoverySchemasNotList, Req: "7644-4-03", Area: "discovery",
		Summary: "serves /Schemas as a bare JSON array instead of a ListResponse", Related: []string{"7644-4-04"}},
	{Name: FaultDiscoveryResourceTypeNoEndpoint, Req: "7643-6-06", Area: "discovery",
		Summary: "omits endpoint from every ResourceType"},
	{Name: FaultDiscoveryQueryRejected, Req: "7644-4-05", Area: "discovery",
		Summary: "answers 400 to paging or sorting parameters on discovery endpoints instead of ignoring them"},
	{Name: FaultDiscoveryPaginationHidden, Req: "9865-4-01", Area: "discovery",
		Summary: "pages with cursors but leaves pagination out of the ServiceProviderConfig"},
	{Name: FaultDiscoveryExtensionRequired, Req: "7643-6-10", Area: "discovery",
		Summary: "marks the enterprise extension required on the User resource type while Users need not carry it"},
	{Name: FaultDiscoverySPCQueryRejected, Req: "7644-4-05", Area: "discovery",
		Summary: "answers 400 to any query parameter on /ServiceProviderConfig instead of ignoring it"},
	{Name: FaultDiscoveryItemsPerPage, Req: "7644-3.4.2-08", Area: "discovery",
		Summary: "reports the default page size as itemsPerPage on /ResourceTypes and /Schemas instead of the number of resources returned"},
	{Name: FaultDiscoveryResourceTypeMetaWrong, Req: "7643-6-04", Area: "discovery",
		Summary: "puts the described type's name (User, Group) in meta.resourceType of ResourceType resources instead of ResourceType"},
	{Name: FaultDiscoveryMetaLocationRelative, Req: "7643-3.1-17", Area: "discovery",
		Summary: "gives discovery resources a meta.location without scheme and host (a bare path)"},

	{Name: FaultUserEchoPassword, Req: "7643-4.1.1-11", Area: "schema",
		Summary: "returns the (hashed) password in User representations", Related: []string{"7643-4.1.1-17", "7643-7-19"}},
	{Name: FaultSchemaBinaryUnchecked, Req: "7643-2.3.6-01", Area: "schema",
		Summary: "accepts binary values that are not base64"},
	{Name: FaultSchemaTypesUnchecked, Req: "7643-2.3.4-01", Area: "schema",
		Summary: "stores attribute values without checking their JSON type", Related: []string{"7643-2.3.6-01", "7643-2.3.5-01", "7644-3.12-05"}},
	{Name: FaultUserNameNotRequired, Req: "7643-4.1.1-01", Area: "schema",
		Summary: "creates Users without userName", Related: []string{"7643-4.1.1-03"}},
	{Name: FaultGroupDisplayNameOptional, Req: "7643-4.2-01", Area: "schema",
		Summary: "creates Groups without displayName"},
	{Name: FaultUniqueCaseSensitive, Req: "7643-4.1.1-03", Area: "schema",
		Summary: "checks userName uniqueness case-sensitively", Related: []string{"7643-4.1.1-02", "7644-3.3-10"}},
	{Name: FaultSchemaMultiplePrimary, Req: "7643-2.4-03", Area: "schema",
		Summary: "accepts more than one primary value in a multi-valued attribute"},
	{Name: FaultSchemaUserGroupsNotDerived, Req: "7643-4.1.2-21", Area: "schema",
		Summary: "never fills User.groups from Group memberships", Related: []string{"7643-4.1.2-22"}},
	{Name: FaultListResourcesNoSchemas, Req: "7643-3-02", Area: "schema",
		Summary: "leaves schemas out of every resource in list and query responses", Related: []string{"7643-3-03"}},
	{Name: FaultCreateWithoutSchemasAccepted, Req: "7643-3-02", Area: "schema",
		Summary: "accepts a create or PUT body without schemas and fills them in"},
	{Name: FaultSchemaDuplicateValuesKept, Req: "7643-2.4-07", Area: "schema",
		Summary: "keeps two values with the same type and value sent in a create or a PUT"},

	{Name: FaultCreateNoLocation, Req: "7644-3.3-09", Area: "create",
		Summary: "answers 201 without a Location header"},
	{Name: FaultCreateReturns200, Req: "7644-3.3-07", Area: "create",
		Summary: "answers a successful create with 200 instead of 201"},
	{Name: FaultCreateDuplicateAllowed, Req: "7644-3.3-10", Area: "create",
		Summary: "creates a second User with an existing userName", Related: []string{"7643-4.1.1-02"}},
	{Name: FaultCreateReadOnlyKept, Req: "7644-3.3-02", Area: "create",
		Summary: "stores readOnly attributes (User.groups) sent in a create"},
	{Name: FaultCreateNoResourceType, Req: "7644-3.3.1-01", Area: "create",
		Summary: "omits meta.resourceType from created resources"},

	{Name: FaultReadNoID, Req: "7643-3.1-05", Area: "read",
		Summary: "omits id from single-resource GET responses"},
	{Name: FaultReadLastModifiedNotCreated, Req: "7643-3.1-16", Area: "read",
		Summary: "sets lastModified one second after created on never-modified resources"},

	{Name: FaultReplaceCreates, Req: "7644-3.5.1-02", Area: "replace",
		Summary: "creates the resource when PUT names an unknown id", Related: []string{"7644-3.2-04"}},
	{Name: FaultReplaceRequiredNotEnforced, Req: "7644-3.5.1-12", Area: "replace",
		Summary: "accepts a PUT of a User without userName"},
	{Name: FaultReplaceReadOnlyKept, Req: "7644-3.5.1-11", Area: "replace",
		Summary: "stores readOnly attributes (User.groups) sent in a PUT"},
	{Name: FaultReplaceCreatedTruncated, Req: "7643-7-14", Area: "replace",
		Summary: "drops the milliseconds of meta.created when a PUT replaces a resource", Related: []string{"7644-3.5.1-11"}},
	{Name: FaultWriteLastModifiedFrozen, Req: "7644-3.14-03", Area: "replace",
		Summary: "leaves meta.lastModified at its old value when a PUT, PATCH or Bulk operation changes a resource"},

	{Name: FaultDeleteReturns200, Req: "7644-3.6-05", Area: "delete",
		Summary: "answers a successful DELETE with 200 instead of 204"},
	{Name: FaultDeleteStillReadable, Req: "7644-3.6-01", Area: "delete",
		Summary: "keeps serving deleted resources by id"},
	{Name: FaultDeleteStillListed, Req: "7644-3.6-02", Area: "delete",
		Summary: "keeps deleted resources in query results"},
	{Name: FaultDeleteUserNameBlocked, Req: "7644-3.6-04", Area: "delete",
		Summary: "keeps the userName of a deleted User taken (409 on re-create)", Related: []string{"7644-3.6-03"}},

	{Name: FaultLeaverStillMember, Req: "7644-3.6-02", Area: "delete",
		Summary: "keeps a deleted User among the members of its Groups"},
	{Name: FaultFilterIndexStale, Req: "7644-3.4.2.2-04", Area: "filter",
		Summary: "keeps matching a resource by the values it had before a PUT or PATCH changed them (a filter index never updated)"},
	{Name: FaultExtensionWriteNotTouched, Req: "7644-3.14-03", Area: "replace",
		Summary: "leaves meta.lastModified at its old value when a write changes only extension attributes"},

	{Name: FaultErrorsStatusInteger, Req: "7644-3.12-02", Area: "errors",
		Summary: "writes the error status as a JSON number instead of a string"},
	{Name: FaultErrorsNotJSON, Req: "7644-3.12-01", Area: "errors",
		Summary: "writes errors as plain text instead of a SCIM error object",
		Related: []string{"7644-3.12-02", "7644-3.12-03", "7644-3.2-05"}},

	{Name: FaultMediaTypeJSON, Req: "7644-8.1-01", Area: "media-type",
		Summary: "labels every response application/json instead of application/scim+json"},
	{Name: FaultMediaTypeRejectSCIMAccept, Req: "7644-3.8-05", Area: "media-type",
		Summary: "answers 406 to Accept: application/scim+json"},
	{Name: FaultMediaTypeRejectSCIMBody, Req: "7644-3.8-01", Area: "media-type",
		Summary: "answers 415 to bodies sent as application/scim+json with a charset parameter (a strict string match on Content-Type)"},
	{Name: FaultMediaTypeRejectJSONAccept, Req: "7644-3.8-05", Area: "media-type",
		Summary: "answers 406 to Accept: application/json"},
	{Name: FaultMediaTypeOnlyJSON, Req: "7644-3.8-05", Area: "media-type",
		Summary: "answers 406 to any Accept naming application/scim+json, even beside application/json (a server that speaks only application/json)"},

	{Name: FaultAuthNoChallenge, Req: "7644-2-06", Area: "auth-security",
		Summary: "answers 401 without a WWW-Authenticate header"},
	{Name: FaultAuthWrongScheme, Req: "7644-2-06", Area: "auth-security",
		Summary: "challenges Basic in WWW-Authenticate although it accepts only bearer tokens"},
	{Name: FaultAuthAnyToken, Req: "7644-2-07", Area: "auth-security",
		Summary: "accepts any bearer token"},
	{Name: FaultAuthAnonymous, Req: "7644-2-08", Area: "auth-security",
		Summary: "serves requests that carry no credentials at all"},

	{Name: FaultMeNoLocation, Req: "7644-3.11-07", Area: "me",
		Summary: "omits the Location header from /Me responses"},
	{Name: FaultMeLocationAlias, Req: "7644-3.11-07", Area: "me",
		Summary: "sets the /Me Location header to the /Me alias instead of the User's permanent location"},

	{Name: FaultSortIgnored, Req: "7644-3.4.2.3-03", Area: "sort",
		Summary: "ignores sortBy and returns creation order"},
	{Name: FaultSortDefaultDescending, Req: "7644-3.4.2.3-04", Area: "sort",
		Summary: "sorts descending when sortOrder is absent"},
	{Name: FaultSortCaseSensitive, Req: "7644-3.4.2.3-05", Area: "sort",
		Summary: "sorts case-insensitive attributes case-sensitively"},

	{Name: FaultPagingStartIndexRejected, Req: "7644-3.4.2.4-03", Area: "paging",
		Summary: "answers 400 to startIndex below 1 instead of treating it as 1"},
	{Name: FaultPagingNegativeCountRejected, Req: "7644-3.4.2.4-04", Area: "paging",
		Summary: "answers 400 to a negative count instead of treating it as 0"},
	{Name: FaultPagingCountExceeded, Req: "7644-3.4.2.4-05", Area: "paging",
		Summary: "returns one resource more than count", Related: []string{"9865-2-03"}},
	{Name: FaultPagingNoTotalResults, Req: "7644-3.4.2-04", Area: "paging",
		Summary: "omits totalResults from list responses"},
	{Name: FaultPagingEmpty404, Req: "7644-3.4.2-09", Area: "paging",
		Summary: "answers 404 to a query that matches nothing"},
	{Name: FaultPagingItemsPerPageIsCount, Req: "7644-3.4.2-08", Area: "paging",
		Summary: "reports the page size asked for (count, or the default) as itemsPerPage instead of the number of resources on the page"},
	{Name: FaultQueryUnknownParamRejected, Req: "7644-3.4.2-02", Area: "list-query",
		Summary: "answers 400 to a query parameter it does not know on GET queries instead of ignoring it"},

	{Name: FaultTenantLeakRead, Req: "7644-2-07", Area: "tenancy",
		Summary: "serves GET by id of a resource of another tenant"},
	{Name: FaultTenantLeakList, Req: "7644-2-07", Area: "tenancy",
		Summary: "lists and filters the resources of every tenant, not only the caller's"},
	{Name: FaultTenantLeakWrite, Req: "7644-2-07", Area: "tenancy",
		Summary: "applies PUT, PATCH and DELETE to a resource of another tenant"},
	{Name: FaultTenantLeakBulk, Req: "7644-2-07", Area: "tenancy",
		Summary: "runs Bulk operations on resources of another tenant"},

	{Name: FaultDevicePatchIgnored, Req: "7644-3.5.2-01", Area: "custom-type",
		Summary: "answers 200 to a PATCH of a Device (the custom resource type) but changes nothing"},

	{Name: FaultCursorNextOnLastPage, Req: "9865-2-05", Area: "cursor",
		Summary: "returns nextCursor on the last page"},
	{Name: FaultCursorPreviousOnFirst, Req: "9865-2-08", Area: "cursor",
		Summary: "returns previousCursor on the first page"},
	{Name: FaultCursorInvalidAccepted, Req: "9865-2.1-01", Area: "cursor",
		Summary: "serves the first page for an invalid cursor instead of 400 invalidCursor"},
	{Name: FaultCursorIgnored, Req: "9865-2-05", Area: "cursor",
		Summary: "ignores the cursor parameter and pages by index without nextCursor"},

	{Name: FaultAttributesIgnored, Req: "7644-3.9-02", Area: "attributes",
		Summary: "ignores the attributes parameter on reads and queries"},
	{Name: FaultAttributesExcludeAlways, Req: "7644-3.4.2.5-04", Area: "attributes",
		Summary: "lets excludedAttributes remove attributes returned always (id)"},
	{Name: FaultAttributesIgnoredOnWrite, Req: "7644-3.4.2.5-02", Area: "attributes",
		Summary: "ignores attributes and excludedAttributes on POST, PUT and PATCH responses", Related: []string{"7644-3.9-01"}},
	{Name: FaultAttributesDropSchemas, Req: "7643-3-02", Area: "attributes",
		Summary: "leaves schemas out of resources returned under the attributes parameter"},

	{Name: FaultSearchPostNotFound, Req: "7644-3.4.3-02", Area: "search-post",
		Summary: "answers 404 to POST .search on resource type endpoints"},
	{Name: FaultSearchPostIgnoresFilter, Req: "7644-3.4.3-10", Area: "search-post",
		Summary: "ignores the filter of a SearchRequest"},
	{Name: FaultSearchRootUsersOnly, Req: "7644-3.4.2.1-02", Area: "search-post",
		Summary: "leaves Groups out of queries at the server root"},

	{Name: FaultEtagIgnoreIfMatch, Req: "7644-3.14-04", Area: "etag",
		Summary: "performs PUT, PATCH and DELETE whatever If-Match says"},
	{Name: FaultEtagIgnoreIfNoneMatch, Req: "7644-3.14-03", Area: "etag",
		Summary: "answers 200 with the body to a GET whose If-None-Match matches"},
	{Name: FaultEtagNoHeader, Req: "7644-3.14-02", Area: "etag",
		Summary: "sends no ETag header on resource responses"},
	{Name: FaultEtagVersionUnchanged, Req: "7644-3.14-03", Area: "etag",
		Summary: "keeps the same version after a modification", Related: []string{"7644-3.14-04"}},
	{Name: FaultEtagHeaderMismatch, Req: "7644-3.14-02", Area: "etag",
		Summary: "sends an ETag header that differs from meta.version"},
	{Name: FaultEtagUnadvertised, Req: "7643-5-16", Area: "etag",
		Summary: "says etag.supported false in /ServiceProviderConfig but sends ETag headers and meta.version anyway"},

	{Name: FaultConcurrencyLostUpdate, Req: "7644-3.14-04", Area: "concurrency",
		Summary: "checks If-Match outside the write lock, so concurrent conditional writes all succeed"},
	{Name: FaultConcurrencyDuplicateCreate, Req: "7644-3.3-10", Area: "concurrency",
		Summary: "checks userName uniqueness outside the write lock, so concurrent creates duplicate it",
		Related: []string{"7643-4.1.1-02"}},
}

// CoreFaults returns the fault switches of the HTTP layer (this package),
// without those of filter, patch and bulk.
func CoreFaults() []fault.Info {
	return append([]fault.Info(nil), coreFaults...)
}
