package refserver

import (
	"strings"

	"github.com/scimconform/scimconform/refserver/fault"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// writeMode says which operation produced a document under validation.
type writeMode int

const (
	modeCreate  writeMode = iota // POST
	modeReplace                  // PUT
	modePatch                    // the result of a PATCH
)

// canonicalizer validates one input document against a resource type's
// schemas and rewrites it in canonical form (RFC 7643 §2, §7):
//   - attribute names take the schema's spelling, extension attributes sit
//     under their schema URN (a flattened "urn:...:attr" key is accepted);
//   - readOnly attributes, id and meta are ignored (RFC 7644 §3.3, §3.5.1);
//   - unknown attributes and sub-attributes are ignored, the lenient reading
//     (RFC 7644 is silent; the result shows what the server kept);
//   - values of the wrong JSON type are 400 invalidValue;
//   - null and [] mean unassigned (RFC 7643 §2.5) and are dropped;
//   - the password is taken out of the document to be stored hashed.
type canonicalizer struct {
	rs       *schema.ResourceSchema
	mode     writeMode
	faults   fault.Set
	password *string
}

// canonicalize turns an input document into a draft. It checks the schemas
// member and the required attributes too.
func canonicalize(in map[string]any, rs *schema.ResourceSchema, mode writeMode, faults fault.Set) (*draft, error) {
	c := &canonicalizer{rs: rs, mode: mode, faults: faults}
	if err := c.checkSchemas(in); err != nil {
		return nil, err
	}
	doc := map[string]any{}
	for k, v := range in {
		if err := c.member(doc, k, v); err != nil {
			return nil, err
		}
	}
	schemas := []any{rs.Core.ID}
	for _, ext := range rs.Extensions {
		if _, ok := doc[ext.ID]; ok {
			schemas = append(schemas, ext.ID)
		}
	}
	doc["schemas"] = schemas
	if err := c.checkRequired(doc); err != nil {
		return nil, err
	}
	return &draft{doc: doc, password: c.password, truncateCreated: mode == modeReplace && faults.Has(FaultReplaceCreatedTruncated)}, nil
}

// checkSchemas validates the schemas member (RFC 7643 §3): a list of known
// URNs holding the core schema. A PATCH result keeps the stored schemas.
func (c *canonicalizer) checkSchemas(in map[string]any) error {
	raw, ok := lookup(in, "schemas")
	if !ok || raw == nil {
		if c.mode == modePatch {
			return nil
		}
		if c.faults.Has(FaultCreateWithoutSchemasAccepted) {
			return nil
		}
		return scimerr.BadRequest(scimerr.InvalidValue, "the schemas attribute is required")
	}
	list, ok := raw.([]any)
	if !ok || len(list) == 0 {
		return scimerr.BadRequest(scimerr.InvalidValue, "schemas must be a non-empty array of schema URNs")
	}
	hasCore := false
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			return scimerr.BadRequest(scimerr.InvalidValue, "schemas must hold strings")
		}
		switch {
		case strings.EqualFold(s, c.rs.Core.ID):
			hasCore = true
		case c.rs.Extension(s) != nil:
		default:
			return scimerr.BadRequest(scimerr.InvalidValue, "schema %q is not a schema of this resource type", s)
		}
	}
	if !hasCore {
		return scimerr.BadRequest(scimerr.InvalidValue, "schemas must contain %s", c.rs.Core.ID)
	}
	return nil
}

// member canonicalises one top-level member of the input into doc.
func (c *canonicalizer) member(doc map[string]any, key string, v any) error {
	switch {
	case strings.EqualFold(key, "schemas"), strings.EqualFold(key, "id"), strings.EqualFold(key, "meta"):
		return nil // handled elsewhere, or readOnly and ignored
	case strings.EqualFold(key, "externalId"):
		return c.put(doc, schema.CommonAttr("externalId"), v, "externalId")
	}
	if ext := c.rs.Extension(key); ext != nil {
		return c.extension(doc, ext, v)
	}
	if a := c.rs.Core.Attr(key); a != nil {
		return c.put(doc, a, v, a.Name)
	}
	uri, rest := c.rs.SplitURN(key)
	if uri == "" || strings.Contains(rest, ".") {
		return nil // unknown attribute: ignored
	}
	if strings.EqualFold(uri, c.rs.Core.ID) {
		return c.member(doc, rest, v)
	}
	ext := c.rs.Extension(uri)
	a := ext.Attr(rest)
	if a == nil {
		return nil
	}
	obj, _ := doc[ext.ID].(map[string]any)
	if obj == nil {
		obj = map[string]any{}
	}
	if err := c.put(obj, a, v, ext.ID+":"+a.Name); err != nil {
		return err
	}
	if len(obj) > 0 {
		doc[ext.ID] = obj
	}
	return nil
}

// extension canonicalises an extension container.
func (c *canonicalizer) extension(doc map[string]any, ext *schema.Schema, v any) error {
	if v == nil {
		return nil
	}
	in, ok := v.(map[string]any)
	if !ok {
		return scimerr.BadRequest(scimerr.InvalidValue, "%s must be a JSON object", ext.ID)
	}
	obj, _ := doc[ext.ID].(map[string]any)
	if obj == nil {
		obj = map[string]any{}
	}
	for k, sv := range in {
		if a := ext.Attr(k); a != nil {
			if err := c.put(obj, a, sv, ext.ID+":"+a.Name); err != nil {
				return err
			}
		}
	}
	if len(obj) > 0 {
		doc[ext.ID] = obj
	}
	return nil
}

// put canonicalises the value of attribute a and stores it in obj under the
// schema's spelling, unless it is unassigned or ignored.
func (c *canonicalizer) put(obj map[string]any, a *schema.Attribute, v any, path string) error {
	if a.Mutability == schema.ReadOnly {
		if (c.mode == modeCreate && c.faults.Has(FaultCreateReadOnlyKept)) ||
			(c.mode == modeReplace && c.faults.Has(FaultReplaceReadOnlyKept)) {
			if v != nil {
				obj[a.Name] = normalizeNumbers(v)
			}
		}
		return nil
	}
	if a.Name == "password" && a.Mutability == schema.WriteOnly && a.Type == schema.TypeString {
		if v == nil {
			return nil
		}
		s, ok := v.(string)
		if !ok {
			return scimerr.BadRequest(scimerr.InvalidValue, "password must be a string")
		}
		c.password = &s
		return nil
	}
	out, err := c.value(a, v, path)
	if err != nil {
		return err
	}
	if out != nil {
		obj[a.Name] = out
	}
	return nil
}
