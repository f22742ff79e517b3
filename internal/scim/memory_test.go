package scim

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unsafe"
)

// overlaps reports whether s shares memory with b.
func overlaps(s string, b []byte) bool {
	if len(s) == 0 || cap(b) == 0 {
		return false
	}
	sp := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	bp := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return sp < bp+uintptr(cap(b)) && bp < sp+uintptr(len(s))
}

func TestRecordedBodyIsAnIndependentCut(t *testing.T) {
	r := NewRedactor([]string{"s3cr3t-value"})
	for _, tc := range []struct {
		name string
		body []byte
	}{
		{"short", []byte(`{"userName":"bjensen"}`)},
		{"long, redacted whole", bytes.Repeat([]byte("a"), 200<<10)},
		{"huge, redacted in a window", bytes.Repeat([]byte("a"), 3<<20)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, cut := r.body(tc.body, 64<<10)
			if overlaps(out, tc.body) {
				t.Fatal("the recorded body shares memory with the body read")
			}
			if want := len(tc.body) > 64<<10; cut != want || len(out) > 64<<10 {
				t.Fatalf("cut=%v len=%d, want cut=%v and at most 64 KiB", cut, len(out), want)
			}
		})
	}
	// The copy is exactly the kept text: one allocation of about its size.
	body := bytes.Repeat([]byte("b"), 3<<20)
	allocs := testing.AllocsPerRun(5, func() { _, _ = r.body(body, 64<<10) })
	if allocs > 20 {
		t.Errorf("%v allocations to record a cut of a 3 MiB body", allocs)
	}
}

func TestWindowedRedactionHidesSecretsAtTheCut(t *testing.T) {
	secret := "0123456789abcdefghij"
	r := NewRedactor([]string{secret})
	limit := 64 << 10
	for _, at := range []int{limit - 25, limit - 10, limit - 1, limit, limit + 5, limit + 4<<10} {
		body := bytes.Repeat([]byte("x"), 2<<20)
		copy(body[at:], secret)
		copy(body[100:], `{"password":"hunter2-long-password"}`)
		out, cut := r.body(body, limit)
		if !cut || strings.Contains(out, "hunter2") {
			t.Fatalf("at %d: cut=%v, password visible=%v", at, cut, strings.Contains(out, "hunter2"))
		}
		for n := 3; n <= len(secret); n++ {
			if strings.Contains(out, secret[:n]) {
				t.Fatalf("secret at %d: its first %d bytes are visible at the end of %q", at, n, out[max(0, len(out)-40):])
			}
		}
	}
}

func TestReadBoundedDoesNotPinItsBuffer(t *testing.T) {
	data, truncated, err := readBounded(strings.NewReader(strings.Repeat("z", 5<<20)), 3<<20+17, 0)
	if err != nil || !truncated || len(data) != 3<<20+17 {
		t.Fatalf("len=%d truncated=%v err=%v", len(data), truncated, err)
	}
	if spare := cap(data) - len(data); spare > 64<<10 {
		t.Errorf("the body keeps %d spare bytes of its read buffer alive", spare)
	}
	data, truncated, err = readBounded(strings.NewReader("exact"), 5, 2)
	if err != nil || truncated || string(data) != "exact" {
		t.Errorf("a body of exactly the limit: %q truncated=%v err=%v", data, truncated, err)
	}
	data, truncated, err = readBounded(strings.NewReader(strings.Repeat("q", 1<<20)), 512<<10, 1000)
	if err != nil || !truncated || len(data) != 1000 || cap(data) != 1000 {
		t.Errorf("a truncated body keeps %d bytes (cap %d, truncated=%v, err=%v), want its first 1000", len(data), cap(data), truncated, err)
	}
}

func TestRecorderBudgetSwitchesToSummaries(t *testing.T) {
	rec := &Recorder{MaxBodyBytes: 1000}
	rec.StartSpec("s")
	body := strings.Repeat("a", 400)
	for i := 0; i < 4; i++ {
		rec.Add(Exchange{Request: RecordedRequest{Method: "POST", URL: "u", Body: body, Size: 400},
			Response: &RecordedResponse{Status: 200, Body: "<>", Size: 2}})
	}
	small := rec.Add(Exchange{Request: RecordedRequest{Method: "GET", URL: "u"},
		Response: &RecordedResponse{Status: 200, Body: "{}", Size: 2}})
	pending, all := rec.EndSpec(), rec.All()
	if len(pending) != 5 || len(all) != 5 {
		t.Fatalf("pending %d, all %d, want every exchange in both", len(pending), len(all))
	}
	for i, xs := range [][]Exchange{pending, all} {
		if xs[0].Omitted != "" || xs[1].Request.Body != body || xs[1].Response.Body != "<>" {
			t.Errorf("list %d: the first two exchanges (824 of 1000 bytes) must keep their bodies: %+v", i, xs[1])
		}
		for _, x := range xs[2:] {
			if x.Request.Body != "" || x.Response.Body != "" || x.Request.Size == 0 && x.Request.Method == "POST" ||
				!strings.Contains(x.Omitted, "budget of 1000 bytes is spent") {
				t.Errorf("list %d: exchange %d is not a summary: %+v", i, x.Seq, x)
			}
		}
	}
	if small.Omitted == "" {
		t.Error("once the budget is spent, later exchanges are summaries even when small")
	}
	if got := rec.Summarised(); got != 3 {
		t.Errorf("Summarised() = %d, want 3", got)
	}
	text := pending[2].String()
	if !strings.Contains(text, "> [400 bytes; body not recorded: the run's transcript budget of 1000 bytes is spent]") ||
		!strings.Contains(text, "< 200 OK") || strings.Contains(text, "aaaa") {
		t.Errorf("summary text:\n%s", text)
	}
}

func TestRefundedBodiesFreeTheBudget(t *testing.T) {
	rec := &Recorder{MaxBodyBytes: 1000}
	body := strings.Repeat("a", 400)
	post := func() Exchange {
		return rec.Add(Exchange{Request: RecordedRequest{Method: "POST", URL: "u", Body: body, Size: 400}})
	}
	for spec := 0; spec < 5; spec++ { // 2,000 bytes of passing specs' bodies, each refunded
		rec.StartSpec(fmt.Sprint("passing ", spec))
		post()
		rec.Refund(rec.EndSpec())
	}
	rec.StartSpec("failing")
	if a, b := post(), post(); a.Omitted != "" || b.Omitted != "" {
		t.Fatalf("refunded bodies still count: %q %q", a.Omitted, b.Omitted)
	}
	if x := post(); x.Omitted == "" {
		t.Fatal("1,200 bytes kept under a budget of 1,000")
	}
	rec.Refund(rec.EndSpec())
	if x := post(); x.Omitted == "" || rec.Summarised() != 2 {
		t.Errorf("a refund after the budget was spent reopened it (summarised %d)", rec.Summarised())
	}
}

func TestTruncatedBodyNamesTheLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", MediaType)
		_, _ = w.Write([]byte(`{"id":"` + strings.Repeat("x", 300<<10) + `"}`))
	}))
	defer srv.Close()
	rec := NewRecorder()
	c := newTestClient(t, srv.URL, Options{MaxBodyBytes: 256 << 10, Recorder: rec})
	resp, err := c.Get(context.Background(), "Users", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = resp.Object()
	if err == nil || !strings.Contains(err.Error(), "the response body exceeded the --max-body-bytes limit of 256 KiB") {
		t.Errorf("Object() of a truncated body: %v", err)
	}
	x := rec.All()[0]
	if !x.Response.Oversize || !x.Response.Truncated || len(x.Response.Body) != DefaultMaxRecordedBody {
		t.Fatalf("recorded oversize=%v truncated=%v len=%d", x.Response.Oversize, x.Response.Truncated, len(x.Response.Body))
	}
	if s := x.String(); !strings.Contains(s, "< [body truncated: 65536 of more than 262144 bytes shown]") {
		t.Errorf("transcript does not say how much was cut:\n%s", s[len(s)-200:])
	}
}
