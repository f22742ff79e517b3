package reports

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bounds of a message as the terminal and report.html show it; report.json
// (and the terminal with -v) keep every message whole.
const (
	// shownLineChars caps each line of a shown message.
	shownLineChars = 300
	// shownLines caps the lines of a shown message.
	shownLines = 40
	// findingLineChars caps one-line texts of a finding (summary, exchange).
	findingLineChars = 200
)

// reMatcherValue is the first line of a value gomega prints under
// "Expected" ("    <int>: 0", "    <map[string]interface {} | len:3>: {").
var reMatcherValue = regexp.MustCompile(`^\s+<[^>\n]*>`)

// shownMessage is a failure message as the terminal summary and report.html
// show it. Gomega prints a spec's own explanation (the description passed
// to Expect(...).To(matcher, "why")) first and its raw matcher dump after
// it ("Expected\n    <int>: 0\nnot to be zero-valued"); when there is such
// an explanation the dump is dropped, and a note says where it is. A
// message that is only a dump is kept. Every line is capped at
// shownLineChars and the message at shownLines lines.
func shownMessage(msg string) string {
	msg = strings.TrimRight(msg, "\n")
	lines := strings.Split(msg, "\n")
	if i := matcherDumpStart(lines); i > 0 {
		lines = append(lines[:i:i], "(the matcher's raw output is in report.json and with -v)")
	}
	if len(lines) > shownLines {
		n := len(lines) - shownLines
		lines = append(lines[:shownLines:shownLines], "… "+plural(n, "more line")+" in report.json")
	}
	for i, l := range lines {
		lines[i] = capLine(l, shownLineChars)
	}
	return strings.Join(lines, "\n")
}

// matcherDumpStart is the index of the line where gomega's raw matcher
// output starts (a line of its own such as "Expected" or "Unexpected
// error:" followed by an indented "<type>: value" line), or -1.
func matcherDumpStart(lines []string) int {
	for i := 0; i+1 < len(lines); i++ {
		l := lines[i]
		if l == "" || l[0] == ' ' || l[0] == '\t' {
			continue
		}
		if reMatcherValue.MatchString(lines[i+1]) {
			return i
		}
	}
	return -1
}

// capLine cuts s to at most n characters (runes), marking the cut with
// "… (+K chars)".
func capLine(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "… (+" + strconv.Itoa(len(r)-n) + " chars)"
}

// cutLine cuts s to at most n characters (runes), ending it with "…".
func cutLine(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
