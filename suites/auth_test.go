package suites

import "testing"

func TestAuthChallenges(t *testing.T) {
	cases := []struct {
		values []string
		scheme string
		want   bool
	}{
		{[]string{`Bearer realm="scim"`}, "Bearer", true},
		{[]string{`Basic realm="x", bearer error="invalid_token"`}, "Bearer", true},
		{[]string{`Basic realm="x"`}, "Bearer", false},
		{[]string{`Negotiate`, `Basic realm="x"`}, "Basic", true},
		{nil, "Basic", false},
	}
	for _, c := range cases {
		if got := authChallenges(c.values, c.scheme); got != c.want {
			t.Errorf("authChallenges(%q, %s) = %v", c.values, c.scheme, got)
		}
	}
}
