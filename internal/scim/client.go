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
	"net/url"
	"strings"
	"time"
)

// Options configure a Client.
type Options struct {
	// BaseURL is the SCIM service provider root, e.g. https://example.com/scim/v2.
	BaseURL string
	// Auth authenticates requests; nil sends none.
	Auth Authenticator
	// Headers are added to every request (e.g. X-Tenant).
	Headers http.Header
	// RequestTimeout bounds one attempt of one request (default 30s).
	RequestTimeout time.Duration
	// MaxBodyBytes caps how much of a response body is read (default 8 MiB).
	MaxBodyBytes int64
	// MaxRetries bounds retries of 429/503 (default 2); Retry-After is honoured
	// up to MaxRetryWait (default 10s).
	MaxRetries   int
	MaxRetryWait time.Duration
	// TLS configures certificate verification (nil = system roots, verify on).
	TLS *tls.Config
	// Recorder receives every exchange, redacted; nil records nothing.
	Recorder *Recorder
	// Secrets are extra strings (tokens, passwords) redacted from transcripts.
	Secrets []string
	// Transport overrides the HTTP transport (tests).
	Transport http.RoundTripper
	// UserAgent defaults to "scimconform".
	UserAgent string
}

// Client sends SCIM requests to one service provider.
type Client struct {
	base     *url.URL
	opts     Options
	http     *http.Client
	redactor *Redactor
	sleep    func(ctx context.Context, d time.Duration) error
}

// New validates the options and builds a client.
func New(opts Options) (*Client, error) {
	base, err := ParseBaseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = 30 * time.Second
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 8 << 20
	}
	if opts.MaxRetries < 0 {
		opts.MaxRetries = 0
	} else if opts.MaxRetries == 0 {
		opts.MaxRetries = 2
	}
	if opts.MaxRetryWait <= 0 {
		opts.MaxRetryWait = 10 * time.Second
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "scimconform"
	}
	transport := opts.Transport
	if transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = opts.TLS
		transport = t
	}
	secrets := append([]string(nil), opts.Secrets...)
	if opts.Auth != nil {
		secrets = append(secrets, opts.Auth.Secrets()...)
	}
	c := &Client{base: base, opts: opts, redactor: NewRedactor(secrets), sleep: sleepCtx}
	c.http = &http.Client{Transport: transport, CheckRedirect: c.checkRedirect}
	return c, nil
}

// ParseBaseURL checks a base URL: absolute http(s), no query or fragment
// (RFC 7644 §1.3), no userinfo. The trailing slash is removed.
func ParseBaseURL(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("base URL is empty")
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("base URL %q is not a URL: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("base URL %q: scheme must be http or https", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("base URL %q has no host", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("base URL must not carry credentials; use SCIMCONFORM_USER/SCIMCONFORM_PASSWORD")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("base URL %q must not contain a query or fragment (RFC 7644 §1.3)", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// BaseURL returns the service provider root without a trailing slash.
func (c *Client) BaseURL() string { return c.base.String() }

// Redactor returns the redactor the client applies to transcripts.
func (c *Client) Redactor() *Redactor { return c.redactor }

// URL resolves a request path against the base URL.
func (c *Client) URL(path string, query url.Values) string {
	var u url.URL
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		if p, err := url.Parse(path); err == nil {
			u = *p
		}
	} else {
		u = *c.base
		u.Path = c.base.Path + "/" + strings.TrimLeft(path, "/")
		if path == "" {
			u.Path = c.base.Path
		}
	}
	if len(query) > 0 {
		q := u.Query()
		for k, vs := range query {
			for _, v := range vs {
				q.Add(k, v)
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
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
// every attempt. A transport failure returns an error (and is recorded too).
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	body, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		resp, err := c.once(ctx, req, body, attempt)
		if err != nil || attempt > c.opts.MaxRetries || !retryable(resp.Status) {
			return resp, err
		}
		if err := c.sleep(ctx, c.retryDelay(resp, attempt)); err != nil {
			return resp, nil
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

func (c *Client) once(ctx context.Context, req Request, body []byte, attempt int) (*Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.RequestTimeout)
	defer cancel()
	hreq, err := c.build(ctx, req, body)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	hresp, err := c.http.Do(hreq)
	x := Exchange{Started: start, Attempt: attempt}
	if err != nil {
		x.Duration = time.Since(start)
		x.Error = c.redactor.String(err.Error())
		c.record(x, hreq, body, nil)
		return nil, fmt.Errorf("%s %s: %s", req.Method, c.redactor.URL(hreq.URL.String()), describeTransportError(err))
	}
	defer hresp.Body.Close()
	data, truncated, readErr := readBounded(hresp.Body, c.opts.MaxBodyBytes)
	resp := &Response{Status: hresp.StatusCode, Header: hresp.Header, Body: data,
		Truncated: truncated, Duration: time.Since(start), URL: hresp.Request.URL.String()}
	x.Duration = resp.Duration
	if readErr != nil {
		x.Error = c.redactor.String(readErr.Error())
	}
	c.record(x, hreq, body, resp)
	if readErr != nil {
		return nil, fmt.Errorf("%s %s: reading response body: %s", req.Method, c.redactor.URL(hreq.URL.String()), describeTransportError(readErr))
	}
	return resp, nil
}

func (c *Client) build(ctx context.Context, req Request, body []byte) (*http.Request, error) {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hreq, err := http.NewRequestWithContext(ctx, method, c.URL(req.Path, req.Query), rd)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	hreq.Header.Set("Accept", MediaType+", application/json;q=0.9")
	hreq.Header.Set("User-Agent", c.opts.UserAgent)
	if body != nil {
		ct := req.ContentType
		if ct == "" {
			ct = MediaType
		}
		hreq.Header.Set("Content-Type", ct)
	}
	for k, vs := range c.opts.Headers {
		hreq.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	for k, vs := range req.Header {
		hreq.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
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

// checkRedirect follows at most 5 redirects and drops credentials when the
// redirect leaves the original host.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
		req.Header.Del("Authorization")
		req.Header.Del("Cookie")
		if c.opts.Auth != nil {
			for _, h := range c.opts.Auth.HeaderNames() {
				req.Header.Del(h)
			}
		}
		for k := range c.opts.Headers {
			req.Header.Del(k)
		}
	}
	return nil
}

func (c *Client) record(x Exchange, hreq *http.Request, body []byte, resp *Response) {
	if c.opts.Recorder == nil {
		return
	}
	x.Request = RecordedRequest{Method: hreq.Method, URL: c.redactor.URL(hreq.URL.String()),
		Header: c.redactor.Header(hreq.Header), Body: c.redactor.Body(body)}
	if resp != nil {
		x.Response = &RecordedResponse{Status: resp.Status, Header: c.redactor.Header(resp.Header),
			Body: c.redactor.Body(resp.Body), Truncated: resp.Truncated}
	}
	c.opts.Recorder.Add(x)
}

// readBounded reads at most limit bytes and reports whether more was available.
func readBounded(r io.Reader, limit int64) ([]byte, bool, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(data)) > limit {
		return data[:limit], true, nil
	}
	return data, false, err
}

func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
