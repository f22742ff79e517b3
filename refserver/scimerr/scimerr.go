// Package scimerr is the reference server's error value: an HTTP status with an
// optional RFC 7644 §3.12 scimType and a human-readable detail.
package scimerr

import (
	"errors"
	"fmt"
	"net/http"
)

// SCIM detail error keywords (RFC 7644 §3.12 Table 9, RFC 9865 §2.1).
const (
	InvalidFilter = "invalidFilter"
	TooMany       = "tooMany"
	Uniqueness    = "uniqueness"
	Mutability    = "mutability"
	InvalidSyntax = "invalidSyntax"
	InvalidPath   = "invalidPath"
	NoTarget      = "noTarget"
	InvalidValue  = "invalidValue"
	InvalidVers   = "invalidVers"
	Sensitive     = "sensitive"
	InvalidCursor = "invalidCursor"
	ExpiredCursor = "expiredCursor"
	InvalidCount  = "invalidCount"
)

// Error is a SCIM error response waiting to be written.
type Error struct {
	Status   int
	ScimType string
	Detail   string
}

// Error implements error.
func (e *Error) Error() string {
	if e.ScimType != "" {
		return fmt.Sprintf("%d %s: %s", e.Status, e.ScimType, e.Detail)
	}
	return fmt.Sprintf("%d: %s", e.Status, e.Detail)
}

// New builds an Error with a formatted detail.
func New(status int, scimType, format string, args ...any) *Error {
	return &Error{Status: status, ScimType: scimType, Detail: fmt.Sprintf(format, args...)}
}

// BadRequest is a 400 with the given scimType.
func BadRequest(scimType, format string, args ...any) *Error {
	return New(http.StatusBadRequest, scimType, format, args...)
}

// As extracts an *Error from err, or wraps an unknown error as a 500.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Status: http.StatusInternalServerError, Detail: "internal error"}
}
