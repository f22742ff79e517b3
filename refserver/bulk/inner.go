package bulk

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// innerResponse is what Inner answered to one operation.
type innerResponse struct {
	status int
	header http.Header
	body   []byte
	doc    map[string]any // the body when it is a JSON object
}

func (r *innerResponse) success() bool { return r.status >= 200 && r.status < 300 }

// detail is the error detail of a failed response, for messages.
func (r *innerResponse) detail() string {
	if d, ok := lookup(r.doc, "detail").(string); ok && d != "" {
		return d
	}
	return strconv.Itoa(r.status) + " " + http.StatusText(r.status)
}

// recorder is a minimal http.ResponseWriter that keeps what Inner writes.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *recorder) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

// Outer request headers never copied to an operation: framing headers and
// the outer request's own preconditions (an operation's come from version).
var skippedHeaders = []string{"Content-Length", "Transfer-Encoding", "Connection", "Expect",
	"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "If-Range"}

// send runs one request against Inner with the outer request's credentials,
// host and context; data (if any) is the JSON body and version the If-Match.
func (x *run) send(method, path, query string, data any, version string) *innerResponse {
	var body []byte
	if data != nil {
		b, err := marshal(data)
		if err != nil {
			e := scimerr.New(http.StatusInternalServerError, "", "encoding operation data failed")
			return &innerResponse{status: e.Status, header: http.Header{}, doc: errorBody(e)}
		}
		body = b
	}
	hdr := http.Header{}
	for k, v := range x.outer.Header {
		hdr[k] = append([]string(nil), v...)
	}
	for _, k := range skippedHeaders {
		hdr.Del(k)
	}
	if body == nil {
		hdr.Del("Content-Type")
	} else if hdr.Get("Content-Type") == "" {
		hdr.Set("Content-Type", mediaType)
	}
	if version != "" {
		hdr.Set("If-Match", version)
	}
	u := &url.URL{Path: strings.TrimRight(x.h.BasePath, "/") + path, RawQuery: query}
	req := (&http.Request{
		Method: method, URL: u, RequestURI: u.RequestURI(),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: hdr, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
		Host: x.outer.Host, RemoteAddr: x.outer.RemoteAddr, TLS: x.outer.TLS,
	}).WithContext(x.outer.Context())
	rec := &recorder{header: http.Header{}}
	x.h.Inner.ServeHTTP(rec, req)
	resp := &innerResponse{status: rec.status, header: rec.header, body: rec.body.Bytes()}
	if resp.status == 0 {
		resp.status = http.StatusOK
	}
	resp.doc, _ = decodeObject(resp.body)
	return resp
}

// record turns Inner's answer into the operation's result (RFC 7644 §3.7.3).
func (x *run) record(o *operation, path string, resp *innerResponse) {
	res := &opResult{Method: o.method, BulkID: o.bulkID, Status: strconv.Itoa(resp.status)}
	o.result = res
	if !resp.success() {
		res.Response = errorResponse(resp)
		if o.method != http.MethodPost { // a failed POST has no location
			res.Location = x.absolute(path)
		}
		x.countError()
		return
	}
	res.Version = versionOf(resp)
	if res.Version != "" && x.h.Faults.Has(FaultVersionNotETag) {
		res.Version = strings.TrimSuffix(res.Version, `"`) + `-bulk"`
	}
	if o.method == http.MethodPost {
		o.createdID = createdID(resp)
		if o.createdID != "" && x.byBulkID[o.bulkID] == o {
			x.ids[o.bulkID] = o.createdID
		}
		path += "/" + o.createdID
	}
	res.Location = locationOf(resp)
	if res.Location == "" && (o.method != http.MethodPost || o.createdID != "") {
		res.Location = x.absolute(path)
	}
}

// errorResponse is the SCIM error of a failed operation: Inner's body when it
// is a JSON object, else an error built from the status.
func errorResponse(resp *innerResponse) any {
	if resp.doc != nil {
		return resp.doc
	}
	detail := http.StatusText(resp.status)
	if text := strings.TrimSpace(string(resp.body)); text != "" {
		if len(text) > 200 {
			text = text[:200]
		}
		detail += ": " + text
	}
	return errorBody(scimerr.New(resp.status, "", "%s", detail))
}

// versionOf is the ETag of a response, else its meta.version.
func versionOf(resp *innerResponse) string {
	if v := resp.header.Get("ETag"); v != "" {
		return v
	}
	return metaString(resp.doc, "version")
}

// locationOf is the Location header of a response, else its meta.location.
func locationOf(resp *innerResponse) string {
	if l := resp.header.Get("Location"); l != "" {
		return l
	}
	return metaString(resp.doc, "location")
}

// createdID is the id of a created resource: the body's id, else the last
// segment of its location.
func createdID(resp *innerResponse) string {
	if id, ok := lookup(resp.doc, "id").(string); ok && id != "" {
		return id
	}
	loc := strings.TrimRight(locationOf(resp), "/")
	if i := strings.LastIndex(loc, "/"); i >= 0 && i < len(loc)-1 {
		return loc[i+1:]
	}
	return ""
}

func metaString(doc map[string]any, name string) string {
	meta, _ := lookup(doc, "meta").(map[string]any)
	s, _ := lookup(meta, name).(string)
	return s
}

// absolute is the URL of path under the service root as the client sees it.
func (x *run) absolute(path string) string {
	p := strings.TrimRight(x.h.BasePath, "/") + path
	if x.outer.Host == "" {
		return p
	}
	scheme := "http"
	if x.outer.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + x.outer.Host + p
}
