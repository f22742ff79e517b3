package selftest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
)

// ReverseProxy is httputil.NewSingleHostReverseProxy for the self-tests'
// fronts of the reference server, with WholeBodies as its transport.
func ReverseProxy(target *url.URL) *httputil.ReverseProxy {
	p := httputil.NewSingleHostReverseProxy(target)
	p.Transport = WholeBodies{}
	return p
}

// WholeBodies is a round tripper (http.DefaultTransport) that reads a
// request's body whole before forwarding it. A reverse proxy that streams
// the body it received meets a race of net/http (golang/go#40747): the
// proxy's server closes that body once the handler answers, and when the
// target answered before the transport's last read of it, the transport
// closes the target connection mid-answer, so the client gets a 200 cut
// short. internal/tools/latencyproxy buffers for the same reason.
type WholeBodies struct{}

// RoundTrip implements http.RoundTripper.
func (WholeBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("selftest proxy: reading the request body: %w", err)
		}
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		r.ContentLength = int64(len(b))
	}
	return http.DefaultTransport.RoundTrip(r)
}
