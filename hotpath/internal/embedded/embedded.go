// Package embedded starts the real local services that omsd and the tests run on: a Kafka-protocol
// broker (franz-go's kfake) and Redis (the redis-server binary, or miniredis when none is installed).
package embedded

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kfake"
)

// Kafka is an in-process Kafka-protocol cluster.
type Kafka struct{ c *kfake.Cluster }

// StartKafka starts a single-broker cluster on addr ("127.0.0.1:0" for any port) with the topics
// pre-created (name → partitions). A non-empty dataDir persists the log across restarts.
func StartKafka(addr, dataDir string, topics map[string]int32) (*Kafka, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("start kafka: %w", err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("start kafka: port: %w", err)
	}
	opts := []kfake.Opt{kfake.NumBrokers(1), kfake.ListenFn(func(network, a string) (net.Listener, error) {
		return net.Listen(network, net.JoinHostPort(host, strconv.Itoa(port)))
	})}
	for name, parts := range topics {
		opts = append(opts, kfake.SeedTopics(parts, name))
	}
	if dataDir != "" {
		opts = append(opts, kfake.DataDir(dataDir))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		return nil, fmt.Errorf("start kafka on %s: %w", addr, err)
	}
	return &Kafka{c: c}, nil
}

// Addrs returns the bootstrap addresses.
func (k *Kafka) Addrs() []string { return k.c.ListenAddrs() }

// Close stops the cluster; clients then fail as against a dead broker.
func (k *Kafka) Close() { k.c.Close() }

// Redis is a running Redis server.
type Redis struct {
	addr string
	dir  string
	cmd  *exec.Cmd
	mini *miniredis.Miniredis
}

// RedisBinary returns the redis-server path, or "" when none is installed.
func RedisBinary() string {
	if p, err := exec.LookPath("redis-server"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/redis-server"); err == nil {
		return "/usr/bin/redis-server"
	}
	return ""
}

// StartRedis starts redis-server on addr (port 0 picks a free one) with its files in dir; without the
// binary it falls back to miniredis unless requireReal is set.
func StartRedis(ctx context.Context, dir, addr string, requireReal bool) (*Redis, error) {
	bin := RedisBinary()
	if bin == "" {
		if requireReal {
			return nil, errors.New("start redis: redis-server not installed (apt-get install -y redis-server)")
		}
		m := miniredis.NewMiniRedis()
		if err := m.StartAddr(addr); err != nil {
			return nil, fmt.Errorf("start miniredis: %w", err)
		}
		return &Redis{addr: m.Addr(), mini: m}, nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("start redis: %w", err)
	}
	if port == "0" {
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			return nil, fmt.Errorf("start redis: free port: %w", err)
		}
		port = strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
		l.Close()
	}
	r := &Redis{addr: net.JoinHostPort(host, port), dir: dir}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("start redis: %w", err)
	}
	return r, r.start(ctx, bin)
}

func (r *Redis) start(ctx context.Context, bin string) error {
	host, port, _ := net.SplitHostPort(r.addr)
	cmd := exec.Command(bin, "--bind", host, "--port", port, "--dir", r.dir, "--save", "", "--appendonly", "no",
		"--logfile", filepath.Join(r.dir, "redis.log"), "--protected-mode", "no")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start redis: %w", err)
	}
	r.cmd = cmd
	c := redis.NewClient(&redis.Options{Addr: r.addr, MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if err := c.Ping(ctx).Err(); err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			r.Stop()
			return fmt.Errorf("start redis: no answer on %s within 5s (see %s)", r.addr, filepath.Join(r.dir, "redis.log"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Addr returns host:port.
func (r *Redis) Addr() string { return r.addr }

// Kind says which server runs: "redis-server" or "miniredis".
func (r *Redis) Kind() string {
	if r.mini != nil {
		return "miniredis"
	}
	return "redis-server"
}

// Stop kills the server and waits for it.
func (r *Redis) Stop() {
	if r.mini != nil {
		r.mini.Close()
		return
	}
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
	_ = r.cmd.Wait()
	r.cmd = nil
}

// Restart starts the server again on the same address (after Stop).
func (r *Redis) Restart(ctx context.Context) error {
	if r.mini != nil {
		return r.mini.Restart()
	}
	return r.start(ctx, RedisBinary())
}
