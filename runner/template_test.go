package runner

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestTemplatesFromFileEnvAndFlag(t *testing.T) {
	file := "user-template:\n  emails:\n    - value: \"{name}@example.com\"\n      primary: true\ngroup-template:\n  description: from the file\n"
	c := mustLoad(t, file, nil)
	want := Template{"emails": []any{map[string]any{"value": "{name}@example.com", "primary": true}}}
	if got, _ := c.UserTemplate.normalised(); !reflect.DeepEqual(got, want) || c.GroupTemplate["description"] != "from the file" {
		t.Errorf("file: %#v / %#v", c.UserTemplate, c.GroupTemplate)
	}
	c = mustLoad(t, file, map[string]string{"SCIMCONFORM_GROUP_TEMPLATE": `{"description":"from the env"}`},
		"--user-template", `{"title":"from the flag"}`)
	if c.UserTemplate["title"] != "from the flag" || c.UserTemplate["emails"] != nil || c.GroupTemplate["description"] != "from the env" {
		t.Errorf("a flag replaces the file's template, the env too: %#v / %#v", c.UserTemplate, c.GroupTemplate)
	}
	path := filepath.Join(t.TempDir(), "user.yaml")
	if err := os.WriteFile(path, []byte("department: Sales\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if c = mustLoad(t, "", nil, "--user-template", "@"+path); c.UserTemplate["department"] != "Sales" {
		t.Errorf("@FILE: %#v", c.UserTemplate)
	}
	if err := mustLoad(t, "user-template:\n  meta: {}\n", nil).Validate(); err == nil || !strings.Contains(err.Error(), "user-template") {
		t.Errorf("a template naming meta: %v", err)
	}
	for _, bad := range []string{"[1, 2]", "plain words", "@/no/such/file"} {
		if _, err := load(t, "", nil, "--user-template", bad); err == nil {
			t.Errorf("--user-template %q accepted", bad)
		}
	}
}
