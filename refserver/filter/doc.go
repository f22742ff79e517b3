// Package filter parses and evaluates SCIM filters (RFC 7644 §3.4.2.2) and
// attribute paths (RFC 7644 §3.10) for the reference server.
//
// It implements the whole grammar of Figure 1: the operators eq, ne, co, sw,
// ew, pr, gt, ge, lt and le (Table 3), and/or/not (Table 4) with "not" binding
// tighter than "and" and "and" tighter than "or", parentheses, and value
// filters such as emails[type eq "work" and value co "@example.com"] whose
// conditions must all hold on one and the same value (Table 5). Attribute
// names, operators and the keywords and/or/not/true/false/null are matched
// case-insensitively.
//
// Readings where the RFC leaves room (docs/interpretations.md):
//
//   - "not (" with a space is accepted as well as "not(" (erratum 7319).
//   - Whitespace between tokens may be any run of spaces, tabs or line
//     breaks, and may be omitted where the tokens are still separable (the
//     RFC's own example members[value eq"…"] has none).
//   - A complex attribute without a sub-attribute (emails co "x", I3) is
//     compared through its "value" sub-attribute; "pr" and "eq null" test the
//     complex value itself. A complex attribute without a "value"
//     sub-attribute (name eq "x") is a 400 invalidFilter.
//   - An attribute the resource type does not define has no value (RFC 7644
//     §3.4.2.1): it satisfies no comparison and not "pr"; only "eq null"
//     holds. The filter is not rejected.
//   - An unqualified name that is not a core or common attribute resolves to
//     the one extension that defines it (§3.10 lets clients omit only the
//     core URN, but extension names are commonly sent bare).
//   - "ne" follows the any-value rule for multi-valued attributes and, like
//     every comparison, does not match an attribute without a value.
//   - "eq null" matches an unassigned attribute, "ne null" an assigned one
//     (RFC 7643 §2.5); other operators with null are a 400 invalidFilter.
//   - Strings compare case-insensitively unless the attribute is caseExact;
//     binary values always compare exactly (base64 is case-significant).
//     gt/ge/lt/le on strings are lexicographic by code point.
//   - dateTime values compare as instants (RFC 3339 parsing; a value without
//     zone is UTC); co/sw/ew on dateTime compare the text.
//   - The comparison value must suit the attribute type (a string for
//     string, reference, binary and dateTime, a number for integer and
//     decimal, true/false for boolean); anything else is a 400
//     invalidFilter, as are gt/ge/lt/le on boolean and binary attributes and
//     co/sw/ew on boolean and numeric attributes.
//
// Malformed input is a 400 invalidFilter *scimerr.Error whose detail names
// the offending token and its byte offset.
package filter
