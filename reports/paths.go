package reports

import (
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/spec"
)

// sourceRoot is one directory prefix of the machine that built the binary,
// found in the code locations and stack traces ginkgo records.
type sourceRoot struct {
	prefix string // absolute, with a trailing separator
}

// sourceRoots are the directories under which the Go sources of the binary
// were compiled: this module's checkout (spec.ModuleRoot, the root `list`
// makes its locations relative to), the module cache (ginkgo, gomega) and
// GOROOT's src. The last two are read from where the compiler put one known
// function, so they are exact (and absent under -trimpath, where the paths
// are module paths already). Computed once; never written afterwards.
var sourceRoots = findSourceRoots()

func findSourceRoots() []sourceRoot {
	var roots []sourceRoot
	if root := spec.ModuleRoot(); root != "" {
		roots = append(roots, sourceRoot{prefix: root})
	}
	// add keeps the part of an absolute file path before "/"+marker.
	add := func(file, marker string) {
		i := strings.LastIndex(filepath.ToSlash(file), "/"+marker)
		if i < 0 || !filepath.IsAbs(file) {
			return
		}
		roots = append(roots, sourceRoot{prefix: file[:i+1]})
	}
	add(funcFile(types.NewCodeLocation), "github.com/onsi/ginkgo/v2")
	add(funcFile(sort.Strings), "sort/sort.go")
	// The longest prefix first: the module may sit inside the module cache.
	sort.Slice(roots, func(i, j int) bool { return len(roots[i].prefix) > len(roots[j].prefix) })
	return roots
}

// funcFile is the source file of a function.
func funcFile(fn any) string {
	f := runtime.FuncForPC(reflect.ValueOf(fn).Pointer())
	if f == nil {
		return ""
	}
	file, _ := f.FileLine(f.Entry())
	return file
}

// TrimSourcePaths rewrites the absolute source paths of the machine that
// built the binary in s to paths relative to their root:
// "/home/me/src/scimconform/suites/filter.go:42" becomes
// "suites/filter.go:42", a module cache path becomes
// "github.com/onsi/gomega@v1.44.0/...", a GOROOT path "runtime/panic.go".
// Nothing else in s changes.
func TrimSourcePaths(s string) string {
	for _, r := range sourceRoots {
		if strings.Contains(s, r.prefix) {
			s = strings.ReplaceAll(s, r.prefix, "")
		}
	}
	return s
}

// TrimLocalPaths removes the local filesystem paths ginkgo puts into a
// report: the build machine's source paths in every code location, stack
// trace and message (TrimSourcePaths), and the suite path, which is the
// working directory of the run. Artifacts written from doc then carry
// module-relative locations such as "suites/filter.go:42" only.
func TrimLocalPaths(doc *Document) {
	if doc == nil {
		return
	}
	doc.Report.SuitePath = ""
	Redact(doc, TrimSourcePaths)
}
