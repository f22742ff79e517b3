package selftest_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
	"github.com/scimconform/scimconform/reports"
)

// The discovery suite proves itself against httptest fakes (fakes_test.go):
// a correct fake passes, each broken fake fails the spec of the rule it
// breaks and no spec of another rule, tolerated readings only warn, and a
// hostile fake never crashes the harness.

// runDiscovery runs the discovery suite against base.
func runDiscovery(t *testing.T, base string, extra ...string) selftest.Result {
	t.Helper()
	args := append([]string{"run", "--url", base, "--label-filter", "area:discovery"}, extra...)
	res := selftest.Run(t, []string{tokenEnvForRun}, args...)
	if res.Doc == nil {
		t.Fatalf("no report.json; exit %d\nstdout:\n%s\nstderr:\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	return res
}

func TestDiscoveryCorrectFakeIsConformant(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		resources bool
		args      []string
		minPass   int
	}{
		{"with User and Group under area:discovery", true, []string{"--label-filter", "area:discovery"}, 29},
		{"without resource types and no filter", false, nil, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			base := newDiscoveryFake(tc.resources).start(t)
			res := selftest.Run(t, []string{tokenEnvForRun}, append([]string{"run", "--url", base}, tc.args...)...)
			if res.Doc == nil {
				t.Fatalf("no report.json; exit %d\nstderr:\n%s", res.ExitCode, res.Stderr)
			}
			var bad []string
			for _, r := range reports.Evaluate(*res.Doc).Results {
				if r.Verdict == reports.FAIL || r.Verdict == reports.WARN || r.Verdict == reports.ERROR {
					bad = append(bad, selftest.Describe(r))
				}
			}
			if res.ExitCode != 0 || len(bad) > 0 {
				t.Fatalf("a correct discovery fake must pass: exit %d, not passing:\n%s\nstdout:\n%s", res.ExitCode, strings.Join(bad, "\n"), res.Stdout)
			}
			if n := reports.Evaluate(*res.Doc).Totals[reports.PASS]; n < tc.minPass {
				t.Fatalf("only %d specs passed, want at least %d", n, tc.minPass)
			}
		})
	}
}

// breakage is a fake broken in one discovery rule.
type breakage struct {
	name    string
	breakIt func(f *discoveryFake)
	primary string   // a FAIL spec must carry this requirement id
	allowed []string // other ids failing specs may carry
}

func TestDiscoveryBrokenFakesFailTheirSpec(t *testing.T) {
	t.Parallel()
	for _, b := range breakages() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			f := newDiscoveryFake(true)
			b.breakIt(f)
			res := runDiscovery(t, f.start(t))
			if res.ExitCode != 1 {
				t.Fatalf("exit %d, want 1 (not conformant)\nstdout:\n%s", res.ExitCode, res.Stdout)
			}
			allowed := map[string]bool{b.primary: true}
			for _, id := range b.allowed {
				allowed[id] = true
			}
			caught := false
			for _, r := range reports.Evaluate(*res.Doc).Results {
				if r.Verdict != reports.FAIL && r.Verdict != reports.ERROR {
					continue
				}
				if r.Verdict == reports.FAIL && hasReq(r.Reqs, map[string]bool{b.primary: true}) {
					caught = true
				}
				if !hasReq(r.Reqs, allowed) {
					t.Errorf("unrelated spec failed: %s", selftest.Describe(r))
				}
			}
			if !caught {
				t.Errorf("no spec labelled req:%s failed\nstdout:\n%s", b.primary, res.Stdout)
			}
		})
	}
}

func breakages() []breakage {
	return []breakage{
		{"ServiceProviderConfig without its schemas URN", func(f *discoveryFake) {
			f.spc["schemas"] = []any{"urn:scim:schemas:core:1.0"}
		}, "7644-4-02", nil},
		{"bulk maxOperations as a string", func(f *discoveryFake) {
			f.spc["bulk"] = map[string]any{"supported": false, "maxOperations": "1000", "maxPayloadSize": 0}
		}, "7643-5-06", nil},
		{"no authentication scheme", func(f *discoveryFake) { f.spc["authenticationSchemes"] = []any{} }, "7643-5-17", nil},
		{"ResourceTypes as a bare array", func(f *discoveryFake) {
			f.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
				if path != "/ResourceTypes" {
					return false
				}
				writeJSON(w, http.StatusOK, f.resourceTypes)
				return true
			}
		}, "7644-4-04", nil},
		{"totalResults larger than the ResourceTypes returned", func(f *discoveryFake) {
			f.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
				if path != "/ResourceTypes" {
					return false
				}
				lr := listResponse(f.resourceTypes)
				lr["totalResults"] = 7
				writeJSON(w, http.StatusOK, lr)
				return true
			}
		}, "7644-3.4.2-04", []string{"7644-4-05"}},
		{"a ResourceType with two endpoints", func(f *discoveryFake) {
			f.resourceTypes[1]["endpoint"] = []any{"/Groups", "/Teams"}
		}, "7643-6-06", nil},
		{"an unknown Schema id answered with 200", func(f *discoveryFake) {
			f.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
				if !strings.HasPrefix(path, "/Schemas/") || strings.HasSuffix(path, f.schemas[0]["id"].(string)) {
					return false
				}
				writeJSON(w, http.StatusOK, f.schemas[0])
				return true
			}
		}, "7644-3.12-01", nil},
		{"404 without a SCIM error body", func(f *discoveryFake) {
			f.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
				if !strings.Contains(path, "no-such") && !strings.Contains(path, "no:such") {
					return false
				}
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write([]byte("404 page not found"))
				return true
			}
		}, "7644-3.12-01", nil},
		{"the extension schema missing from /Schemas", func(f *discoveryFake) {
			f.schemas = []map[string]any{f.schemas[0], f.schemas[2]}
		}, "7643-6-09", nil},
		{"the Group schema missing from /Schemas", func(f *discoveryFake) { f.schemas = f.schemas[:2] }, "7643-6-07", []string{"7644-4-03"}},
		{"a protocol message schema in /Schemas", func(f *discoveryFake) {
			f.schemas = append(f.schemas, fakeSchema(urnList, "ListResponse", fakeAttr("totalResults", "integer", false, true)))
		}, "7644-3.1-03", nil},
		{"an unknown mutability keyword", func(f *discoveryFake) {
			attrs := f.schemas[0]["attributes"].([]any)
			attrs[0].(map[string]any)["mutability"] = "sometimes"
		}, "7643-7-01", nil},
		{"a complex sub-attribute", func(f *discoveryFake) {
			attrs := f.schemas[2]["attributes"].([]any)
			members := attrs[1].(map[string]any)
			members["subAttributes"] = append(members["subAttributes"].([]any),
				fakeAttr("origin", "complex", false, false, fakeAttr("system", "string", false, false)))
		}, "7643-2.3.8-02", nil},
		{"a filter applied on /ResourceTypes", func(f *discoveryFake) {
			f.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
				if path != "/ResourceTypes" || !r.URL.Query().Has("filter") {
					return false
				}
				writeJSON(w, http.StatusOK, listResponse(nil))
				return true
			}
		}, "7644-4-05", nil},
		{"a filter on /Schemas answered with 400", func(f *discoveryFake) {
			f.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
				if path != "/Schemas" || !r.URL.Query().Has("filter") {
					return false
				}
				writeSCIMError(w, http.StatusBadRequest, "filters are not supported here")
				return true
			}
		}, "7644-4-05", nil},
		{"paging applied on /Schemas", func(f *discoveryFake) {
			f.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
				if path != "/Schemas" || !r.URL.Query().Has("count") {
					return false
				}
				lr := listResponse(f.schemas[:1])
				lr["totalResults"] = len(f.schemas)
				writeJSON(w, http.StatusOK, lr)
				return true
			}
		}, "7644-4-05", nil},
	}
}

// tolerated is a departure the RFC text or its errata allow: WARN or INFO,
// never FAIL.
type tolerated struct {
	name    string
	change  func(f *discoveryFake)
	verdict reports.Verdict // of the spec carrying req
	req     string
	note    string // a fragment of its warnings or infos
}

func TestDiscoveryToleratedReadingsAreNotFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []tolerated{
		{"an integer status in a 404 error", func(f *discoveryFake) {
			f.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
				if !strings.Contains(path, "no-such") {
					return false
				}
				writeJSON(w, http.StatusNotFound, map[string]any{"schemas": []any{urnError}, "status": 404})
				return true
			}
		}, reports.WARN, "7644-3.12-01", "docs/interpretations.md#i8"},
		{"Group displayName not required (original 8.7.1)", func(f *discoveryFake) {
			attrs := f.schemas[2]["attributes"].([]any)
			attrs[0].(map[string]any)["required"] = false
		}, reports.WARN, "7643-4.2-01", "erratum 5368"},
		{"Schema resources without schemas and meta (original 8.7)", func(f *discoveryFake) {
			for _, s := range f.schemas {
				delete(s, "schemas")
				delete(s, "meta")
			}
		}, reports.WARN, "7643-3-02", "erratum 8417"},
		{"referenceTypes as one string (original 8.7.2)", func(f *discoveryFake) {
			attrs := f.schemas[0]["attributes"].([]any)
			attrs[4].(map[string]any)["referenceTypes"] = "external"
		}, reports.WARN, "7643-7-01", "erratum 5607"},
		{"characteristics omitted and keywords in upper case", func(f *discoveryFake) {
			attr := f.schemas[0]["attributes"].([]any)[2].(map[string]any)
			delete(attr, "uniqueness")
			attr["mutability"] = "READWRITE"
		}, reports.PASS, "7643-7-01", "§2.2 defaults"},
		{"a filter on /ResourceTypes refused with 403", func(f *discoveryFake) {
			f.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
				if path != "/ResourceTypes" || !r.URL.Query().Has("filter") {
					return false
				}
				writeSCIMError(w, http.StatusForbidden, "no filters on discovery")
				return true
			}
		}, reports.PASS, "7644-4-06", "answered 403"},
		{"attributes without descriptions (where applicable)", func(f *discoveryFake) {
			for _, a := range f.schemas[1]["attributes"].([]any) {
				delete(a.(map[string]any), "description")
			}
		}, reports.WARN, "7643-7-07", "2 attribute definition(s) have no description"},
		{"a complex attribute without subAttributes (SHOULD)", func(f *discoveryFake) {
			attrs := f.schemas[0]["attributes"].([]any)
			delete(attrs[1].(map[string]any), "subAttributes")
		}, reports.WARN, "7643-7-06", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newDiscoveryFake(true)
			tc.change(f)
			res := runDiscovery(t, f.start(t))
			if res.ExitCode != 0 {
				t.Fatalf("exit %d, want 0: a tolerated reading must not make the server non-conformant\nstdout:\n%s", res.ExitCode, res.Stdout)
			}
			found := false
			for _, r := range reports.Evaluate(*res.Doc).Results {
				if !hasReq(r.Reqs, map[string]bool{tc.req: true}) {
					continue
				}
				notes := strings.Join(append(append([]string{r.Message}, r.Warnings...), r.Infos...), "\n")
				if r.Verdict == tc.verdict && strings.Contains(notes, tc.note) {
					found = true
				}
			}
			if !found {
				t.Errorf("no spec labelled req:%s has verdict %s with a note containing %q\nstdout:\n%s", tc.req, tc.verdict, tc.note, res.Stdout)
			}
		})
	}
}

func TestDiscoveryHostileFakeNeverCrashesTheHarness(t *testing.T) {
	t.Parallel()
	f := newDiscoveryFake(true)
	makeHostile(f)
	res := selftest.Run(t, []string{tokenEnvForRun}, "run", "--url", f.start(t), "--request-timeout", "1s")
	if res.ExitCode != 1 && res.ExitCode != 2 {
		t.Errorf("exit %d, want 1 or 2", res.ExitCode)
	}
	if res.Doc == nil {
		t.Fatalf("no report.json; exit %d\nstderr:\n%s", res.ExitCode, res.Stderr)
	}
	assertNoCrash(t, res)
	verdicts := reports.Evaluate(*res.Doc).Totals
	if verdicts[reports.ERROR] == 0 || verdicts[reports.FAIL] == 0 {
		t.Errorf("want FAIL verdicts (broken documents) and ERROR verdicts (slow and oversize bodies), got %v", verdicts)
	}
	html, err := os.ReadFile(filepath.Join(res.Dir, reports.FileHTML))
	if err != nil {
		t.Fatalf("report.html: %v\nstdout:\n%s", err, res.Stdout)
	}
	if strings.Contains(string(html), "<script>alert(1)") {
		t.Errorf("report.html contains the server's raw <script>alert(1)")
	}
	if !strings.Contains(string(html), "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("report.html does not show the server's string in escaped form")
	}
}

func TestDiscoveryUnparsableConfigurationIsAPreflightError(t *testing.T) {
	t.Parallel()
	f := newDiscoveryFake(true)
	f.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
		if path != "/ServiceProviderConfig" {
			return false
		}
		w.Header().Set("Content-Type", scimMediaType)
		_, _ = w.Write([]byte(`{"schemas":["` + hostile))
		return true
	}
	res := selftest.Run(t, []string{tokenEnvForRun}, "run", "--url", f.start(t))
	if res.ExitCode != 2 {
		t.Errorf("exit %d, want 2 (preflight error)\nstdout:\n%s\nstderr:\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	assertNoCrash(t, res)
}

func assertNoCrash(t *testing.T, res selftest.Result) {
	t.Helper()
	out := strings.ToLower(res.Stdout + res.Stderr)
	for _, bad := range []string{"panic", "goroutine "} {
		if strings.Contains(out, bad) {
			t.Errorf("harness output contains %q\nstdout:\n%s\nstderr:\n%s", bad, res.Stdout, res.Stderr)
		}
	}
}

func hasReq(reqs []string, want map[string]bool) bool {
	for _, id := range reqs {
		if want[id] {
			return true
		}
	}
	return false
}
