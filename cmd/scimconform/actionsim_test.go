package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
)

// actionSim runs the steps of action.yml locally the way the GitHub runner
// does: each run step as `bash --noprofile --norc -eo pipefail FILE` with
// its env, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as fresh temporary files
// and RUNNER_TEMP; ${{ }} expressions are resolved from the inputs (their
// defaults from action.yml), github.action_path (the checkout) and earlier
// steps' outputs. The uses: steps are stood in for: actions/setup-go by the
// Go on this machine, actions/upload-artifact by a check of what it would
// upload. A step's if: is evaluated for the forms action.yml uses.
type actionSim struct {
	t       *testing.T
	a       action
	inputs  map[string]string
	root    string // github.action_path
	cwd     string // the workspace
	temp    string // RUNNER_TEMP
	outputs map[string]map[string]string
	failed  bool // a step failed: later steps run only under always()

	summary  strings.Builder // every step's summary, in order
	logs     strings.Builder // every step's stdout and stderr
	uploaded []string        // files the upload step would upload
	exit     int             // exit code of the first failing step
}

func newActionSim(t *testing.T, inputs map[string]string) *actionSim {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	s := &actionSim{t: t, a: loadAction(t), inputs: map[string]string{}, root: root, cwd: t.TempDir(), temp: t.TempDir(),
		outputs: map[string]map[string]string{}}
	for name, in := range s.a.Inputs {
		if in.Default != nil {
			s.inputs[name] = *in.Default
		}
	}
	for k, v := range inputs {
		if _, ok := s.a.Inputs[k]; !ok {
			t.Fatalf("action.yml has no input %q", k)
		}
		s.inputs[k] = v
	}
	return s
}

var reStepOutput = regexp.MustCompile(`^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$`)

// eval resolves one expression of the forms action.yml uses.
func (s *actionSim) eval(expr string) string {
	switch {
	case strings.HasPrefix(expr, "inputs."):
		return s.inputs[strings.TrimPrefix(expr, "inputs.")]
	case expr == "github.action_path":
		return s.root
	case reStepOutput.MatchString(expr):
		m := reStepOutput.FindStringSubmatch(expr)
		return s.outputs[m[1]][m[2]]
	}
	s.t.Fatalf("the simulator cannot evaluate ${{ %s }}", expr)
	return ""
}

func (s *actionSim) expand(v string) string {
	return reExpr.ReplaceAllStringFunc(v, func(m string) string { return s.eval(reExpr.FindStringSubmatch(m)[1]) })
}

// should evaluates a step's if: "" (success()), always(), and
// "steps.X.outputs.Y != ”", joined with &&.
func (s *actionSim) should(cond string) bool {
	if strings.TrimSpace(cond) == "" {
		return !s.failed
	}
	ok := true
	for _, term := range strings.Split(cond, "&&") {
		term = strings.TrimSpace(term)
		switch {
		case term == "always()":
		case strings.HasSuffix(term, "!= ''") && reStepOutput.MatchString(strings.TrimSpace(strings.TrimSuffix(term, "!= ''"))):
			ok = ok && s.eval(strings.TrimSpace(strings.TrimSuffix(term, "!= ''"))) != ""
		default:
			s.t.Fatalf("the simulator cannot evaluate if: %s", cond)
		}
	}
	return ok
}

// runAll runs every step and returns the job's exit code.
func (s *actionSim) runAll() int {
	for i, step := range s.a.Runs.Steps {
		if !s.should(step.If) {
			continue
		}
		code := 0
		switch {
		case strings.HasPrefix(step.Uses, "actions/setup-go@"):
			if _, err := exec.LookPath("go"); err != nil {
				code = 1
			}
		case strings.HasPrefix(step.Uses, "actions/upload-artifact@"):
			s.upload(s.expand(step.With["path"]))
		case step.Run != "":
			code = s.runStep(i, step)
		default:
			s.t.Fatalf("the simulator cannot stand in for step %q (uses %q)", step.Name, step.Uses)
		}
		if code != 0 && !s.failed {
			s.failed, s.exit = true, code
		}
	}
	return s.exit
}

// upload records the files actions/upload-artifact would upload.
func (s *actionSim) upload(path string) {
	_ = filepath.WalkDir(filepath.Join(s.cwd, path), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(s.cwd, p)
			s.uploaded = append(s.uploaded, filepath.ToSlash(rel))
		}
		return nil
	})
}

func (s *actionSim) runStep(i int, step actionStep) int {
	dir := s.t.TempDir()
	script, output, summary := filepath.Join(dir, "step.sh"), filepath.Join(dir, "output"), filepath.Join(dir, "summary")
	for _, f := range []struct{ path, text string }{{script, step.Run}, {output, ""}, {summary, ""}} {
		if err := os.WriteFile(f.path, []byte(f.text), 0o600); err != nil {
			s.t.Fatal(err)
		}
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
	cmd.Dir = s.cwd
	cmd.Env = append(cleanEnvForSim(), "NO_COLOR=1", "GITHUB_OUTPUT="+output, "GITHUB_STEP_SUMMARY="+summary, "RUNNER_TEMP="+s.temp)
	for k, v := range step.Env {
		cmd.Env = append(cmd.Env, k+"="+s.expand(v))
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	fmt.Fprintf(&s.logs, "--- step %d %s\n%s", i, step.Name, out.String())
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		s.t.Fatalf("step %q: %v", step.Name, err)
	}
	if step.ID != "" {
		s.outputs[step.ID] = readGitHubOutput(s.t, output)
	}
	data, _ := os.ReadFile(summary)
	s.summary.Write(data)
	return code
}

// readGitHubOutput reads the KEY=VALUE lines of a GITHUB_OUTPUT file.
func readGitHubOutput(t *testing.T, path string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(readFile(t, path), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = v
		}
	}
	return m
}

// cleanEnvForSim is this process's environment without SCIMCONFORM_*.
func cleanEnvForSim() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SCIMCONFORM_") && !strings.HasPrefix(kv, "NO_COLOR=") {
			out = append(out, kv)
		}
	}
	return out
}

// TestActionRunsLocally runs the action's steps against the embedded server:
// conformant, broken by a fault, and with inputs that cannot work (exit 2
// before any report: the step still explains itself in the summary); the job's
// exit code is the run's, the summary lands in $GITHUB_STEP_SUMMARY, the
// artifact holds the reports whenever they were written, and the token is
// in no log and no artifact.
func TestActionRunsLocally(t *testing.T) {
	if testing.Short() {
		t.Skip("builds scimconform and runs it through the action's scripts five times")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	const token = "sim-T0ken-5ecret-4f1c"
	cases := []struct {
		name   string
		inputs map[string]string
		exit   int
		head   string
	}{
		{"conformant", map[string]string{"token": token, "level": "must,should",
			"args": "--section 7644/3.4.2 --label-filter 'area:filter || area:sort'"}, 0, "### ✅ scimconform: CONFORMANT\n"},
		{"not conformant", map[string]string{"token": token, "out": "reports/scim",
			"args": `--section 7644/3.4.2 --ref-fault filter-co-as-sw`}, 1, "### ❌ scimconform: NOT CONFORMANT ("},
		{"unbalanced quote in args", map[string]string{"token": token, "args": `--section '7644/3.4.2`}, 2, ""},
		{"unreachable target", map[string]string{"token": token, "url": "http://127.0.0.1:1/scim/v2"}, 2, "### scimconform: no summary (exit 2)"},
		{"bad flag", map[string]string{"args": `--no-such-flag`}, 2, "### scimconform: no summary (exit 2)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sim := newActionSim(t, tc.inputs)
			if got := sim.runAll(); got != tc.exit {
				t.Fatalf("job exit %d, want %d\n%s", got, tc.exit, sim.logs.String())
			}
			if code := sim.outputs["run"]["exit-code"]; code != fmt.Sprint(tc.exit) {
				t.Errorf("output exit-code = %q, want %d", code, tc.exit)
			}
			if !strings.HasPrefix(sim.summary.String(), tc.head) {
				t.Errorf("step summary starts %q, want %q", firstLine(sim.summary.String()), tc.head)
			}
			if strings.Contains(sim.logs.String()+sim.summary.String(), token) {
				t.Error("the token appears in a step log or the summary")
			}
			if tc.exit == 2 {
				return
			}
			out := sim.inputs["out"]
			for _, name := range []string{"junit.xml", "report.json", "report.html", "exchanges.har", "summary.md"} {
				if !slices.Contains(sim.uploaded, out+"/"+name) {
					t.Errorf("the artifact lacks %s/%s: %v", out, name, sim.uploaded)
				}
			}
			for _, f := range sim.uploaded {
				if strings.Contains(readFile(t, filepath.Join(sim.cwd, f)), token) {
					t.Errorf("%s holds the token", f)
				}
			}
		})
	}
}

// TestGitLabTemplateRunsLocally runs the template's script lines in one
// `sh -e` session, as a GitLab runner does, with the template's variables
// and the built binary on PATH in place of its go install line: the job's
// exit code is the run's, the summary is in the job log, and the JUnit
// report is where artifacts:reports:junit looks.
func TestGitLabTemplateRunsLocally(t *testing.T) {
	if testing.Short() {
		t.Skip("runs scimconform twice through the template's script")
	}
	var file map[string]gitlabTemplate
	decodeStrict(t, gitlabFile, &file)
	job := file[".scimconform"]
	bin := selftest.Binary(t)
	binDir := t.TempDir()
	if err := os.Symlink(bin, filepath.Join(binDir, "scimconform")); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range job.Script {
		if strings.HasPrefix(l, "go install ") {
			continue // the binary under test is on PATH
		}
		lines = append(lines, l)
	}
	for _, tc := range []struct {
		args string
		exit int
		want string
	}{
		{"--section 7644/3.4.2", 0, "### ✅ scimconform: CONFORMANT"},
		{"--section 7644/3.4.2 --ref-fault filter-co-as-sw", 1, "### ❌ scimconform: NOT CONFORMANT"},
	} {
		cwd := t.TempDir()
		cmd := exec.Command("sh", "-e", "-c", strings.Join(lines, "\n"))
		cmd.Dir = cwd
		cmd.Env = append(cleanEnvForSim(), "NO_COLOR=1", "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
		for k, v := range job.Variables {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		cmd.Env = append(cmd.Env, "SCIMCONFORM_ARGS="+tc.args)
		out, err := cmd.CombinedOutput()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.exit || !strings.Contains(string(out), tc.want) {
			t.Errorf("%s: exit %d (want %d), log has %q: %v\n%s", tc.args, code, tc.exit, tc.want, strings.Contains(string(out), tc.want), out)
		}
		if _, err := os.Stat(filepath.Join(cwd, job.Artifacts.Reports.JUnit)); err != nil {
			t.Errorf("%s: no JUnit report at %s: %v", tc.args, job.Artifacts.Reports.JUnit, err)
		}
	}
}
