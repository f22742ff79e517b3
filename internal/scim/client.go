package scim

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Client.
type Options struct {
	// BaseURL is the SCIM service provider root, e.g. https://example.com/scim/v2.
	BaseURL string
	// Auth authenticates requests; nil sends none. Requests only go to the
	// base URL's origin (scheme, host, port): an absolute Request.Path on
	// another origin is refused with *OffOriginError, and a redirect to
	// another origin is not followed (the 3xx response is returned with
	// Response.NotFollowed set), so neither credentials nor request bodies
	// ever reach a host the user did not name.
	Auth Authenticator
	// Headers are added to every request to the base URL's origin (e.g. X-Tenant).
	Headers http.Header
	// RequestTimeout bounds one attempt of one request, body included (default 30s).
	// The caller's context bounds the whole run.
	RequestTimeout time.Duration
	// MaxBodyBytes caps how much of a response body is read (default 8 MiB);
	// the rest is not read and Response.Truncated is set.
	MaxBodyBytes int64
	// MaxRecordedBody caps each body kept in a transcript (default
	// DefaultMaxRecordedBody; negative: MaxBodyBytes). Kept bodies are
	// copies cut at this length, never slices of the body read.
	MaxRecordedBody int
	// MaxRetries bounds retries of 429/503 (0: default 2; negative: none).
	// Retry-After (seconds or HTTP date) is honoured up to MaxRetryWait
	// (default 10s); without it the wait is 250ms, 500ms, 1s...
	MaxRetries   int
	MaxRetryWait time.Duration
	// Sleep waits between retries (nil: a timer honouring ctx); tests pass a fake.
	Sleep func(ctx context.Context, d time.Duration) error
	// TLS configures certificate verification (nil = system roots, verify on).
	// See TLSConfig.
	TLS *tls.Config
	// Recorder receives every exchange (each attempt), redacted; nil records nothing.
	Recorder *Recorder
	// Secrets are extra strings (tokens, passwords) redacted from transcripts.
	Secrets []string
	// OtherAuth are the credentials of the run's other clients (those of
	// further tenants): their secrets, read at each use (a token fetched
	// later included), and header names are redacted too.
	OtherAuth []Authenticator
	// Transport overrides the HTTP transport (tests); TLS is then ignored.
	Transport http.RoundTripper
	// UserAgent defaults to "scimconform".
	UserAgent string
	// Accept is the Accept header of every request that sets none (default
	// DefaultAccept). SetAccept changes it.
	Accept string
	// Budget, when set, paces every attempt (retries included): the client
	// acquires it before sending and releases it once the response body is
	// read, and on a 429/503 it pauses the budget for the retry delay before
	// waiting out its own, so every caller sharing the budget slows down.
	// nil: unlimited.
	Budget Budget
	// Guard, when set, vets every write (PUT, PATCH, DELETE, a POST to a
	// resource, every write operation of a Bulk request) before it is sent:
	// a write the guard does not allow fails with *RefusedWriteError and
	// never reaches the server.
	Guard WriteGuard
}

// DefaultMaxRecordedBody is the default per-body cap of a transcript: the
// largest document of a normal run (the reference server's /Schemas, about
// 40 KiB) fits whole, while a huge answer costs at most this much in each
// report that shows it.
const DefaultMaxRecordedBody = 64 << 10

// Client sends SCIM requests to one service provider. It is safe for
// concurrent use.
type Client struct {
	base     *url.URL
	origin   string
	opts     Options
	http     *http.Client
	redactor *Redactor
	// accept is the Accept header of requests that set none.
	accept atomic.Pointer[string]
}

// DefaultAccept asks for the SCIM media type and accepts plain JSON
// (RFC 7644 §3.8).
const DefaultAccept = MediaType + ", application/json;q=0.9"

// SetAccept changes the Accept header of every later request that sets none
// (e.g. to application/json for a server that refuses the SCIM media type).
func (c *Client) SetAccept(v string) { c.accept.Store(&v) }

// CloseIdleConnections closes the connections the client keeps open for
// reuse. A server shutting down gracefully waits for connections that never
// carried a request (dialled for a request another connection served), so
// a run closes its clients' idle connections before it stops the embedded
// server.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// Accept is the Accept header requests get when they set none.
func (c *Client) Accept() string { return *c.accept.Load() }

// New validates the options and builds a client.
func New(opts Options) (*Client, error) {
	base, err := ParseBaseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	opts = withDefaults(opts)
	transport := opts.Transport
	if transport == nil {
		transport = NewTransport(opts.TLS)
	}
	c := &Client{base: base, origin: origin(base), opts: opts,
		redactor: newClientRedactor(opts.Secrets, append([]Authenticator{opts.Auth}, opts.OtherAuth...)...)}
	c.SetAccept(opts.Accept)
	c.http = &http.Client{Transport: transport, CheckRedirect: c.checkRedirect}
	return c, nil
}

func withDefaults(opts Options) Options {
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = 30 * time.Second
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 8 << 20
	}
	if opts.MaxRecordedBody == 0 {
		opts.MaxRecordedBody = DefaultMaxRecordedBody
	}
	if opts.MaxRecordedBody < 0 || int64(opts.MaxRecordedBody) > opts.MaxBodyBytes {
		opts.MaxRecordedBody = int(opts.MaxBodyBytes)
	}
	if opts.MaxRetries < 0 {
		opts.MaxRetries = 0
	} else if opts.MaxRetries == 0 {
		opts.MaxRetries = 2
	}
	if opts.MaxRetryWait <= 0 {
		opts.MaxRetryWait = 10 * time.Second
	}
	if opts.Sleep == nil {
		opts.Sleep = sleepCtx
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "scimconform"
	}
	if opts.Accept == "" {
		opts.Accept = DefaultAccept
	}
	return opts
}

// BaseURL returns the service provider root without a trailing slash.
func (c *Client) BaseURL() string { return c.base.String() }

// Redactor returns the redactor the client applies to transcripts.
func (c *Client) Redactor() *Redactor { return c.redactor }

// AuthScheme names the configured credentials ("bearer", "basic", "oauth2",
// "header"), or "none".
func (c *Client) AuthScheme() string {
	if c.opts.Auth == nil {
		return "none"
	}
	return c.opts.Auth.Scheme()
}

// Get sends GET path?query.
func (c *Client) Get(ctx context.Context, path string, query url.Values) (*Response, error) {
	return c.Do(ctx, Request{Method: http.MethodGet, Path: path, Query: query})
}

// Post sends POST path with a JSON body.
func (c *Client) Post(ctx context.Context, path string, body any) (*Response, error) {
	return c.Do(ctx, Request{Method: http.MethodPost, Path: path, Body: body})
}

// Put sends PUT path with a JSON body.
func (c *Client) Put(ctx context.Context, path string, body any) (*Response, error) {
	return c.Do(ctx, Request{Method: http.MethodPut, Path: path, Body: body})
}

// Patch sends PATCH path with a JSON body.
func (c *Client) Patch(ctx context.Context, path string, body any) (*Response, error) {
	return c.Do(ctx, Request{Method: http.MethodPatch, Path: path, Body: body})
}

// Delete sends DELETE path.
func (c *Client) Delete(ctx context.Context, path string) (*Response, error) {
	return c.Do(ctx, Request{Method: http.MethodDelete, Path: path})
}

// Do sends a request, retrying 429/503 a bounded number of times, and records
// every attempt. When no complete response arrives it returns a
// *TransportError (recorded too). When the retries are used up, or the
// context ends while waiting, the last 429/503 response is returned.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	body, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	target, err := c.resolve(req.Path, req.Query)
	if err != nil {
		return nil, err
	}
	if origin(target) != c.origin {
		method := req.Method
		if method == "" {
			method = http.MethodGet
		}
		return nil, &OffOriginError{Method: method, URL: c.redactor.URL(target.String()), Origin: c.redactor.URL(c.origin)}
	}
	if err := c.vetWrite(req.Method, target, body); err != nil {
		return nil, err
	}
	staleRetried := false
	for attempt := 1; ; attempt++ {
		resp, err := c.once(ctx, req, target, body, attempt)
		var terr *TransportError
		if errors.As(err, &terr) && terr.staleConn && !staleRetried && ctx.Err() == nil {
			// The server closed an idle keep-alive connection as the request
			// went out on it: nothing reached it, so send it again on a fresh
			// connection rather than report the race.
			staleRetried = true
			continue
		}
		if err != nil || attempt > c.opts.MaxRetries || !retryable(resp.Status) {
			return resp, err
		}
		delay := c.retryDelay(resp, attempt)
		if c.opts.Budget != nil {
			c.opts.Budget.Pause(delay)
		}
		if err := c.opts.Sleep(ctx, delay); err != nil {
			return resp, nil //nolint:nilerr // interrupted while waiting to retry: the last answer stands
		}
	}
}

func requestBody(req Request) ([]byte, error) {
	if req.RawBody != nil {
		return req.RawBody, nil
	}
	if req.Body == nil {
		return nil, nil
	}
	b, err := json.Marshal(req.Body)
	if err != nil {
		return nil, fmt.Errorf("encode request body: %w", err)
	}
	return b, nil
}

// once runs one attempt within the budget: the per-request timeout covers
// the whole body, not the wait for the budget.
func (c *Client) once(ctx context.Context, req Request, target *url.URL, body []byte, attempt int) (*Response, error) {
	if c.opts.Budget != nil {
		release, err := c.opts.Budget.Acquire(ctx)
		if err != nil {
			return nil, c.budgetError(ctx, req.Method, target, err)
		}
		defer release()
	}
	actx, cancel := context.WithTimeout(ctx, c.opts.RequestTimeout)
	defer cancel()
	hreq, err := c.build(actx, req, target, body)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	x := Exchange{Started: start, Attempt: attempt}
	var reused, gotBytes bool
	hreq = hreq.WithContext(httptrace.WithClientTrace(hreq.Context(), &httptrace.ClientTrace{
		GotConn:              func(info httptrace.GotConnInfo) { reused = info.Reused },
		GotFirstResponseByte: func() { gotBytes = true },
	}))
	hresp, err := c.http.Do(hreq)
	if err != nil {
		terr := c.transportError(ctx, hreq, err, "")
		terr.staleConn = reused && !gotBytes && isConnClosed(err)
		x.Duration, x.Error = time.Since(start), terr.Reason
		c.record(x, hreq, body, nil)
		if !terr.staleConn { // a stale connection is retried: nothing was sent
			c.noteUnanswered(req.Method, target, body, terr.Reason)
		}
		return nil, terr
	}
	defer hresp.Body.Close()
	data, truncated, readErr := readBounded(hresp.Body, c.opts.MaxBodyBytes, int64(c.opts.MaxRecordedBody))
	resp := &Response{Status: hresp.StatusCode, Header: hresp.Header, Body: data,
		Truncated: truncated, Limit: c.opts.MaxBodyBytes, Duration: time.Since(start), URL: hresp.Request.URL.String()}
	if loc := hresp.Header.Get("Location"); isRedirect(hresp.StatusCode) && loc != "" {
		if u, err := hresp.Request.URL.Parse(loc); err == nil && origin(u) != c.origin {
			resp.NotFollowed = c.redactor.URL(u.String())
		}
	}
	x.Duration = resp.Duration
	if readErr != nil {
		terr := c.transportError(ctx, hreq, readErr, "reading the response body: ")
		x.Error = terr.Reason
		c.record(x, hreq, body, resp)
		c.noteUnanswered(req.Method, target, body, terr.Reason)
		return nil, terr
	}
	c.record(x, hreq, body, resp)
	return resp, nil
}

// transportError describes err in one redacted sentence, telling the run's
// deadline apart from the per-request timeout.
func (c *Client) transportError(parent context.Context, hreq *http.Request, err error, what string) *TransportError {
	reason := describeTransportError(err)
	switch {
	case errors.Is(parent.Err(), context.DeadlineExceeded):
		reason = "the run's time limit was reached"
	case parent.Err() != nil:
		reason = "cancelled"
	case reason == "timed out":
		reason = fmt.Sprintf("no complete response within the request timeout (%s)", c.opts.RequestTimeout)
	}
	return &TransportError{Method: hreq.Method, URL: c.redactor.URL(hreq.URL.String()),
		Reason: c.redactor.String(what + reason), Err: err, Dropped: parent.Err() == nil && isConnClosed(err)}
}

// budgetError describes a context that ended while the request waited for
// the budget: nothing was sent.
func (c *Client) budgetError(ctx context.Context, method string, target *url.URL, err error) *TransportError {
	if method == "" {
		method = http.MethodGet
	}
	reason := "cancelled before it was sent (waiting for the request budget)"
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		reason = "the run's time limit was reached before it was sent (waiting for the request budget)"
	}
	return &TransportError{Method: method, URL: c.redactor.URL(target.String()), Reason: reason,
		Err: fmt.Errorf("request budget: %w", err)}
}

// build makes the HTTP request; credentials and configured headers only go
// to the base URL's origin.
func (c *Client) build(ctx context.Context, req Request, target *url.URL, body []byte) (*http.Request, error) {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hreq, err := http.NewRequestWithContext(ctx, method, target.String(), rd)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	hreq.Header.Set("Accept", c.Accept())
	hreq.Header.Set("User-Agent", c.opts.UserAgent)
	if body != nil {
		ct := req.ContentType
		if ct == "" {
			ct = MediaType
		}
		hreq.Header.Set("Content-Type", ct)
	}
	setHeaders(hreq, c.opts.Headers) // Do only builds requests to the base URL's origin
	setHeaders(hreq, req.Header)
	if c.opts.Auth != nil {
		switch req.Credentials {
		case CredentialsConfigured:
			err = c.opts.Auth.Apply(ctx, hreq)
		case CredentialsInvalid:
			err = c.opts.Auth.ApplyInvalid(hreq)
		}
		if err != nil {
			return nil, fmt.Errorf("authenticate request: %w", err)
		}
	}
	return hreq, nil
}

// setHeaders copies h into the request (replacing), honouring Host.
func setHeaders(hreq *http.Request, h http.Header) {
	for k, vs := range h {
		ck := http.CanonicalHeaderKey(k)
		if ck == "Host" {
			if len(vs) > 0 {
				hreq.Host = vs[0]
			}
			continue
		}
		hreq.Header[ck] = append([]string(nil), vs...)
	}
}

// checkRedirect follows at most 5 redirects within the base URL's origin
// (scheme, host and port). A redirect to another origin is not followed: the
// 3xx response is returned as is. Following it without credentials would
// still send the request body (a 307/308 resends it: test users' passwords)
// and make the harness fetch a URL the user never named.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	if origin(req.URL) != c.origin {
		return http.ErrUseLastResponse
	}
	return nil
}

// isRedirect reports whether status is a redirect the client could follow.
func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// record adds one redacted exchange to the recorder. Bodies are kept as
// independent copies of at most MaxRecordedBody bytes.
func (c *Client) record(x Exchange, hreq *http.Request, body []byte, resp *Response) {
	if c.opts.Recorder == nil {
		return
	}
	limit := c.opts.MaxRecordedBody
	reqBody, reqCut := c.redactor.body(body, limit)
	x.Request = RecordedRequest{Method: hreq.Method, URL: c.redactor.URL(hreq.URL.String()),
		Header: c.redactor.Header(hreq.Header), Body: reqBody, Truncated: reqCut, Size: len(body)}
	if resp != nil {
		respBody, cut := c.redactor.body(resp.Body, limit)
		size := len(resp.Body)
		if resp.Truncated {
			size = int(resp.Limit) // read up to the cap, of which Body keeps the start
		}
		x.Response = &RecordedResponse{Status: resp.Status, Header: c.redactor.Header(resp.Header),
			Body: respBody, Truncated: resp.Truncated || cut, Size: size, Oversize: resp.Truncated}
		if resp.URL != hreq.URL.String() {
			x.Response.URL = c.redactor.URL(resp.URL)
		}
	}
	c.opts.Recorder.Add(x)
}

// readBounded reads at most limit bytes and reports whether more was
// available; the rest of the body is left unread. The body is read in
// pooled chunks and copied once into an exactly sized slice: no buffer that
// grew past the body stays alive with it, and a large body does not leave
// several times its size of garbage behind.
//
// A truncated body cannot be judged, so of it only the first keep bytes
// (keep <= 0: limit) are returned: a server answering huge bodies does not
// make every response it sends pin the whole --max-body-bytes in memory.
//
// Only io.EOF ends a body: any other error, io.ErrUnexpectedEOF from a
// connection closed before the declared length included, is returned, so
// a body cut short is never taken for a complete one.
func readBounded(r io.Reader, limit, keep int64) ([]byte, bool, error) {
	var chunks []*[]byte
	defer func() {
		for _, c := range chunks {
			readChunks.Put(c)
		}
	}()
	var n int64
	var err error
	for n <= limit && err == nil {
		c := readChunks.Get().(*[]byte)
		chunks = append(chunks, c)
		var m int
		m, err = fill(r, (*c)[:min(int64(len(*c)), limit+1-n)])
		*c = (*c)[:m]
		n += int64(m)
	}
	if err == io.EOF {
		err = nil
	}
	truncated := n > limit
	size := min(n, limit)
	if truncated && keep > 0 {
		size = min(size, keep)
	}
	data := make([]byte, 0, size)
	for _, c := range chunks {
		data = append(data, (*c)[:min(int64(len(*c)), size-int64(len(data)))]...)
		*c = (*c)[:cap(*c)]
	}
	return data, truncated, err
}

// fill reads into buf until it is full (nil error) or r ends (io.EOF) or
// fails. Unlike io.ReadFull it passes io.ErrUnexpectedEOF from r through
// unchanged: a response body reports a connection closed before the
// declared length (or the last chunk) that way, and such a body is cut
// short, not complete.
func fill(r io.Reader, buf []byte) (int, error) {
	n, empty := 0, 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
		if m > 0 {
			empty = 0
			continue
		}
		if empty++; empty >= 100 { // as bufio: a reader stuck returning nothing
			return n, io.ErrNoProgress
		}
	}
	return n, nil
}

// readChunks are the buffers readBounded reads into.
var readChunks = sync.Pool{New: func() any {
	b := make([]byte, 64<<10)
	return &b
}}
