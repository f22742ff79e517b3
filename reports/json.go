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
// the canonical artifact `scimconform report` re-renders from. Each spec's
// transcript is stored once, as its report entry's JSON value; the entry's
// text representation is an outline, one line per exchange.
func WriteJSON(path string, doc Document) error {
	doc.Report = jsonView(doc.Report)
	return writeFile(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return fmt.Errorf("encode report: %w", err)
		}
		return nil
	})
}

// jsonView returns r with every live transcript entry wrapped in a
// jsonTranscript; the spec reports of r are not modified.
func jsonView(r types.Report) types.Report {
	specs := make(types.SpecReports, len(r.SpecReports))
	for i, sr := range r.SpecReports {
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
		specs[i] = sr
	}
	r.SpecReports = specs
	return r
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
