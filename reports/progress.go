package reports

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/spec"
)

// Progress prints one line per finished spec while a run is going on. It is
// meant to be called from a ginkgo ReportAfterEach; it is safe for concurrent
// use.
type Progress struct {
	mu   sync.Mutex
	w    io.Writer
	opts TerminalOptions
	pal  palette
	// Redact, when set, is applied to everything Spec prints (the run's
	// scim.Redactor): the live lines show server-supplied text before the
	// document is redacted for the reports.
	Redact func(string) string
}

// NewProgress returns a progress printer writing to w.
func NewProgress(w io.Writer, opts TerminalOptions) *Progress {
	return &Progress{w: w, opts: opts, pal: newPalette(opts.Color)}
}

// Spec prints a finished spec: coloured verdict, [requirement ids], full text
// and duration; for FAIL, ERROR and WARN also one short line of its message
// (the summary groups them into findings with their details). NOT
// SUPPORTED and SKIPPED specs print only with Verbose (the summary groups them
// by reason), and then with their reason; Verbose also prints every
// message whole, with infos and the HTTP transcript. Suite nodes print only when they failed.
func (p *Progress) Spec(r types.SpecReport) {
	sr := r
	var res SpecResult
	if sr.LeafNodeType != types.NodeTypeIt {
		if !sr.State.Is(types.SpecStateFailureStates) {
			return
		}
		res = SpecResult{Name: "[" + sr.LeafNodeType.String() + "] " + sr.LeafNodeText, Verdict: ERROR,
			Message: sr.Failure.Message, Duration: sr.RunTime}
	} else {
		res = Result(sr)
	}
	switch res.Verdict {
	case SKIPPED:
		if !p.opts.Verbose || res.Message == "" {
			return
		}
	case NotSupported:
		if !p.opts.Verbose {
			return
		}
	}
	var b strings.Builder
	p.line(&b, res)
	p.details(&b, res)
	out := b.String()
	if p.Redact != nil {
		out = p.Redact(out)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, _ = io.WriteString(p.w, out)
}

// line writes "VERDICT [ids] full text (duration)".
func (p *Progress) line(b *strings.Builder, res SpecResult) {
	b.WriteString(p.pal.verdict(res.Verdict).Sprint(pad(string(res.Verdict), verdictWidth)))
	b.WriteString(" ")
	if len(res.Reqs) > 0 {
		b.WriteString(p.pal.dim.Sprint("[" + shortIDs(res.Reqs, p.opts.Verbose) + "]"))
		b.WriteString(" ")
	}
	b.WriteString(clean(res.Name))
	b.WriteString(" ")
	b.WriteString(p.pal.dim.Sprint("(" + humanDuration(res.Duration) + ")"))
	b.WriteString("\n")
}

// progressIDs is how many requirement ids a progress line names before it
// abbreviates the rest (the summary and the reports name them all).
const progressIDs = 3

// shortIDs joins ids, abbreviating a long list unless verbose.
func shortIDs(ids []string, verbose bool) string {
	if verbose || len(ids) <= progressIDs+1 {
		return strings.Join(ids, " ")
	}
	return strings.Join(ids[:progressIDs], " ") + fmt.Sprintf(" +%d", len(ids)-progressIDs)
}

// progressMessageChars caps the one message line a FAIL, ERROR or WARN
// prints while the run goes on (the summary's findings show the rest).
const progressMessageChars = 160

// details writes what follows a spec's line. Without Verbose a FAIL, ERROR
// or WARN adds one short line: the first line of its message (or first
// warning) as shownMessage renders it, capped; the summary's findings give
// the details. Verbose writes the whole message, warnings, location, infos
// and the HTTP transcript.
func (p *Progress) details(b *strings.Builder, res SpecResult) {
	in := strings.Repeat(" ", verdictWidth+1)
	if !p.opts.Verbose {
		switch res.Verdict {
		case FAIL, ERROR, WARN:
			text := res.Message
			if text == "" && len(res.Warnings) > 0 {
				text = "warning: " + res.Warnings[0]
			}
			if text != "" {
				first, _ := firstLines(shownMessage(clean(text)), 1)
				fmt.Fprintln(b, in+cutLine(first, progressMessageChars))
			}
		}
		return
	}
	switch res.Verdict {
	case FAIL, ERROR, WARN:
		if res.Message != "" {
			fmt.Fprintln(b, indent(clean(res.Message), in))
		}
		for _, w := range res.Warnings {
			fmt.Fprintln(b, p.pal.warn.Sprint(indent("warning: "+clean(w), in)))
		}
		if res.Location != "" {
			fmt.Fprintln(b, p.pal.dim.Sprint(in+"at "+res.Location))
		}
	case NotSupported, SKIPPED:
		if res.Message != "" {
			fmt.Fprintln(b, p.pal.dim.Sprint(indent(clean(res.Message), in)))
		}
	}
	for _, st := range res.Steps {
		fmt.Fprintln(b, p.pal.dim.Sprint(indent(clean(stepLine(st)), in)))
	}
	for _, info := range res.Infos {
		fmt.Fprintln(b, p.pal.dim.Sprint(indent("info: "+clean(info), in)))
	}
	if len(res.Exchanges) > 0 {
		fmt.Fprintln(b, p.pal.dim.Sprint(indent(clean(res.Exchanges.String()), in+"  ")))
	}
}

// stepLine is one journey step as text: "step 2 passed: reads the joiner
// back (7644-3.3-09)", with the reason of a step that failed, stopped or did
// not run.
func stepLine(st spec.StepResult) string {
	line := fmt.Sprintf("step %d %s: %s (%s)", st.N, st.Outcome, st.Name, st.Req)
	if st.Reason != "" && st.Outcome != spec.StepPassed {
		line += " - " + st.Reason
	}
	return line
}
