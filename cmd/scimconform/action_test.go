package main

import (
	"bytes"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The CI recipes: the GitHub Action (action.yml) and the GitLab CI template
// (ci/gitlab/scimconform.gitlab-ci.yml), checked as files here and run
// locally in actionsim_test.go.

const (
	actionFile    = "../../action.yml"
	gitlabFile    = "../../ci/gitlab/scimconform.gitlab-ci.yml"
	readmeFile    = "../../README.md"
	actionTokenIn = "token"
)

// action is the part of action.yml the checks read; decoding is strict, so
// a misspelt key fails the test.
type action struct {
	Name        string                  `yaml:"name"`
	Description string                  `yaml:"description"`
	Author      string                  `yaml:"author"`
	Branding    map[string]string       `yaml:"branding"`
	Inputs      map[string]actionInput  `yaml:"inputs"`
	Outputs     map[string]actionOutput `yaml:"outputs"`
	Runs        struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionInput struct {
	Description string  `yaml:"description"`
	Required    bool    `yaml:"required"`
	Default     *string `yaml:"default"`
}

type actionOutput struct {
	Description string `yaml:"description"`
	Value       string `yaml:"value"`
}

type actionStep struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Env   map[string]string `yaml:"env"`
	With  map[string]string `yaml:"with"`
}

// reExpr matches a GitHub expression ${{ ... }}.
var reExpr = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

func decodeStrict(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func loadAction(t *testing.T) action {
	t.Helper()
	var a action
	decodeStrict(t, actionFile, &a)
	return a
}

// readmeSection is the text of README.md from the heading "## title" to
// the next level-2 heading.
func readmeSection(t *testing.T, title string) string {
	t.Helper()
	readme := readFile(t, readmeFile)
	i := strings.Index(readme, "\n## "+title+"\n")
	if i < 0 {
		t.Fatalf("README.md has no section %q", title)
	}
	rest := readme[i+len(title)+5:]
	if j := strings.Index(rest, "\n## "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// TestActionInputsAreDeclaredUsedAndDocumented: every ${{ inputs.X }} names
// a declared input, every input is used and has a row in README's CI
// section, and every ${{ steps.ID.outputs.K }} names an earlier step.
func TestActionInputsAreDeclaredUsedAndDocumented(t *testing.T) {
	a := loadAction(t)
	if a.Runs.Using != "composite" || a.Name == "" || a.Description == "" {
		t.Fatalf("want a named composite action, got using %q", a.Runs.Using)
	}
	used := map[string]bool{}
	check := func(where, text string, ids []string) {
		for _, m := range reExpr.FindAllStringSubmatch(text, -1) {
			for _, ref := range regexp.MustCompile(`\binputs\.([A-Za-z0-9_-]+)`).FindAllStringSubmatch(m[1], -1) {
				used[ref[1]] = true
				if _, ok := a.Inputs[ref[1]]; !ok {
					t.Errorf("%s uses undeclared input %q", where, ref[1])
				}
			}
			for _, ref := range regexp.MustCompile(`\bsteps\.([A-Za-z0-9_-]+)\.outputs\.`).FindAllStringSubmatch(m[1], -1) {
				if !slices.Contains(ids, ref[1]) {
					t.Errorf("%s reads the outputs of step %q, which is not an earlier step", where, ref[1])
				}
			}
		}
	}
	var ids []string
	for _, s := range a.Runs.Steps {
		where := "step " + s.Name
		check(where+" if", "${{ "+s.If+" }}", ids)
		for k, v := range s.Env {
			check(where+" env "+k, v, ids)
		}
		for k, v := range s.With {
			check(where+" with "+k, v, ids)
		}
		if s.ID != "" {
			ids = append(ids, s.ID)
		}
	}
	for name, o := range a.Outputs {
		check("output "+name, o.Value, ids)
	}
	ci := readmeSection(t, "CI")
	for name, in := range a.Inputs {
		if !used[name] {
			t.Errorf("input %q is declared but never used", name)
		}
		if in.Description == "" || in.Default == nil {
			t.Errorf("input %q needs a description and a default", name)
		}
		if !strings.Contains(ci, "| `"+name+"` |") {
			t.Errorf("README's CI section has no row for input %q", name)
		}
	}
	for name := range a.Outputs {
		if !strings.Contains(ci, "`"+name+"`") {
			t.Errorf("README's CI section does not mention output %q", name)
		}
	}
}

// TestActionStepsAreSafeAndGate: scripts take inputs only through the
// environment (no expression inside a script: no injection, no token on a
// command line), the token is never printed, the reports are uploaded even
// when the run fails, and only then does a step fail on the exit code.
func TestActionStepsAreSafeAndGate(t *testing.T) {
	a := loadAction(t)
	upload, gate := -1, -1
	for i, s := range a.Runs.Steps {
		if s.Run != "" {
			if s.Shell != "bash" {
				t.Errorf("step %q: shell %q, want bash (composite run steps need one)", s.Name, s.Shell)
			}
			if m := reExpr.FindString(s.Run); m != "" {
				t.Errorf("step %q has the expression %s inside its script: pass it through env", s.Name, m)
			}
			for _, line := range strings.Split(s.Run, "\n") {
				if strings.Contains(strings.ToUpper(line), "TOKEN") && regexp.MustCompile(`\b(echo|printf|cat|set -x)\b`).MatchString(line) {
					t.Errorf("step %q may print the token: %s", s.Name, strings.TrimSpace(line))
				}
			}
		}
		for k, v := range s.Env {
			if strings.Contains(v, "inputs."+actionTokenIn) && k == "SCIMCONFORM_TOKEN" {
				t.Errorf("step %q sets SCIMCONFORM_TOKEN even when the input is empty: the job's own would be lost", s.Name)
			}
		}
		switch {
		case strings.HasPrefix(s.Uses, "actions/upload-artifact@"):
			upload = i
			if !strings.Contains(s.If, "always()") {
				t.Errorf("the upload runs only if earlier steps passed (if: %q)", s.If)
			}
		case strings.Contains(s.Run, "exit 1") && strings.Contains(s.If, "always()"):
			gate = i
		}
	}
	if upload < 0 || gate < upload {
		t.Errorf("want an upload step (at %d) and after it a step failing on the exit code (at %d)", upload, gate)
	}
	var tokenDoc actionInput
	tokenDoc, ok := a.Inputs[actionTokenIn]
	if !ok || !strings.Contains(tokenDoc.Description, "secret") || (tokenDoc.Default != nil && *tokenDoc.Default != "") {
		t.Errorf("the token input must exist, say to pass a secret, and default to empty: %+v", tokenDoc)
	}
}

// gitlabTemplate is the part of the GitLab template the checks read.
type gitlabTemplate struct {
	Image     string            `yaml:"image"`
	Variables map[string]string `yaml:"variables"`
	Script    []string          `yaml:"script"`
	Artifacts struct {
		When     string   `yaml:"when"`
		ExpireIn string   `yaml:"expire_in"`
		Paths    []string `yaml:"paths"`
		Reports  struct {
			JUnit string `yaml:"junit"`
		} `yaml:"reports"`
	} `yaml:"artifacts"`
}

// TestGitLabTemplate: a hidden job .scimconform to extend, whose artifacts
// are kept always, with junit.xml wired into GitLab's test report, the
// artifact paths matching SCIMCONFORM_OUT, the summary printed and the
// run's exit code the job's.
func TestGitLabTemplate(t *testing.T) {
	var file map[string]gitlabTemplate
	decodeStrict(t, gitlabFile, &file)
	job, ok := file[".scimconform"]
	if !ok || len(file) != 1 {
		t.Fatalf("want exactly the hidden job .scimconform, got %d jobs", len(file))
	}
	out := job.Variables["SCIMCONFORM_OUT"]
	if out == "" || job.Image == "" {
		t.Fatalf("SCIMCONFORM_OUT %q, image %q", out, job.Image)
	}
	if job.Artifacts.When != "always" {
		t.Errorf("artifacts.when = %q, want always (the reports matter most when the run fails)", job.Artifacts.When)
	}
	if job.Artifacts.Reports.JUnit != out+"/junit.xml" {
		t.Errorf("artifacts.reports.junit = %q, want %s/junit.xml", job.Artifacts.Reports.JUnit, out)
	}
	if !slices.Contains(job.Artifacts.Paths, out+"/") {
		t.Errorf("artifacts.paths %v do not keep %s/", job.Artifacts.Paths, out)
	}
	if md := job.Variables["SCIMCONFORM_SUMMARY_MD"]; !strings.HasPrefix(md, out+"/") {
		t.Errorf("SCIMCONFORM_SUMMARY_MD %q is not under %s", md, out)
	}
	script := strings.Join(job.Script, "\n")
	for _, want := range []string{"go install \"github.com/scimconform/scimconform/cmd/scimconform@${SCIMCONFORM_VERSION}\"",
		"scimconform run", "|| status=$?", `cat "$SCIMCONFORM_SUMMARY_MD"`, `exit "$status"`} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q:\n%s", want, script)
		}
	}
	if strings.Contains(readFile(t, gitlabFile), "SCIMCONFORM_TOKEN:") {
		t.Error("the template must not hold a token variable: it belongs in the project's masked CI/CD variables")
	}
	ci := readmeSection(t, "CI")
	for _, want := range []string{"extends: .scimconform", "ci/gitlab/scimconform.gitlab-ci.yml", "uses: scimconform/scimconform@"} {
		if !strings.Contains(ci, want) {
			t.Errorf("README's CI section lacks %q", want)
		}
	}
	for v := range job.Variables {
		if !strings.Contains(ci, v) && !strings.Contains(readFile(t, readmeFile), "`"+v+"`") {
			t.Errorf("README does not document the template variable %s", v)
		}
	}
}
