package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"
)

// slowWriteConn pauses after every write, as a busy machine may pause the
// goroutine writing a request to the target right after its body went out.
type slowWriteConn struct {
	net.Conn
	pause time.Duration
}

func (c slowWriteConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	time.Sleep(c.pause)
	return n, err
}

// TestEveryPOSTGetsItsWholeAnswer: the target answers a POST as soon as it
// has the body, while the proxy's transport has not yet confirmed the end of
// the request body. The proxy's server then closes that body as it starts
// the answer to the client; the transport, reading the body's end after
// the close, dropped the connection mid-answer and the client got a 200
// cut after its first 4 KiB (seen as an "empty" POST /Users/.search answer).
func TestEveryPOSTGetsItsWholeAnswer(t *testing.T) {
	answer := bytes.Repeat([]byte("a"), 20000)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			t.Errorf("target reading the request body: %v", err)
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
		_, _ = w.Write(answer[:8000])
		w.(http.Flusher).Flush()
		time.Sleep(100 * time.Millisecond) // the rest follows later
		_, _ = w.Write(answer[8000:])
	}))
	defer backend.Close()
	target, _ := url.Parse(backend.URL)
	slow := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return slowWriteConn{c, 30 * time.Millisecond}, nil
	}}
	defer slow.CloseIdleConnections()
	front := httptest.NewServer(newProxyWith(target, time.Millisecond, slow))
	defer front.Close()

	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := bytes.Repeat([]byte("b"), 185+i)
			resp, err := http.Post(front.URL+"/scim/v2/Users/.search", "application/scim+json", bytes.NewReader(body))
			if err != nil {
				t.Errorf("POST %d: %v", i, err)
				return
			}
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || err != nil || !bytes.Equal(got, answer) {
				t.Errorf("POST %d: %d with %d of %d body bytes (%v); want the whole answer", i, resp.StatusCode, len(got), len(answer), err)
			}
		}()
	}
	wg.Wait()
}
