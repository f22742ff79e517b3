package scim

import (
	"bytes"
	"strings"
	"testing"
)

func TestRecorderSpillsTheRunWideTranscript(t *testing.T) {
	var buf bytes.Buffer
	rec := &Recorder{MaxExchanges: 3}
	rec.SpillTo(&buf)
	rec.StartSpec("s")
	for i := 0; i < 5; i++ {
		rec.Add(Exchange{Request: RecordedRequest{Method: "GET", URL: "u" + string(rune('0'+i))}})
	}
	if len(rec.All()) != 0 {
		t.Errorf("All kept %d exchanges while spilling", len(rec.All()))
	}
	if len(rec.EndSpec()) != 5 || rec.Dropped() != 2 || rec.SpillErr() != nil {
		t.Errorf("spec exchanges, dropped %d, spill error %v", rec.Dropped(), rec.SpillErr())
	}
	var urls []string
	if err := ReadSpill(&buf, func(x Exchange) { urls = append(urls, x.Request.URL+"/"+x.Spec) }); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(urls, ","); got != "u0/s,u1/s,u2/s" {
		t.Errorf("spilled %s", got)
	}
	if err := ReadSpill(strings.NewReader("{\"seq\":1}\nnot json\n"), func(Exchange) {}); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a corrupt spill file: %v", err)
	}
}
