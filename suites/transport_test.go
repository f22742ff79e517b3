package suites

import (
	"net/url"
	"testing"
)

func TestTransportOf(t *testing.T) {
	for raw, want := range map[string]transport{
		"https://scim.example.com/v2":    transportTLS,
		"HTTPS://10.0.0.1/scim":          transportTLS,
		"http://127.0.0.1:8080/scim/v2":  transportLoopback,
		"http://127.9.9.9/scim":          transportLoopback,
		"http://[::1]:9000/scim":         transportLoopback,
		"http://localhost/scim":          transportLoopback,
		"http://api.localhost/scim":      transportLoopback,
		"http://scim.example.com/v2":     transportPlain,
		"http://10.0.0.1/scim":           transportPlain,
		"http://localhost.example.com/x": transportPlain,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := transportOf(u); got != want {
			t.Errorf("%s: got %d, want %d", raw, got, want)
		}
	}
}
