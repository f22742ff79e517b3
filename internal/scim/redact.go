package scim

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
)

// Redacted replaces every secret in any output.
const Redacted = "[REDACTED]"

// minSecretLen is the shortest secret redacted by value: shorter strings
// would blank out ordinary text. Credential headers are redacted whatever
// their length.
const minSecretLen = 4

// sensitiveHeaders never appear in a transcript with their value.
var sensitiveHeaders = map[string]bool{
	"Authorization": true, "Proxy-Authorization": true, "Cookie": true, "Set-Cookie": true,
	"X-Api-Key": true, "Api-Key": true, "X-Auth-Token": true, "X-Access-Token": true,
}

// Redactor removes credentials and configured secrets from transcripts. It
// is safe for concurrent use; a nil or zero Redactor redacts credential
// headers and sensitive JSON members only.
type Redactor struct {
	static  []string          // configured secrets
	sources []func() []string // secrets known later (an OAuth2 access token)
	headers map[string]bool   // extra credential header names (canonical)
	cache   atomic.Pointer[redactForms]
}

// redactForms caches the encoded forms of the secrets of one moment.
type redactForms struct {
	dynamic []string
	forms   []string
}

// NewRedactor builds a redactor for the given secrets. Each secret is also
// redacted in its URL-escaped, JSON-escaped and base64 forms; secrets shorter
// than 4 bytes are ignored.
func NewRedactor(secrets []string) *Redactor {
	return &Redactor{static: append([]string(nil), secrets...)}
}

// newClientRedactor adds the authenticators' secrets (read at each use, so
// a token fetched later is covered) and credential header names; nil
// authenticators are skipped.
func newClientRedactor(secrets []string, auths ...Authenticator) *Redactor {
	r := NewRedactor(secrets)
	for _, auth := range auths {
		if auth == nil {
			continue
		}
		r.sources = append(r.sources, auth.Secrets)
		if r.headers == nil {
			r.headers = map[string]bool{}
		}
		for _, h := range auth.HeaderNames() {
			r.headers[http.CanonicalHeaderKey(h)] = true
		}
	}
	return r
}

// forms returns every encoded form of every secret, longest first.
func (r *Redactor) forms() []string {
	var dyn []string
	for _, src := range r.sources {
		dyn = append(dyn, src()...)
	}
	if c := r.cache.Load(); c != nil && slices.Equal(c.dynamic, dyn) {
		return c.forms
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]string(nil), r.static...), dyn...) {
		if len(s) < minSecretLen {
			continue
		}
		for _, f := range encodedForms(s) {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	r.cache.Store(&redactForms{dynamic: dyn, forms: out})
	return out
}

// encodedForms lists the ways a secret may appear on the wire or in output:
// as is, URL-encoded (query, %20 and path styles), base64 (standard and URL
// alphabets, with and without padding), and each of those JSON-escaped (with
// and without HTML escaping: a URL-encoded "&" is "\u0026" in a JSON body).
// A "user:password" pair is a secret of its own (Basic).
func encodedForms(s string) []string {
	b := []byte(s)
	base := []string{s, url.QueryEscape(s), QueryEscape(s), url.PathEscape(s),
		base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)}
	forms := base
	for _, f := range base {
		forms = append(forms, jsonEscaped(f, true), jsonEscaped(f, false))
	}
	return forms
}

// jsonEscaped is s as it appears inside a JSON string.
func jsonEscaped(s string, escapeHTML bool) string {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(escapeHTML)
	if enc.Encode(s) != nil {
		return s
	}
	j := strings.TrimSpace(sb.String())
	return j[1 : len(j)-1]
}

// String replaces every secret in s.
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	return replaceForms(r.forms(), s)
}

// replaceForms replaces every occurrence of each form (longest first) in s.
func replaceForms(forms []string, s string) string {
	for _, f := range forms {
		if strings.Contains(s, f) {
			s = strings.ReplaceAll(s, f, Redacted)
		}
	}
	return s
}

// URL redacts userinfo, secrets and the values of sensitive query
// parameters (access_token=...) of a URL, keeping its encoding otherwise.
func (r *Redactor) URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return r.String(raw)
	}
	if u.User != nil {
		u.User = url.User(Redacted)
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			k, _, hasV := strings.Cut(p, "=")
			if name, err := url.QueryUnescape(k); err == nil && hasV && isSensitiveKey(name) {
				parts[i] = k + "=" + Redacted
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	return r.String(u.String())
}

// Header returns a copy of h with credentials and secrets redacted.
func (r *Redactor) Header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	var forms []string
	if r != nil {
		forms = r.forms()
	}
	for k, vs := range h {
		ck := http.CanonicalHeaderKey(k)
		for _, v := range vs {
			switch {
			case ck == "Authorization" || ck == "Proxy-Authorization":
				v = redactAuthorization(v)
			case ck == "Cookie":
				v = redactCookies(v, false)
			case ck == "Set-Cookie":
				v = redactCookies(v, true)
			case sensitiveHeaders[ck] || (r != nil && r.headers[ck]):
				v = Redacted
			}
			out[k] = append(out[k], replaceForms(forms, v))
		}
	}
	return out
}

// redactAuthorization keeps the scheme of an Authorization value ("Bearer",
// "Basic"), never the credentials.
func redactAuthorization(v string) string {
	scheme, _, ok := strings.Cut(strings.TrimSpace(v), " ")
	if ok && len(scheme) < 20 && isToken(scheme) {
		return scheme + " " + Redacted
	}
	return Redacted
}

// redactCookies keeps cookie names and (for Set-Cookie) attributes, and
// removes every cookie value.
func redactCookies(v string, setCookie bool) string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		if setCookie && i > 0 {
			break
		}
		name, _, _ := strings.Cut(p, "=")
		parts[i] = name + "=" + Redacted
	}
	return strings.Join(parts, ";")
}

// isToken reports whether s is a non-empty run of letters, digits and '-'.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c == '-' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')) {
			return false
		}
	}
	return true
}
