package scim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// TransportError is returned by Do when no complete response was received:
// connection refused, DNS or TLS failure, timeout, a body cut short. Its
// Error text is one redacted sentence; Unwrap gives the underlying error
// (unredacted: do not print it).
type TransportError struct {
	Method string
	// URL is the redacted request URL.
	URL string
	// Reason is one plain, redacted sentence.
	Reason string
	// Err is the underlying error.
	Err error
	// Dropped: the server took the request and closed or reset the
	// connection without a complete answer (the server's failure, unlike a
	// refused connection or a timeout).
	Dropped bool
	// staleConn: the request went out on a reused keep-alive connection
	// that the server had closed, and no answer byte came back.
	staleConn bool
}

// isConnClosed reports whether err says the peer closed the connection
// (EOF or a reset), as a server closing an idle keep-alive connection does.
func isConnClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		strings.Contains(err.Error(), "server closed idle connection")
}

// Error implements error.
func (e *TransportError) Error() string { return e.Method + " " + e.URL + ": " + e.Reason }

// Unwrap returns the underlying error.
func (e *TransportError) Unwrap() error { return e.Err }

// Timeout reports whether the request ran out of time.
func (e *TransportError) Timeout() bool {
	var ne net.Error
	return errors.Is(e.Err, context.DeadlineExceeded) || (errors.As(e.Err, &ne) && ne.Timeout())
}

// OffOriginError is returned by Do for an absolute request URL (a Location,
// meta.location or $ref a server named) on another origin than the base URL:
// the client never sends a request there. Nothing was sent.
type OffOriginError struct {
	Method string
	// URL is the redacted URL that was not fetched.
	URL string
	// Origin is the target's origin (scheme://host:port).
	Origin string
}

// Error implements error.
func (e *OffOriginError) Error() string {
	return "not fetched: " + e.URL + " is off the target's origin " + e.Origin
}

// describeTransportError turns a transport error into one plain sentence
// without the request URL (the caller prefixes it).
func describeTransportError(err error) string {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	var (
		certErr     *tls.CertificateVerificationError
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidErr  x509.CertificateInvalidError
		recErr      tls.RecordHeaderError
		dnsErr      *net.DNSError
		opErr       *net.OpError
		netErr      net.Error
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr), errors.As(err, &invalidErr):
		return "TLS certificate verification failed (" + certReason(err) + "); use --ca-file, or --insecure for a test server"
	case errors.As(err, &recErr), strings.Contains(err.Error(), "HTTP response to HTTPS client"):
		return "TLS handshake failed: the server does not speak TLS (try an http:// URL)"
	case errors.As(err, &dnsErr):
		return "cannot resolve host " + dnsErr.Name
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused" + dialTarget(err)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return "cannot connect" + dialTarget(err) + " (" + opErr.Err.Error() + ")"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timed out"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET):
		return "the server closed the connection before the response was complete"
	case strings.Contains(err.Error(), "tls: "):
		return "TLS handshake failed (" + oneLine(err.Error()) + ")"
	default:
		return oneLine(err.Error())
	}
}

// certReason shortens an x509 error to its gist.
func certReason(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "tls: failed to verify certificate: ")
	return oneLine(strings.TrimPrefix(s, "x509: "))
}

// dialTarget names the address a dial error was about, as " by HOST:PORT".
func dialTarget(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Addr != nil {
		return " by " + opErr.Addr.String()
	}
	return ""
}

// oneLine collapses whitespace runs (newlines included) into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
