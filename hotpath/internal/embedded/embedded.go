// Package embedded starts the real local services that omsd and the tests run on: Redis (the
// redis-server binary, or miniredis where none is installed), a Kafka-protocol broker (franz-go's
// kfake, in process) and a MongoDB-wire store (FerretDB in process over a private PostgreSQL cluster,
// or over SQLite where PostgreSQL is not installed).
//
// Child processes run in their own process group and die with their parent (Pdeathsig), so Stop, or a
// crash of the process that started them, leaves nothing behind.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// proc is a child process running in its own process group, so that stopping it also ends everything
// it forked (PostgreSQL's backends, for one).
type proc struct {
	cmd  *exec.Cmd
	done chan struct{} // closed once the process has exited and been reaped
	err  error         // Wait's result; read only after done is closed
	once sync.Once
}

// startProc starts cmd in a new process group that the kernel kills if this process dies.
func startProc(cmd *exec.Cmd) (*proc, error) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends sig to the process group, waits up to grace for the leader to exit, then kills the whole
// group. It is safe to call more than once.
func (p *proc) stop(sig syscall.Signal, grace time.Duration) {
	p.once.Do(func() {
		pgid := p.cmd.Process.Pid
		_ = syscall.Kill(-pgid, sig)
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-p.done:
		case <-t.C:
		}
		// Kill the group even after a clean exit of the leader: a forked child could outlive it.
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	})
}

// loopbackAddr normalises addr: empty means 127.0.0.1 with a free port, a missing host means
// 127.0.0.1, and port 0 is replaced by a port that is free now.
func loopbackAddr(addr string) (host string, port int, err error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("address %q: %w", addr, err)
	}
	if h == "" {
		h = "127.0.0.1"
	}
	port, err = strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("address %q: bad port", addr)
	}
	if port == 0 {
		if port, err = freePort(h); err != nil {
			return "", 0, err
		}
	}
	return h, port, nil
}

// freePort asks the kernel for a port that is free now. Another process can take it before we bind,
// which callers handle by retrying with a new port.
func freePort(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, fmt.Errorf("free port on %s: %w", host, err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// findBinary returns the first executable named name on PATH or in dirs, or "" when there is none.
func findBinary(name string, dirs ...string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, d := range dirs {
		p := d + "/" + name
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// waitFor polls check every interval until it succeeds, the process exits, or ctx ends.
func waitFor(ctx context.Context, p *proc, interval time.Duration, check func(context.Context) error) error {
	var last error
	for {
		if last = check(ctx); last == nil {
			return nil
		}
		if p != nil && p.exited() {
			return fmt.Errorf("process exited (%v): %w", p.err, last)
		}
		select {
		case <-ctx.Done():
			return errors.Join(ctx.Err(), last)
		case <-time.After(interval):
		}
	}
}

// tailFile returns up to the last n bytes of a log file, for error messages.
func tailFile(path string, n int64) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return ""
	}
	off := max(fi.Size()-n, 0)
	buf := make([]byte, fi.Size()-off)
	_, _ = f.ReadAt(buf, off)
	return string(buf)
}

// orDiscard returns l, or a logger that drops everything when l is nil.
func orDiscard(l *slog.Logger) *slog.Logger {
	if l != nil {
		return l
	}
	return slog.New(slog.DiscardHandler)
}
