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
		srv:  &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second},
		done: make(chan struct{}),
	}
	go func() {
		defer close(run.done)
		_ = run.srv.Serve(ln)
	}()
	return run, nil
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
