package runner

import (
	"bufio"
	"errors"
	"fmt"
	"os"

	"github.com/scimconform/scimconform/internal/scim"
)

// spillFile is the file a process of the run streams its run-wide
// transcript into (scim.Recorder.SpillTo): every process, the run process
// of a serial run included, holds only the exchanges of the spec running
// now, whatever the run's size, and the run process reads every file back
// once, through the --transcripts policy, to write exchanges.har.
type spillFile struct {
	f   *os.File
	buf *bufio.Writer
	rec *scim.Recorder
}

// spillTranscript makes rec write its transcript to path (a new temporary
// file when path is empty).
func spillTranscript(rec *scim.Recorder, path string) (*spillFile, error) {
	var f *os.File
	var err error
	if path == "" {
		f, err = os.CreateTemp("", "scimconform-transcript-*.jsonl")
	} else {
		f, err = os.Create(path)
	}
	if err != nil {
		return nil, fmt.Errorf("transcript file: %w", err)
	}
	s := &spillFile{f: f, buf: bufio.NewWriterSize(f, 64<<10), rec: rec}
	rec.SpillTo(s.buf)
	return s, nil
}

// path is the file's name.
func (s *spillFile) path() string { return s.f.Name() }

// finish writes what is buffered and closes the file; the error is the
// first failed write, if any.
func (s *spillFile) finish() error {
	return errors.Join(s.rec.SpillErr(), s.buf.Flush(), s.f.Close())
}
