package reports

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

const (
	passName = "Discovery ServiceProviderConfig returns 200 with its schema"
	failName = "Filtering returns 400 invalidFilter for a malformed filter"
	warnName = "Attributes accepts attribute names case-insensitively" // passed with a warning: WARN
)

// transcriptDoc is sampleDoc with a hostile passing exchange, and the
// run-wide exchange list as the recorder gives it: a preflight exchange
// outside any spec, then every spec's exchanges tagged with its full text.
func transcriptDoc(t *testing.T) (Document, []scim.Exchange) {
	t.Helper()
	doc := sampleDoc()
	hostilePath := exchange(9, http.MethodGet, "https://scim.example.test/v2/Users/"+xss, 200, `{"id":"`+xssBody+`"}`)
	hostilePath.Response.Header.Set("X-Evil", xssHeader)
	var all []scim.Exchange
	pre := exchange(0, http.MethodGet, "https://scim.example.test/v2/Schemas", 200, `{"Resources":[]}`)
	pre.Spec = ""
	all = append(all, pre)
	for i, sr := range doc.Report.SpecReports {
		if sr.FullText() == passName {
			exchanges(exchange(1, http.MethodGet, "https://scim.example.test/v2/ServiceProviderConfig", 200, `{"schemas":[]}`), hostilePath)(&sr)
			doc.Report.SpecReports[i] = sr
		}
		if sr.FullText() == warnName {
			exchanges(exchange(5, http.MethodGet, "https://scim.example.test/v2/Users?attributes=USERNAME", 200, `{"Resources":[]}`))(&sr)
			doc.Report.SpecReports[i] = sr
		}
		for _, e := range sr.ReportEntries {
			if e.Name != spec.EntryExchanges {
				continue
			}
			xs := e.Value.GetRawValue().(scim.Transcript)
			for k := range xs {
				xs[k].Spec = sr.FullText()
			}
			all = append(all, xs...)
		}
	}
	return doc, all
}

func resultNamed(t *testing.T, s Summary, name string) SpecResult {
	t.Helper()
	for _, r := range s.Results {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no result %q", name)
	return SpecResult{}
}

func assertSummarised(t *testing.T, what string, x scim.Exchange, want bool) {
	t.Helper()
	if x.Summary != want {
		t.Errorf("%s (%s %s): summary %v, want %v", what, x.Request.Method, x.Request.URL, x.Summary, want)
	}
	if !want {
		return
	}
	if x.Request.Header != nil || x.Request.Body != "" || x.Response == nil || x.Response.Header != nil || x.Response.Body != "" {
		t.Errorf("%s: a summary keeps headers or bodies: %+v %+v", what, x.Request, x.Response)
	}
	if x.Response.Size == 0 || x.Response.Status == 0 {
		t.Errorf("%s: a summary lost its status or size: %+v", what, x.Response)
	}
	if lines := strings.Count(x.String(), "\n"); lines != 1 {
		t.Errorf("%s: a summary is %d lines: %q", what, lines, x.String())
	}
}

func TestApplyTranscriptsByVerdict(t *testing.T) {
	for _, tc := range []struct {
		policy              Transcripts
		pass, fail, outside bool // summarised?
	}{
		{TranscriptsFailures, true, false, false},
		{TranscriptsNone, true, true, true},
		{TranscriptsAll, false, false, false},
		{"", false, false, false},
	} {
		t.Run(string(tc.policy), func(t *testing.T) {
			doc, all := transcriptDoc(t)
			lean, leanAll := ApplyTranscripts(doc, all, tc.policy)
			s := Evaluate(lean)
			for _, x := range resultNamed(t, s, passName).Exchanges {
				assertSummarised(t, "passing spec", x, tc.pass)
			}
			for _, x := range resultNamed(t, s, failName).Exchanges {
				assertSummarised(t, "failing spec", x, tc.fail)
			}
			if xs := resultNamed(t, s, warnName).Exchanges; len(xs) != 1 {
				t.Errorf("WARN spec: %d exchanges", len(xs))
			} else {
				assertSummarised(t, "WARN spec", xs[0], tc.fail)
			}
			if len(leanAll) != len(all) {
				t.Fatalf("%d exchanges in, %d out", len(all), len(leanAll))
			}
			for _, x := range leanAll {
				switch x.Spec {
				case "":
					assertSummarised(t, "preflight (run-wide list)", x, tc.outside)
				case passName:
					assertSummarised(t, "passing spec (run-wide list)", x, tc.pass)
				case failName:
					assertSummarised(t, "failing spec (run-wide list)", x, tc.fail)
				}
			}
			// The inputs are not modified.
			for _, x := range resultNamed(t, Evaluate(doc), passName).Exchanges {
				assertSummarised(t, "input document", x, false)
			}
			for _, x := range all {
				assertSummarised(t, "input list", x, false)
			}
			if got, want := s.Findings, Evaluate(doc).Findings; len(got) != len(want) {
				t.Errorf("findings changed: %d, want %d", len(got), len(want))
			}
		})
	}
}

func TestTranscriptForAFinishedSpecFollowsItsVerdict(t *testing.T) {
	doc, _ := transcriptDoc(t)
	for _, tc := range []struct {
		policy           Transcripts
		pass, warn, fail bool // summarised?
	}{
		{TranscriptsFailures, true, false, false},
		{TranscriptsNone, true, true, true},
		{TranscriptsAll, false, false, false},
	} {
		for _, sr := range doc.Report.SpecReports {
			want, judged := map[string]bool{passName: tc.pass, warnName: tc.warn, failName: tc.fail}[sr.FullText()]
			if !judged {
				continue
			}
			xs := scim.Transcript{exchange(1, http.MethodGet, "https://scim.example.test/v2/Users", 200, `{"id":"1"}`)}
			got, full := TranscriptFor(sr, xs, tc.policy)
			if full == want {
				t.Errorf("%s, %s: full = %v, but the transcript was summarised = %v", tc.policy, sr.FullText(), full, want)
			}
			if len(got) != 1 {
				t.Fatalf("%s, %s: %d exchanges", tc.policy, sr.FullText(), len(got))
			}
			assertSummarised(t, string(tc.policy)+": "+sr.FullText(), got[0], want)
			assertSummarised(t, "the input", xs[0], false)
		}
	}
}

func TestParseTranscripts(t *testing.T) {
	for in, want := range map[string]Transcripts{"all": TranscriptsAll, " Failures ": TranscriptsFailures, "none": TranscriptsNone} {
		if got, err := ParseTranscripts(in); err != nil || got != want {
			t.Errorf("ParseTranscripts(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseTranscripts("some"); err == nil || !strings.Contains(err.Error(), "all, failures or none") {
		t.Errorf("ParseTranscripts(some): %v", err)
	}
}

// TestLeanArtifacts writes the four artifacts with the default policy and
// checks each shows the passing spec's exchanges as summaries, still
// escaped, report.json re-renders, and the HAR entries stay HAR 1.2.
func TestLeanArtifacts(t *testing.T) {
	doc, all := transcriptDoc(t)
	dir := t.TempDir()
	if _, err := WriteAll(dir, doc, all, WriteOptions{Transcripts: TranscriptsFailures}); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	summaryLine := "GET /v2/ServiceProviderConfig → 200 OK"
	junit := read(FileJUnit)
	if !strings.Contains(junit, "= "+summaryLine) {
		t.Errorf("junit.xml lacks the summary line %q", summaryLine)
	}
	if strings.Contains(junit, `{&#34;schemas&#34;:[]}`) || strings.Contains(junit, `&#34;schemas&#34;: []`) {
		t.Errorf("junit.xml holds the body of a passing spec's exchange")
	}

	back, err := ReadJSON(filepath.Join(dir, FileJSON))
	if err != nil {
		t.Fatal(err)
	}
	s := Evaluate(back)
	for _, x := range resultNamed(t, s, passName).Exchanges {
		assertSummarised(t, "report.json, passing spec", x, true)
	}
	for _, x := range resultNamed(t, s, failName).Exchanges {
		assertSummarised(t, "report.json, failing spec", x, false)
	}

	for name, page := range map[string]string{"report.html": read(FileHTML), "re-rendered": renderString(t, back)} {
		if !strings.Contains(page, `<div class="xsum">`) || !strings.Contains(page, summaryLine) {
			t.Errorf("%s lacks the summary line", name)
		}
		for _, raw := range []string{xss, xssHeader, xssBody} {
			if strings.Contains(page, raw) {
				t.Errorf("%s holds %s unescaped", name, raw)
			}
		}
	}

	var har struct {
		Log struct {
			Version string
			Entries []struct {
				Request struct {
					Headers  []harNV
					PostData *harPostData
				}
				Response struct {
					Headers []harNV
					Content struct {
						Size     *int
						MimeType *string
						Text     string
					}
					Comment string
				}
				Spec string `json:"_spec"`
			}
		}
	}
	if err := json.Unmarshal([]byte(read(FileHAR)), &har); err != nil {
		t.Fatal(err)
	}
	if har.Log.Version != "1.2" || len(har.Log.Entries) != len(all) {
		t.Fatalf("HAR: version %q, %d entries", har.Log.Version, len(har.Log.Entries))
	}
	for _, e := range har.Log.Entries {
		summarised := e.Spec == passName
		if e.Request.Headers == nil || e.Response.Headers == nil || e.Response.Content.Size == nil || e.Response.Content.MimeType == nil {
			t.Errorf("HAR entry of %q lacks a required field", e.Spec)
		}
		if got := len(e.Response.Headers) == 0 && e.Response.Content.Text == ""; got != summarised {
			t.Errorf("HAR entry of %q: headers and body dropped %v, want %v", e.Spec, got, summarised)
		}
		if summarised && !strings.Contains(e.Response.Comment, "--transcripts failures") {
			t.Errorf("HAR summary comment: %q", e.Response.Comment)
		}
	}
}

func renderString(t *testing.T, doc Document) string {
	t.Helper()
	var b strings.Builder
	if err := WriteHTML(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
