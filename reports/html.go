package reports

import (
	"embed"
	"fmt"
	"html/template"
	"io"

	"github.com/scimconform/scimconform/internal/spec"
)

// templateFS holds report.html's template and its stylesheet; both end up
// inline in the one self-contained file.
//
//go:embed template/report.html.tmpl template/report.css
var templateFS embed.FS

// reportTemplate is parsed once; it is never modified after initialisation
// and html/template execution is safe for concurrent use. A parse failure is
// a defect of the embedded files, caught by the package tests.
var reportTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"sub":       func(a, b int) int { return a - b },
	"stepClass": stepClass,
}).ParseFS(templateFS, "template/report.html.tmpl", "template/report.css"))

// WriteHTML renders report.html for doc: verdict, run facts, counts,
// capabilities, results by RFC section with their HTTP exchanges, requirement
// coverage and cleanup. Every string from the target or the report goes
// through html/template's contextual escaping.
func WriteHTML(w io.Writer, doc Document) error {
	cat, err := spec.LoadCatalog()
	return renderHTML(w, doc, cat, err)
}

// renderHTML renders with an explicit catalog (tests use their own).
func renderHTML(w io.Writer, doc Document, cat *spec.Catalog, catErr error) error {
	if err := reportTemplate.Execute(w, buildView(doc, cat, catErr)); err != nil {
		return fmt.Errorf("render report.html: %w", err)
	}
	return nil
}

// WriteHTMLFile writes report.html to path.
func WriteHTMLFile(path string, doc Document) error {
	return writeFile(path, func(w io.Writer) error { return WriteHTML(w, doc) })
}

// stepClass is the CSS class of a journey step's outcome (the verdict
// colours: passed green, failed red, stopped and not run grey).
func stepClass(o spec.StepOutcome) string {
	switch o {
	case spec.StepPassed:
		return "pass"
	case spec.StepFailed:
		return "fail"
	}
	return "skip"
}
