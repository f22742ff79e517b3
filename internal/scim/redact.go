package scim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// Redacted replaces every secret in any output.
const Redacted = "[REDACTED]"

// sensitiveHeaders never appear in a transcript with their value.
var sensitiveHeaders = map[string]bool{
	"Authorization": true, "Proxy-Authorization": true, "Cookie": true, "Set-Cookie": true,
	"X-Api-Key": true, "Api-Key": true, "X-Auth-Token": true,
}

// sensitiveKeys are JSON member names whose values are redacted in bodies
// (compared case-insensitively, as SCIM attribute names are).
var sensitiveKeys = map[string]bool{
	"password": true, "client_secret": true, "access_token": true, "refresh_token": true,
	"secret": true, "token": true,
}

// Redactor removes credentials and configured secrets from transcripts.
type Redactor struct {
	secrets []string
}

// NewRedactor builds a redactor for the given secrets (empty ones ignored;
// longest first so a secret containing another is removed whole).
func NewRedactor(secrets []string) *Redactor {
	var s []string
	for _, x := range secrets {
		if len(x) >= 4 {
			s = append(s, x)
		}
	}
	sort.Slice(s, func(i, j int) bool { return len(s[i]) > len(s[j]) })
	return &Redactor{secrets: s}
}

// String replaces every secret in s.
func (r *Redactor) String(s string) string {
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, Redacted)
		if esc := url.QueryEscape(sec); esc != sec {
			s = strings.ReplaceAll(s, esc, Redacted)
		}
	}
	return s
}

// URL redacts userinfo, secrets and sensitive query parameters of a URL.
func (r *Redactor) URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return r.String(raw)
	}
	if u.User != nil {
		u.User = url.User(Redacted)
	}
	q := u.Query()
	changed := false
	for k := range q {
		if sensitiveKeys[strings.ToLower(k)] {
			q.Set(k, Redacted)
			changed = true
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
	return r.String(u.String())
}

// Header returns a copy of h with credentials and secrets redacted.
func (r *Redactor) Header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		for _, v := range vs {
			if sensitiveHeaders[http.CanonicalHeaderKey(k)] {
				v = redactCredential(v)
			}
			out[k] = append(out[k], r.String(v))
		}
	}
	return out
}

// redactCredential keeps the scheme of an Authorization value, not the secret.
func redactCredential(v string) string {
	if scheme, _, ok := strings.Cut(v, " "); ok && len(scheme) < 20 {
		return scheme + " " + Redacted
	}
	return Redacted
}

// Body redacts secrets and sensitive JSON members (password, ...) of a body.
func (r *Redactor) Body(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	var v any
	if err := json.Unmarshal(b, &v); err == nil {
		if redactJSON(v) {
			if out, err := json.Marshal(v); err == nil {
				return r.String(string(out))
			}
		}
	}
	return r.String(strings.ToValidUTF8(string(b), "\uFFFD"))
}

// redactJSON replaces sensitive members in place and reports whether it did.
func redactJSON(v any) bool {
	changed := false
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if sensitiveKeys[strings.ToLower(k)] {
				if _, isObj := val.(map[string]any); !isObj {
					t[k] = Redacted
					changed = true
					continue
				}
			}
			if redactJSON(val) {
				changed = true
			}
		}
	case []any:
		for _, e := range t {
			if redactJSON(e) {
				changed = true
			}
		}
	}
	return changed
}
