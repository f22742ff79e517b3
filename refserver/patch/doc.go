// Package patch implements SCIM PATCH (RFC 7644 §3.5.2): the path syntax of
// Figure 7 and the add, remove and replace operations, applied atomically to
// a copy of the resource.
//
// Paths: "userName", "name.givenName", URN-qualified paths such as
// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
// value paths such as members[value eq "2819c223"] or
// emails[type eq "work"].value, and an extension URN alone (the whole
// extension object). Attribute names are case-insensitive.
//
// Errors (RFC 7644 §3.12 Table 9), each a *scimerr.Error whose detail names
// the failing operation:
//   - invalidPath: malformed path, or an attribute the resource type does
//     not define (also as a member of a no-path value object); a value
//     filter on an attribute that is not multi-valued complex.
//   - invalidFilter: a malformed value filter in a path.
//   - noTarget: remove without a path; replace whose value filter matches
//     nothing.
//   - mutability: a path targeting a readOnly attribute; changing or
//     removing an immutable attribute that has a value; unassigning a
//     required attribute.
//   - invalidValue: a value of the wrong JSON type for the attribute ("True"
//     is not a boolean, an object is not a string), an unknown
//     sub-attribute in a complex value, two values made primary at once.
//   - invalidSyntax: an op other than add, remove or replace.
//
// Readings where the RFC leaves room (docs/interpretations.md), chosen
// as the most common and lenient behaviour:
//   - op names are accepted in any case ("Replace", I12).
//   - No-path values may use dotted or URN-qualified member names
//     ({"name.givenName": "x"}, I12); members naming readOnly attributes are
//     ignored, like readOnly attributes in any request body (§3.3).
//   - readOnly sub-attributes inside a complex value (manager.displayName)
//     are ignored; only a path that targets a readOnly attribute fails.
//   - Add and replace of a single-valued complex attribute, and of a value
//     selected by a filter, merge the given sub-attributes (§3.5.2.3).
//   - Add of a value a multi-valued attribute already holds changes nothing
//     (I13: same "value" and, where both have one, same "type").
//   - Remove with a filter matching nothing succeeds without change (I1).
//   - Remove of "members" with a value array removes only the listed values
//     (I2, vendor form); without a value the whole attribute goes.
//   - Add with a value filter matching nothing creates the value the eq
//     comparisons of the filter describe (erratum 8097, Entra).
//   - Replace with null unassigns the target (RFC 7643 §2.5).
//   - A dotted sub-attribute of a multi-valued attribute without a filter
//     (emails.display) applies to every value.
//   - Setting primary true on a value sets primary false on the others
//     (7644-3.5.2-13).
//   - "schemas" gains an extension URN when extension data is added
//     (7644-3.5.2-12) and loses it when a request empties the extension.
package patch
