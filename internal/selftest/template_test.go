package selftest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/reports"
)

// requireEmails makes tn's proxy refuse, with 400 invalidValue, every User
// representation without an e-mail address: POST /Users, PUT /Users/{id}
// and the User data of a Bulk request. Such business rules are common (an
// application keys accounts by e-mail) and the RFC leaves them open.
func requireEmails(tn *tenant) {
	refuseWith400(tn, func(r *http.Request, body []byte) bool {
		return (r.Method == http.MethodPost || r.Method == http.MethodPut) && lacksEmail(r.Method, r.URL.Path, body)
	})
}

// refuseWith400 makes tn's proxy answer every request refuse selects (given
// its body) with 400 invalidValue "an e-mail address is required", without
// the request reaching the server: its path is bent to one that does not
// exist and the answer replaced.
func refuseWith400(tn *tenant, refuse func(r *http.Request, body []byte) bool) {
	tn.alter = func(r *http.Request) {
		if r.Body == nil {
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		if refuse(r, body) {
			r.URL.Path = "/no-such-path"
			r.Header.Set("X-Selftest-Refuse", "1")
		}
	}
	tn.misbehave = func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		if r.Header.Get("X-Selftest-Refuse") == "" {
			return false
		}
		w.Header().Set("Content-Type", "application/scim+json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidValue","detail":"an e-mail address is required"}`))
		return true
	}
}

// lacksEmail reports whether a request carries a User representation with no
// emails value (in a Bulk request: any POST or PUT operation on /Users).
func lacksEmail(method, path string, body []byte) bool {
	var doc map[string]any
	if json.Unmarshal(body, &doc) != nil {
		return false
	}
	switch {
	case strings.HasSuffix(path, "/Bulk"):
		ops, _ := doc["Operations"].([]any)
		for _, o := range ops {
			op, _ := o.(map[string]any)
			m, _ := op["method"].(string)
			p, _ := op["path"].(string)
			data, _ := op["data"].(map[string]any)
			if (strings.EqualFold(m, "POST") || strings.EqualFold(m, "PUT")) && strings.HasPrefix(p, "/Users") && data != nil && data["emails"] == nil {
				return true
			}
		}
		return false
	case method == http.MethodPost && strings.HasSuffix(path, "/Users"),
		method == http.MethodPut && strings.Contains(path, "/Users/"):
		return doc["emails"] == nil
	}
	return false
}

func TestUserTemplateSatisfiesAServerRequiringEmails(t *testing.T) {
	if testing.Short() {
		t.Skip("two full runs; skipped in -short")
	}
	tn := newTenant(t)
	requireEmails(tn)
	template := `{"emails":[{"value":"{name}@example.com","type":"work"}]}`
	res := tn.runAgainst("--user-template", template)
	v := tally(res)
	t.Logf("with a user template: %s", v)
	if res.ExitCode != 0 || v.counts[reports.FAIL] != 0 || v.counts[reports.ERROR] != 0 {
		for _, r := range append(v.specs[reports.FAIL], v.specs[reports.ERROR]...) {
			t.Errorf("not conformant with the template:\n%s", selftest.Describe(r))
		}
	}

	without := tn.runAgainst()
	w := tally(without)
	t.Logf("without a template: %s", w)
	for _, r := range append(w.specs[reports.FAIL], w.specs[reports.ERROR]...) {
		t.Logf("%s %s: %.200s", r.Verdict, r.Name, r.Message)
	}
	if w.counts[reports.ERROR] > 2 {
		t.Errorf("a server's business rule must not cascade into ERRORs: %s", w)
	}
	if !strings.Contains(without.Stdout, "user-template") {
		t.Errorf("the summary must say a user template would satisfy the server:\n%s", without.Stdout)
	}
}
