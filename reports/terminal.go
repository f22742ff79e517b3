package reports

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/fatih/color"
	"github.com/mattn/go-isatty"
)

// TerminalOptions tune the terminal output.
type TerminalOptions struct {
	// Color enables ANSI colours (see ColorEnabled).
	Color bool
	// Verbose prints every spec's HTTP transcript, infos and skip reasons.
	Verbose bool
}

// ColorEnabled reports whether w should get colours: not when NO_COLOR is set
// to a non-empty value or TERM is "dumb", and only when w is an *os.File
// attached to a terminal.
func ColorEnabled(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	fd := f.Fd()
	return isatty.IsTerminal(fd) || isatty.IsCygwinTerminal(fd)
}

// palette holds the colours of one output, each explicitly enabled or
// disabled, so that color.NoColor (global) is never consulted or changed.
type palette struct {
	pass, fail, warn, errc, unsup, skip, dim, bold, good, bad *color.Color
}

func newPalette(enabled bool) palette {
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if enabled {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	return palette{
		pass:  mk(color.FgGreen),
		fail:  mk(color.FgRed, color.Bold),
		warn:  mk(color.FgYellow),
		errc:  mk(color.FgMagenta, color.Bold),
		unsup: mk(color.FgCyan),
		skip:  mk(color.Faint),
		dim:   mk(color.Faint),
		bold:  mk(color.Bold),
		good:  mk(color.FgGreen, color.Bold),
		bad:   mk(color.FgRed, color.Bold),
	}
}

// verdict returns the colour of a verdict.
func (p palette) verdict(v Verdict) *color.Color {
	switch v {
	case PASS:
		return p.pass
	case FAIL:
		return p.fail
	case WARN:
		return p.warn
	case ERROR:
		return p.errc
	case NotSupported:
		return p.unsup
	default:
		return p.skip
	}
}

// verdictWidth is the width verdict columns are padded to.
var verdictWidth = len(NotSupported)

// pad right-pads s to width (by runes); colour is applied after padding so
// escape sequences never break alignment.
func pad(s string, width int) string {
	if n := len([]rune(s)); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

// padLeft left-pads s to width.
func padLeft(s string, width int) string {
	if n := len([]rune(s)); n < width {
		return strings.Repeat(" ", width-n) + s
	}
	return s
}

// indent prefixes every non-empty line of s with prefix (an empty line stays
// empty: no trailing blanks).
func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// firstLines returns at most n lines of s and how many were left out.
func firstLines(s string, n int) (string, int) {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) <= n {
		return strings.Join(lines, "\n"), 0
	}
	return strings.Join(lines[:n], "\n"), len(lines) - n
}

// humanDuration prints <1ms, 850ms, 1.25s, 2m03s.
func humanDuration(d time.Duration) string {
	switch {
	case d > 0 && d < time.Millisecond:
		return "<1ms"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.2fs", d.Seconds())
	default:
		d = d.Round(time.Second)
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
}

// clean makes server-supplied text safe for a terminal: control characters
// other than newline and tab (an ESC starting a colour or cursor sequence, a
// carriage return overwriting the line) are shown as \xNN instead of acting,
// and bidirectional formatting characters (which reorder how a line reads,
// "Trojan Source") as \uNNNN.
func clean(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			if r > 0xff {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				fmt.Fprintf(&b, `\x%02x`, r)
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidiControl(r)
}

// isBidiControl reports whether r is a bidirectional formatting character:
// embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, and the
// marks U+200E, U+200F and U+061C.
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}
