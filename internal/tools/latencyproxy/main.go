// Command latencyproxy is a loopback reverse proxy for benchmarks: it
// forwards every request to one target after a fixed delay, as if the target
// were that far away, and counts the requests and the most in flight at once.
//
//	latencyproxy --target http://127.0.0.1:8080 --delay 20ms [--listen 127.0.0.1:0]
//
// It prints "listening on http://HOST:PORT" once ready, serves its counts as
// JSON at /__stats, and prints them as "requests=N peak_in_flight=M" when it
// ends on SIGINT or SIGTERM. It reads each request body whole (at most 64
// MiB) before forwarding it. scripts/bench-latency.sh drives it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// config is the command line.
type config struct {
	listen string
	target *url.URL
	delay  time.Duration
}

func parseArgs(args []string) (config, error) {
	fs := flag.NewFlagSet("latencyproxy", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	listen := fs.String("listen", "127.0.0.1:0", "listen address (port 0: a free port)")
	target := fs.String("target", "", "URL of the server to forward to (scheme://host:port)")
	delay := fs.Duration("delay", 20*time.Millisecond, "delay added before each request is forwarded")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	u, err := url.Parse(*target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return config{}, fmt.Errorf("--target %q: want http(s)://host:port", *target)
	}
	if *delay < 0 {
		return config{}, fmt.Errorf("--delay %s must not be negative", *delay)
	}
	return config{listen: *listen, target: &url.URL{Scheme: u.Scheme, Host: u.Host}, delay: *delay}, nil
}

// run serves until ctx ends and returns the exit code: 2 for bad arguments
// or a listen error, 0 otherwise.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "latencyproxy: %v\n", err)
		return 2
	}
	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		fmt.Fprintf(stderr, "latencyproxy: %v\n", err)
		return 2
	}
	p := newProxy(cfg.target, cfg.delay)
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "listening on http://%s (delay %s, target %s)\n", ln.Addr(), cfg.delay, cfg.target)
	select {
	case <-ctx.Done():
	case err := <-done:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(stderr, "latencyproxy: %v\n", err)
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	fmt.Fprintln(stdout, p.Snapshot())
	return 0
}
