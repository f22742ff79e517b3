package scim

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// sensitiveNames are JSON member and query parameter names whose values are
// redacted, compared case-insensitively after removing '_' and '-'.
var sensitiveNames = map[string]bool{
	"password": true, "passwd": true, "pwd": true, "secret": true, "token": true,
	"apikey": true, "privatekey": true, "passphrase": true, "otp": true, "credentials": true,
}

// sensitiveSuffixes catch composed names: newPassword, client_secret,
// access_token, x-api-key...
var sensitiveSuffixes = []string{"password", "passwd", "secret", "token", "apikey", "privatekey", "passphrase"}

// sensitiveHints is a cheap pre-filter: a body without any of these
// (lower-cased) cannot hold a sensitive member, so it is not parsed.
var sensitiveHints = [][]byte{
	[]byte("pass"), []byte("pwd"), []byte("secret"), []byte("token"), []byte("key"),
	[]byte("otp"), []byte("credential"), []byte(`\u`),
}

// looseMember matches a sensitive "name": value pair in text that is not
// valid JSON (a truncated body), including an unterminated string value.
var looseMember = regexp.MustCompile(`(?i)("[a-z0-9_\-.:]*(?:password|passwd|pwd|secret|token|api[_-]?key|private[_-]?key|passphrase|otp|credentials)"\s*:\s*)("(?:[^"\\]|\\.)*"?|-?[0-9][0-9.eE+\-]*)`)

// isSensitiveKey reports whether a member or parameter name names a secret.
func isSensitiveKey(k string) bool {
	n := normalizeKey(k)
	if sensitiveNames[n] {
		return true
	}
	for _, s := range sensitiveSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// normalizeKey lower-cases k and drops '_' and '-'.
func normalizeKey(k string) string {
	var b strings.Builder
	b.Grow(len(k))
	for _, c := range k {
		switch {
		case c == '_' || c == '-':
		case 'A' <= c && c <= 'Z':
			b.WriteRune(c + ('a' - 'A'))
		default:
			b.WriteRune(unicode.ToLower(c))
		}
	}
	return b.String()
}

// isSensitivePath reports whether a PATCH path (RFC 7644 §3.5.2) targets a
// sensitive attribute: "password", "urn:...:User:password", "x.secret".
func isSensitivePath(p string) bool {
	for {
		i := strings.IndexByte(p, '[')
		if i < 0 {
			break
		}
		j := strings.IndexByte(p[i:], ']')
		if j < 0 {
			p = p[:i]
			break
		}
		p = p[:i] + p[i+j+1:]
	}
	if i := strings.LastIndexByte(p, ':'); i >= 0 {
		p = p[i+1:]
	}
	for _, seg := range strings.Split(p, ".") {
		if isSensitiveKey(strings.TrimSpace(seg)) {
			return true
		}
	}
	return false
}

// Body redacts configured secrets and sensitive JSON members of a body:
// members named like password/secret/token at any depth (every string or
// number below them), the value of a PATCH operation whose path is such an
// attribute, bulk operation data. Bytes that are not UTF-8 become U+FFFD.
func (r *Redactor) Body(b []byte) string {
	s, _ := r.body(b, 0)
	return s
}

// fullRedactMax is the largest body redacted whole before a transcript cut:
// up to it a JSON body gets structural redaction (PATCH values, nested
// members). A larger body is redacted only in a window a little longer than
// the cut, so a 8 MiB answer costs no 8 MiB strings per exchange.
const fullRedactMax = 1 << 20

// redactWindowSlack is how far past the cut a large body is redacted, so a
// sensitive member or secret straddling the cut is still recognised.
const redactWindowSlack = 4 << 10

// body is Body with a length cap (0 = none); it reports whether it cut. The
// result is an independent copy: it never shares memory with b nor with a
// longer intermediate string, so a kept transcript pins only its own bytes.
// Redaction happens before the cut, so no secret is left half-visible.
func (r *Redactor) body(b []byte, limit int) (string, bool) {
	if len(b) == 0 {
		return "", false
	}
	windowed := false
	if limit > 0 && len(b) > fullRedactMax && len(b) > limit+redactWindowSlack {
		w := limit + redactWindowSlack + r.longestForm()
		for w > limit && w < len(b) && !utf8.RuneStart(b[w]) {
			w--
		}
		if w < len(b) {
			b, windowed = b[:w], true
		}
	}
	s := redactStructure(b)
	s = r.String(strings.ToValidUTF8(s, "\uFFFD"))
	if limit <= 0 || len(s) <= limit {
		if windowed {
			return strings.Clone(r.trimPartialSecret(s)), true
		}
		return strings.Clone(s), false
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.Clone(r.trimPartialSecret(s[:cut])), true
}

// longestForm is the length of the longest encoded secret (0 without any).
func (r *Redactor) longestForm() int {
	if r == nil {
		return 0
	}
	if f := r.forms(); len(f) > 0 {
		return len(f[0])
	}
	return 0
}

// trimPartialSecret drops the end of a cut text when it is the start of a
// secret, so a cut through a secret never shows its first characters.
func (r *Redactor) trimPartialSecret(s string) string {
	if r == nil {
		return s
	}
	for _, f := range r.forms() {
		for n := min(len(f)-1, len(s)); n > 0; n-- {
			if strings.HasSuffix(s, f[:n]) {
				s = s[:len(s)-n]
				break
			}
		}
	}
	return s
}

// redactStructure removes sensitive members from a JSON body, or from
// JSON-like text when the body does not parse.
func redactStructure(b []byte) string {
	lower := bytes.ToLower(b)
	hinted := false
	for _, h := range sensitiveHints {
		if bytes.Contains(lower, h) {
			hinted = true
			break
		}
	}
	if !hinted {
		return string(b)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return looseMember.ReplaceAllString(string(b), `${1}"`+Redacted+`"`)
	}
	v, changed := redactJSON(v, false)
	if !changed {
		return string(b)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return looseMember.ReplaceAllString(string(b), `${1}"`+Redacted+`"`)
	}
	return strings.TrimSuffix(out.String(), "\n")
}

// redactJSON returns v with sensitive values replaced; under a sensitive
// name every string and number is replaced (booleans and null are kept, so
// capability flags such as changePassword.supported stay readable).
func redactJSON(v any, sensitive bool) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		changed := false
		patchValue := isSensitivePatchOp(t)
		for k, val := range t {
			s := sensitive || isSensitiveKey(k) || (patchValue && strings.EqualFold(k, "value"))
			nv, c := redactJSON(val, s)
			if c {
				t[k] = nv
				changed = true
			}
		}
		return t, changed
	case []any:
		changed := false
		for i, e := range t {
			if nv, c := redactJSON(e, sensitive); c {
				t[i] = nv
				changed = true
			}
		}
		return t, changed
	case string, json.Number, float64:
		if sensitive {
			return Redacted, true
		}
	}
	return v, false
}

// isSensitivePatchOp reports whether m is a PATCH operation whose path names
// a sensitive attribute (its value must be redacted).
func isSensitivePatchOp(m map[string]any) bool {
	hasOp := false
	path := ""
	for k, v := range m {
		switch strings.ToLower(k) {
		case "op":
			hasOp = true
		case "path":
			path, _ = v.(string)
		}
	}
	return hasOp && path != "" && isSensitivePath(path)
}
