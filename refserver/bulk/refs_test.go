package bulk

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

func mustJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCollectRefs(t *testing.T) {
	doc := mustJSON(t, `{"a":"bulkId:x","b":[{"value":"bulkId:y"},{"value":"bulkId:x"}],"c":"bulkId:","d":"xbulkId:z","e":"bulkid:w"}`)
	if got := collectRefs(doc); !slices.Equal(got, []string{"x", "y"}) {
		t.Fatalf("refs %v, want [x y]", got)
	}
}

func TestResolve(t *testing.T) {
	doc := mustJSON(t, `{"members":[{"value":"bulkId:x"},{"value":"bulkId:other"}],"n":1}`)
	got := resolve(doc, map[string]string{"x": "id-1"})
	want := mustJSON(t, `{"members":[{"value":"id-1"},{"value":"bulkId:other"}],"n":1}`)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("resolve = %v, want %v", got, want)
	}
	if doc["members"].([]any)[0].(map[string]any)["value"] != "bulkId:x" {
		t.Error("resolve modified its input")
	}
}

func TestPrune(t *testing.T) {
	doc := mustJSON(t, `{
		"displayName":"A",
		"members":[{"value":"bulkId:b"},{"value":"kept"}],
		"only":[{"value":"bulkId:b"}],
		"externalId":"bulkId:b",
		"other":"bulkId:c",
		"`+entURN+`":{"employeeNumber":"1","manager":{"value":"bulkId:b","displayName":"B"}}}`)
	kept, held := prune(doc, nil, map[string]bool{"b": true})
	wantKept := mustJSON(t, `{"displayName":"A","members":[{"value":"kept"}],"other":"bulkId:c","`+entURN+`":{"employeeNumber":"1"}}`)
	if !reflect.DeepEqual(kept, wantKept) {
		t.Errorf("kept %v\nwant %v", kept, wantKept)
	}
	paths := map[string]any{}
	for _, d := range held {
		paths[d.patchPath()] = d.value
	}
	want := map[string]any{
		"members":           []any{map[string]any{"value": "bulkId:b"}},
		"only":              []any{map[string]any{"value": "bulkId:b"}},
		"externalId":        "bulkId:b",
		entURN + ":manager": map[string]any{"value": "bulkId:b", "displayName": "B"},
	}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("held %v\nwant %v", paths, want)
	}
}

func TestPatchPath(t *testing.T) {
	cases := map[string][]string{
		"members":           {"members"},
		"name.givenName":    {"name", "givenName"},
		entURN:              {entURN},
		entURN + ":manager": {entURN, "manager"},
	}
	for want, path := range cases {
		if got := (deferredValue{path: path}).patchPath(); got != want {
			t.Errorf("patchPath(%v) = %q, want %q", path, got, want)
		}
	}
}
