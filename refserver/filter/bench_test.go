package filter

import (
	"fmt"
	"testing"

	"github.com/scimconform/scimconform/refserver/filter/filtertest"
)

// users builds n User documents with varied attributes.
func users(n int) []map[string]any {
	out := make([]map[string]any, n)
	types := []string{"work", "home", "other"}
	for i := range out {
		out[i] = map[string]any{
			"schemas":  []any{filtertest.URNUser},
			"id":       fmt.Sprintf("id-%05d", i),
			"userName": fmt.Sprintf("User%05d@Example.com", i),
			"name":     map[string]any{"givenName": fmt.Sprintf("Given%d", i%97), "familyName": "Family"},
			"active":   i%2 == 0,
			"userType": []string{"Employee", "Intern", "Contractor"}[i%3],
			"emails": []any{
				map[string]any{"value": fmt.Sprintf("u%d@example.com", i), "type": types[i%3], "primary": true},
				map[string]any{"value": fmt.Sprintf("u%d@home.org", i), "type": "home"},
			},
			"meta": map[string]any{"resourceType": "User",
				"lastModified": fmt.Sprintf("2024-01-%02dT10:00:00Z", 1+i%28)},
		}
	}
	return out
}

// BenchmarkParseMatch10k parses a filter and evaluates it against 10,000
// documents per iteration, as a filtered list request would.
func BenchmarkParseMatch10k(b *testing.B) {
	docs := users(10000)
	rs := filtertest.User()
	for _, in := range []string{
		`userName eq "user05000@example.com"`,
		`userType eq "Employee" and emails[type eq "work" and value co "@example.com"]`,
		`meta.lastModified gt "2024-01-15T00:00:00Z" and not (active eq false) or name.givenName sw "given9"`,
	} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f, err := Parse(in, rs, nil)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for _, d := range docs {
					if f.Match(d) {
						n++
					}
				}
				if n == 0 {
					b.Fatal("no match")
				}
			}
		})
	}
}

func TestBenchmarkDataMatches(t *testing.T) {
	docs := users(300)
	f, err := Parse(`userType eq "Employee" and emails[type eq "work" and value co "@example.com"]`, filtertest.User(), nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range docs {
		if f.Match(d) {
			n++
		}
	}
	// i%3==0 gives both Employee and a work email.
	if n != 100 {
		t.Errorf("matched %d of 300, want 100", n)
	}
}
