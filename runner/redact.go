package runner

import (
	"github.com/scimconform/scimconform/internal/scim"
)

// redactor redacts the configured secrets and the forms credentials take on
// the wire (user:password and its base64), for what is printed before the
// run's client (whose redactor also knows a fetched OAuth2 token) exists.
func (c Config) redactor() *scim.Redactor {
	secrets := c.secretValues()
	if c.Secrets.User != "" {
		secrets = append(secrets, scim.Basic{User: c.Secrets.User, Password: c.Secrets.Password}.Secrets()...)
	}
	return scim.NewRedactor(secrets)
}

// redactedError is an error whose message was redacted; it still unwraps to
// the original (errors.Is/As keep working), whose text must not be printed.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactErr returns err with its message redacted (err itself when nothing
// needed redacting).
func redactErr(err error, r *scim.Redactor) error {
	if err == nil || r == nil {
		return err
	}
	if msg := r.String(err.Error()); msg != err.Error() {
		return &redactedError{msg: msg, err: err}
	}
	return err
}
