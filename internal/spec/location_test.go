package spec

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestSourceLocationIsModuleRelative(t *testing.T) {
	_, self, _, _ := runtime.Caller(0)
	if got := SourceLocation(self, 12); got != "internal/spec/location_test.go:12" {
		t.Errorf("SourceLocation(%s) = %q", self, got)
	}
	root := strings.TrimSuffix(filepath.ToSlash(self), "internal/spec/location_test.go")
	if got := RelativePath(root + "suites/filter.go"); got != "suites/filter.go" {
		t.Errorf("a suite file: %q", got)
	}
	if got := RelativePath("/home/someone/go/pkg/mod/other/x.go"); got != "x.go" {
		t.Errorf("a file outside the module keeps only its base name: %q", got)
	}
	if SourceLocation("", 3) != "" {
		t.Error("no file, no location")
	}
}
