package runner

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/scimconform/scimconform/internal/scim"
)

func TestWorkersAdoptTheParentsOAuth2Tokens(t *testing.T) {
	var issued atomic.Int32
	ep := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := issued.Add(1)
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "tok-" + strconv.Itoa(int(n)), "token_type": "Bearer", "expires_in": 3600})
	}))
	defer ep.Close()
	creds := func() *scim.OAuth2ClientCredentials {
		return &scim.OAuth2ClientCredentials{TokenURL: ep.URL, ClientID: "id", ClientSecret: "secret"}
	}
	ctx := context.Background()
	mainCreds, tenant := creds(), creds()
	for _, o := range []*scim.OAuth2ClientCredentials{mainCreds, tenant} {
		if _, err := o.Token(ctx); err != nil {
			t.Fatal(err)
		}
	}
	parent := []scim.Authenticator{mainCreds, scim.Bearer{Token: "static"}, tenant}
	data, err := json.Marshal(workerJob{Tokens: heldTokens(parent)})
	if err != nil {
		t.Fatal(err)
	}
	var job workerJob
	if err := json.Unmarshal(data, &job); err != nil {
		t.Fatal(err)
	}
	wMain, wTenant := creds(), creds()
	adoptTokens([]scim.Authenticator{wMain, scim.Bearer{Token: "static"}, wTenant}, job.Tokens)
	for i, pair := range [][2]*scim.OAuth2ClientCredentials{{mainCreds, wMain}, {tenant, wTenant}} {
		want, _ := pair[0].Current()
		if got, err := pair[1].Token(ctx); err != nil || got != want {
			t.Errorf("credential %d: worker token %q %v, want the parent's %q", i, got, err, want)
		}
	}
	if issued.Load() != 2 {
		t.Errorf("the token endpoint issued %d tokens, want 2 (the parent's only)", issued.Load())
	}
}
