package scim

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

func TestParseBaseURL(t *testing.T) {
	good := map[string]string{
		"https://example.com":                  "https://example.com",
		"https://example.com/":                 "https://example.com",
		"https://example.com/scim/v2/":         "https://example.com/scim/v2",
		"https://example.com/scim/v2///":       "https://example.com/scim/v2",
		"  HTTP://Example.com:8080/scim  ":     "http://Example.com:8080/scim",
		"https://example.com/t%2Fa/scim":       "https://example.com/t%2Fa/scim",
		"https://example.com/a%20b/scim/v2/":   "https://example.com/a%20b/scim/v2",
		"http://[::1]:9000/scim/v2":            "http://[::1]:9000/scim/v2",
		"https://example.com/tenant-1/scim/v2": "https://example.com/tenant-1/scim/v2",
	}
	for in, want := range good {
		u, err := ParseBaseURL(in)
		if err != nil {
			t.Errorf("ParseBaseURL(%q): %v", in, err)
			continue
		}
		if u.String() != want {
			t.Errorf("ParseBaseURL(%q) = %q, want %q", in, u.String(), want)
		}
	}
	bad := map[string]string{
		"":                             "empty",
		"example.com/scim":             "scheme",
		"ftp://example.com":            "scheme",
		"https://":                     "no host",
		"https://u:p@example.com/scim": "credentials",
		"https://example.com/scim?x=1": "query",
		"https://example.com/scim#f":   "fragment",
		"https://example.com/scim?":    "query",
		"http://exa mple.com":          "not a URL",
	}
	for in, want := range bad {
		_, err := ParseBaseURL(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseBaseURL(%q) error = %v, want one mentioning %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "u:p@") {
			t.Errorf("error repeats credentials: %v", err)
		}
	}
}

func TestURLJoin(t *testing.T) {
	cases := []struct {
		base, path string
		query      url.Values
		want       string
	}{
		{"https://h", "Users", nil, "https://h/Users"},
		{"https://h/", "/Users", nil, "https://h/Users"},
		{"https://h/scim/v2", "Users", nil, "https://h/scim/v2/Users"},
		{"https://h/scim/v2/", "/Users/", nil, "https://h/scim/v2/Users/"},
		{"https://h/scim/v2", "", nil, "https://h/scim/v2"},
		{"https://h/scim/v2", "//evil.example/x", nil, "https://h/scim/v2/evil.example/x"},
		{"https://h/scim/v2", "Users/.search", nil, "https://h/scim/v2/Users/.search"},
		{"https://h/scim/v2", "Schemas/urn:ietf:params:scim:schemas:core:2.0:User", nil,
			"https://h/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User"},
		{"https://h/scim/v2", "Users/a b", nil, "https://h/scim/v2/Users/a%20b"},
		{"https://h/scim/v2", "Users/" + url.PathEscape("a/b?c#d"), nil, "https://h/scim/v2/Users/a%2Fb%3Fc%23d"},
		{"https://h/scim/v2", "Users/100%", nil, "https://h/scim/v2/Users/100%25"},
		{"https://h/scim/v2", "Users/caf\u00e9", nil, "https://h/scim/v2/Users/caf%C3%A9"},
		{"https://h/t%2Fa/scim", "Users", nil, "https://h/t%2Fa/scim/Users"},
		{"https://h/scim", "Users?count=2", url.Values{"startIndex": {"1"}}, "https://h/scim/Users?count=2&startIndex=1"},
		{"https://h/scim", "Users?filter=a b", nil, "https://h/scim/Users?filter=a%20b"},
		// RFC 7644 §3.4.2.2 examples, percent-encoded per §1.2.
		{"https://h/scim", "Users", url.Values{"filter": {`userName eq "bjensen"`}},
			"https://h/scim/Users?filter=userName%20eq%20%22bjensen%22"},
		{"https://h/scim", "Users", url.Values{"filter": {`name.familyName co "O'Malley"`}},
			"https://h/scim/Users?filter=name.familyName%20co%20%22O%27Malley%22"},
		{"https://h/scim", "Users", url.Values{"filter": {`emails[type eq "work" and value co "@example.com"]`}},
			"https://h/scim/Users?filter=emails%5Btype%20eq%20%22work%22%20and%20value%20co%20%22%40example.com%22%5D"},
		{"https://h/scim", "Users", url.Values{"filter": {`title pr and x eq "a+b&c=d"`}, "attributes": {"userName,name.givenName"}},
			"https://h/scim/Users?attributes=userName%2Cname.givenName&filter=title%20pr%20and%20x%20eq%20%22a%2Bb%26c%3Dd%22"},
		// Absolute URLs (meta.location) are used as is.
		{"https://h/scim", "https://other.example/scim/Users/1", nil, "https://other.example/scim/Users/1"},
		{"https://h/scim", "HTTPS://h/scim/Users/1#frag", nil, "https://h/scim/Users/1"},
		{"https://h/scim", "https://h/scim/Users/1?x=a+b", url.Values{"attributes": {"id"}}, "https://h/scim/Users/1?x=a+b&attributes=id"},
	}
	for _, tc := range cases {
		c := newTestClient(t, tc.base, Options{})
		if got := c.URL(tc.path, tc.query); got != tc.want {
			t.Errorf("base %q path %q query %v:\n got %s\nwant %s", tc.base, tc.path, tc.query, got, tc.want)
		}
	}
}

func TestQueryReachesServerDecoded(t *testing.T) {
	srv, s := echoServer(t)
	c := newTestClient(t, srv.URL+"/scim/v2/", Options{})
	filter := `userName eq "Bjensen Jr" and title co "a+b"`
	if _, err := c.Get(context.Background(), "/Users", url.Values{"filter": {filter}}); err != nil {
		t.Fatal(err)
	}
	r := s.last(t)
	if r.URL.Path != "/scim/v2/Users" {
		t.Errorf("path = %q", r.URL.Path)
	}
	if strings.Contains(r.URL.RawQuery, "+") {
		t.Errorf("raw query %q encodes with '+'", r.URL.RawQuery)
	}
	if got := r.URL.Query().Get("filter"); got != filter {
		t.Errorf("server decoded filter %q, want %q", got, filter)
	}
}

func TestResolveRejectsBrokenAbsoluteURL(t *testing.T) {
	srv, s := echoServer(t)
	c := newTestClient(t, srv.URL, Options{})
	if _, err := c.Get(context.Background(), "http://[::1/x", nil); err == nil {
		t.Fatal("malformed absolute URL accepted")
	}
	if s.count() != 0 {
		t.Fatal("a request was sent")
	}
}

func TestOrigin(t *testing.T) {
	same := [][2]string{{"https://h/a", "https://H:443/b"}, {"http://h:80", "http://h/x"}}
	for _, p := range same {
		a, _ := url.Parse(p[0])
		b, _ := url.Parse(p[1])
		if origin(a) != origin(b) {
			t.Errorf("%s and %s should share an origin", p[0], p[1])
		}
	}
	diff := [][2]string{{"https://h", "http://h"}, {"https://h", "https://h:8443"}, {"https://h", "https://h.evil"}}
	for _, p := range diff {
		a, _ := url.Parse(p[0])
		b, _ := url.Parse(p[1])
		if origin(a) == origin(b) {
			t.Errorf("%s and %s should differ", p[0], p[1])
		}
	}
}
