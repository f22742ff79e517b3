package schema

// Schema URNs of RFC 7643 §8.7 and message URNs of RFC 7644 §3.1 / RFC 9865.
const (
	URNUser                  = "urn:ietf:params:scim:schemas:core:2.0:User"
	URNGroup                 = "urn:ietf:params:scim:schemas:core:2.0:Group"
	URNEnterpriseUser        = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	URNServiceProviderConfig = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	URNResourceType          = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	URNSchema                = "urn:ietf:params:scim:schemas:core:2.0:Schema"

	URNListResponse  = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	URNSearchRequest = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
	URNPatchOp       = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	URNBulkRequest   = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
	URNBulkResponse  = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
	URNError         = "urn:ietf:params:scim:api:messages:2.0:Error"
)
