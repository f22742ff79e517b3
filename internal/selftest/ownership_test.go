package selftest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
)

// tenant is the reference server holding data the harness did not create
// ("foreign" Users and a Group), behind a proxy that can misbehave. The
// proxy logs every request, so a test can check that no write ever named a
// foreign resource, whatever the server answered.
type tenant struct {
	t       *testing.T
	direct  string // the reference server's base URL
	token   string
	foreign map[string]string // path ("/Users/<id>") -> meta.version before the run
	// misbehave may replace a response: it returns true when it wrote the
	// answer into w, or wrote nothing at all to drop the connection.
	misbehave func(w http.ResponseWriter, r *http.Request, body []byte) bool
	// alter may change a request before it is proxied.
	alter func(r *http.Request)

	mu  sync.Mutex
	log []string // "METHOD path" of every write, Bulk operations included
}

func newTenant(t *testing.T) *tenant {
	t.Helper()
	base, token := selftest.Refserver(t)
	tn := &tenant{t: t, direct: base, token: token, foreign: map[string]string{}}
	var members []map[string]any
	for i := 1; i <= 5; i++ {
		id := tn.create("/Users", map[string]any{"schemas": []string{urnUser}, "userName": fmt.Sprintf("alice-%d", i)})
		members = append(members, map[string]any{"value": id})
	}
	tn.create("/Groups", map[string]any{"schemas": []string{urnGroup}, "displayName": "foreign-staff", "members": members[:2]})
	for p := range tn.foreign { // versions once everything is in place
		tn.foreign[p] = version(tn.do(http.MethodGet, p, nil))
	}
	return tn
}

// create makes a foreign resource directly on the reference server.
func (tn *tenant) create(endpoint string, body map[string]any) string {
	tn.t.Helper()
	resp := tn.do(http.MethodPost, endpoint, body)
	id, _ := resp["id"].(string)
	if id == "" {
		tn.t.Fatalf("creating foreign data on %s: %v", endpoint, resp)
	}
	tn.foreign[endpoint+"/"+id] = version(resp)
	return id
}

func version(obj map[string]any) string {
	meta, _ := obj["meta"].(map[string]any)
	v, _ := meta["version"].(string)
	return v
}

// do sends one request straight to the reference server.
func (tn *tenant) do(method, path string, body any) map[string]any {
	tn.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, tn.direct+path, rd)
	req.Header.Set("Authorization", "Bearer "+tn.token)
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tn.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if out == nil {
		out = map[string]any{}
	}
	out["_status"] = resp.StatusCode
	return out
}

// start serves the proxy and returns the base URL the harness is given.
func (tn *tenant) start() string {
	target, err := url.Parse(tn.direct)
	if err != nil {
		tn.t.Fatal(err)
	}
	proxy := selftest.ReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	proxy.ModifyResponse = tn.modify
	proxy.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		if err == errDropConnection {
			dropConnection(w)
			return
		}
		w.WriteHeader(http.StatusBadGateway)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tn.record(r)
		if tn.alter != nil {
			tn.alter(r)
		}
		proxy.ServeHTTP(w, r)
	}))
	tn.t.Cleanup(srv.Close)
	return srv.URL + target.Path
}

// errDropConnection makes the proxy close the connection without an answer.
var errDropConnection = fmt.Errorf("drop the connection")

func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
		}
	}
}

// modify hands a response to misbehave with its body read.
func (tn *tenant) modify(resp *http.Response) error {
	if tn.misbehave == nil {
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return err
	}
	rec := httptest.NewRecorder()
	if tn.misbehave(rec, resp.Request, body) {
		if len(rec.Header()) == 0 && rec.Body.Len() == 0 { // wrote nothing: no answer at all
			return errDropConnection
		}
		resp.StatusCode = rec.Code
		resp.Header = rec.Header()
		body = rec.Body.Bytes()
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return nil
}

// record logs writes: PUT, PATCH, DELETE, and every write operation of a Bulk request.
func (tn *tenant) record(r *http.Request) {
	tn.mu.Lock()
	defer tn.mu.Unlock()
	switch r.Method {
	case http.MethodPut, http.MethodPatch, http.MethodDelete:
		tn.log = append(tn.log, r.Method+" "+r.URL.Path)
	case http.MethodPost:
		if !strings.HasSuffix(r.URL.Path, "/Bulk") {
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var req struct {
			Operations []struct{ Method, Path string }
		}
		_ = json.Unmarshal(body, &req)
		for _, op := range req.Operations {
			tn.log = append(tn.log, "bulk "+strings.ToUpper(op.Method)+" "+op.Path)
		}
	}
}

// checkForeignUntouched fails when any write named a foreign resource or any
// foreign resource changed or disappeared.
func (tn *tenant) checkForeignUntouched() {
	tn.t.Helper()
	tn.mu.Lock()
	log := append([]string(nil), tn.log...)
	tn.mu.Unlock()
	for p := range tn.foreign {
		for _, l := range log {
			if strings.HasSuffix(l, p) || strings.Contains(l, p+"/") {
				tn.t.Errorf("the harness sent a write to a foreign resource: %s", l)
			}
		}
	}
	for p, v := range tn.foreign {
		got := tn.do(http.MethodGet, p, nil)
		if got["_status"] != http.StatusOK || version(got) != v {
			tn.t.Errorf("foreign %s changed: status %v, version %q (was %q)", p, got["_status"], version(got), v)
		}
	}
}

// prefixed counts the resources on the reference server whose name starts
// with the run prefix.
func (tn *tenant) prefixed(prefix string) int {
	tn.t.Helper()
	n := 0
	for _, q := range []string{"/Users?filter=" + url.QueryEscape(`userName sw "`+prefix+`"`), "/Groups?filter=" + url.QueryEscape(`displayName sw "`+prefix+`"`)} {
		got := tn.do(http.MethodGet, q, nil)
		total, _ := got["totalResults"].(float64)
		n += int(total)
	}
	return n
}

func isCreate(r *http.Request) bool {
	return r.Method == http.MethodPost && (strings.HasSuffix(r.URL.Path, "/Users") || strings.HasSuffix(r.URL.Path, "/Groups"))
}

// runAgainst runs the harness against the proxy with args.
func (tn *tenant) runAgainst(args ...string) selftest.Result {
	tn.t.Helper()
	res := selftest.Run(tn.t, []string{"SCIMCONFORM_TOKEN=" + tn.token}, append([]string{"run", "--url", tn.start()}, args...)...)
	if res.Doc == nil {
		tn.t.Fatalf("no report.json; exit %d; stderr:\n%s\nstdout:\n%s", res.ExitCode, res.Stderr, res.Stdout)
	}
	return res
}

func TestServerIgnoringFiltersNeverMakesTheRunWriteForeignData(t *testing.T) {
	tn := newTenant(t)
	tn.alter = func(r *http.Request) { // drop ?filter= from every list request
		q := r.URL.Query()
		q.Del("filter")
		r.URL.RawQuery = q.Encode()
	}
	args := []string{"--req", "7644-3.4.3-02"}
	if !testing.Short() {
		args = nil // every spec
	}
	res := tn.runAgainst(args...)
	tn.checkForeignUntouched()
	if c := res.Doc.Metadata.Cleanup; c.Created == 0 || len(c.Leaked) != 0 {
		t.Errorf("cleanup %+v: want resources created and none leaked", c)
	}
	if n := tn.prefixed(res.Doc.Metadata.Prefix); n != 0 {
		t.Errorf("%d resources of the run left on the server", n)
	}
}

func TestForeignIDInACreateAnswerIsNeverWrittenTo(t *testing.T) {
	for _, mode := range []string{"body", "location"} {
		t.Run(mode, func(t *testing.T) {
			tn := newTenant(t)
			var victim string
			for p := range tn.foreign {
				if strings.HasPrefix(p, "/Users/") {
					victim = strings.TrimPrefix(p, "/Users/")
					break
				}
			}
			tn.misbehave = func(w http.ResponseWriter, r *http.Request, body []byte) bool {
				if !isCreate(r) || !strings.HasSuffix(r.URL.Path, "/Users") {
					return false
				}
				loc := strings.TrimSuffix(tn.direct, "/") + "/Users/" + victim
				w.Header().Set("Content-Type", "application/scim+json")
				w.Header().Set("Location", loc)
				w.WriteHeader(http.StatusCreated)
				if mode == "body" {
					_, _ = w.Write([]byte(`{"schemas":["` + urnUser + `"],"id":"` + victim + `","userName":"alice-x"}`))
				}
				return true
			}
			res := tn.runAgainst("--section", "7644/3.3", "--section", "7644/3.5.1", "--section", "7644/3.6")
			tn.checkForeignUntouched()
			c := res.Doc.Metadata.Cleanup
			if len(c.Disowned) == 0 || !strings.Contains(strings.Join(c.Disowned, "\n"), victim) {
				t.Errorf("the report does not name the foreign id the server answered with: %+v", c)
			}
			if res.ExitCode != 1 || !strings.Contains(res.Stdout, "not the run's:") {
				t.Errorf("exit %d; the summary does not report the misbehaviour:\n%s", res.ExitCode, res.Stdout)
			}
			// The real creates carried the run prefix: the sweep found them by name.
			if n := tn.prefixed(res.Doc.Metadata.Prefix); n != 0 {
				t.Errorf("%d resources of the run left on the server", n)
			}
		})
	}
}

func TestUnreadableCreateAnswersAreAccountedFor(t *testing.T) {
	for _, listing := range []bool{true, false} {
		t.Run(fmt.Sprintf("listing=%v", listing), func(t *testing.T) {
			tn := newTenant(t)
			tn.misbehave = func(w http.ResponseWriter, r *http.Request, body []byte) bool {
				// The create happens on the server; its answer never arrives.
				return isCreate(r) && strings.HasSuffix(r.URL.Path, "/Users")
			}
			if !listing {
				tn.alter = func(r *http.Request) { // prefix listings fail
					if r.Method == http.MethodGet && strings.Contains(r.URL.Query().Get("filter"), " sw ") {
						r.URL.Path = "/no-such-path"
					}
				}
			}
			res := tn.runAgainst("--section", "7644/3.3")
			prefix := res.Doc.Metadata.Prefix
			left := tn.prefixed(prefix)
			c := res.Doc.Metadata.Cleanup
			if listing {
				if left != 0 || len(c.Uncertain) != 0 {
					t.Errorf("the prefix sweep should settle every unanswered create: %d left, uncertain %v", left, c.Uncertain)
				}
				return
			}
			if left == 0 {
				t.Fatal("the fake did not leave anything behind; the test proves nothing")
			}
			if len(c.Uncertain) < left {
				t.Errorf("%d resources left but only %d uncertain outcomes reported: %v", left, len(c.Uncertain), c.Uncertain)
			}
			if want := "scimconform cleanup --url"; !strings.Contains(res.Stdout, want) || !strings.Contains(res.Stdout, prefix) {
				t.Errorf("the summary does not print the cleanup command:\n%s", res.Stdout)
			}
			cleanup := selftest.Run(t, []string{"SCIMCONFORM_TOKEN=" + tn.token}, "cleanup", "--url", tn.direct, "--prefix", prefix)
			if cleanup.ExitCode != 0 || tn.prefixed(prefix) != 0 {
				t.Errorf("cleanup: exit %d, %d left\n%s%s", cleanup.ExitCode, tn.prefixed(prefix), cleanup.Stdout, cleanup.Stderr)
			}
			tn.checkForeignUntouched()
		})
	}
}
