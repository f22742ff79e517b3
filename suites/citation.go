package suites

import "fmt"

// interpretationsDoc is the document, relative to the repository root, that
// explains every reading of an ambiguous RFC passage the suites accept.
const interpretationsDoc = "docs/interpretations.md"

// interpretation renders a citation of reading In of docs/interpretations.md
// for a message: "interpretation I3, docs/interpretations.md#i3". Like cite,
// it gives the vendor both the short id and where to read it up. The lint
// test checks that every n cited exists as an anchor of the document.
func interpretation(n int) string {
	return fmt.Sprintf("interpretation I%d, %s#i%d", n, interpretationsDoc, n)
}
