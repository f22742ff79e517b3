package refserver

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// realm names the protection space in WWW-Authenticate challenges.
const realm = "scimconform"

// authenticate checks the bearer token (RFC 6750 §2.1) when one is
// configured. The token is compared in constant time.
func (s *Server) authenticate(r *http.Request) error {
	h := r.Header.Get("Authorization")
	if s.opts.Token == "" || (h == "" && s.isPublicDiscovery(r)) {
		return nil
	}
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if h == "" || !ok || !strings.EqualFold(scheme, "Bearer") {
		return scimerr.New(http.StatusUnauthorized, "", "a bearer token is required")
	}
	token = strings.TrimSpace(token)
	if s.faults.Has(FaultAuthAnyToken) && token != "" {
		return nil
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(s.opts.Token)) != 1 {
		return scimerr.New(http.StatusUnauthorized, "", "the bearer token is not valid")
	}
	return nil
}

// setChallenge adds the WWW-Authenticate header of a 401 response (RFC 7644
// §2, RFC 7235 §4.1).
func (s *Server) setChallenge(w http.ResponseWriter, r *http.Request) {
	if s.faults.Has(FaultAuthNoChallenge) {
		return
	}
	c := `Bearer realm="` + realm + `"`
	if s.faults.Has(FaultAuthWrongScheme) {
		c = `Basic realm="` + realm + `"`
	}
	if r.Header.Get("Authorization") != "" {
		c += `, error="invalid_token"`
	}
	w.Header().Set("WWW-Authenticate", c)
}

// isPublicDiscovery reports whether r reads /ServiceProviderConfig, which is
// served without credentials so clients can discover authenticationSchemes
// before they authenticate (RFC 7643 §5, 7643-5-17).
func (s *Server) isPublicDiscovery(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := strings.TrimSuffix(r.URL.Path, "/")
	return strings.EqualFold(p, s.opts.BasePath+"/ServiceProviderConfig")
}
