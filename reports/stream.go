package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// streamIndented writes v as json.Encoder with SetIndent("", "  ") would,
// except that the array under key, which v must marshal as an empty array,
// is filled with n items encoded one at a time. So a large report never has
// its whole JSON text in memory: only v without the array, and one item.
// The key must be unique in v's JSON (the last occurrence is used).
func streamIndented(w io.Writer, v any, key string, n int, item func(i int) any) error {
	head, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	marker := []byte(fmt.Sprintf("%q: []", key))
	at := bytes.LastIndex(head, marker)
	if at < 0 {
		return fmt.Errorf("internal error: no empty %q array to stream into", key)
	}
	lineStart := bytes.LastIndexByte(head[:at], '\n') + 1
	indent := string(head[lineStart:at])
	open := at + len(marker) - 1 // just after '['
	if _, err := w.Write(head[:open]); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		b, err := json.MarshalIndent(item(i), indent+"  ", "  ")
		if err != nil {
			return err
		}
		sep := ",\n"
		if i == 0 {
			sep = "\n"
		}
		if _, err := io.WriteString(w, sep+indent+"  "); err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	if n > 0 {
		if _, err := io.WriteString(w, "\n"+indent); err != nil {
			return err
		}
	}
	if _, err := w.Write(head[open:]); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}
