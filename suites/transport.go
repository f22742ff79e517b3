package suites

import (
	"net"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/internal/spec"
)

// The transport security spec: RFC 7644 §7.2 requires a transport-layer
// security mechanism between SCIM clients and service providers. A target
// reached over plain HTTP on another host is reported as a WARN (the run
// goes on: test deployments on private networks are common, and the rest
// of the verdicts do not depend on the transport); https, and plain HTTP to
// a loopback address (the embedded server, a local proxy), pass.
var _ = DescribeSCIM("Transport security", spec.Area("auth-security"), func(env *Env) {
	// 7644-7.2-01: clients and servers communicate over TLS (or another transport security layer).
	It("is reached over https, or over plain HTTP on a loopback address only", spec.Req("7644-7.2-01"), spec.MUST, func() {
		u, err := url.Parse(env.Client.BaseURL())
		if err != nil {
			FailHarness("the target URL %q cannot be parsed: %v", env.Client.BaseURL(), err)
		}
		switch transportOf(u) {
		case transportTLS:
			env.Info("the target is reached over https")
		case transportLoopback:
			env.Info("the target %s is on a loopback address: its traffic does not leave the machine", u.Host)
		default:
			env.Warn("%s: the target %s is reached over plain HTTP on another host: credentials and personal data cross the network unencrypted. "+
				"Serve SCIM over https (TLS 1.2 or later, 7644-7.2-02) in every deployment that is not a local test",
				cite("7644-7.2-01"), u.Redacted())
		}
	})
})

// transport classifies how a target URL is reached.
type transport int

const (
	transportTLS transport = iota
	transportLoopback
	transportPlain
)

// transportOf says whether u is https, plain HTTP to a loopback address
// (localhost, 127.0.0.0/8, ::1) or plain HTTP to another host.
func transportOf(u *url.URL) transport {
	if strings.EqualFold(u.Scheme, "https") {
		return transportTLS
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return transportLoopback
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return transportLoopback
	}
	return transportPlain
}
