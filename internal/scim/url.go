package scim

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"
)

// ParseBaseURL checks a base URL: absolute http(s), no query or fragment
// (RFC 7644 §1.3), no userinfo. The trailing slash is removed; existing
// percent-escapes of the path are kept as written.
func ParseBaseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errors.New("base URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("base URL is not a URL: %w", err)
	}
	if u.User != nil {
		return nil, errors.New("base URL must not carry credentials; use SCIMCONFORM_USER/SCIMCONFORM_PASSWORD")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("base URL %q: scheme must be http or https", raw)
	}
	if u.Host == "" || u.Opaque != "" {
		return nil, fmt.Errorf("base URL %q has no host", raw)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		return nil, fmt.Errorf("base URL %q must not contain a query or fragment (RFC 7644 §1.3)", u.Redacted())
	}
	escaped := strings.TrimRight(u.EscapedPath(), "/")
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if escaped != u.EscapedPath() {
		u.RawPath = escaped
	}
	return u, nil
}

// URL resolves a request path against the base URL, as Do would send it.
// A path that cannot be resolved (a malformed absolute URL) is returned as is.
func (c *Client) URL(path string, query url.Values) string {
	u, err := c.resolve(path, query)
	if err != nil {
		return path
	}
	return u.String()
}

// resolve builds the request URL. A relative path is appended to the base
// path; characters that may not appear in a URL path are percent-encoded and
// existing %XX escapes are kept (RFC 7644 §1.2 asks for RFC 3986 §2.1
// encoding). A "?query" in the path is kept, and Query is appended to it.
// An absolute http(s) URL (e.g. a meta.location) is used as is.
func (c *Client) resolve(path string, query url.Values) (*url.URL, error) {
	var raw string
	if isAbsoluteHTTP(path) {
		raw = path
		if i := strings.IndexByte(raw, '#'); i >= 0 {
			raw = raw[:i]
		}
	} else {
		rel, q, hasQ := strings.Cut(strings.TrimLeft(path, "/"), "?")
		raw = c.base.Scheme + "://" + c.base.Host + c.base.EscapedPath()
		if rel != "" {
			raw += "/" + escapeLoose(rel, false)
		}
		if hasQ {
			raw += "?" + escapeLoose(q, true)
		}
	}
	if enc := encodeQuery(query); enc != "" {
		if strings.Contains(raw, "?") && !strings.HasSuffix(raw, "?") && !strings.HasSuffix(raw, "&") {
			raw += "&"
		} else if !strings.Contains(raw, "?") {
			raw += "?"
		}
		raw += enc
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("request URL %q is not valid", c.redactor.URL(path))
	}
	if u.Host == "" {
		return nil, fmt.Errorf("request URL %q has no host", c.redactor.URL(path))
	}
	return u, nil
}

// isAbsoluteHTTP reports whether s starts with an http or https scheme.
func isAbsoluteHTTP(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// encodeQuery encodes query parameters sorted by name, percent-encoding every
// byte outside the RFC 3986 unreserved set; a space becomes %20, never "+"
// (some servers would read "+" as a plus sign).
func encodeQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(QueryEscape(v))
		}
	}
	return b.String()
}

// QueryEscape percent-encodes s for a query component: every byte outside
// the RFC 3986 unreserved set is encoded, a space as %20.
func QueryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// escapeLoose percent-encodes the bytes of s that may not appear in a URL
// path (or query, when query is true), keeping valid %XX escapes as written.
func escapeLoose(s string, query bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(ch)
		case allowedInPath(ch) || (query && ch == '?'):
			b.WriteByte(ch)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[ch>>4])
			b.WriteByte(hex[ch&15])
		}
	}
	return b.String()
}

// allowedInPath reports whether ch may appear unencoded in a path:
// unreserved, sub-delims, ':', '@' and '/' (RFC 3986 §3.3).
func allowedInPath(ch byte) bool {
	switch {
	case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/", ch) >= 0
}

func isHex(ch byte) bool {
	return ('0' <= ch && ch <= '9') || ('a' <= ch && ch <= 'f') || ('A' <= ch && ch <= 'F')
}

// origin is scheme://host:port with the default port made explicit, used to
// decide whether credentials may accompany a request.
func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if strings.EqualFold(u.Scheme, "https") {
			port = "443"
		}
	}
	return strings.ToLower(u.Scheme) + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}
