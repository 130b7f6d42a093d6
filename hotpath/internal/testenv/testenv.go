// Package testenv starts the real local services for tests, over package embedded: each helper puts
// the service's data in t.TempDir() and stops it in t.Cleanup.
//
// When a real server binary is missing, a helper skips the test on a developer's machine but fails it
// when CI or OMS_REQUIRE_REAL=1 is set, so CI never passes on a fake (`make test` installs the
// binaries through .ci/deps.sh).
package testenv

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/internal/embedded"
)

// RequireReal reports whether tests must run on real servers: CI is set, or OMS_REQUIRE_REAL=1.
func RequireReal() bool {
	return os.Getenv("CI") != "" || os.Getenv("OMS_REQUIRE_REAL") == "1"
}

// Redis starts a redis-server without persistence. Without the binary it fails the test under
// RequireReal and otherwise falls back to miniredis (see Kind), which speaks the same protocol.
func Redis(t testing.TB) *embedded.Redis {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := embedded.StartRedis(ctx, embedded.RedisOptions{Dir: t.TempDir(), RequireReal: RequireReal(), Logger: Logger(t)})
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(r.Stop)
	return r
}

// RealRedis starts a redis-server and skips the test when none is installed (failing it under
// RequireReal): for tests that mean the real server, such as benchmarks and stop/restart tests.
func RealRedis(t testing.TB) *embedded.Redis {
	t.Helper()
	if embedded.RedisBinary() == "" {
		missing(t, "redis-server (apt-get install -y redis-server)")
	}
	return Redis(t)
}

// Kafka starts an in-process broker on a free port with the topics (name → partitions) created.
func Kafka(t testing.TB, topics map[string]int32) *embedded.Kafka {
	t.Helper()
	k, err := embedded.StartKafka(embedded.KafkaOptions{Topics: topics, Logger: Logger(t)})
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(k.Close)
	return k
}

// Store starts FerretDB over a private PostgreSQL cluster (fsync off). Without PostgreSQL it fails
// the test under RequireReal and otherwise falls back to FerretDB's SQLite backend (see Backend).
func Store(t testing.TB) *embedded.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := embedded.StartStore(ctx, embedded.StoreOptions{
		Dir: t.TempDir(), NoSync: true, RequireReal: RequireReal(), Logger: Logger(t),
	})
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// missing fails the test under RequireReal and skips it otherwise.
func missing(t testing.TB, what string) {
	t.Helper()
	if RequireReal() {
		t.Fatalf("testenv: %s is not installed and CI/OMS_REQUIRE_REAL requires it (make deps installs it)", what)
	}
	t.Skipf("testenv: %s is not installed", what)
}

// Logger returns a logger that writes through t.Log at Warn and above, so a service's complaints show
// beside the failing test and nothing else clutters the output.
// Lines logged after the test has finished are dropped: t.Log would panic.
func Logger(t testing.TB) *slog.Logger {
	w := &logWriter{t: t}
	t.Cleanup(func() { w.done.Store(true) }) // registered first, so it runs after the services stop
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type logWriter struct {
	t    testing.TB
	done atomic.Bool
}

func (w *logWriter) Write(p []byte) (int, error) {
	if !w.done.Load() {
		w.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}
