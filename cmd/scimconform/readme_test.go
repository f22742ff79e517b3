package main

import (
	"os"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/spec"
	"github.com/scimconform/scimconform/runner"
)

// TestReadmeDocumentsEverySetting keeps README.md in step with the settings
// table: every flag, config key and environment variable, every command and
// every feature name.
func TestReadmeDocumentsEverySetting(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	var want []string
	for _, s := range runner.Settings {
		want = append(want, "`--"+s.Flag, "`"+s.Key+"`", "`"+s.Env+"`")
	}
	for _, c := range commands() {
		want = append(want, "scimconform "+c.name)
	}
	for _, f := range spec.AllFeatures() {
		want = append(want, "`"+string(f)+"`")
	}
	want = append(want, runner.EnvToken, runner.EnvUser, runner.EnvPassword, runner.EnvOAuth2ClientSecret,
		runner.EnvAuthHeader, runner.EnvConfig, envServeToken, "go install github.com/scimconform/scimconform/cmd/scimconform@latest",
		"go test ./...", "junit.xml", "report.json", "report.html", "exchanges.har", "--list-faults")
	for _, w := range want {
		if !strings.Contains(readme, w) {
			t.Errorf("README.md does not mention %s", w)
		}
	}
}
