package spec

import (
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// moduleRoot is the directory (or, under -trimpath, the module path) this
// module's files were compiled from, with a trailing slash; "" when unknown.
var moduleRoot = func() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	const self = "internal/spec/location.go"
	file = filepath.ToSlash(file)
	if !strings.HasSuffix(file, self) {
		return ""
	}
	return strings.TrimSuffix(file, self)
}()

// ModuleRoot is the directory this module was compiled from, with a trailing
// slash (under -trimpath its module path); "" when unknown.
func ModuleRoot() string { return moduleRoot }

// RelativePath makes a source file path relative to the module root
// ("suites/filter.go"), so listings and reports carry no path of the machine
// that built the binary. A path outside the module keeps only its base name.
func RelativePath(file string) string {
	file = filepath.ToSlash(file)
	if moduleRoot != "" && strings.HasPrefix(file, moduleRoot) {
		return strings.TrimPrefix(file, moduleRoot)
	}
	return filepath.Base(file)
}

// SourceLocation renders file:line relative to the module root.
func SourceLocation(file string, line int) string {
	if file == "" {
		return ""
	}
	return RelativePath(file) + ":" + strconv.Itoa(line)
}
