package scim

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// BenchmarkDo measures one GET with a typical SCIM body against a loopback
// server, with and without recording (redaction included).
func BenchmarkDo(b *testing.B) {
	body := []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"2819c223","userName":"bjensen",` +
		`"name":{"givenName":"Barbara","familyName":"Jensen"},"emails":[{"value":"bjensen@example.com","type":"work","primary":true}],` +
		`"meta":{"resourceType":"User","version":"W/\"3694e05e9dff590\"","location":"https://example.com/v2/Users/2819c223"}}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", MediaType)
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	q := url.Values{"filter": {`userName eq "bjensen"`}}
	for _, tc := range []struct {
		name string
		rec  bool
	}{{"recording", true}, {"no-recording", false}} {
		b.Run(tc.name, func(b *testing.B) {
			opts := Options{Auth: Bearer{Token: "bench-token-123"}, Secrets: []string{"extra-secret"}}
			var rec *Recorder
			if tc.rec {
				rec = &Recorder{MaxExchanges: 1000}
				opts.Recorder = rec
			}
			c := newTestClient(b, srv.URL+"/scim/v2", opts)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				resp, err := c.Get(ctx, "Users", q)
				if err != nil || resp.Status != 200 {
					b.Fatal(err)
				}
				if rec != nil && i%500 == 0 {
					rec.StartSpec("s") // keep the per-spec list short
				}
			}
		})
	}
}

// BenchmarkRedactBody measures body redaction of a SCIM body holding a password.
func BenchmarkRedactBody(b *testing.B) {
	r := NewRedactor([]string{"secret-one", "secret-two"})
	body := []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen","password":"t1meMa$heen",` +
		`"emails":[{"value":"bjensen@example.com","type":"work"}]}`)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = r.Body(body)
	}
}
