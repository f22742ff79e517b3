package reports

import (
	"fmt"
	"io"
	"strings"
)

// matrixTotals are the verdict columns of a server's totals, in display
// order, with their short headings.
var matrixTotals = []struct {
	Verdict Verdict
	Head    string
}{{PASS, "PASS"}, {FAIL, "FAIL"}, {WARN, "WARN"}, {ERROR, "ERROR"}, {NotSupported, "NS"}, {SKIPPED, "SKIP"}}

// WriteText writes the matrix for a terminal: each server's totals and
// verdict, then the requirements every server fails.
func (m Matrix) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Interop matrix: %s, %s\n\n", plural(len(m.Servers), "server"), plural(m.RowCount, "requirement"))
	b.WriteString("  #")
	for _, t := range matrixTotals {
		fmt.Fprintf(&b, " %6s", t.Head)
	}
	fmt.Fprintf(&b, " %6s %8s  %-14s  %s\n", "XF", "findings", "verdict", "server")
	for i, s := range m.Servers {
		fmt.Fprintf(&b, "%3d", i+1)
		for _, t := range matrixTotals {
			fmt.Fprintf(&b, " %6d", s.Totals[t.Verdict])
		}
		fmt.Fprintf(&b, " %6d %8d  %-14s  %s\n", s.Expected, s.Findings, conformance(s.Conformant), clean(s.Name))
	}
	b.WriteString("\nXF: failures excused by --expect or --baseline (counted in FAIL, ERROR and WARN too).\n")
	switch {
	case len(m.Servers) < 2:
		b.WriteString("One server: no requirement can be failed by every server.\n")
	case len(m.FailedByAll) == 0:
		b.WriteString("No requirement is failed by every server.\n")
	default:
		fmt.Fprintf(&b, "\nFailed by every server (%d), possibly an ambiguous rule:\n", len(m.FailedByAll))
		for _, r := range m.FailedByAll {
			fmt.Fprintf(&b, "  %-18s %-6s %s\n", clean(r.Key), strings.ToUpper(levelName(r.Level)), clean(r.Summary))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func conformance(ok bool) string {
	if ok {
		return "CONFORMANT"
	}
	return "NOT CONFORMANT"
}
