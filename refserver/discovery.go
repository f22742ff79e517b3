package refserver

import (
	"net/http"
	"strings"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Discovery endpoints (RFC 7644 §4). Query parameters are ignored, as §4
// says they SHALL be; that includes filter, for which §4 also suggests 403:
// docs/interpretations.md#i9, the lenient reading is to ignore it.

// discoveryQuery implements the fault that rejects paging and sorting
// parameters on discovery endpoints.
func (s *Server) discoveryQuery(r *http.Request) error {
	if !s.faults.Has(FaultDiscoveryQueryRejected) {
		return nil
	}
	v := r.URL.Query()
	for _, p := range []string{"startIndex", "count", "sortBy", "sortOrder"} {
		if v.Has(p) {
			return scimerr.BadRequest(scimerr.InvalidValue, "%s is not supported here", p)
		}
	}
	return nil
}

// discoveryMeta is the meta of a discovery resource.
func (s *Server) discoveryMeta(r *http.Request, resourceType, path string) map[string]any {
	location := origin(r) + s.opts.BasePath + path
	if s.faults.Has(FaultDiscoveryMetaLocationRelative) {
		location = s.opts.BasePath + path
	}
	return map[string]any{
		"resourceType": resourceType,
		"location":     location,
		"created":      s.started,
		"lastModified": s.started,
	}
}

// serviceProviderConfig serves GET /ServiceProviderConfig (RFC 7643 §5,
// RFC 9865 §4).
func (s *Server) serviceProviderConfig(w http.ResponseWriter, r *http.Request) error {
	if err := s.discoveryQuery(r); err != nil {
		return err
	}
	if s.faults.Has(FaultDiscoverySPCQueryRejected) && r.URL.RawQuery != "" {
		return scimerr.BadRequest(scimerr.InvalidValue, "/ServiceProviderConfig takes no query parameters")
	}
	urn := schema.URNServiceProviderConfig
	if s.faults.Has(FaultDiscoverySPCWrongSchema) {
		urn = "urn:scim:schemas:core:1.0"
	}
	o := s.opts
	doc := map[string]any{
		"schemas":        []string{urn},
		"patch":          map[string]any{"supported": true},
		"bulk":           map[string]any{"supported": true, "maxOperations": o.BulkMaxOperations, "maxPayloadSize": o.BulkMaxPayloadSize},
		"filter":         map[string]any{"supported": true, "maxResults": o.MaxResults},
		"changePassword": map[string]any{"supported": true},
		"sort":           map[string]any{"supported": true},
		"etag":           map[string]any{"supported": !s.faults.Has(FaultEtagUnadvertised)},
		"authenticationSchemes": []any{map[string]any{
			"type":        "oauthbearertoken",
			"name":        "OAuth Bearer Token",
			"description": "Authentication with a bearer token in the Authorization header (RFC 6750).",
			"specUri":     "https://www.rfc-editor.org/info/rfc6750",
			"primary":     true,
		}},
		"pagination": map[string]any{
			"cursor":                  true,
			"index":                   true,
			"defaultPaginationMethod": "index",
			"defaultPageSize":         o.defaultPageSize(),
			"maxPageSize":             min(o.MaxPageSize, o.MaxResults),
			"cursorTimeout":           int(CursorTimeout.Seconds()),
		},
		"meta": s.discoveryMeta(r, "ServiceProviderConfig", "/ServiceProviderConfig"),
	}
	if s.faults.Has(FaultDiscoveryPaginationHidden) {
		delete(doc, "pagination")
	}
	s.writeJSON(w, r, http.StatusOK, doc)
	return nil
}

// resourceTypeDoc is the representation of one resource type (RFC 7643 §6).
func (s *Server) resourceTypeDoc(r *http.Request, rt *resourceType) map[string]any {
	doc := map[string]any{
		"schemas":     []string{schema.URNResourceType},
		"id":          rt.Name,
		"name":        rt.Name,
		"description": rt.Description,
		"endpoint":    rt.Endpoint,
		"schema":      rt.Schema.Core.ID,
		"meta":        s.discoveryMeta(r, "ResourceType", "/ResourceTypes/"+rt.Name),
	}
	if s.faults.Has(FaultDiscoveryResourceTypeNoEndpoint) {
		delete(doc, "endpoint")
	}
	if s.faults.Has(FaultDiscoveryResourceTypeMetaWrong) {
		doc["meta"].(map[string]any)["resourceType"] = rt.Name
	}
	if len(rt.Schema.Extensions) > 0 {
		exts := make([]any, 0, len(rt.Schema.Extensions))
		for _, e := range rt.Schema.Extensions {
			required := s.faults.Has(FaultDiscoveryExtensionRequired)
			exts = append(exts, map[string]any{"schema": e.ID, "required": required})
		}
		doc["schemaExtensions"] = exts
	}
	return doc
}

// resourceTypes serves GET /ResourceTypes and /ResourceTypes/{id}.
func (s *Server) resourceTypes(w http.ResponseWriter, r *http.Request, id string) error {
	if err := s.discoveryQuery(r); err != nil {
		return err
	}
	var docs []any
	for _, rt := range s.types.all() {
		if id == "" {
			docs = append(docs, s.resourceTypeDoc(r, rt))
		} else if strings.EqualFold(id, rt.Name) {
			s.writeJSON(w, r, http.StatusOK, s.resourceTypeDoc(r, rt))
			return nil
		}
	}
	if id != "" {
		return scimerr.New(http.StatusNotFound, "", "no resource type %q", id)
	}
	s.writeJSON(w, r, http.StatusOK, s.discoveryList(docs))
	return nil
}

// schemaDoc is the representation of one schema (RFC 7643 §7) with the
// schemas and meta of erratum 8417.
func (s *Server) schemaDoc(r *http.Request, sc *schema.Schema) map[string]any {
	return map[string]any{
		"schemas":     []string{schema.URNSchema},
		"id":          sc.ID,
		"name":        sc.Name,
		"description": sc.Description,
		"attributes":  sc.Attributes,
		"meta":        s.discoveryMeta(r, "Schema", "/Schemas/"+sc.ID),
	}
}

// schemas serves GET /Schemas and /Schemas/{id}.
func (s *Server) schemas(w http.ResponseWriter, r *http.Request, id string) error {
	if err := s.discoveryQuery(r); err != nil {
		return err
	}
	var docs []any
	for _, sc := range s.allSchemas {
		if id == "" {
			docs = append(docs, s.schemaDoc(r, sc))
		} else if strings.EqualFold(id, sc.ID) {
			s.writeJSON(w, r, http.StatusOK, s.schemaDoc(r, sc))
			return nil
		}
	}
	if id != "" {
		return scimerr.New(http.StatusNotFound, "", "no schema %q", id)
	}
	if s.faults.Has(FaultDiscoverySchemasNotList) {
		s.writeJSON(w, r, http.StatusOK, docs)
		return nil
	}
	s.writeJSON(w, r, http.StatusOK, s.discoveryList(docs))
	return nil
}

// discoveryList wraps discovery resources in a ListResponse (RFC 7644 §4).
func (s *Server) discoveryList(docs []any) map[string]any {
	items := len(docs)
	if s.faults.Has(FaultDiscoveryItemsPerPage) {
		items = s.opts.defaultPageSize()
	}
	return map[string]any{
		"schemas":      []string{schema.URNListResponse},
		"totalResults": len(docs),
		"itemsPerPage": items,
		"startIndex":   1,
		"Resources":    docs,
	}
}
