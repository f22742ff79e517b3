package scim

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// SpillTo makes the recorder write the run-wide transcript to w, one JSON
// object per line, instead of keeping it for All: a worker process of a
// parallel run streams its exchanges to a file the parent reads back
// (ReadSpill), so the worker holds only the spec running now. Call it before
// first use; All then returns nothing and SpillErr reports a failed write.
func (r *Recorder) SpillTo(w io.Writer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.spill = json.NewEncoder(w)
}

// SpillErr is the first error writing the spilled transcript, nil when none.
func (r *Recorder) SpillErr() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.spillErr
}

// ReadSpill decodes a transcript written through SpillTo and calls fn with
// every exchange in order.
func ReadSpill(rd io.Reader, fn func(Exchange)) error {
	dec := json.NewDecoder(bufio.NewReaderSize(rd, 64<<10))
	for n := 1; ; n++ {
		var x Exchange
		if err := dec.Decode(&x); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("transcript line %d: %w", n, err)
		}
		fn(x)
	}
}
