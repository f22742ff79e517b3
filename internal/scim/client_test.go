package scim

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

func TestRequestTimeoutServerNeverAnswers(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	rec := NewRecorder()
	c := newTestClient(t, srv.URL, Options{RequestTimeout: 150 * time.Millisecond, Recorder: rec})
	start := time.Now()
	_, err := c.Get(context.Background(), "Users", nil)
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Fatalf("took %s despite a 150ms timeout", elapsed)
	}
	var terr *TransportError
	if !errors.As(err, &terr) || !terr.Timeout() {
		t.Fatalf("err = %v, want a timeout TransportError", err)
	}
	if !strings.Contains(err.Error(), "request timeout (150ms)") || strings.Contains(err.Error(), "\n") {
		t.Errorf("message %q is not one plain sentence naming the timeout", err)
	}
	xs := rec.All()
	if len(xs) != 1 || xs[0].Response != nil || xs[0].Error == "" {
		t.Errorf("recorded %+v, want one exchange without response and with an error", xs)
	}
}

func TestRequestTimeoutSlowDripBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", MediaType)
		w.WriteHeader(http.StatusOK)
		for i := 0; i < 100; i++ {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-time.After(50 * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
	}))
	defer srv.Close()
	rec := NewRecorder()
	c := newTestClient(t, srv.URL, Options{RequestTimeout: 300 * time.Millisecond, Recorder: rec})
	start := time.Now()
	_, err := c.Get(context.Background(), "Users", nil)
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("slow body took %s despite a 300ms timeout", elapsed)
	}
	var terr *TransportError
	if !errors.As(err, &terr) || !terr.Timeout() || !strings.Contains(terr.Reason, "reading the response body") {
		t.Fatalf("err = %v, want a body timeout", err)
	}
	xs := rec.All()
	if len(xs) != 1 || xs[0].Response == nil || xs[0].Response.Status != 200 || xs[0].Error == "" {
		t.Fatalf("recorded %+v, want the partial response with an error", xs)
	}
	if !strings.Contains(xs[0].String(), "! incomplete response:") {
		t.Errorf("transcript does not say the response was incomplete:\n%s", xs[0].String())
	}
}

func TestRunDeadlineIsNamed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	c := newTestClient(t, srv.URL, Options{RequestTimeout: 10 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Get(ctx, "Users", nil)
	if err == nil || !strings.Contains(err.Error(), "run's time limit") {
		t.Fatalf("err = %v, want the run deadline named", err)
	}
}

// TestEndlessBodyIsTruncatedWithBoundedMemory streams 1 GiB; the client must
// stop at the cap, and the heap must stay far below the body size.
func TestEndlessBodyIsTruncatedWithBoundedMemory(t *testing.T) {
	const total = 1 << 30
	chunk := []byte(strings.Repeat(`{"a":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},`, 1400)) // ~64 KiB
	written := make(chan int64, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", MediaType)
		var n int64
		defer func() { written <- n }()
		for n < total {
			m, err := w.Write(chunk)
			n += int64(m)
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	rec := NewRecorder()
	c := newTestClient(t, srv.URL, Options{MaxBodyBytes: 4 << 20, Recorder: rec})

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := uint64(0)
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc)
			}
		}
	}()
	resp, err := c.Get(context.Background(), "Users", nil)
	close(stop)
	<-sampled
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	peak = max(peak, after.HeapAlloc)
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Truncated || len(resp.Body) != DefaultMaxRecordedBody {
		t.Fatalf("Truncated=%v len=%d, want true and the first %d bytes", resp.Truncated, len(resp.Body), DefaultMaxRecordedBody)
	}
	if err := resp.JSON(&struct{}{}); err == nil || !strings.Contains(err.Error(), "exceeded the --max-body-bytes limit of 4 MiB") {
		t.Errorf("JSON on a truncated body: %v", err)
	}
	growth := int64(peak) - int64(before.HeapAlloc)
	t.Logf("heap before %d MiB, peak %d MiB (growth %d MiB) for a 1 GiB body capped at 4 MiB",
		before.HeapAlloc>>20, peak>>20, growth>>20)
	if growth > 64<<20 {
		t.Errorf("heap grew by %d MiB reading a capped body", growth>>20)
	}
	if n := <-written; n >= total {
		t.Errorf("server managed to write the whole %d bytes: the client drained the body", n)
	}
	xs := rec.All()
	if len(xs) != 1 || !xs[0].Response.Truncated || len(xs[0].Response.Body) > 1<<20 {
		t.Errorf("recorded body %d bytes (truncated=%v), want at most the 1 MiB transcript cap",
			len(xs[0].Response.Body), xs[0].Response.Truncated)
	}
}

func TestTLSVerification(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{}`))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	c := newTestClient(t, srv.URL, Options{})
	_, err := c.Get(context.Background(), "ServiceProviderConfig", nil)
	if err == nil || !strings.Contains(err.Error(), "TLS certificate verification failed") {
		t.Fatalf("err = %v, want a certificate failure", err)
	}
	if strings.Count(err.Error(), "\n") > 0 {
		t.Errorf("not one line: %q", err)
	}
	conf, err := TLSConfig("", false)
	if err != nil {
		t.Fatal(err)
	}
	conf.RootCAs = srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	c = newTestClient(t, srv.URL, Options{TLS: conf})
	if resp, err := c.Get(context.Background(), "ServiceProviderConfig", nil); err != nil || resp.Status != 200 {
		t.Fatalf("with the test CA: %v", err)
	}
	insecure, _ := TLSConfig("", true)
	c = newTestClient(t, srv.URL, Options{TLS: insecure})
	if _, err := c.Get(context.Background(), "ServiceProviderConfig", nil); err != nil {
		t.Fatalf("insecure: %v", err)
	}
}

func TestDescribeTransportError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer plain.Close()
	cases := map[string]string{
		refused:                      "connection refused by 127.0.0.1:",
		"http://nonexistent.invalid": "cannot resolve host nonexistent.invalid",
		strings.Replace(plain.URL, "http:", "https:", 1): "TLS handshake failed",
	}
	for base, want := range cases {
		c := newTestClient(t, base, Options{RequestTimeout: 5 * time.Second})
		_, err := c.Get(context.Background(), "Users", nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", base, err, want)
			continue
		}
		if strings.Contains(err.Error(), "\n") || strings.Count(err.Error(), ": ") > 2 {
			t.Errorf("%s: not one plain sentence: %q", base, err)
		}
	}
}

func TestCredentialModes(t *testing.T) {
	srv, s := echoServer(t)
	c := newTestClient(t, srv.URL, Options{Auth: Bearer{Token: "tok-12345"}, Headers: http.Header{"X-Tenant": {"a"}}})
	ctx := context.Background()
	check := func(mode CredentialMode, want string) {
		t.Helper()
		if _, err := c.Do(ctx, Request{Path: "Users", Credentials: mode}); err != nil {
			t.Fatal(err)
		}
		r := s.last(t)
		if got := r.Header.Get("Authorization"); got != want {
			t.Errorf("mode %d: Authorization %q, want %q", mode, got, want)
		}
		if r.Header.Get("X-Tenant") != "a" {
			t.Errorf("mode %d: configured header missing", mode)
		}
	}
	check(CredentialsConfigured, "Bearer tok-12345")
	check(CredentialsNone, "")
	check(CredentialsInvalid, "Bearer scimconform-invalid-token")

	b := newTestClient(t, srv.URL, Options{Auth: Basic{User: "u", Password: "pw-secret"}})
	if _, err := b.Do(ctx, Request{Path: "Users", Credentials: CredentialsInvalid}); err != nil {
		t.Fatal(err)
	}
	if u, p, ok := s.last(t).BasicAuth(); !ok || u != "u" || p == "pw-secret" {
		t.Errorf("invalid basic = %q %q %v", u, p, ok)
	}
	h := newTestClient(t, srv.URL, Options{Auth: HeaderAuth{Headers: http.Header{"X-Api-Key": {"k-123456"}}}})
	if _, err := h.Do(ctx, Request{Path: "Users"}); err != nil {
		t.Fatal(err)
	}
	if s.last(t).Header.Get("X-Api-Key") != "k-123456" {
		t.Error("header auth not sent")
	}
	if _, err := h.Do(ctx, Request{Path: "Users", Credentials: CredentialsNone}); err != nil {
		t.Fatal(err)
	}
	if s.last(t).Header.Get("X-Api-Key") != "" {
		t.Error("header auth sent with CredentialsNone")
	}
}

func TestRequestBodyAndHeaders(t *testing.T) {
	srv, s := echoServer(t)
	c := newTestClient(t, srv.URL, Options{UserAgent: "ua/1"})
	ctx := context.Background()
	if _, err := c.Post(ctx, "Users", map[string]any{"userName": "x"}); err != nil {
		t.Fatal(err)
	}
	r := s.last(t)
	if r.Method != "POST" || r.Header.Get("Content-Type") != MediaType || r.Header.Get("User-Agent") != "ua/1" ||
		!strings.HasPrefix(r.Header.Get("Accept"), MediaType) {
		t.Errorf("request headers %v", r.Header)
	}
	if _, err := c.Do(ctx, Request{Method: "PUT", Path: "Users/1", RawBody: []byte("{bad"), ContentType: "application/json",
		Header: http.Header{"If-Match": {`W/"1"`}}}); err != nil {
		t.Fatal(err)
	}
	r = s.last(t)
	if r.Header.Get("Content-Type") != "application/json" || r.Header.Get("If-Match") != `W/"1"` {
		t.Errorf("request headers %v", r.Header)
	}
	if _, err := c.Do(ctx, Request{Path: "Users", Body: map[string]any{"f": func() {}}}); err == nil {
		t.Error("unencodable body accepted")
	}
}

func TestNonUTF8BodyRecordedSafely(t *testing.T) {
	body := []byte{'{', '"', 'a', '"', ':', '"', 0xff, 0xfe, 'x', '"', '}', 0x00, 0xc3}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	rec := NewRecorder()
	c := newTestClient(t, srv.URL, Options{Recorder: rec})
	resp, err := c.Get(context.Background(), "Users", nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != string(body) {
		t.Error("Response.Body must keep the raw bytes")
	}
	x := rec.All()[0]
	if !utf8.ValidString(x.Response.Body) || !strings.Contains(x.Response.Body, "\uFFFD") {
		t.Errorf("recorded body %q is not valid UTF-8 with replacement characters", x.Response.Body)
	}
	if !utf8.ValidString(transcriptJSON(t, rec)) {
		t.Error("transcript is not valid UTF-8")
	}
}

func TestResponseHelpers(t *testing.T) {
	r := &Response{Header: http.Header{"Content-Type": {"Application/SCIM+json; charset=utf-8"}}, Body: []byte(`null`)}
	if r.MediaType() != MediaType {
		t.Errorf("MediaType = %q", r.MediaType())
	}
	if _, err := r.Object(); err == nil {
		t.Error("null accepted as an object")
	}
	r.Body = []byte(`{"a":1}`)
	if m, err := r.Object(); err != nil || m["a"] != float64(1) {
		t.Errorf("Object = %v, %v", m, err)
	}
	r.Body = []byte(`{`)
	if _, err := r.Object(); err == nil {
		t.Error("invalid JSON accepted")
	}
}

func TestDescribeTransportErrorUnits(t *testing.T) {
	cases := map[string]error{
		"timed out":                     context.DeadlineExceeded,
		"cancelled":                     context.Canceled,
		"cannot resolve host x.invalid": &net.DNSError{Name: "x.invalid", Err: "no such host"},
		"closed the connection":         io.ErrUnexpectedEOF,
		"TLS handshake failed (remote error: tls: handshake failure)": errors.New("remote error: tls: handshake failure"),
		"something odd happened": errors.New("something\nodd   happened"),
	}
	for want, err := range cases {
		if got := describeTransportError(err); !strings.Contains(got, want) {
			t.Errorf("describe(%v) = %q, want %q", err, got, want)
		}
	}
}

func TestMethodsAndAccessors(t *testing.T) {
	srv, s := echoServer(t)
	c := newTestClient(t, srv.URL+"/scim/", Options{Headers: http.Header{"host": {"virtual.example"}}})
	ctx := context.Background()
	if c.BaseURL() != srv.URL+"/scim" || c.AuthScheme() != "none" {
		t.Errorf("BaseURL %q AuthScheme %q", c.BaseURL(), c.AuthScheme())
	}
	calls := []struct {
		method string
		do     func() (*Response, error)
	}{
		{"PUT", func() (*Response, error) { return c.Put(ctx, "Users/1", map[string]any{}) }},
		{"PATCH", func() (*Response, error) { return c.Patch(ctx, "Users/1", map[string]any{}) }},
		{"DELETE", func() (*Response, error) { return c.Delete(ctx, "Users/1") }},
	}
	for _, call := range calls {
		if _, err := call.do(); err != nil {
			t.Fatal(err)
		}
		r := s.last(t)
		if r.Method != call.method || r.URL.Path != "/scim/Users/1" || r.Host != "virtual.example" {
			t.Errorf("%s: got %s %s host %s", call.method, r.Method, r.URL.Path, r.Host)
		}
	}
	b := newTestClient(t, srv.URL, Options{Auth: &OAuth2ClientCredentials{}})
	if b.AuthScheme() != "oauth2" {
		t.Error("AuthScheme")
	}
	_, err := newTestClient(t, "http://127.0.0.1:1", Options{}).Get(ctx, "x", nil)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("TransportError does not unwrap to the cause: %v", err)
	}
}

// staleKeepAliveServer answers the first request of every connection and
// closes the connection when the next one arrives, unanswered: the race of a
// server whose keep-alive timeout ends just as a client reuses the connection.
func staleKeepAliveServer(t *testing.T) (addr string, conns *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	conns = &atomic.Int32{}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func(conn net.Conn) {
				defer conn.Close()
				br := bufio.NewReader(conn)
				req, err := http.ReadRequest(br)
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, req.Body)
				_, _ = io.WriteString(conn, "HTTP/1.1 201 Created\r\nContent-Type: application/scim+json\r\nContent-Length: 2\r\n\r\n{}")
				// The next request arrives on the kept-alive connection; the
				// server has timed it out meanwhile and closes it unanswered.
				_, _ = http.ReadRequest(br)
			}(conn)
		}
	}()
	return "http://" + ln.Addr().String(), conns
}

func TestStaleKeepAliveConnectionIsRetriedOnAFreshOne(t *testing.T) {
	base, conns := staleKeepAliveServer(t)
	rec := NewRecorder()
	c := newTestClient(t, base, Options{Recorder: rec, MaxRetries: -1})
	for i := range 3 {
		resp, err := c.Post(context.Background(), "/Users", map[string]any{"userName": "x"})
		if err != nil || resp.Status != http.StatusCreated {
			t.Fatalf("request %d: %v (%v): a closed keep-alive connection must be retried, not reported", i+1, resp, err)
		}
	}
	if n := conns.Load(); n != 3 {
		t.Errorf("%d connections for 3 requests, want one each", n)
	}
}

func TestDroppedConnectionIsTheServersFailure(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			_ = conn.Close()
		}
	}))
	defer srv.Close()
	_, err := newTestClient(t, srv.URL, Options{MaxRetries: -1}).Get(context.Background(), "/Users", nil)
	var terr *TransportError
	if !errors.As(err, &terr) || !terr.Dropped {
		t.Errorf("a connection closed without an answer: %v, want Dropped", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens: refused
	_, err = newTestClient(t, "http://"+addr, Options{MaxRetries: -1}).Get(context.Background(), "/Users", nil)
	if !errors.As(err, &terr) || terr.Dropped {
		t.Errorf("a refused connection: %v, want not Dropped (the harness cannot judge)", err)
	}
}

// A body cut short by a closed connection (fewer bytes than Content-Length,
// or a chunked body without its last chunk) is no answer: judging the
// bytes that arrived as the whole body turned a dropped connection into
// "200 OK with invalid JSON".
func TestBodyCutShortIsADroppedConnection(t *testing.T) {
	for name, head := range map[string]string{
		"content-length": "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Length: 6507\r\n\r\n",
		"chunked":        "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				conn, buf, err := w.(http.Hijacker).Hijack()
				if err != nil {
					t.Error(err)
					return
				}
				defer conn.Close()
				_, _ = buf.WriteString(head + `{"Resources":[` + strings.Repeat(" ", 100-len(`{"Resources":[`)))
				_ = buf.Flush()
			}))
			defer srv.Close()
			rec := NewRecorder()
			c := newTestClient(t, srv.URL, Options{Recorder: rec, MaxRetries: -1})
			resp, err := c.Post(context.Background(), "/Users/.search", map[string]any{"filter": `userName eq "x"`})
			var terr *TransportError
			if !errors.As(err, &terr) || !terr.Dropped || !strings.Contains(terr.Reason, "before the response was complete") {
				got := "no response"
				if resp != nil {
					got = fmt.Sprintf("%d with %d body bytes", resp.Status, len(resp.Body))
				}
				t.Fatalf("a body cut short: %s, error %v; want a Dropped TransportError", got, err)
			}
			if all := rec.All(); len(all) != 1 || all[0].Error == "" {
				t.Errorf("transcript %+v: want the one attempt recorded with its error", all)
			}
		})
	}
}
