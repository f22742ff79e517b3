// Command scimconform is a conformance test harness for SCIM 2.0 servers
// (RFC 7643, RFC 7644, RFC 9865 cursor paging).
//
//	scimconform run [--url BASE] [flags]   run the conformance specs
//	scimconform list [flags]               list the specs a selection keeps
//	scimconform report --json F --html F   re-render report.html offline
//	scimconform diff A.json B.json         compare two reports
//	scimconform matrix R1.json R2.json ... table many servers side by side
//	scimconform cleanup --prefix P         delete what a run kept or leaked
//	scimconform serve [flags]              run the reference SCIM server
//	scimconform version                    print the version
//
// Exit codes: 0 conformant, 1 not conformant, 2 usage, configuration or
// preflight error (or an empty selection).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/scimconform/scimconform/runner"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == runner.WorkerCommand {
		// A worker process of a parallel run: its parent stops it through
		// stdin, so a signal gets ginkgo's default handling only.
		os.Exit(runner.RunWorker(os.Stdin, os.Stderr))
	}
	status := &runner.Status{}
	ctx, cancel := context.WithCancel(runner.WithStatus(context.Background(), status))
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go onSignals(sigs, cancel, status, os.Stderr, os.Exit)
	code := realMain(ctx, os.Args[1:], os.Stdout, os.Stderr)
	signal.Stop(sigs)
	cancel()
	os.Exit(code)
}

// onSignals stops the work gracefully at the first signal (the run still
// deletes its test data and writes its reports) and exits at once at the
// second, saying how to delete what the run may have left.
func onSignals(sigs <-chan os.Signal, cancel context.CancelFunc, status *runner.Status, stderr io.Writer, exit func(int)) {
	if _, ok := <-sigs; !ok {
		return
	}
	fmt.Fprintln(stderr, "scimconform: interrupted; deleting test data and writing reports (interrupt again to exit at once)")
	cancel()
	if _, ok := <-sigs; !ok {
		return
	}
	status.Abort()
	msg := "scimconform: exiting at once; no report was written"
	if hint := status.LeftoverHint(); hint != "" {
		msg += "; " + hint
	}
	fmt.Fprintln(stderr, msg)
	exit(runner.ExitNotConformant)
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands lists the subcommands in help order.
func commands() []command {
	return []command{
		{"run", "run the conformance specs against a SCIM server (default: the embedded reference server)", cmdRun},
		{"list", "list the specs a selection keeps, and requirement coverage (no network)", cmdList},
		{"report", "re-render report.html from a report.json, offline", cmdReport},
		{"diff", "compare two report.json files: fixed, newly failing and changed specs", cmdDiff},
		{"matrix", "table many report.json files side by side: servers × requirements (interop events)", cmdMatrix},
		{"cleanup", "delete the data an earlier run kept (--keep) or leaked, by its run prefix", cmdCleanup},
		{"serve", "run the reference SCIM 2.0 server in the foreground", cmdServe},
		{"version", "print the version", cmdVersion},
	}
}

// realMain dispatches to a subcommand and turns every failure, even a panic,
// into an exit code and one line on stderr.
func realMain(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fail(stderr, fmt.Errorf("internal error: %v", p))
			code = runner.ExitUsage
		}
	}()
	if len(args) == 0 {
		printMainUsage(stderr)
		return runner.ExitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 {
			return realMain(ctx, []string{args[1], "--help"}, stdout, stderr)
		}
		printMainUsage(stdout)
		return 0
	case "-version", "--version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fail(stderr, fmt.Errorf("unknown command %q (commands: run, list, report, diff, matrix, cleanup, serve, version; see scimconform --help)", name))
	return runner.ExitUsage
}

// fail prints err as one line: "scimconform: <message>".
func fail(stderr io.Writer, err error) {
	msg := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
	fmt.Fprintln(stderr, "scimconform: "+msg)
}

// parseOrUsage handles a flag parse result: help prints the usage (exit 0),
// an error prints one line (exit 2). ok is true when the command may go on.
func parseOrUsage(err error, cmd string, stdout, stderr io.Writer, usage func(io.Writer)) (code int, ok bool) {
	switch {
	case err == nil:
		return 0, true
	case errors.Is(err, flag.ErrHelp):
		usage(stdout)
		return 0, false
	default:
		fail(stderr, fmt.Errorf("%s: %w (see scimconform %s --help)", cmd, err, cmd))
		return runner.ExitUsage, false
	}
}

func printMainUsage(w io.Writer) {
	fmt.Fprint(w, `scimconform checks a SCIM 2.0 service provider against RFC 7643, RFC 7644 and
RFC 9865, and writes junit.xml, report.json, report.html and exchanges.har.

Usage:
  scimconform <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Examples:
  scimconform run                                   # against the embedded reference server
  SCIMCONFORM_TOKEN=... scimconform run --url https://idp.example.com/scim/v2
  scimconform run --url https://idp.example.com/scim/v2 --read-only --level must
  scimconform list --section 7644/3.4.2 --coverage
  scimconform matrix acme/report.json globex/report.json --html matrix.html

Exit codes: 0 conformant, 1 not conformant, 2 usage/config/preflight error or empty selection.
Run 'scimconform <command> --help' for the flags of a command.
`)
}
