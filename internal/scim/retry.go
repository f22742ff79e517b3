package scim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// retryDelay is the wait before the next attempt: Retry-After (seconds or an
// HTTP date) when given, else a short exponential backoff; capped by MaxRetryWait.
func (c *Client) retryDelay(resp *Response, attempt int) time.Duration {
	d := time.Duration(250*(1<<(attempt-1))) * time.Millisecond
	if ra := strings.TrimSpace(resp.Header.Get("Retry-After")); ra != "" {
		if secs, err := strconv.Atoi(ra); err == nil && secs >= 0 {
			d = time.Duration(secs) * time.Second
		} else if t, err := time.Parse(time.RFC1123, ra); err == nil {
			d = time.Until(t)
		}
	}
	if d < 0 {
		d = 0
	}
	if d > c.opts.MaxRetryWait {
		d = c.opts.MaxRetryWait
	}
	return d
}

// describeTransportError turns a transport error into one plain sentence.
func describeTransportError(err error) string {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		return "TLS certificate verification failed (" + err.Error() + "); use --ca-file, or --insecure for a test server"
	case errors.As(err, &dnsErr):
		return "cannot resolve host " + dnsErr.Name
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return "cannot connect (" + opErr.Err.Error() + ")"
	default:
		return err.Error()
	}
}
