package embedded

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// Kinds of Redis server, as returned by Redis.Kind.
const (
	KindRedisServer = "redis-server"
	KindMiniredis   = "miniredis"
)

// ErrNoBinary means a required server binary is not installed.
var ErrNoBinary = errors.New("server binary not installed")

// RedisOptions configures StartRedis.
type RedisOptions struct {
	// Dir holds redis.conf, the log and any persistence files. Required for redis-server.
	Dir string
	// Addr is host:port to listen on; "" or port 0 picks a free port on 127.0.0.1.
	Addr string
	// Persist turns on the append-only file (fsync every second) so data survives a restart;
	// false runs without any persistence, as tests want.
	Persist bool
	// RequireReal makes StartRedis fail with ErrNoBinary instead of falling back to miniredis.
	RequireReal bool
	// Logger receives start, stop and fallback messages; nil discards them.
	Logger *slog.Logger
}

// Redis is a running Redis server: a redis-server child process, or miniredis in process.
type Redis struct {
	opts RedisOptions
	bin  string
	addr string
	log  *slog.Logger

	mu   sync.Mutex // guards p and mini across Stop and Restart
	p    *proc
	mini *miniredis.Miniredis
}

// RedisBinary returns the path of redis-server (PATH, then /usr/bin and /usr/local/bin), or "".
func RedisBinary() string {
	return findBinary("redis-server", "/usr/bin", "/usr/local/bin", "/usr/sbin")
}

// StartRedis starts a Redis server and returns once it answers PING. Without a redis-server binary
// it falls back to miniredis (see Kind) unless opts.RequireReal is set.
func StartRedis(ctx context.Context, opts RedisOptions) (*Redis, error) {
	r := &Redis{opts: opts, bin: RedisBinary(), log: orDiscard(opts.Logger).With("component", "redis")}
	if r.bin == "" {
		if opts.RequireReal {
			return nil, fmt.Errorf("start redis: redis-server: %w (apt-get install -y redis-server)", ErrNoBinary)
		}
		return r, r.startMini()
	}
	if opts.Dir == "" {
		return nil, errors.New("start redis: Options.Dir is required")
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("start redis: %w", err)
	}
	// A port chosen by us can be taken by someone else before redis binds it: try a few.
	fixed := opts.Addr != "" && !strings.HasSuffix(opts.Addr, ":0")
	var err error
	for range 3 {
		host, port, perr := loopbackAddr(opts.Addr)
		if perr != nil {
			return nil, fmt.Errorf("start redis: %w", perr)
		}
		r.addr = net.JoinHostPort(host, strconv.Itoa(port))
		if err = r.start(ctx); err == nil || fixed || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Redis) startMini() error {
	m := miniredis.NewMiniRedis()
	addr := r.opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := m.StartAddr(addr); err != nil {
		return fmt.Errorf("start miniredis: %w", err)
	}
	r.mini, r.addr = m, m.Addr()
	r.log.Warn("redis-server not installed; using in-process miniredis (apt-get install -y redis-server for the real server)",
		"addr", r.addr)
	return nil
}

// start launches redis-server on r.addr and waits for PING.
func (r *Redis) start(ctx context.Context) error {
	t0 := time.Now()
	host, port, _ := net.SplitHostPort(r.addr)
	logFile := filepath.Join(r.opts.Dir, "redis.log")
	conf := []string{
		"bind " + host,
		"port " + port,
		"dir " + strconv.Quote(r.opts.Dir),
		"logfile " + strconv.Quote(logFile),
		"daemonize no",
		"protected-mode no",
		`save ""`,
	}
	if r.opts.Persist {
		conf = append(conf, "appendonly yes", "appendfsync everysec")
	} else {
		conf = append(conf, "appendonly no")
	}
	confPath := filepath.Join(r.opts.Dir, "redis.conf")
	if err := os.WriteFile(confPath, []byte(strings.Join(conf, "\n")+"\n"), 0o644); err != nil {
		return fmt.Errorf("start redis: %w", err)
	}
	p, err := startProc(exec.Command(r.bin, confPath))
	if err != nil {
		return fmt.Errorf("start redis: %w", err)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := waitFor(wctx, p, 10*time.Millisecond, func(ctx context.Context) error { return ping(ctx, r.addr) }); err != nil {
		p.stop(syscall.SIGKILL, 0)
		return fmt.Errorf("start redis on %s: %w\n%s", r.addr, err, tailFile(logFile, 2048))
	}
	r.mu.Lock()
	r.p = p
	r.mu.Unlock()
	r.log.Info("redis started", "kind", KindRedisServer, "addr", r.addr, "pid", p.cmd.Process.Pid,
		"persist", r.opts.Persist, "took", time.Since(t0).Round(time.Millisecond))
	return nil
}

// ping sends one inline PING and expects +PONG (a loading server answers -LOADING, which is not ready).
func ping(ctx context.Context, addr string) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(250 * time.Millisecond))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("ping: %q", strings.TrimSpace(line))
	}
	return nil
}

// Addr returns the host:port the server listens on.
func (r *Redis) Addr() string { return r.addr }

// Kind says which server runs: KindRedisServer or KindMiniredis.
func (r *Redis) Kind() string {
	if r.bin == "" {
		return KindMiniredis
	}
	return KindRedisServer
}

// Stop ends the server (SIGTERM with Persist, then SIGKILL after 5 s) and waits until it has exited. Clients then
// see connection refused, as against a dead Redis. Stop is idempotent.
func (r *Redis) Stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mini != nil {
		r.mini.Close()
		return
	}
	if r.p == nil {
		return
	}
	// Redis acts on SIGTERM only at its next cron tick (up to 100 ms) and then writes the append-only
	// file; without persistence there is nothing to write, so it is killed at once.
	sig := syscall.SIGKILL
	if r.opts.Persist {
		sig = syscall.SIGTERM
	}
	r.p.stop(sig, 5*time.Second)
	r.p = nil
	r.log.Info("redis stopped", "addr", r.addr)
}

// Restart starts a stopped server again on the same address (a Redis-down test brings it back with
// this). Without Persist the data is gone; miniredis keeps its data.
func (r *Redis) Restart(ctx context.Context) error {
	if r.mini != nil {
		r.mu.Lock()
		defer r.mu.Unlock()
		if err := r.mini.Restart(); err != nil {
			return fmt.Errorf("restart miniredis: %w", err)
		}
		return nil
	}
	r.mu.Lock()
	running := r.p != nil && !r.p.exited()
	r.mu.Unlock()
	if running {
		return fmt.Errorf("restart redis on %s: still running", r.addr)
	}
	return r.start(ctx)
}
