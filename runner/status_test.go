package runner

import (
	"context"
	"strings"
	"testing"
)

func TestStatusLeftoverHint(t *testing.T) {
	s := &Status{}
	ctx := WithStatus(context.Background(), s)
	StatusFrom(ctx).started("scimconform-0a1b2c3d", "https://idp.example.com/scim/v2", false)
	hint := s.LeftoverHint()
	if !strings.Contains(hint, "scimconform cleanup --url https://idp.example.com/scim/v2 --prefix scimconform-0a1b2c3d") {
		t.Errorf("hint %q", hint)
	}
	s.started("scimconform-0a1b2c3d", "http://127.0.0.1:1/scim/v2", true)
	if s.LeftoverHint() != "" {
		t.Error("the embedded server keeps nothing: no hint")
	}
	StatusFrom(context.Background()).started("x", "y", false) // nil status: ignored
}
