package reports

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// Hostile strings the escaping tests look for, one per place they appear.
const (
	xss       = `<script>alert(1)</script>` // failure message, metadata, catalog
	xssHeader = `<script>alert(2)</script>` // a response header value
	xssBody   = `<script>alert(3)</script>` // request and response bodies
)

var t0 = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

// specOpt changes one synthetic spec.
type specOpt func(*types.SpecReport)

func labels(ls ...string) specOpt {
	return func(sr *types.SpecReport) { sr.LeafNodeLabels = append(sr.LeafNodeLabels, ls...) }
}

func failed(msg string) specOpt {
	return func(sr *types.SpecReport) {
		sr.State = types.SpecStateFailed
		sr.Failure = types.Failure{Message: msg, Location: types.CodeLocation{FileName: "suites/x.go", LineNumber: 42}}
	}
}

func skipped(msg string) specOpt {
	return func(sr *types.SpecReport) {
		sr.State = types.SpecStateSkipped
		sr.Failure = types.Failure{Message: msg}
	}
}

func state(s types.SpecState, msg string) specOpt {
	return func(sr *types.SpecReport) {
		sr.State = s
		sr.Failure = types.Failure{Message: msg, ForwardedPanic: msg}
	}
}

func entry(name string, v any) specOpt {
	return func(sr *types.SpecReport) {
		sr.ReportEntries = append(sr.ReportEntries, types.ReportEntry{Name: name, Value: types.WrapEntryValue(v), Time: t0})
	}
}

func exchanges(xs ...scim.Exchange) specOpt { return entry(spec.EntryExchanges, scim.Transcript(xs)) }

// reqLabels returns the req, section and level labels of a spec.
func reqLabels(level spec.Level, ids ...string) []string {
	out := []string{level.Label()}
	for _, id := range ids {
		rfc, sec, err := spec.ParseReqID(id)
		if err != nil {
			panic(err)
		}
		out = append(out, spec.PrefixReq+id, spec.SectionLabel(rfc, sec))
	}
	return out
}

// mkSpec builds one It spec report (passed unless an option says otherwise).
func mkSpec(container, text string, level spec.Level, ids []string, opts ...specOpt) types.SpecReport {
	sr := types.SpecReport{
		ContainerHierarchyTexts:  []string{container},
		ContainerHierarchyLabels: [][]string{{"area:test"}},
		LeafNodeType:             types.NodeTypeIt,
		LeafNodeText:             text,
		LeafNodeLabels:           reqLabels(level, ids...),
		State:                    types.SpecStatePassed,
		StartTime:                t0,
		EndTime:                  t0.Add(12 * time.Millisecond),
		RunTime:                  12 * time.Millisecond,
		NumAttempts:              1,
	}
	for _, o := range opts {
		o(&sr)
	}
	return sr
}

// exchange builds one recorded exchange.
func exchange(seq int, method, url string, status int, respBody string) scim.Exchange {
	return scim.Exchange{
		Seq: seq, Spec: "spec", Started: t0.Add(time.Duration(seq) * time.Millisecond), Duration: 3 * time.Millisecond, Attempt: 1,
		Request: scim.RecordedRequest{Method: method, URL: url,
			Header: http.Header{"Accept": {scim.MediaType}, "Authorization": {"[REDACTED]"}}},
		Response: &scim.RecordedResponse{Status: status,
			Header: http.Header{"Content-Type": {scim.MediaType}}, Body: respBody},
	}
}

// sampleSpecs is a run with one spec of every verdict, plus a hostile server.
func sampleSpecs() types.SpecReports {
	base := "https://scim.example.test/v2"
	hostile := exchange(3, http.MethodPost, base+"/Users", 400, `{"detail":"`+xssBody+`"}`)
	hostile.Request.Body = `{"userName":"` + xssBody + `"}`
	hostile.Request.Header.Set("Content-Type", scim.MediaType)
	hostile.Response.Header.Set("X-Evil", xssHeader)
	return types.SpecReports{
		mkSpec("Discovery", "ServiceProviderConfig returns 200 with its schema", spec.LevelMust, []string{"7644-4-02"},
			exchanges(exchange(1, http.MethodGet, base+"/ServiceProviderConfig", 200, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]}`))),
		mkSpec("Filtering", "returns 400 invalidFilter for a malformed filter", spec.LevelMust, []string{"7644-3.4.2.2-14"},
			failed("expected status 400 with scimType invalidFilter, got 200 "+xss+"\nsecond line\nthird line\nfourth line"),
			exchanges(exchange(2, http.MethodGet, base+"/Users?filter=userName+eq", 200, `{"Resources":[]}`), hostile)),
		mkSpec("Discovery", "advertises a documentationUri", spec.LevelShould, []string{"7644-4-06"},
			failed("documentationUri is missing")),
		mkSpec("Attributes", "accepts attribute names case-insensitively", spec.LevelMust, []string{"7644-3.10-01"},
			entry(spec.EntryWarning, "server echoed the attribute name in a different case")),
		mkSpec("Deleting", "returns 404 after delete", spec.LevelMust, []string{"7644-3.6-01"},
			failed("no HTTP response: connection refused"), entry(spec.EntryError, "no HTTP response: connection refused")),
		mkSpec("PATCH", "applies operations atomically", spec.LevelMust, []string{"7644-3.5.2-15"},
			skipped(spec.SkipUnsupportedPrefix+"patch is off (advertised)")),
		mkSpec("Schema", "publishes the core User schema", spec.LevelMust, []string{"7643-7-01"},
			skipped("")),
		mkSpec("Paging", "returns startIndex 1 by default", spec.LevelMust, []string{"7644-3.4.2.4-03"},
			state(types.SpecStatePanicked, "runtime error: index out of range")),
		mkSpec("Errors", "returns a SCIM error body for unknown ids", spec.LevelMust, []string{"7644-3.12-01"},
			entry(spec.EntryInfo, "server sent detail "+xss)),
		mkSpec("Cursor", "rejects an invalid cursor", spec.LevelShould, []string{"9865-2.1-01"},
			labels(spec.LabelInterop), failed("cursor error was 500, expected 400")),
	}
}

// sampleDoc is a document around sampleSpecs.
func sampleDoc() Document {
	return Document{
		Metadata: Metadata{
			Tool: "scimconform", Version: "v0.1.0-test", Target: "https://scim.example.test/v2?x=" + xss,
			Started: t0, Finished: t0.Add(3 * time.Second), Seed: 1234, Prefix: "scimconform-0badc0de",
			Config: map[string]any{"url": "https://scim.example.test/v2", "token": "[REDACTED]", "header": xss},
			Capabilities: []caps.Capability{
				{Feature: spec.FeatureBulk, Enabled: false, Source: caps.SourceOverridden, Advertised: true, Detail: "maxOperations=10 " + xss},
				{Feature: spec.FeatureFilter, Enabled: true, Source: caps.SourceAdvertised, Advertised: true, Detail: "maxResults=200"},
			},
			Limits:  caps.Limits{FilterMaxResults: 200, BulkMaxOperations: 10},
			Cleanup: Cleanup{Created: 7, Swept: []string{"scimconform-0badc0de-user-3"}, Leaked: []string{"/Users/" + xss}},
			Notes:   []string{"2 requests were retried after 429 " + xss},
		},
		Report: types.Report{
			SuitePath: "/suites", SuiteDescription: "scimconform", SuiteSucceeded: false,
			StartTime: t0, EndTime: t0.Add(3 * time.Second), RunTime: 3 * time.Second,
			SuiteConfig: types.SuiteConfig{RandomSeed: 1234, LabelFilter: "!req:7643-7-01"},
			SpecReports: sampleSpecs(),
		},
	}
}

// testCatalog is a small catalog with our own one-line summaries.
func testCatalog() *spec.Catalog {
	rows := [][]string{
		{"id", "rfc", "section", "keyword", "binds", "testable", "area", "summary"},
		{"7644-4-02", "7644", "4", "SHALL", "server", "yes", "discovery", "SPC endpoint answers"},
		{"7644-4-06", "7644", "4", "SHOULD", "server", "yes", "discovery", "SPC has a documentation link"},
		{"7643-7-01", "7643", "7", "REQUIRED", "both", "yes", "discovery", "Schemas are published"},
		{"7644-3.4.2.2-14", "7644", "3.4.2.2", "MUST", "server", "yes", "filter", "bad filter gives invalidFilter " + xss},
		{"7644-3.5.2-15", "7644", "3.5.2", "MUST", "server", "yes", "patch", "PATCH is atomic"},
		{"7644-3.6-01", "7644", "3.6", "MUST", "server", "yes", "delete", "deleted resources are gone"},
		{"7644-3.4.2.4-03", "7644", "3.4.2.4", "SHALL", "server", "yes", "paging", "default startIndex is 1"},
		{"7644-3.12-01", "7644", "3.12", "MUST", "server", "yes", "errors", "errors carry a SCIM body"},
		{"7644-3.10-01", "7644", "3.10", "SHOULD", "both", "partial", "attributes", "not counted: partial"},
		{"7644-1.3-01", "7644", "1.3", "MAY", "server", "yes", "misc", "not counted: MAY"},
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	cat, err := spec.ParseCatalog(strings.NewReader(b.String()))
	if err != nil {
		panic(fmt.Sprintf("test catalog: %v", err))
	}
	return cat
}
