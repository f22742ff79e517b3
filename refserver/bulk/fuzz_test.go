package bulk

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

var fuzzSeeds = []string{
	`{"schemas":["` + BulkRequestURN + `"],"Operations":[{"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"a"}},` +
		`{"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"g","members":[{"value":"bulkId:a"},{"value":"bulkId:g"}]}},` +
		`{"method":"PATCH","path":"/Groups/bulkId:g","data":{"Operations":[{"op":"add","path":"members","value":[{"value":"bulkId:a"}]}]}},` +
		`{"method":"DELETE","path":"/Users/bulkId:a","version":"W/\"1\""}],"failOnErrors":2}`,
	`{"schemas":["` + BulkRequestURN + `"],"Operations":[{"method":"POST","path":"/Groups","bulkId":"x","data":{"displayName":"x","members":[{"value":"bulkId:y"}]}},` +
		`{"method":"POST","path":"/Groups","bulkId":"y","data":{"displayName":"y","members":[{"value":"bulkId:x"}]}}]}`,
	`{"schemas":["` + BulkRequestURN + `"],"Operations":[null,1,"x",[],{"method":"PUT","path":"/Users/bulkId:zz","data":{}}]}`,
	`{"schemas":["` + BulkRequestURN + `"],"Operations":[{"method":"POST","path":"/Users","bulkId":"a","data":{"x":{"y":{"z":"bulkId:a"}}}}]}`,
	`{}`, `[]`, `null`, `{"schemas":null}`, `{"schemas":["` + BulkRequestURN + `"],"Operations":[],"failOnErrors":1e400}`,
}

// checkBulkResponse asserts the invariants every answer must keep.
func checkBulkResponse(t *testing.T, body []byte) {
	t.Helper()
	h, _ := newHandler()
	h.MaxPayloadSize = 1 << 16
	req := httptest.NewRequest(http.MethodPost, testBase+"/Bulk", bytes.NewReader(body))
	req.Header.Set("Authorization", testToken)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var res struct {
		Schemas    []string         `json:"schemas"`
		Status     string           `json:"status"`
		Operations []map[string]any `json:"Operations"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatalf("input %q: response is not JSON: %v", body, err)
	}
	switch rec.Code {
	case 200:
		for _, op := range res.Operations {
			if s, ok := op["status"].(string); !ok || len(s) != 3 {
				t.Fatalf("input %q: operation status %#v", body, op["status"])
			}
		}
	case 400, 413:
		if res.Status != strconv.Itoa(rec.Code) || len(res.Schemas) != 1 || res.Schemas[0] != errorURN {
			t.Fatalf("input %q: error body %s", body, rec.Body.String())
		}
	default:
		t.Fatalf("input %q: status %d %s", body, rec.Code, rec.Body.String())
	}
}

// FuzzServeHTTP: any body yields 200, 400 or 413 with a well-formed message,
// never a panic. `go test` runs the seeds; `go test -fuzz FuzzServeHTTP` explores.
func FuzzServeHTTP(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkBulkResponse(t, body) })
}

// TestMutatedBodies runs a fixed set of random mutations of the seeds in
// plain `go test`.
func TestMutatedBodies(t *testing.T) {
	rng := rand.New(rand.NewSource(7644))
	tokens := []string{`"bulkId:a"`, `"bulkId:x"`, `{`, `}`, `[`, `]`, `,`, `:`, `null`, `"POST"`, `"/Bulk"`, `-1`, `"`}
	for i := 0; i < 1500; i++ {
		b := []byte(fuzzSeeds[rng.Intn(len(fuzzSeeds))])
		for n := rng.Intn(3) + 1; n > 0 && len(b) > 0; n-- {
			p := rng.Intn(len(b))
			switch rng.Intn(4) {
			case 0:
				b = b[:p]
			case 1:
				b[p] = byte(rng.Intn(256))
			case 2:
				b = append(b[:p:p], append([]byte(tokens[rng.Intn(len(tokens))]), b[p:]...)...)
			default:
				b = append(b[:p:p], b[min(len(b), p+rng.Intn(8)+1):]...)
			}
		}
		checkBulkResponse(t, b)
	}
}
