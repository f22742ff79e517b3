package scim

import (
	"context"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadCAFileAndTLSConfig(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{}`))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	pemData := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, append([]byte("# comment\n"), pemData...), 0o600); err != nil {
		t.Fatal(err)
	}
	conf, err := TLSConfig(ca, false)
	if err != nil {
		t.Fatal(err)
	}
	if conf.InsecureSkipVerify || conf.RootCAs == nil || conf.MinVersion == 0 {
		t.Errorf("conf %+v", conf)
	}
	c := newTestClient(t, srv.URL, Options{TLS: conf})
	if _, err := c.Get(context.Background(), "Schemas", nil); err != nil {
		t.Fatalf("with --ca-file: %v", err)
	}
	if conf, _ := TLSConfig("", false); conf.RootCAs != nil || conf.InsecureSkipVerify {
		t.Error("default config must use the system roots with verification on")
	}

	empty := filepath.Join(dir, "empty.pem")
	_ = os.WriteFile(empty, []byte("not a certificate"), 0o600)
	broken := filepath.Join(dir, "broken.pem")
	_ = os.WriteFile(broken, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("junk")}), 0o600)
	for path, want := range map[string]string{empty: "no PEM certificate", broken: "certificate 1",
		filepath.Join(dir, "missing.pem"): "ca-file"} {
		if _, err := LoadCAFile(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadCAFile(%s) = %v, want %q", filepath.Base(path), err, want)
		}
		if _, err := TLSConfig(path, true); err == nil {
			t.Errorf("TLSConfig(%s) accepted a bad file", filepath.Base(path))
		}
	}
}
