package reports

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// encodeWhole is how report.json and exchanges.har were written before they
// were streamed: the whole value through one json.Encoder.
func encodeWhole(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestStreamedReportsMatchWholeEncoding(t *testing.T) {
	for _, n := range []int{0, 1, 7} {
		doc, all := bigRun(n, 3)
		var got bytes.Buffer
		if err := encodeJSON(&got, doc); err != nil {
			t.Fatal(err)
		}
		whole := doc
		whole.Metadata.Findings = Evaluate(doc).Findings
		whole.Report.SpecReports = make(types.SpecReports, 0, n)
		for _, sr := range doc.Report.SpecReports {
			whole.Report.SpecReports = append(whole.Report.SpecReports, jsonSpec(sr))
		}
		if want := encodeWhole(t, whole); !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%d specs: streamed report.json differs from the whole encoding:\n%s\nwant:\n%s", n, got.Bytes(), want)
		}

		got.Reset()
		if err := WriteHAR(&got, all, doc.Metadata); err != nil {
			t.Fatal(err)
		}
		f := harFile{Log: harLog{Version: "1.2", Creator: harCreator{Name: "scimconform", Version: doc.Metadata.Version},
			Entries: []harEntry{}, Comment: "target " + doc.Metadata.Target + ", seed " + itoa(doc.Metadata.Seed) + ", prefix " + doc.Metadata.Prefix}}
		if f.Log.Creator.Version == "" {
			f.Log.Creator.Version = "dev"
		}
		for _, x := range all {
			f.Log.Entries = append(f.Log.Entries, harEntryOf(x))
		}
		if want := encodeWhole(t, f); !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%d exchanges: streamed HAR differs from the whole encoding:\n%s\nwant:\n%s", len(all), got.Bytes(), want)
		}
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }
