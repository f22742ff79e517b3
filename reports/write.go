package reports

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/scimconform/scimconform/internal/scim"
)

// File names of the artifacts WriteAll produces.
const (
	FileJUnit = "junit.xml"
	FileJSON  = "report.json"
	FileHTML  = "report.html"
	FileHAR   = "exchanges.har"
)

// Paths are the files WriteAll wrote; a field is empty when its file could not
// be written.
type Paths struct{ JUnit, JSON, HTML, HAR string }

// WriteOptions tune WriteAll.
type WriteOptions struct {
	// Strict makes WARN count as not conformant (--strict). Either this or
	// doc.Metadata.Strict turns strict mode on, and then for every artifact.
	Strict bool
	// Transcripts is which HTTP exchanges every artifact keeps in full
	// (ApplyTranscripts); empty keeps them as they are.
	Transcripts Transcripts
}

// WriteAll creates dir and writes junit.xml, report.json, report.html and
// exchanges.har into it, each with the HTTP exchanges opts.Transcripts keeps
// in full and the others summarised. It writes every artifact it can and returns the
// joined errors of those it could not. The files are written one after
// another, each streamed to its file, so the peak memory is that of the
// largest one rather than of all four together.
func WriteAll(dir string, doc Document, exchanges []scim.Exchange, opts WriteOptions) (Paths, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Paths{}, fmt.Errorf("create report directory: %w", err)
	}
	strict := opts.Strict || doc.Metadata.Strict
	doc.Metadata.Strict = strict
	doc, exchanges = ApplyTranscripts(doc, exchanges, opts.Transcripts)
	var p Paths
	jobs := []struct {
		name  string
		dst   *string
		write func(path string) error
	}{
		{FileJUnit, &p.JUnit, func(path string) error { return WriteJUnit(path, doc, strict) }},
		{FileJSON, &p.JSON, func(path string) error { return WriteJSON(path, doc) }},
		{FileHTML, &p.HTML, func(path string) error { return WriteHTMLFile(path, doc) }},
		{FileHAR, &p.HAR, func(path string) error {
			return writeFile(path, func(w io.Writer) error { return WriteHAR(w, exchanges, doc.Metadata) })
		}},
	}
	// The writers only read doc and exchanges: they run at once.
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() {
			path := filepath.Join(dir, j.name)
			if errs[i] = j.write(path); errs[i] == nil {
				*j.dst = path
			}
		})
	}
	wg.Wait()
	return p, errors.Join(errs...)
}

// writeFile creates path and streams render into it through a buffer.
func writeFile(path string, render func(w io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	err = render(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
