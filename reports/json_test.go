package reports

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/scim"
)

func TestJSONRoundTrip(t *testing.T) {
	doc := sampleDoc()
	path := filepath.Join(t.TempDir(), "report.json")
	if err := WriteJSON(path, doc); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(path)
	if err != nil {
		t.Fatal(err)
	}
	want, got := Evaluate(doc), Evaluate(back)
	// The writer adds the findings of the report to the metadata.
	if !reflect.DeepEqual(back.Metadata.Findings, want.Findings) || len(want.Findings) == 0 {
		t.Errorf("report.json findings:\n got %+v\nwant %+v", back.Metadata.Findings, want.Findings)
	}
	back.Metadata.Findings = nil
	if !reflect.DeepEqual(back.Metadata, doc.Metadata) {
		t.Errorf("metadata changed:\n got %+v\nwant %+v", back.Metadata, doc.Metadata)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("summary changed after the round trip:\n got %+v\nwant %+v", got, want)
	}
	// The transcript survived (it is what `scimconform report` re-renders).
	for _, r := range got.Results {
		if strings.Contains(r.Name, "malformed filter") && len(r.Exchanges) != 2 {
			t.Errorf("want 2 exchanges on the failing spec, got %d", len(r.Exchanges))
		}
	}
	// Once read back, writing and reading again is a fixed point (the first
	// write marshals live values, later ones the decoded JSON).
	again := filepath.Join(t.TempDir(), "again.json")
	if err := WriteJSON(again, back); err != nil {
		t.Fatal(err)
	}
	back2, err := ReadJSON(again)
	if err != nil {
		t.Fatal(err)
	}
	third := filepath.Join(t.TempDir(), "third.json")
	if err := WriteJSON(third, back2); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(again)
	b, _ := os.ReadFile(third)
	if string(a) != string(b) {
		t.Error("report.json is not stable across a read/write cycle")
	}
}

func TestEvaluateReadsLiveEntries(t *testing.T) {
	// In process, ginkgo keeps an entry's raw value and no AsJSON yet; the
	// verdict model must still find the exchanges.
	s := Evaluate(sampleDoc())
	n := 0
	for _, r := range s.Results {
		n += len(r.Exchanges)
	}
	if n != 3 {
		t.Errorf("want 3 exchanges from live report entries, got %d", n)
	}
}

func TestReadJSONErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "nope.json"), "does not exist"},
		{"empty", write("empty.json", " \n"), "is empty"},
		{"invalid", write("invalid.json", "{\n  \"scimconform\": {,\n}"), "not valid JSON (line 2, column"},
		{"foreign", write("foreign.json", `{"log":{}}`), `no "scimconform" member`},
		{"no ginkgo", write("half.json", `{"scimconform":{}}`), `no "ginkgo" member`},
		{"wrong types", write("types.json", `{"scimconform":{"seed":"x"},"ginkgo":{}}`), "does not match the scimconform report format"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadJSON(c.path)
			if err == nil {
				t.Fatal("want an error")
			}
			if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.path) {
				t.Errorf("error %q should name the file and contain %q", err, c.want)
			}
		})
	}
}

func TestJSONStoresEachTranscriptOnce(t *testing.T) {
	doc := sampleDoc()
	path := filepath.Join(t.TempDir(), "report.json")
	if err := WriteJSON(path, doc); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The request and response bodies holding alert(3) appear once each (in
	// the entry's JSON), not again in the text representation.
	if n := strings.Count(string(data), "alert(3)"); n != 2 {
		t.Errorf("the bodies are stored %d times, want 2 (once each)", n)
	}
	if !strings.Contains(string(data), `"Representation": "GET https://scim.example.test/v2/Users?filter=userName+eq → 200 (3ms)\nPOST https://scim.example.test/v2/Users → 400 (3ms)\n"`) {
		t.Errorf("the transcript's representation is not the outline:\n%s", data)
	}
	// Writing does not change the document it was given.
	if _, ok := doc.Report.SpecReports[0].ReportEntries[0].Value.GetRawValue().(scim.Transcript); !ok {
		t.Error("WriteJSON modified the caller's report entries")
	}
}
