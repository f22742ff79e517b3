package reports

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/scim"
)

func TestHAR(t *testing.T) {
	base := "https://scim.example.test/v2"
	ok := exchange(1, http.MethodGet, base+"/Users?filter=userName+eq+%22a%22&count=2", 200, `{"totalResults":0}`)
	post := exchange(2, http.MethodPost, base+"/Users", 201, `{"id":"1"}`)
	post.Request.Body = `{"userName":"` + xssBody + `"}`
	post.Request.Header.Set("Content-Type", "application/scim+json; charset=utf-8")
	post.Response.Truncated = true
	lost := exchange(3, http.MethodDelete, base+"/Users/1", 0, "")
	lost.Response, lost.Error = nil, "dial tcp: connection refused"
	retry := exchange(4, http.MethodGet, base+"/Groups", 503, "")
	retry.Attempt = 2

	var buf bytes.Buffer
	if err := WriteHAR(&buf, []scim.Exchange{ok, post, lost, retry}, sampleDoc().Metadata); err != nil {
		t.Fatal(err)
	}
	var har struct {
		Log struct {
			Version string
			Creator struct{ Name, Version string }
			Entries []map[string]any
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &har); err != nil {
		t.Fatalf("HAR is not valid JSON: %v", err)
	}
	if har.Log.Version != "1.2" || har.Log.Creator.Name != "scimconform" || har.Log.Creator.Version != "v0.1.0-test" {
		t.Errorf("log header: %+v", har.Log)
	}
	if len(har.Log.Entries) != 4 {
		t.Fatalf("want 4 entries, got %d", len(har.Log.Entries))
	}
	for i, e := range har.Log.Entries {
		for _, key := range []string{"startedDateTime", "time", "request", "response", "cache", "timings"} {
			if _, ok := e[key]; !ok {
				t.Errorf("entry %d lacks %q", i, key)
			}
		}
	}
	first := har.Log.Entries[0]
	req := first["request"].(map[string]any)
	qs := req["queryString"].([]any)
	if len(qs) != 2 || qs[1].(map[string]any)["value"] != `userName eq "a"` {
		t.Errorf("queryString: %v", qs)
	}
	if first["startedDateTime"] != "2026-03-14T09:26:53.001Z" || first["time"] != 3.0 {
		t.Errorf("timing: %v %v", first["startedDateTime"], first["time"])
	}
	postReq := har.Log.Entries[1]["request"].(map[string]any)
	pd := postReq["postData"].(map[string]any)
	if pd["text"] != post.Request.Body || pd["mimeType"] != "application/scim+json; charset=utf-8" {
		t.Errorf("postData: %v", pd)
	}
	resp := har.Log.Entries[1]["response"].(map[string]any)
	content := resp["content"].(map[string]any)
	if resp["status"] != 201.0 || resp["statusText"] != "Created" || content["text"] != `{"id":"1"}` || content["size"] != 10.0 {
		t.Errorf("response: %v", resp)
	}
	if !strings.Contains(resp["comment"].(string), "truncated") {
		t.Error("a truncated body must be marked")
	}
	if lostResp := har.Log.Entries[2]["response"].(map[string]any); lostResp["status"] != 0.0 || har.Log.Entries[2]["_error"] != "dial tcp: connection refused" {
		t.Errorf("transport error entry: %v", har.Log.Entries[2])
	}
	if har.Log.Entries[3]["_attempt"] != 2.0 {
		t.Error("retry attempt missing")
	}
	// Header values come out verbatim (already redacted by the client).
	if !strings.Contains(buf.String(), `"value": "[REDACTED]"`) {
		t.Error("request headers missing")
	}
}

func TestHAREmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHAR(&buf, nil, Metadata{}); err != nil {
		t.Fatal(err)
	}
	var har struct{ Log struct{ Entries []any } }
	if err := json.Unmarshal(buf.Bytes(), &har); err != nil || har.Log.Entries == nil || len(har.Log.Entries) != 0 {
		t.Errorf("an empty run must give an empty entries array: %s", buf.String())
	}
}
