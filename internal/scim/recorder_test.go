package scim

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRecorderSpecs(t *testing.T) {
	rec := NewRecorder()
	rec.Add(Exchange{Request: RecordedRequest{Method: "GET", URL: "u0"}})
	rec.StartSpec("A")
	rec.Add(Exchange{Request: RecordedRequest{Method: "GET", URL: "u1"}})
	rec.Add(Exchange{Spec: "explicit", Request: RecordedRequest{Method: "GET", URL: "u2"}})
	a := rec.EndSpec()
	if len(a) != 2 || a[0].Spec != "A" || a[1].Spec != "explicit" || a[0].Seq != 2 {
		t.Fatalf("spec A got %+v", a)
	}
	if len(rec.EndSpec()) != 0 {
		t.Error("EndSpec twice returned exchanges again")
	}
	rec.StartSpec("B")
	rec.StartSpec("C") // a new spec drops what was not collected
	rec.Add(Exchange{})
	if c := rec.EndSpec(); len(c) != 1 || c[0].Spec != "C" {
		t.Errorf("spec C got %+v", c)
	}
	if all := rec.All(); len(all) != 4 || all[0].Spec != "" || all[3].Seq != 4 {
		t.Errorf("All = %+v", all)
	}
}

func TestRecorderMaxExchanges(t *testing.T) {
	rec := &Recorder{MaxExchanges: 2}
	rec.StartSpec("s")
	for i := 0; i < 5; i++ {
		rec.Add(Exchange{})
	}
	if len(rec.All()) != 2 || rec.Dropped() != 3 || len(rec.EndSpec()) != 5 {
		t.Errorf("All %d Dropped %d", len(rec.All()), rec.Dropped())
	}
}

// TestRecorderConcurrent is meant for go test -race: many goroutines send
// through one client into one recorder while specs start and end.
func TestRecorderConcurrent(t *testing.T) {
	srv, _ := echoServer(t)
	rec := NewRecorder()
	c := newTestClient(t, srv.URL, Options{Recorder: rec, Auth: Bearer{Token: "tok-concurrent"}})
	var wg sync.WaitGroup
	const workers, each = 8, 10
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if _, err := c.Get(context.Background(), fmt.Sprintf("Users/%d", i), nil); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			rec.StartSpec(fmt.Sprint("spec ", i))
			time.Sleep(time.Millisecond)
			_ = rec.EndSpec()
			_ = rec.All()
			_ = rec.Dropped()
		}
	}()
	wg.Wait()
	all := rec.All()
	if len(all) != workers*each {
		t.Fatalf("recorded %d, want %d", len(all), workers*each)
	}
	seen := map[int]bool{}
	for _, x := range all {
		if seen[x.Seq] || x.Seq < 1 || x.Seq > workers*each {
			t.Fatalf("bad or duplicate seq %d", x.Seq)
		}
		seen[x.Seq] = true
	}
	if s := transcriptJSON(t, rec); strings.Contains(s, "tok-concurrent") {
		t.Error("token leaked")
	}
}

func TestTranscriptString(t *testing.T) {
	x := Exchange{Attempt: 2, Duration: 1500 * time.Microsecond,
		Request:  RecordedRequest{Method: "POST", URL: "http://h/Users", Header: map[string][]string{"B": {"2"}, "A": {"1"}}, Body: `{"a":1}`},
		Response: &RecordedResponse{Status: 201, Body: strings.Repeat("é", 10000), Truncated: true}}
	s := Transcript{x, {Request: RecordedRequest{Method: "GET", URL: "http://h/x"}, Error: "connection refused"}}.String()
	for _, want := range []string{"> POST http://h/Users (retry 1)", "> A: 1\n> B: 2", "\"a\": 1", "< 201 Created (2ms)",
		"more bytes]", "body truncated", "! no response: connection refused"} {
		if !strings.Contains(s, want) {
			t.Errorf("transcript lacks %q:\n%.600s", want, s)
		}
	}
	if strings.Contains(s, "\uFFFD") {
		t.Error("long body cut inside a character")
	}
	x.Duration = 300 * time.Microsecond
	if s := x.String(); !strings.Contains(s, "< 201 Created (<1ms)") {
		t.Errorf("a sub-millisecond answer shows as <1ms, not 0s:\n%.200s", s)
	}
}

func TestSummarisedKeepsOneLine(t *testing.T) {
	x := Exchange{Seq: 3, Duration: 2 * time.Millisecond, Attempt: 2,
		Request: RecordedRequest{Method: "POST", URL: "https://h.example/scim/v2/Users?x=1",
			Header: http.Header{"Authorization": {"[REDACTED]"}}, Body: `{"userName":"a"}`},
		Response: &RecordedResponse{Status: 201, Header: http.Header{"Etag": {`W/"1"`}}, Body: `{"id":"1"}`}}
	s := x.Summarised("policy")
	if x.Request.Body == "" || x.Response.Body == "" || x.Response.Header == nil {
		t.Fatal("Summarised modified its receiver")
	}
	if !s.Summary || s.Omitted != "policy" || s.Request.Header != nil || s.Request.Body != "" || s.Response.Header != nil || s.Response.Body != "" {
		t.Fatalf("summary keeps headers or bodies: %+v %+v", s.Request, s.Response)
	}
	want := "= POST /scim/v2/Users?x=1 (retry 1) → 201 Created (2ms; sent 16, received 10 bytes)\n"
	if got := s.String(); got != want {
		t.Errorf("summary line:\n got %q\nwant %q", got, want)
	}
	if again := s.Summarised("other"); again.Omitted != "policy" {
		t.Errorf("summarising twice changed the reason to %q", again.Omitted)
	}
	lost := Exchange{Request: RecordedRequest{Method: "GET", URL: "https://h.example/Users"}, Error: "connection refused"}.Summarised("p")
	if got := lost.String(); got != "= GET /Users → no response (0s; sent 0 bytes): connection refused\n" {
		t.Errorf("summary without response: %q", got)
	}
}
