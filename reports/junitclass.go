package reports

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"

	"github.com/onsi/ginkgo/v2/reporters"

	"github.com/scimconform/scimconform/internal/spec"
)

// Classnames of junit.xml test cases that are not specs of an area.
const (
	// junitClassPrefix starts every classname: scimconform.filter, ...
	junitClassPrefix = "scimconform."
	// junitClassSuite holds failed suite nodes (BeforeSuite, ...).
	junitClassSuite = junitClassPrefix + "suite"
	// junitClassGate holds what --expect itself fails the run for.
	junitClassGate = junitClassPrefix + "expectations"
	// junitClassOther holds a spec without an area label (the lint test
	// forbids it; a report.json of another version may have one).
	junitClassOther = junitClassPrefix + "other"
)

// junitExtra is what scimconform adds to one test case ginkgo wrote.
type junitExtra struct {
	class       string
	verdict     Verdict // "" for the gate's own test cases
	excuse      string  // why --expect or --baseline excused the failure
	expectation string  // an expectation the spec contradicts
}

// junitClass is the classname of a spec: scimconform.<area>, the innermost
// area label (the one nearest the spec).
func junitClass(labels []string) string {
	areas := spec.ParseLabels(labels).Areas
	if len(areas) == 0 {
		return junitClassOther
	}
	return junitClassPrefix + areas[len(areas)-1]
}

// amendJUnit sets, in the junit.xml ginkgo wrote at path, each test case's
// classname (ginkgo gives every case the suite description) and adds its
// properties; extras[i] belongs to the i-th test case, in the order ginkgo
// wrote them (that of the view's spec reports). The file is read and
// written back with ginkgo's own JUnit types and layout.
func amendJUnit(path string, extras []junitExtra) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc reporters.JUnitTestSuites
	if err := xml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("read back: %w", err)
	}
	if len(doc.TestSuites) != 1 || len(doc.TestSuites[0].TestCases) != len(extras) {
		return fmt.Errorf("read back: %d test suites, want 1 with %d test cases", len(doc.TestSuites), len(extras))
	}
	cases := doc.TestSuites[0].TestCases
	for i, x := range extras {
		c := &cases[i]
		c.Classname = x.class
		var props []reporters.JUnitProperty
		for _, p := range []reporters.JUnitProperty{{Name: "verdict", Value: string(x.verdict)},
			{Name: "excuse", Value: x.excuse}, {Name: "expectation", Value: x.expectation}} {
			if p.Value != "" {
				props = append(props, p)
			}
		}
		if len(props) == 0 {
			continue
		}
		if c.Properties == nil {
			c.Properties = &reporters.JUnitProperties{}
		}
		c.Properties.Properties = append(props, c.Properties.Properties...)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("  ", "    ") // ginkgo's layout
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
