package runner

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Template is a resource template (user-template, group-template): attributes
// the target's business rules require that the RFC leaves optional (an
// e-mail on every User, a department, ...). The suites merge it into every
// User or Group body they send: an attribute the body lacks is added, with
// the placeholders {name} (the resource's run-prefixed userName or
// displayName) and {prefix} (the run prefix) expanded; what a spec sends
// itself always wins.
type Template map[string]any

// parseTemplate reads a template given as a flag or environment value: a
// JSON or YAML object, or @FILE naming a file that holds one.
func parseTemplate(v string) (Template, error) {
	v = strings.TrimSpace(v)
	src := v
	if path, ok := strings.CutPrefix(v, "@"); ok {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading the template: %w", err)
		}
		src = string(data)
	}
	var t Template
	if err := yaml.Unmarshal([]byte(src), &t); err != nil || t == nil {
		return nil, fmt.Errorf("want a JSON or YAML object of attributes, or @FILE holding one (e.g. '{\"emails\": [{\"value\": \"{name}@example.com\", \"primary\": true}]}')")
	}
	return t.normalised()
}

// normalised checks the template and turns YAML's map[any]any-free decode
// into plain JSON values (round trip through encoding/json).
func (t Template) normalised() (Template, error) {
	for k := range t {
		switch strings.ToLower(k) {
		case "id", "meta", "schemas":
			return nil, fmt.Errorf("%q cannot be templated: the server assigns id and meta, and the suites set schemas", k)
		}
	}
	data, err := json.Marshal(map[string]any(t))
	if err != nil {
		return nil, fmt.Errorf("the template is not a JSON object: %w", err)
	}
	var out Template
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("the template is not a JSON object: %w", err)
	}
	return out, nil
}
