// Package scim is the harness's HTTP client for SCIM service providers: base URL
// joining, authentication, SCIM media types, transcript capture with redaction,
// timeouts, response size bounds and bounded retries of 429/503. It imports no
// test framework; the suites wrap it.
package scim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// MediaType is the SCIM media type (RFC 7644 §3.1).
const MediaType = "application/scim+json"

// Well-known schema URNs.
const (
	SchemaUser           = "urn:ietf:params:scim:schemas:core:2.0:User"
	SchemaGroup          = "urn:ietf:params:scim:schemas:core:2.0:Group"
	SchemaEnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	SchemaSPC            = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	SchemaResourceType   = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	SchemaSchema         = "urn:ietf:params:scim:schemas:core:2.0:Schema"
	MessageListResponse  = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	MessageSearchRequest = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
	MessagePatchOp       = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	MessageBulkRequest   = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
	MessageBulkResponse  = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
	MessageError         = "urn:ietf:params:scim:api:messages:2.0:Error"
)

// Request is one HTTP request to the service provider.
type Request struct {
	Method string
	// Path is relative to the base URL ("Users", "/Users/123", "Users/.search",
	// "Schemas/urn:ietf:params:scim:schemas:core:2.0:User"). Bytes that may
	// not appear in a URL path are percent-encoded, existing %XX escapes are
	// kept: escape an id holding '/', '?', '#' or '%' with url.PathEscape.
	// A "?query" part is sent as written (spaces as %20). An absolute
	// http(s) URL (e.g. a meta.location) is used as is; credentials go with
	// it only when it has the base URL's scheme, host and port.
	Path string
	// Query parameters are appended sorted by name, every byte outside the
	// RFC 3986 unreserved set percent-encoded (a space as %20, never "+").
	Query url.Values
	// Header holds extra request headers (If-Match, Accept, ...).
	Header http.Header
	// Body is marshalled to JSON when non-nil, unless RawBody is set.
	Body any
	// RawBody is sent verbatim (malformed JSON, oversize bodies).
	RawBody []byte
	// ContentType defaults to application/scim+json when a body is sent.
	ContentType string
	// Credentials selects which credentials accompany the request.
	Credentials CredentialMode
}

// CredentialMode chooses the credentials of one request.
type CredentialMode int

const (
	// CredentialsConfigured sends the configured credentials (the default).
	CredentialsConfigured CredentialMode = iota
	// CredentialsNone sends no credentials at all.
	CredentialsNone
	// CredentialsInvalid sends deliberately wrong credentials of the configured
	// scheme (none when no credentials are configured).
	CredentialsInvalid
)

// Response is a received HTTP response with its (bounded) body.
type Response struct {
	Status   int
	Header   http.Header
	Body     []byte
	Duration time.Duration
	// Truncated is true when the body exceeded the size cap (Limit); Body
	// then holds only its start (as much as a transcript keeps).
	Truncated bool
	// Limit is the size cap the body was read with (--max-body-bytes).
	Limit int64
	// URL is the final request URL (after redirects; not redacted).
	URL string
	// NotFollowed is set when the response is a redirect to another origin
	// that the client did not follow: the (redacted) URL it names.
	NotFollowed string
}

// JSON decodes the body into v. A truncated body is an error that says the
// body exceeded the --max-body-bytes limit.
func (r *Response) JSON(v any) error {
	if r.Truncated {
		return errors.New(r.TooLarge())
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("response body is not valid JSON: %w", err)
	}
	return nil
}

// TooLarge says, for a truncated response, that its body exceeded the
// --max-body-bytes limit and was not judged.
func (r *Response) TooLarge() string {
	limit := r.Limit
	if limit <= 0 {
		limit = int64(len(r.Body))
	}
	return fmt.Sprintf("the response body exceeded the --max-body-bytes limit of %s, so it cannot be parsed (raise --max-body-bytes if the document really is this large)",
		FormatBytes(limit))
}

// FormatBytes writes a byte count as "8 MiB", "64 KiB" or "1000 bytes".
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Object decodes the body as a JSON object.
func (r *Response) Object() (map[string]any, error) {
	var m map[string]any
	if err := r.JSON(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("response body is JSON null, not an object")
	}
	return m, nil
}

// MediaType returns the response Content-Type without parameters, lower-cased.
func (r *Response) MediaType() string {
	ct := r.Header.Get("Content-Type")
	mt, _, _ := strings.Cut(ct, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// Exchange is one recorded request/response pair, already redacted.
type Exchange struct {
	Seq      int               `json:"seq"`
	Spec     string            `json:"spec,omitempty"`
	Started  time.Time         `json:"started"`
	Duration time.Duration     `json:"duration"`
	Request  RecordedRequest   `json:"request"`
	Response *RecordedResponse `json:"response,omitempty"`
	// Error is the transport error, when no response was received.
	Error string `json:"error,omitempty"`
	// Attempt is 1 for the first try, higher for retries of 429/503.
	Attempt int `json:"attempt"`
	// Omitted says why the bodies are not recorded (the run's transcript
	// budget was spent); the sizes still are.
	Omitted string `json:"omitted,omitempty"`
	// Summary is true when the exchange is kept as a summary only (the
	// --transcripts policy): method, URL, status, sizes and timing, no
	// headers and no bodies. Its String form is one line.
	Summary bool `json:"summary,omitempty"`
}

// Summarised returns x as a summary (see Exchange.Summary): headers and
// bodies dropped, the body sizes kept, reason in Omitted.
func (x Exchange) Summarised(reason string) Exchange {
	if x.Summary {
		return x
	}
	x.Summary, x.Omitted = true, reason
	x.Request.Size = max(x.Request.Size, len(x.Request.Body))
	x.Request.Header, x.Request.Body, x.Request.Truncated = nil, "", false
	if x.Response != nil {
		resp := *x.Response
		resp.Size = max(resp.Size, len(resp.Body))
		resp.Header, resp.Body, resp.Truncated = nil, "", false
		x.Response = &resp
	}
	return x
}

// RecordedRequest is the redacted request of an Exchange.
type RecordedRequest struct {
	Method string      `json:"method"`
	URL    string      `json:"url"`
	Header http.Header `json:"header,omitempty"`
	Body   string      `json:"body,omitempty"`
	// Truncated is true when Body holds only the start of the body sent.
	Truncated bool `json:"truncated,omitempty"`
	// Size is the length of the body sent.
	Size int `json:"size,omitempty"`
}

// RecordedResponse is the redacted response of an Exchange.
type RecordedResponse struct {
	Status int         `json:"status"`
	Header http.Header `json:"header,omitempty"`
	Body   string      `json:"body,omitempty"`
	// Truncated is true when Body holds only the start of the body: the
	// response exceeded the size cap, or the transcript keeps a prefix.
	Truncated bool `json:"truncated,omitempty"`
	// Size is the number of body bytes the client read.
	Size int `json:"size,omitempty"`
	// Oversize is true when the body exceeded the client's --max-body-bytes
	// limit: Size bytes were read and the rest was not.
	Oversize bool `json:"oversize,omitempty"`
	// URL is the final URL when a redirect was followed (redacted).
	URL string `json:"url,omitempty"`
}

// Transcript is the exchanges of one spec. Its String form is the readable
// HTTP text shown in terminals and reports.
type Transcript []Exchange

// String renders every exchange as request and response text.
func (t Transcript) String() string {
	var b strings.Builder
	for i, x := range t {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(x.String())
	}
	return b.String()
}

// String renders one exchange as HTTP-like text (already redacted).
func (x Exchange) String() string {
	if x.Summary {
		return x.summaryLine()
	}
	var b strings.Builder
	retry := ""
	if x.Attempt > 1 {
		retry = fmt.Sprintf(" (retry %d)", x.Attempt-1)
	}
	fmt.Fprintf(&b, "> %s %s%s\n", x.Request.Method, x.Request.URL, retry)
	writeHeaders(&b, "> ", x.Request.Header)
	if x.Request.Body != "" {
		fmt.Fprintf(&b, ">\n%s\n", indentBody(x.Request.Body))
	}
	if x.Request.Truncated && x.Request.Size > 0 {
		fmt.Fprintf(&b, "> [body truncated in the transcript: %d of %d bytes shown]\n", len(x.Request.Body), x.Request.Size)
	} else if x.Request.Truncated {
		b.WriteString("> [body truncated in the transcript]\n")
	}
	if x.Omitted != "" && x.Request.Size > 0 {
		fmt.Fprintf(&b, "> [%d bytes; %s]\n", x.Request.Size, x.Omitted)
	}
	if x.Response != nil {
		if x.Response.URL != "" {
			fmt.Fprintf(&b, "< (redirected to %s)\n", x.Response.URL)
		}
		fmt.Fprintf(&b, "< %d %s (%s)\n", x.Response.Status, http.StatusText(x.Response.Status), roundDuration(x.Duration))
		writeHeaders(&b, "< ", x.Response.Header)
		if x.Response.Body != "" {
			fmt.Fprintf(&b, "<\n%s\n", indentBody(x.Response.Body))
		}
		switch {
		case x.Omitted != "" && x.Response.Size > 0:
			fmt.Fprintf(&b, "< [%s bytes; %s]\n", x.Response.sizeText(), x.Omitted)
		case x.Response.Truncated:
			fmt.Fprintf(&b, "< [body truncated: %d of %s bytes shown]\n", len(x.Response.Body), x.Response.sizeText())
		}
	}
	if x.Error != "" {
		prefix := "! no response: "
		if x.Response != nil {
			prefix = "! incomplete response: "
		}
		fmt.Fprintf(&b, "%s%s\n", prefix, x.Error)
	}
	return b.String()
}

// summaryLine is a summarised exchange as one line:
// "= GET /Users?filter=... → 200 OK (3ms; sent 0, received 512 bytes)".
func (x Exchange) summaryLine() string {
	var b strings.Builder
	fmt.Fprintf(&b, "= %s %s", x.Request.Method, pathOf(x.Request.URL))
	if x.Attempt > 1 {
		fmt.Fprintf(&b, " (retry %d)", x.Attempt-1)
	}
	switch {
	case x.Response != nil:
		fmt.Fprintf(&b, " → %d %s (%s; sent %d, received %s bytes)", x.Response.Status, http.StatusText(x.Response.Status),
			roundDuration(x.Duration), x.Request.Size, x.Response.sizeText())
	default:
		fmt.Fprintf(&b, " → no response (%s; sent %d bytes)", roundDuration(x.Duration), x.Request.Size)
	}
	if x.Error != "" {
		fmt.Fprintf(&b, ": %s", x.Error)
	}
	b.WriteString("\n")
	return b.String()
}

// pathOf is the path and query of a URL (the URL itself when it does not parse).
func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" && u.RawQuery == "" {
		return raw
	}
	return u.RequestURI()
}

// sizeText is the body size as known: "more than N" when the body exceeded
// the client's size cap.
func (r *RecordedResponse) sizeText() string {
	if r.Oversize {
		return fmt.Sprintf("more than %d", r.Size)
	}
	return fmt.Sprint(r.Size)
}

// roundDuration shows a duration to the millisecond; a shorter one as "<1ms"
// rather than "0s".
func roundDuration(d time.Duration) string {
	if d > 0 && d < time.Millisecond {
		return "<1ms"
	}
	return d.Round(time.Millisecond).String()
}

func writeHeaders(b *strings.Builder, prefix string, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s%s: %s\n", prefix, k, v)
		}
	}
}

// indentBody pretty-prints a JSON body (bounded), or returns it as is; a
// long body is cut at a character boundary.
func indentBody(s string) string {
	const limit = 16 << 10
	var buf bytes.Buffer
	if len(s) <= limit && json.Indent(&buf, []byte(s), "", "  ") == nil {
		return buf.String()
	}
	if len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return s[:cut] + "\n[... " + fmt.Sprint(len(s)-cut) + " more bytes]"
	}
	return s
}
