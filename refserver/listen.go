package refserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Running is a reference server listening on a TCP address.
type Running struct {
	// URL is the base URL of the SCIM service, BasePath included,
	// e.g. "http://127.0.0.1:43121/scim/v2".
	URL string

	srv  *http.Server
	done chan struct{}
}

// Listen starts a reference server on addr ("127.0.0.1:0" picks a free
// port) and serves it in the background until Close.
func Listen(addr string, opts Options) (*Running, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("refserver: listen on %s: %w", addr, err)
	}
	host := ln.Addr().String()
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		host = net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
	}
	run := &Running{
		URL:  "http://" + host + s.opts.BasePath,
		srv:  newHTTPServer(s),
		done: make(chan struct{}),
	}
	go func() {
		defer close(run.done)
		_ = run.srv.Serve(ln)
	}()
	return run, nil
}

// HTTP server limits of Listen. ReadTimeout covers the largest body the
// server accepts (MaxBodyBytes, 2 MiB by default; Bulk 1 MiB) at 35 KB/s.
// IdleTimeout exceeds the 90 s after which Go clients (and the harness)
// drop idle connections themselves, so a client does not race the server
// closing a keep-alive connection; specs that wait out timestamps idle for
// a few seconds only. No WriteTimeout: a large list response to a slow
// reader must not be cut off mid-body. The headers of a request, URL
// included, are bounded by MaxHeaderBytes (a long filter belongs in a POST
// .search); bodies are bounded by the handler (413, see readBody and
// refserver/bulk).
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 60 * time.Second
	IdleTimeout       = 120 * time.Second
	MaxHeaderBytes    = 256 << 10
)

// newHTTPServer is the http.Server of Listen, with the limits above.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}

// Close stops the server, waiting for active requests until ctx ends.
func (r *Running) Close(ctx context.Context) error {
	err := r.srv.Shutdown(ctx)
	<-r.done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
