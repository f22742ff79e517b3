package reports

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

func TestTrimSourcePathsMakesBuildPathsRelative(t *testing.T) {
	_, self, _, _ := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(self)) + string(filepath.Separator)
	ginkgoFile := funcFile(types.NewCodeLocation)
	cases := map[string]string{
		root + "suites/filter.go:42":               "suites/filter.go:42",
		"at " + root + "runner/suite.go:116\nnext": "at runner/suite.go:116\nnext",
		"GET /Users/x.go answered 404":             "GET /Users/x.go answered 404",
		"no path here":                             "no path here",
		ginkgoFile + ":10":                         "github.com/onsi/ginkgo/v2" + strings.SplitN(ginkgoFile, "github.com/onsi/ginkgo/v2", 2)[1] + ":10",
		funcFile(strings.Cut) + ":1":               "strings/strings.go:1",
		"/elsewhere/" + "suites/filter.go:42":      "/elsewhere/suites/filter.go:42",
	}
	for in, want := range cases {
		if got := TrimSourcePaths(in); got != want {
			t.Errorf("TrimSourcePaths(%q) = %q, want %q", in, got, want)
		}
	}
	if len(sourceRoots) != 3 {
		t.Errorf("found %d source roots, want 3 (module, module cache, GOROOT): %v", len(sourceRoots), sourceRoots)
	}
}

func TestTrimLocalPathsLeavesNoBuildPathInADocument(t *testing.T) {
	cwd, _ := os.Getwd()
	loc := types.NewCodeLocationWithStackTrace(0) // this file, with a stack through the testing package
	doc := Document{Report: types.Report{SuitePath: cwd, SpecReports: types.SpecReports{{
		LeafNodeType: types.NodeTypeIt, LeafNodeText: "x", LeafNodeLocation: loc,
		State: types.SpecStateFailed, Failure: types.Failure{Message: "boom", Location: loc},
	}}}}
	TrimLocalPaths(&doc)
	sr := doc.Report.SpecReports[0]
	if doc.Report.SuitePath != "" {
		t.Errorf("SuitePath = %q, want empty", doc.Report.SuitePath)
	}
	if got := sr.LeafNodeLocation.FileName; got != "reports/paths_test.go" {
		t.Errorf("leaf location = %q, want reports/paths_test.go", got)
	}
	if Result(sr).Location != "reports/paths_test.go:"+itoa(int64(loc.LineNumber)) {
		t.Errorf("result location = %q", Result(sr).Location)
	}
	for _, s := range []string{sr.Failure.Location.FullStackTrace, sr.Failure.Location.FileName} {
		for _, r := range sourceRoots {
			if strings.Contains(s, r.prefix) {
				t.Errorf("%q still holds %q", s, r.prefix)
			}
		}
	}
	if !strings.Contains(sr.Failure.Location.FullStackTrace, "reports/paths_test.go:") {
		t.Errorf("the stack trace lost its frames: %q", sr.Failure.Location.FullStackTrace)
	}
}
