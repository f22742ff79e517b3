package scim

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestRedactHeaders(t *testing.T) {
	r := newClientRedactor([]string{"s3cr3t-value"}, HeaderAuth{Headers: http.Header{"X-Custom-Key": {"k"}}})
	in := http.Header{
		"Authorization":       {"Bearer abc.def.ghi"},
		"Proxy-Authorization": {"Basic dTpw"},
		"Cookie":              {"sid=abc123; theme=dark"},
		"Set-Cookie":          {"sid=abc123; Path=/; HttpOnly", "x=y"},
		"X-Custom-Key":        {"k"},
		"X-Api-Key":           {"whatever"},
		"X-Echo":              {"token s3cr3t-value here"},
		"Content-Type":        {MediaType},
	}
	out := r.Header(in)
	want := map[string][]string{
		"Authorization":       {"Bearer " + Redacted},
		"Proxy-Authorization": {"Basic " + Redacted},
		"Cookie":              {"sid=" + Redacted + "; theme=" + Redacted},
		"Set-Cookie":          {"sid=" + Redacted + "; Path=/; HttpOnly", "x=" + Redacted},
		"X-Custom-Key":        {Redacted},
		"X-Api-Key":           {Redacted},
		"X-Echo":              {"token " + Redacted + " here"},
		"Content-Type":        {MediaType},
	}
	for k, vs := range want {
		if strings.Join(out[k], "|") != strings.Join(vs, "|") {
			t.Errorf("%s: %q, want %q", k, out[k], vs)
		}
	}
	if in.Get("Authorization") != "Bearer abc.def.ghi" {
		t.Error("Header modified its input")
	}
	if got := redactAuthorization("abc.def.ghi"); got != Redacted {
		t.Errorf("bare credential: %q", got)
	}
	if got := redactAuthorization("tok=en value"); got != Redacted {
		t.Errorf("odd scheme kept: %q", got)
	}
}

func TestRedactSecretForms(t *testing.T) {
	secret := `p@ss w/rd+<&>"x?~` // 17 bytes: its base64 forms differ in padding and alphabet
	r := NewRedactor([]string{secret, "abc", ""})
	b := []byte(secret)
	forms := []string{secret, url.QueryEscape(secret), QueryEscape(secret), url.PathEscape(secret),
		base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)}
	js, _ := json.Marshal(secret)
	forms = append(forms, string(js[1:len(js)-1]))
	for _, f := range forms {
		got := r.String("before " + f + " after")
		if got != "before "+Redacted+" after" {
			t.Errorf("form %q -> %q", f, got)
		}
	}
	if got := r.String("abc stays"); got != "abc stays" {
		t.Errorf("a 3-byte secret blanked text: %q", got)
	}
	var nilR *Redactor
	if nilR.String("x") != "x" {
		t.Error("nil redactor")
	}
}

func TestRedactURL(t *testing.T) {
	r := NewRedactor([]string{"tok-123456"})
	cases := map[string]string{
		"https://u:p@h/x":                         "https://%5BREDACTED%5D@h/x",
		"https://h/x?access_token=abc&count=1":    "https://h/x?access_token=" + Redacted + "&count=1",
		"https://h/x?filter=a%20eq%20%22b%22":     "https://h/x?filter=a%20eq%20%22b%22",
		"https://h/x?Client_Secret=zz&api-key=yy": "https://h/x?Client_Secret=" + Redacted + "&api-key=" + Redacted,
		"https://h/tok-123456/x?q=tok-123456":     "https://h/" + Redacted + "/x?q=" + Redacted,
	}
	for in, want := range cases {
		if got := r.URL(in); got != want {
			t.Errorf("URL(%q) = %q, want %q", in, got, want)
		}
	}
	if got := r.URL("%zz tok-123456"); strings.Contains(got, "tok-123456") {
		t.Errorf("unparsable URL leaked: %q", got)
	}
}

func TestRedactBodyMembers(t *testing.T) {
	r := NewRedactor(nil)
	cases := []struct{ name, in, leak, keep string }{
		{"top level", `{"userName":"bjensen","password":"hunter2-x"}`, "hunter2-x", "bjensen"},
		{"case and depth", `{"a":{"b":[{"PassWord":"p1-deep"}]},"Client_Secret":"cs-1","accessToken":"at-1","x-api-key":"ak-1"}`, "p1-deep|cs-1|at-1|ak-1", ""},
		{"number", `{"pin":1,"otp":123456,"secret":42.5}`, "123456|42.5", `"pin":1`},
		{"nested under sensitive", `{"credentials":{"user":"u1","pass":["a1","b1"]}}`, "u1|a1|b1", ""},
		{"flags stay", `{"changePassword":{"supported":true},"password":null}`, "", `"supported":true`},
		{"patch op", `{"schemas":["` + MessagePatchOp + `"],"Operations":[{"op":"replace","path":"password","value":"np-1"},{"op":"add","path":"displayName","value":"Babs"}]}`, "np-1", "Babs"},
		{"patch urn path", `{"Operations":[{"OP":"Replace","Path":"urn:ietf:params:scim:schemas:core:2.0:User:password","Value":"np-2"}]}`, "np-2", ""},
		{"patch filter path", `{"Operations":[{"op":"replace","path":"x509Certificates[value eq \"a\"].secret","value":{"v":"np-3"}}]}`, "np-3", ""},
		{"patch without path", `{"Operations":[{"op":"replace","value":{"password":"np-4","nickName":"Bob"}}]}`, "np-4", "Bob"},
		{"bulk", `{"schemas":["` + MessageBulkRequest + `"],"Operations":[{"method":"POST","path":"/Users","bulkId":"q1","data":{"userName":"a","password":"bp-1"}},{"method":"PATCH","path":"/Users/1","data":{"Operations":[{"op":"replace","path":"password","value":"bp-2"}]}}]}`, "bp-1|bp-2", "bulkId"},
		{"html kept", `{"displayName":"<script>&","password":"x-123"}`, "x-123", "<script>&"},
		{"big number kept", `{"n":12345678901234567890,"password":"x-123"}`, "x-123", "12345678901234567890"},
		{"truncated JSON", `{"userName":"a","password":"trunc-1","nested":{"secret": "trunc-2"},"token":"trunc-`, "trunc-1|trunc-2|trunc-", `"userName":"a"`},
		{"trailing garbage", `{"password":"tg-1"} xx`, "tg-1", ""},
		{"escaped key", `{"pass\u0077ord":"esc-1"}`, "esc-1", ""},
	}
	for _, tc := range cases {
		out := r.Body([]byte(tc.in))
		for _, leak := range strings.Split(tc.leak, "|") {
			if leak != "" && strings.Contains(out, leak) {
				t.Errorf("%s: %q survived in %s", tc.name, leak, out)
			}
		}
		if tc.keep != "" && !strings.Contains(out, tc.keep) {
			t.Errorf("%s: %q lost in %s", tc.name, tc.keep, out)
		}
	}
	plain := `{"userName":"bjensen","emails":[{"value":"b@example.com"}]}`
	if out := r.Body([]byte(plain)); out != plain {
		t.Errorf("a body without secrets changed: %s", out)
	}
	if r.Body(nil) != "" {
		t.Error("empty body")
	}
}

func TestRedactBodyCutAfterRedaction(t *testing.T) {
	secret := "abcdefghij"
	r := NewRedactor([]string{secret})
	body := strings.Repeat("é", 5) + secret + " tail"
	out, cut := r.body([]byte(body), 14)
	if !cut || strings.Contains(out, "abcd") || !strings.HasPrefix(out, "ééééé") {
		t.Errorf("cut body %q (cut=%v) shows part of the secret or breaks a rune", out, cut)
	}
}

// TestTranscriptNeverHoldsSecrets runs a session full of secrets against a
// server that echoes them everywhere and greps everything recorded.
func TestTranscriptNeverHoldsSecrets(t *testing.T) {
	const (
		token    = "tok-Zq81/x+y=="
		extra    = "extra-secret-77"
		password = "user-pw-!@#"
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Set-Cookie", "session="+token)
		w.Header().Set("X-Echo-Auth", r.Header.Get("Authorization"))
		w.Header().Set("Location", "http://h/x?token="+url.QueryEscape(token))
		w.Header().Set("Content-Type", MediaType)
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":"1","seen":"` + r.Header.Get("Authorization") + `","note":"` + extra +
			`","password":"` + password + `","meta":{"location":"` + r.URL.String() + `"}}`))
	}))
	defer srv.Close()
	rec := NewRecorder()
	c := newTestClient(t, srv.URL, Options{Auth: Bearer{Token: token}, Secrets: []string{extra}, Recorder: rec})
	ctx := context.Background()
	rec.StartSpec("spec one")
	if _, err := c.Post(ctx, "Users", map[string]any{"userName": "u", "password": password, "x": extra}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, "Users", url.Values{"filter": {`note eq "` + extra + `"`}, "access_token": {token}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Patch(ctx, "Users/1", map[string]any{"Operations": []any{
		map[string]any{"op": "replace", "path": "password", "value": password}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, "http://127.0.0.1:1/"+extra, nil); err == nil { // an off-origin refusal naming the secret
		t.Fatal("expected an off-origin error")
	} else {
		assertNoLeak(t, err.Error(), token, extra)
	}
	spec := rec.EndSpec()
	if len(spec) != 3 {
		t.Fatalf("spec got %d exchanges", len(spec))
	}
	all := transcriptJSON(t, rec)
	js, _ := json.Marshal(password)
	assertNoLeak(t, all, token, url.QueryEscape(token), QueryEscape(token), extra, password, string(js[1:len(js)-1]),
		base64.StdEncoding.EncodeToString([]byte(token)))
	if !strings.Contains(all, "Bearer "+Redacted) {
		t.Error("transcript lost the auth scheme")
	}
}

func TestBasicCredentialsNeverRecorded(t *testing.T) {
	const user, pass = "admin", "b@sic pw/1"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"auth":"` + r.Header.Get("Authorization") + `","p":"` + url.QueryEscape(pass) + `"}`))
	}))
	defer srv.Close()
	rec := NewRecorder()
	c := newTestClient(t, srv.URL, Options{Auth: Basic{User: user, Password: pass}, Recorder: rec})
	if _, err := c.Get(context.Background(), "Users/"+url.PathEscape(pass), nil); err != nil {
		t.Fatal(err)
	}
	all := transcriptJSON(t, rec)
	assertNoLeak(t, all, pass, url.QueryEscape(pass), url.PathEscape(pass),
		base64.StdEncoding.EncodeToString([]byte(user+":"+pass)))
	if !strings.Contains(all, "Basic "+Redacted) {
		t.Error("scheme lost")
	}
}

func TestTransportErrorIsRedacted(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", Options{Secrets: []string{"sekrit-path"}})
	_, err := c.Get(context.Background(), "sekrit-path", nil)
	var terr *TransportError
	if !errors.As(err, &terr) {
		t.Fatalf("err %T %v", err, err)
	}
	assertNoLeak(t, err.Error(), "sekrit-path")
	assertNoLeak(t, terr.URL, "sekrit-path")
}
