package suites

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/internal/caps"
	"github.com/scimconform/scimconform/internal/scim"
	"github.com/scimconform/scimconform/internal/spec"
)

// testView is a small published User view: userName (not caseExact),
// externalId-like code (caseExact), active, emails, x509Certificates,
// groups (readOnly) and an extension with an integer.
func testView() coreView {
	ext := caps.Schema{ID: scim.SchemaEnterpriseUser, Attributes: []caps.Attribute{
		{Name: "employeeNumber", Type: "string"}, {Name: "level", Type: "integer"}}}
	return coreView{
		RT: caps.ResourceType{Name: "User", Endpoint: "/Users", Schema: scim.SchemaUser,
			SchemaExtensions: []caps.SchemaExtension{{Schema: scim.SchemaEnterpriseUser}}},
		Base: caps.Schema{ID: scim.SchemaUser, Attributes: []caps.Attribute{
			{Name: "userName", Type: "string"},
			{Name: "code", Type: "string", CaseExact: true},
			{Name: "active", Type: "boolean"},
			{Name: "emails", Type: "complex", MultiValued: true, SubAttributes: []caps.Attribute{
				{Name: "value", Type: "string"}, {Name: "primary", Type: "boolean"}}},
			{Name: "x509Certificates", Type: "complex", MultiValued: true, SubAttributes: []caps.Attribute{
				{Name: "value", Type: "binary"}}},
			{Name: "groups", Type: "complex", MultiValued: true, Mutability: "readOnly"},
			{Name: "password", Type: "string", Mutability: "writeOnly", Returned: "never"},
		}},
		Exts: []caps.Schema{ext},
	}
}

// decodeTest decodes a JSON object keeping numbers exact, like coreDecode.
func decodeTest(t *testing.T, s string) map[string]any {
	t.Helper()
	obj, err := coreDecode(&scim.Response{Status: 200, Body: []byte(s)})
	if err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return obj
}

func TestCoreIsDateTime(t *testing.T) {
	good := []string{"2015-01-23T04:56:22Z", "2015-01-23T04:56:22.123Z", "2015-01-23T04:56:22+02:00", "2015-01-23T04:56:22", "2015-01-23T24:00:00Z"}
	bad := []string{"", "2015-01-23", "04:56:22", "2015-13-45T25:61:00Z", "2015-02-30T00:00:00Z", "23/01/2015 04:56", "2015-01-23T04:56Z"}
	for _, s := range good {
		if !coreIsDateTime(s) {
			t.Errorf("coreIsDateTime(%q) = false, want true", s)
		}
	}
	for _, s := range bad {
		if coreIsDateTime(s) {
			t.Errorf("coreIsDateTime(%q) = true, want false", s)
		}
	}
	if !coreSameInstant("2015-01-23T04:56:22Z", "2015-01-23T06:56:22.4+02:00") || coreSameInstant("2015-01-23T04:56:22Z", "2015-01-23T04:56:23Z") {
		t.Errorf("coreSameInstant compares instants at whole seconds")
	}
}

func TestCoreIsBase64(t *testing.T) {
	for _, s := range []string{"TUlJQw", "TUlJQw==", "a-_b"} {
		if !coreIsBase64(s) {
			t.Errorf("coreIsBase64(%q) = false", s)
		}
	}
	for _, s := range []string{"@@ not base64 @@", "ab cd"} {
		if coreIsBase64(s) {
			t.Errorf("coreIsBase64(%q) = true", s)
		}
	}
}

func TestCoreTypeProblems(t *testing.T) {
	v := testView()
	ok := decodeTest(t, `{"id":"1","userName":"a","active":true,"emails":[{"value":"a@x","primary":false}],
		"x509Certificates":[{"value":"TUlJQw=="}],"meta":{"created":"2015-01-23T04:56:22Z"},
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"level":3}}`)
	if p := coreTypeProblems(v, ok); len(p) != 0 {
		t.Errorf("well-typed document: unexpected problems %v", p)
	}
	bad := decodeTest(t, `{"id":7,"userName":"a","active":"yes","emails":{"value":"a@x"},
		"x509Certificates":[{"value":"@@"}],"meta":{"created":"yesterday"},
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"level":1.5}}`)
	got := strings.Join(coreTypeProblems(v, bad), "\n")
	for _, want := range []string{"$.id is a JSON integer", "$.active is the JSON string \"yes\"", "$.emails is a JSON object; it is multiValued",
		"$.x509Certificates[0].value", "$.meta.created", `enterprise:2.0:User"].level is the JSON number 1.5`} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
}

func TestCoreSentProblems(t *testing.T) {
	v := testView()
	sent := map[string]any{
		"schemas": []any{scim.SchemaUser}, "id": "client", "userName": "Alice", "code": "AbC", "active": true, "password": "secret",
		"emails":                  []any{map[string]any{"value": "a@x.com", "primary": false}},
		"groups":                  []any{map[string]any{"value": "g"}},
		scim.SchemaEnterpriseUser: map[string]any{"employeeNumber": "7"},
	}
	echo := decodeTest(t, `{"userName":"alice","code":"AbC","active":true,"emails":[{"value":"A@X.COM"}],
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"7"}}`)
	if p := coreSentProblems(v, true, sent, echo); len(p) != 0 {
		t.Errorf("faithful echo: unexpected problems %v", p)
	}
	wrong := decodeTest(t, `{"userName":"alice","code":"abc","active":false,"emails":[{"value":"b@x.com"}]}`)
	got := strings.Join(coreSentProblems(v, true, sent, wrong), "\n")
	for _, want := range []string{`$.code was sent as "AbC"`, "$.active was sent as true", "$.emails[0] was sent as",
		`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] was sent`} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "password") || strings.Contains(got, "groups") || strings.Contains(got, "$.id") {
		t.Errorf("writeOnly, readOnly and id values must not be expected back:\n%s", got)
	}
}

func TestSchemasProblems(t *testing.T) {
	v := testView()
	if p := schemasProblems(map[string]any{"schemas": []any{scim.SchemaUser, scim.SchemaEnterpriseUser}}, scim.SchemaUser, v, true); len(p) != 0 {
		t.Errorf("valid schemas: %v", p)
	}
	got := strings.Join(schemasProblems(map[string]any{"schemas": []any{scim.SchemaEnterpriseUser, scim.SchemaEnterpriseUser, "urn:x", float64(3)}},
		scim.SchemaUser, v, true), "\n")
	for _, want := range []string{"twice", `"urn:x", which the resource type declares`, "holds the JSON integer 3", "lacks the base schema"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	if p := schemasProblems(map[string]any{}, scim.SchemaUser, v, true); len(p) != 1 || !strings.Contains(p[0], "non-empty array") {
		t.Errorf("missing schemas: %v", p)
	}
}

func TestCoreSameURI(t *testing.T) {
	base := "https://example.com/scim/v2/Users"
	cases := []struct {
		a, b string
		want bool
	}{
		{"https://example.com/scim/v2/Users/1", "/scim/v2/Users/1", true},
		{"https://EXAMPLE.com:443/scim/v2/Users/1/", "https://example.com/scim/v2/Users/1", true},
		{"https://example.com/scim/v2/Users/1", "https://example.com/scim/v2/Users/2", false},
		{"", "", false},
	}
	for _, c := range cases {
		if got := coreSameURI(base, c.a, c.b); got != c.want {
			t.Errorf("coreSameURI(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	if !coreEndsWithMe("https://example.com/scim/v2/Me/") || coreEndsWithMe("https://example.com/scim/v2/Users/1") {
		t.Errorf("coreEndsWithMe misjudges /Me URLs")
	}
}

func TestTypedFragment(t *testing.T) {
	v := testView()
	frag, path, ok := typedFragment(v, "binary", "@@")
	b, _ := json.Marshal(frag)
	if !ok || path != "x509Certificates.value" || string(b) != `{"x509Certificates":[{"value":"@@"}]}` {
		t.Errorf("binary fragment = %s at %q (%v)", b, path, ok)
	}
	frag, path, ok = typedFragment(v, "integer", 1.5)
	if _, inExt := frag[scim.SchemaEnterpriseUser]; !ok || !inExt || !strings.HasSuffix(path, ":level") {
		t.Errorf("integer fragment = %v at %q (%v)", frag, path, ok)
	}
	if _, _, ok := typedFragment(v, "dateTime", "x"); ok {
		t.Errorf("no dateTime attribute is declared, yet one was found")
	}
}

func TestCoreBuildersAndIDs(t *testing.T) {
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(coreUnknownID()) {
		t.Errorf("coreUnknownID is not a version 4 UUID")
	}
	if first, second := coreUnknownID(), coreUnknownID(); first == second {
		t.Errorf("coreUnknownID repeats itself")
	}
	for _, s := range []string{`W/"3694e05e9dff590"`, `"abc"`} {
		if !entityTag.MatchString(s) {
			t.Errorf("entityTag rejects %s", s)
		}
	}
	for _, s := range []string{`3`, `W/3`, `w/"x"`} {
		if entityTag.MatchString(s) {
			t.Errorf("entityTag accepts %s", s)
		}
	}
	c := &caps.Capabilities{ResourceTypes: []caps.ResourceType{testView().RT}, Schemas: []caps.Schema{testView().Base}}
	c.Set(spec.FeatureEnterpriseUser, true, caps.SourceAdvertised, "")
	env := &Env{Caps: c, Prefix: "scimconform-0000"}
	body := coreUserBody(env, "t")
	if _, ok := body["displayName"]; ok {
		t.Errorf("displayName is not published, so the builder must leave it out: %v", body)
	}
	if _, ok := body[scim.SchemaEnterpriseUser]; ok || len(body["schemas"].([]any)) != 1 {
		t.Errorf("the extension schema is not in /Schemas here, so it must be dropped: %v", body)
	}
	if n, _ := body["userName"].(string); !strings.HasPrefix(n, "scimconform-0000-t-") {
		t.Errorf("userName %q lacks the run prefix", n)
	}
	if _, ok := body["password"]; ok {
		t.Errorf("the builder must not send a password")
	}
}
