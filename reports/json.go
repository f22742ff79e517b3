package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// WriteJSON writes report.json: {"scimconform": metadata, "ginkgo": report},
// the canonical artifact `scimconform report` re-renders from. The metadata's
// findings are computed from the report as it is written. Each spec's
// transcript is stored once, as its report entry's JSON value; the entry's
// text representation is an outline, one line per exchange.
//
// The file is streamed: one spec report is encoded at a time.
func WriteJSON(path string, doc Document) error {
	return writeFile(path, func(w io.Writer) error { return encodeJSON(w, doc) })
}

// encodeJSON writes doc as indented JSON, one spec report at a time.
func encodeJSON(w io.Writer, doc Document) error {
	s := Evaluate(doc)
	doc.Metadata.Findings = s.Findings
	if s.Gate != nil { // the entries with what each matched
		doc.Metadata.Expectations = s.Gate.Expectations
	}
	specs := doc.Report.SpecReports
	doc.Report.SpecReports = types.SpecReports{}
	err := streamIndented(w, doc, "SpecReports", len(specs), func(i int) any {
		return jsonSpec(specs[i])
	})
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	return nil
}

// jsonSpec returns sr with every live transcript entry wrapped in a
// jsonTranscript; sr's entries are not modified.
func jsonSpec(sr types.SpecReport) types.SpecReport {
	copied := false
	for j, e := range sr.ReportEntries {
		xs, ok := e.Value.GetRawValue().(scim.Transcript)
		if e.Name != spec.EntryExchanges || !ok || e.Value.AsJSON != "" {
			continue
		}
		if !copied {
			sr.ReportEntries = append(types.ReportEntries(nil), sr.ReportEntries...)
			copied = true
		}
		sr.ReportEntries[j].Value = types.WrapEntryValue(jsonTranscript{xs})
	}
	return sr
}

// jsonTranscript is a transcript as report.json stores it: marshalled in
// full, represented as an outline (ginkgo stores an entry's text form next to
// its JSON; the full text would repeat every body).
type jsonTranscript struct{ xs scim.Transcript }

// MarshalJSON is the transcript itself.
func (t jsonTranscript) MarshalJSON() ([]byte, error) { return json.Marshal(t.xs) }

// String is one line per exchange: "GET https://... → 200 (3ms)".
func (t jsonTranscript) String() string {
	var b strings.Builder
	for _, x := range t.xs {
		b.WriteString(exchangeViewOf(x).Title)
		b.WriteString("\n")
	}
	return b.String()
}

// ReadJSON reads a report.json written by WriteJSON. A missing file, an empty
// file, invalid JSON and JSON that is not a scimconform report each give an
// error that names the file and says what is wrong.
func ReadJSON(path string) (Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Document{}, fmt.Errorf("report %s does not exist (a run writes it as %s in its --out directory): %w", path, FileJSON, err)
		}
		return Document{}, fmt.Errorf("read report %s: %w", path, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return Document{}, fmt.Errorf("report %s is empty", path)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return Document{}, fmt.Errorf("report %s is not valid JSON%s: %w", path, where(data, err), err)
	}
	for _, key := range []string{"scimconform", "ginkgo"} {
		if _, ok := probe[key]; !ok {
			return Document{}, fmt.Errorf("report %s is not a scimconform report.json: it has no %q member", path, key)
		}
	}
	var doc Document
	if err := json.Unmarshal(data, &doc); err != nil {
		return Document{}, fmt.Errorf("report %s does not match the scimconform report format%s: %w", path, where(data, err), err)
	}
	return doc, nil
}

// where turns a JSON decoding error's byte offset into " (line L, column C)".
func where(data []byte, err error) string {
	var offset int64
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		offset = syn.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	default:
		return ""
	}
	if offset <= 0 || offset > int64(len(data)) {
		return ""
	}
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n') - 1
	return fmt.Sprintf(" (line %d, column %d)", line, col)
}
