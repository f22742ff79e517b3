package reports

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/scimconform/scimconform/internal/scim"
)

// HAR 1.2 structures (http://www.softwareishard.com/blog/har-12-spec/). Only
// what scimconform records is filled in; custom fields start with "_".
type (
	harFile struct {
		Log harLog `json:"log"`
	}
	harLog struct {
		Version string     `json:"version"`
		Creator harCreator `json:"creator"`
		Entries []harEntry `json:"entries"`
		Comment string     `json:"comment,omitempty"`
	}
	harCreator struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	harEntry struct {
		StartedDateTime string      `json:"startedDateTime"`
		Time            float64     `json:"time"`
		Request         harRequest  `json:"request"`
		Response        harResponse `json:"response"`
		Cache           struct{}    `json:"cache"`
		Timings         harTimings  `json:"timings"`
		Seq             int         `json:"_seq"`
		Spec            string      `json:"_spec,omitempty"`
		Attempt         int         `json:"_attempt,omitempty"`
		Error           string      `json:"_error,omitempty"`
	}
	harRequest struct {
		Method      string       `json:"method"`
		URL         string       `json:"url"`
		HTTPVersion string       `json:"httpVersion"`
		Cookies     []harNV      `json:"cookies"`
		Headers     []harNV      `json:"headers"`
		QueryString []harNV      `json:"queryString"`
		PostData    *harPostData `json:"postData,omitempty"`
		HeadersSize int          `json:"headersSize"`
		BodySize    int          `json:"bodySize"`
	}
	harPostData struct {
		MimeType string `json:"mimeType"`
		Text     string `json:"text"`
		Comment  string `json:"comment,omitempty"`
	}
	harResponse struct {
		Status      int        `json:"status"`
		StatusText  string     `json:"statusText"`
		HTTPVersion string     `json:"httpVersion"`
		Cookies     []harNV    `json:"cookies"`
		Headers     []harNV    `json:"headers"`
		Content     harContent `json:"content"`
		RedirectURL string     `json:"redirectURL"`
		HeadersSize int        `json:"headersSize"`
		BodySize    int        `json:"bodySize"`
		Comment     string     `json:"comment,omitempty"`
	}
	harContent struct {
		Size     int    `json:"size"`
		MimeType string `json:"mimeType"`
		Text     string `json:"text,omitempty"`
	}
	harNV struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	harTimings struct {
		Send    float64 `json:"send"`
		Wait    float64 `json:"wait"`
		Receive float64 `json:"receive"`
	}
)

// harHTTPVersion is what the entries claim: the recorder does not keep the
// negotiated protocol version.
const harHTTPVersion = "HTTP/1.1"

// WriteHAR writes exchanges as a HAR 1.2 log (one entry per exchange, in the
// order given), streamed one entry at a time. The exchanges are already
// redacted by the client; WriteHAR adds nothing secret.
func WriteHAR(w io.Writer, exchanges []scim.Exchange, meta Metadata) error {
	version := meta.Version
	if version == "" {
		version = "dev"
	}
	tool := meta.Tool
	if tool == "" {
		tool = "scimconform"
	}
	f := harFile{Log: harLog{
		Version: "1.2",
		Creator: harCreator{Name: tool, Version: version},
		Entries: []harEntry{},
		Comment: fmt.Sprintf("target %s, seed %d, prefix %s", meta.Target, meta.Seed, meta.Prefix),
	}}
	err := streamIndented(w, f, "entries", len(exchanges), func(i int) any { return harEntryOf(exchanges[i]) })
	if err != nil {
		return fmt.Errorf("encode HAR: %w", err)
	}
	return nil
}

func harEntryOf(x scim.Exchange) harEntry {
	ms := float64(x.Duration) / float64(time.Millisecond)
	e := harEntry{
		StartedDateTime: x.Started.Format("2006-01-02T15:04:05.000Z07:00"),
		Time:            ms,
		Request:         harRequestOf(x.Request, x.Omitted),
		Timings:         harTimings{Wait: ms},
		Seq:             x.Seq,
		Spec:            x.Spec,
		Attempt:         x.Attempt,
		Error:           x.Error,
	}
	if x.Response == nil {
		e.Response = harResponse{HTTPVersion: harHTTPVersion, Cookies: []harNV{}, Headers: []harNV{},
			Content: harContent{MimeType: "x-unknown"}, HeadersSize: -1, BodySize: -1,
			Comment: "no response: " + x.Error}
		return e
	}
	r := x.Response
	size := max(r.Size, len(r.Body))
	e.Response = harResponse{
		Status: r.Status, StatusText: http.StatusText(r.Status), HTTPVersion: harHTTPVersion,
		Cookies: []harNV{}, Headers: harHeaders(r.Header),
		Content:     harContent{Size: size, MimeType: mimeOf(r.Header), Text: r.Body},
		RedirectURL: r.Header.Get("Location"), HeadersSize: -1, BodySize: size,
	}
	switch {
	case r.Oversize:
		e.Response.BodySize = -1
		e.Response.Comment = fmt.Sprintf("body exceeded the harness size cap: %d bytes read", r.Size)
	case r.Truncated:
		e.Response.Comment = fmt.Sprintf("body truncated in the transcript: %d of %d bytes recorded", len(r.Body), size)
	}
	if x.Omitted != "" {
		e.Response.Comment = joinNonEmpty("; ", e.Response.Comment, x.Omitted)
	}
	return e
}

func harRequestOf(r scim.RecordedRequest, omitted string) harRequest {
	size := max(r.Size, len(r.Body))
	out := harRequest{
		Method: r.Method, URL: r.URL, HTTPVersion: harHTTPVersion,
		Cookies: []harNV{}, Headers: harHeaders(r.Header), QueryString: harQuery(r.URL),
		HeadersSize: -1, BodySize: size,
	}
	switch {
	case r.Body != "":
		out.PostData = &harPostData{MimeType: mimeOf(r.Header), Text: r.Body}
	case omitted != "" && size > 0:
		out.PostData = &harPostData{MimeType: mimeOf(r.Header), Comment: omitted}
	}
	return out
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}

// harHeaders lists headers sorted by name, every value of each.
func harHeaders(h http.Header) []harNV {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]harNV, 0, len(h))
	for _, k := range keys {
		for _, v := range h[k] {
			out = append(out, harNV{Name: k, Value: v})
		}
	}
	return out
}

// harQuery lists the URL's query parameters sorted by name; an unparsable URL
// has none.
func harQuery(raw string) []harNV {
	out := []harNV{}
	u, err := url.Parse(raw)
	if err != nil {
		return out
	}
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range q[k] {
			out = append(out, harNV{Name: k, Value: v})
		}
	}
	return out
}

func mimeOf(h http.Header) string {
	if ct := h.Get("Content-Type"); ct != "" {
		return ct
	}
	return "x-unknown"
}
