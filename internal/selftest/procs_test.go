package selftest_test

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner"
)

// Linux /proc helpers for the self-tests that act on the worker processes
// of a parallel run.

// needProc skips a test that needs Linux's /proc.
func needProc(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc to find the worker processes of a run (Linux)")
	}
}

// workerPids lists the live worker processes whose parent is pid, sorted
// (the parent starts worker 1 first, so it has the lowest pid unless the
// pids wrapped).
func workerPids(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, ok := parentOf(child); ok && ppid == pid && isWorker(child) {
			out = append(out, child)
		}
	}
	sort.Ints(out)
	return out
}

// parentOf reads the parent pid from /proc/<pid>/stat.
func parentOf(pid int) (int, bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	s := string(data)
	end := strings.LastIndexByte(s, ')') // the command name may hold spaces
	if end < 0 {
		return 0, false
	}
	fields := strings.Fields(s[end+1:]) // state, ppid, ...
	if len(fields) < 2 {
		return 0, false
	}
	ppid, err := strconv.Atoi(fields[1])
	return ppid, err == nil
}

// isWorker reports whether pid is a live (not zombie) scimconform worker.
func isWorker(pid int) bool {
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	return strings.Contains(string(cmdline), runner.WorkerCommand)
}

// connectionOwner returns which of pids holds the client end of the TCP
// connection a server saw as remoteAddr, the server listening on
// serverAddr (both host:port); 0 when none does.
func connectionOwner(remoteAddr, serverAddr string, pids []int) int {
	inode := socketInode(portOf(remoteAddr), portOf(serverAddr))
	if inode == "" {
		return 0
	}
	want := "socket:[" + inode + "]"
	for _, pid := range pids {
		fds, _ := filepath.Glob(fmt.Sprintf("/proc/%d/fd/*", pid))
		for _, fd := range fds {
			if link, err := os.Readlink(fd); err == nil && link == want {
				return pid
			}
		}
	}
	return 0
}

func portOf(addr string) int {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return -1
	}
	n, _ := strconv.Atoi(port)
	return n
}

// socketInode finds in /proc/net/tcp{,6} the socket from local port to
// remote port and returns its inode.
func socketInode(local, remote int) string {
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 || hexPort(fields[1]) != local || hexPort(fields[2]) != remote {
				continue
			}
			_ = f.Close()
			return fields[9]
		}
		_ = f.Close()
	}
	return ""
}

// hexPort is the port of a /proc/net/tcp address ("0100007F:1F90").
func hexPort(addr string) int {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		return -2
	}
	n, err := strconv.ParseInt(addr[i+1:], 16, 32)
	if err != nil {
		return -2
	}
	return int(n)
}

func TestConnectionOwnerFindsThisProcess(t *testing.T) {
	needProc(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	me := os.Getpid()
	if got := connectionOwner(conn.LocalAddr().String(), ln.Addr().String(), []int{me}); got != me {
		t.Errorf("owner of this process's connection: %d, want %d", got, me)
	}
	if got := connectionOwner(conn.LocalAddr().String(), ln.Addr().String(), []int{me + 1_000_000}); got != 0 {
		t.Errorf("owner among other processes: %d, want 0", got)
	}
	if ppid, ok := parentOf(me); !ok || ppid != os.Getppid() {
		t.Errorf("parentOf(self) = %d %v, want %d", ppid, ok, os.Getppid())
	}
}
