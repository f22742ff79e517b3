package suites

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// requirementID has the form of a catalog id: 7644-3.4.2.2-04.
var requirementID = regexp.MustCompile(`^[0-9]{4}-[0-9][0-9.]*-[0-9]{2}$`)

// TestLintSpecsCiteOnlyTheirOwnRequirements reads the suites' source: every
// requirement id written as a string inside an It body or in the arguments
// of an Entry must be one of that spec's own req labels, so a failure never
// blames a requirement the spec does not carry (the reports charge a verdict
// to the spec's labels).
func TestLintSpecsCiteOnlyTheirOwnRequirements(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn, ok := call.Fun.(*ast.Ident)
			if !ok || (fn.Name != "It" && fn.Name != "Entry") {
				return true
			}
			checked++
			labels := reqLabelsOf(call)
			for _, arg := range call.Args[1:] {
				if _, decorator := arg.(*ast.CallExpr); decorator {
					continue // spec.Req(...) or a helper returning labels
				}
				ast.Inspect(arg, func(m ast.Node) bool {
					lit, ok := m.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						return true
					}
					if s, err := strconv.Unquote(lit.Value); err == nil && requirementID.MatchString(s) && !labels[s] {
						t.Errorf("%s: %s %q cites %s, which is not among its req labels", fset.Position(lit.Pos()), fn.Name, specName(call), s)
					}
					return true
				})
			}
			return true
		})
	}
	if checked < 100 {
		t.Fatalf("only %d It/Entry calls found: the lint reads the wrong files", checked)
	}
}

// reqLabelsOf collects the requirement ids written in the decorator
// arguments of call (spec.Req(...), or a helper building its labels such as
// filterInvalid("7644-3.4.2.2-17")).
func reqLabelsOf(call *ast.CallExpr) map[string]bool {
	out := map[string]bool{}
	for _, arg := range call.Args {
		c, ok := arg.(*ast.CallExpr)
		if !ok {
			continue
		}
		ast.Inspect(c, func(m ast.Node) bool {
			if lit, ok := m.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && requirementID.MatchString(s) {
					out[s] = true
				}
			}
			return true
		})
	}
	return out
}

func specName(call *ast.CallExpr) string {
	if lit, ok := call.Args[0].(*ast.BasicLit); ok {
		s, _ := strconv.Unquote(lit.Value)
		return s
	}
	return "?"
}
