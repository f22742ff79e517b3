package scim

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
)

// LoadCAFile reads PEM certificates from path and returns the system roots
// plus those certificates (the file's alone when the system has no roots).
// A file without any certificate, or with a malformed one, is an error.
func LoadCAFile(path string) (*x509.CertPool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("ca-file: %w", err)
	}
	var certs []*x509.Certificate
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("ca-file %s: certificate %d: %w", path, len(certs)+1, err)
		}
		certs = append(certs, cert)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("ca-file %s holds no PEM certificate", path)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}

// TLSConfig builds the client TLS settings of a run: certificate verification
// on, TLS 1.2 or later, the system roots plus caFile's certificates when
// caFile is set; insecure (a test-server opt-in) turns verification off.
func TLSConfig(caFile string, insecure bool) (*tls.Config, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pool, err := LoadCAFile(caFile)
		if err != nil {
			return nil, err
		}
		conf.RootCAs = pool
	}
	if insecure {
		conf.InsecureSkipVerify = true //nolint:gosec // explicit user opt-in (--insecure)
	}
	return conf, nil
}

// NewTransport is the HTTP transport of every request the harness sends (the
// SCIM client and the OAuth2 token request alike): proxy settings from the
// environment, the given TLS settings (nil: system roots, verification on)
// and bounded response headers.
func NewTransport(conf *tls.Config) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = conf
	t.MaxResponseHeaderBytes = 1 << 20
	return t
}
