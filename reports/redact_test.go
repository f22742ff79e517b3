package reports

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

const testSecret = "s3cr3t/Tok+en=="

// secretForms are the ways testSecret may show up.
func secretForms() []string {
	return []string{testSecret, url.QueryEscape(testSecret), url.PathEscape(testSecret),
		base64.StdEncoding.EncodeToString([]byte(testSecret)), base64.URLEncoding.EncodeToString([]byte(testSecret)),
		base64.RawStdEncoding.EncodeToString([]byte(testSecret)), base64.RawURLEncoding.EncodeToString([]byte(testSecret))}
}

// leakyDoc is sampleDoc with a secret form in every kind of string.
func leakyDoc() Document {
	forms := strings.Join(secretForms(), " | ")
	doc := sampleDoc()
	m := &doc.Metadata
	m.Target += "/" + testSecret
	m.Config["header"] = "X-Echo: " + forms
	m.Config["nested"] = map[string]any{"list": []any{forms, 3}, "n": 1}
	m.Capabilities[0].Detail += forms
	m.Cleanup.Swept = append(m.Cleanup.Swept, "/Users/"+testSecret)
	m.Cleanup.Leaked = append(m.Cleanup.Leaked, "/Users/"+url.PathEscape(testSecret))
	m.Notes = append(m.Notes, "retried: "+forms)
	specs := doc.Report.SpecReports
	specs[1].Failure.Message += " server said: " + forms
	specs[1].Failure.Location.FullStackTrace = forms
	specs[1].CapturedGinkgoWriterOutput = forms
	specs[1].CapturedStdOutErr = forms
	specs[1].ContainerHierarchyTexts = append(specs[1].ContainerHierarchyTexts, "ctx "+testSecret)
	specs[3].ReportEntries = append(specs[3].ReportEntries,
		types.ReportEntry{Name: spec.EntryWarning, Value: types.WrapEntryValue("echoed " + forms)})
	specs[8].ReportEntries = append(specs[8].ReportEntries,
		types.ReportEntry{Name: spec.EntryInfo, Value: types.WrapEntryValue("detail " + forms)},
		types.ReportEntry{Name: "custom", Value: types.WrapEntryValue(map[string]any{"k": []string{forms}})})
	specs[4].Failure.Message = "no HTTP response: " + forms
	specs[4].ReportEntries = append(specs[4].ReportEntries,
		types.ReportEntry{Name: spec.EntryError, Value: types.WrapEntryValue("no HTTP response: " + forms)})
	specs[5].Failure.Message = spec.SkipUnsupportedPrefix + "patch: " + forms
	return doc
}

func TestRedactReachesEveryOutput(t *testing.T) {
	doc := leakyDoc()
	before := Evaluate(doc)
	r := scim.NewRedactor([]string{testSecret})
	Redact(&doc, r.String)

	dir := t.TempDir()
	paths, err := WriteAll(dir, doc, nil, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	PrintSummary(&out, doc, Evaluate(doc), paths, TerminalOptions{Verbose: true})
	progress := progressOutput(TerminalOptions{Verbose: true}, doc.Report.SpecReports)
	texts := map[string]string{"summary": out.String(), "progress": progress}
	for _, name := range []string{FileJUnit, FileJSON, FileHTML} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		texts[name] = string(data)
	}
	for name, text := range texts {
		for _, f := range secretForms() {
			if strings.Contains(text, f) {
				t.Errorf("%s holds the secret form %q", name, f)
			}
		}
		if !strings.Contains(text, scim.Redacted) {
			t.Errorf("%s shows no %s", name, scim.Redacted)
		}
	}

	after := Evaluate(doc)
	if !reflect.DeepEqual(before.Totals, after.Totals) {
		t.Errorf("redaction changed the verdicts: %v -> %v", before.Totals, after.Totals)
	}
	if _, ok := doc.Report.SpecReports[0].ReportEntries[0].Value.GetRawValue().(scim.Transcript); !ok {
		t.Error("a live transcript entry lost its type")
	}
	if w := Result(doc.Report.SpecReports[3]).Warnings; len(w) != 2 || !strings.HasPrefix(w[1], "echoed "+scim.Redacted) {
		t.Errorf("warnings = %q", w)
	}
	back, err := ReadJSON(filepath.Join(dir, FileJSON))
	if err != nil {
		t.Fatal(err)
	}
	if got := Evaluate(back); !reflect.DeepEqual(got.Totals, before.Totals) {
		t.Errorf("report.json re-read gives %v, want %v", got.Totals, before.Totals)
	}
}

func TestRedactNilIsNoOp(t *testing.T) {
	doc := sampleDoc()
	Redact(&doc, nil)
	Redact(nil, strings.ToUpper)
	if doc.Metadata.Prefix != "scimconform-0badc0de" {
		t.Error("doc changed")
	}
}

func TestProgressRedactsLiveLines(t *testing.T) {
	sr := mkSpec("Echo", "reflects the credential", spec.LevelMust, []string{"7644-3.12-01"},
		failed("the server answered with "+testSecret), entry(spec.EntryWarning, "header had "+testSecret))
	var b bytes.Buffer
	p := NewProgress(&b, TerminalOptions{Verbose: true})
	p.Redact = scim.NewRedactor([]string{testSecret}).String
	p.Spec(sr)
	if strings.Contains(b.String(), testSecret) || !strings.Contains(b.String(), "with "+scim.Redacted) {
		t.Errorf("progress: %q", b.String())
	}
}

func TestProgressEscapesBidiControls(t *testing.T) {
	bidi := []rune{0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c}
	sr := mkSpec("Hostile", "reorders text", spec.LevelMust, []string{"7644-3.12-01"},
		failed("value is \u202etxt.exe\u202c and "+string(bidi)))
	out := progressOutput(TerminalOptions{}, types.SpecReports{sr})
	for _, r := range bidi {
		if strings.ContainsRune(out, r) {
			t.Errorf("U+%04X reached the terminal: %q", r, out)
		}
	}
	if !strings.Contains(out, `\u202etxt.exe\u202c`) {
		t.Errorf("the escaped form should be visible: %q", out)
	}
	if clean("Grüße, 日本, עברית") != "Grüße, 日本, עברית" {
		t.Error("ordinary non-ASCII text must stay as it is")
	}
}
