package embedded_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crypto-oms/crypto-oms/hotpath/internal/embedded"
)

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// tWriter sends log lines to t.Log so they show only for failing or verbose tests.
type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// requireReal fails (in CI) or skips (elsewhere) when a server binary is missing.
func requireReal(t *testing.T, missing bool, what string) {
	t.Helper()
	if !missing {
		return
	}
	if os.Getenv("CI") != "" || os.Getenv("OMS_REQUIRE_REAL") == "1" {
		t.Fatalf("%s not installed (make deps installs it)", what)
	}
	t.Skipf("%s not installed", what)
}

// processesUnder lists pids whose command line mentions dir: what a Stop must leave at zero.
func processesUnder(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, e := range ents {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		if cmd := strings.ReplaceAll(string(b), "\x00", " "); strings.Contains(cmd, dir) {
			found = append(found, e.Name()+": "+cmd)
		}
	}
	return found
}

// checkGoroutines fails when the goroutine count does not return to (about) before within a few seconds.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= before+2 {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("goroutines: %d before, %d after stop\n%s", before, n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestRedisStartStopRestart(t *testing.T) {
	requireReal(t, embedded.RedisBinary() == "", "redis-server")
	ctx := context.Background()
	dir := t.TempDir()
	t0 := time.Now()
	r, err := embedded.StartRedis(ctx, embedded.RedisOptions{Dir: dir, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	t.Logf("redis-server started in %v on %s", time.Since(t0), r.Addr())
	if r.Kind() != embedded.KindRedisServer {
		t.Fatalf("kind = %s", r.Kind())
	}
	c := redis.NewClient(&redis.Options{Addr: r.Addr(), MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer c.Close()
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}

	r.Stop()
	if err := c.Ping(ctx).Err(); err == nil {
		t.Fatal("ping after Stop succeeded")
	}
	if ps := processesUnder(t, dir); len(ps) > 0 {
		t.Fatalf("left behind: %v", ps)
	}
	r.Stop() // idempotent

	if err := r.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("ping after Restart: %v", err)
	}
	r.Stop()
	if ps := processesUnder(t, dir); len(ps) > 0 {
		t.Fatalf("left behind: %v", ps)
	}
}

func TestRedisPersist(t *testing.T) {
	requireReal(t, embedded.RedisBinary() == "", "redis-server")
	ctx := context.Background()
	dir := t.TempDir()
	r, err := embedded.StartRedis(ctx, embedded.RedisOptions{Dir: dir, Persist: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	c := redis.NewClient(&redis.Options{Addr: r.Addr(), MaxRetries: -1})
	defer c.Close()
	if err := c.Set(ctx, "kept", "yes", 0).Err(); err != nil {
		t.Fatal(err)
	}
	r.Stop() // SIGTERM: redis writes the append-only file out before exiting
	if err := r.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if v, err := c.Get(ctx, "kept").Result(); err != nil || v != "yes" {
		t.Fatalf("after restart: %q, %v", v, err)
	}
}

func TestRedisFixedAddrInUse(t *testing.T) {
	requireReal(t, embedded.RedisBinary() == "", "redis-server")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, err = embedded.StartRedis(context.Background(), embedded.RedisOptions{Dir: t.TempDir(), Addr: l.Addr().String()})
	if err == nil {
		t.Fatal("started on a port in use")
	}
}

func TestKafka(t *testing.T) {
	before := runtime.NumGoroutine()
	t0 := time.Now()
	k, err := embedded.StartKafka(embedded.KafkaOptions{
		Topics: map[string]int32{"orders": 3, "executions": 2},
		Logger: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("kafka started in %v on %v", time.Since(t0), k.Addrs())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// A transactional producer, as the processor uses: the records become visible on commit.
	p, err := kgo.NewClient(kgo.SeedBrokers(k.Addrs()...), kgo.TransactionalID("t1"), kgo.DefaultProduceTopic("orders"))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		p.Produce(ctx, &kgo.Record{Key: []byte(fmt.Sprint("acct", i%3)), Value: []byte(fmt.Sprint(i))}, nil)
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.EndTransaction(ctx, kgo.TryCommit); err != nil {
		t.Fatal(err)
	}
	p.Close()

	c, err := kgo.NewClient(kgo.SeedBrokers(k.Addrs()...), kgo.ConsumerGroup("g"), kgo.ConsumeTopics("orders"),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for got < 10 {
		fs := c.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			t.Fatal(err)
		}
		got += fs.NumRecords()
	}
	c.Close()

	k.Close()
	cl, err := kgo.NewClient(kgo.SeedBrokers(k.Addrs()...), kgo.DialTimeout(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	pctx, pcancel := context.WithTimeout(ctx, time.Second)
	if err := cl.Ping(pctx); err == nil {
		t.Fatal("ping after Close succeeded")
	}
	pcancel()
	if err := k.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := cl.Ping(ctx); err != nil {
		t.Fatalf("ping after Restart: %v", err)
	}
	cl.Close()
	k.Close()
	k.Close() // idempotent
	checkGoroutines(t, before)
}

func TestKafkaFixedPortAndDataDir(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dir := t.TempDir()
	port := freeTCPPort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	k, err := embedded.StartKafka(embedded.KafkaOptions{Addr: addr, DataDir: dir, Topics: map[string]int32{"prices": 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if got := k.Addrs(); len(got) != 1 || got[0] != addr {
		t.Fatalf("addrs = %v", got)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.DefaultProduceTopic("prices"))
	if err != nil {
		t.Fatal(err)
	}
	if err := cl.ProduceSync(ctx, &kgo.Record{Value: []byte("tick")}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	cl.Close()
	k.Close()

	// Reopened on the same directory, with one more topic configured: the log is back, the topic new.
	k2, err := embedded.StartKafka(embedded.KafkaOptions{Addr: addr, DataDir: dir, Topics: map[string]int32{"prices": 1, "control": 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer k2.Close()
	if k2.Cluster().TopicInfo("control") == nil {
		t.Fatal("topic control not created on reload")
	}
	c, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ConsumeTopics("prices"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fs := c.PollFetches(ctx)
	if err := fs.Err0(); err != nil {
		t.Fatal(err)
	}
	if fs.NumRecords() != 1 || string(fs.Records()[0].Value) != "tick" {
		t.Fatalf("reloaded records: %v", fs.Records())
	}
}

func freeTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func TestStore(t *testing.T) {
	for _, backend := range []string{embedded.BackendPostgreSQL, embedded.BackendSQLite} {
		t.Run(backend, func(t *testing.T) {
			if backend == embedded.BackendPostgreSQL {
				requireReal(t, embedded.PostgresBinDir() == "", "PostgreSQL")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			dir := t.TempDir()
			before := runtime.NumGoroutine()
			t0 := time.Now()
			st, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: dir, Backend: backend, NoSync: true, Logger: testLogger(t)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(st.Stop)
			t.Logf("store (%s) started in %v at %s", st.Backend(), time.Since(t0), st.URI())
			if st.Backend() != backend {
				t.Fatalf("backend = %s", st.Backend())
			}
			exerciseStore(ctx, t, st.URI())
			st.Stop()
			if ps := processesUnder(t, dir); len(ps) > 0 {
				t.Fatalf("left behind: %v", ps)
			}
			checkGoroutines(t, before)
		})
	}
}

// exerciseStore does what the read model needs over the real driver: insert, find, upsert, index.
func exerciseStore(ctx context.Context, t *testing.T, uri string) {
	t.Helper()
	cl, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := cl.Disconnect(context.Background()); err != nil {
			t.Error(err)
		}
	}()
	orders := cl.Database("oms").Collection("orders")
	if _, err := orders.InsertOne(ctx, bson.D{{Key: "orderId", Value: "o-1"}, {Key: "symbol", Value: "BTC/USD"}, {Key: "quantity", Value: "0.1"}}); err != nil {
		t.Fatal(err)
	}
	name, err := orders.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "orderId", Value: 1}}, Options: options.Index().SetUnique(true)})
	if err != nil {
		t.Fatal(err)
	}
	if name == "" {
		t.Fatal("index without a name")
	}
	var doc struct {
		OrderID  string `bson:"orderId"`
		Symbol   string `bson:"symbol"`
		Quantity string `bson:"quantity"`
		Status   string `bson:"status"`
	}
	if err := orders.FindOne(ctx, bson.D{{Key: "orderId", Value: "o-1"}}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Symbol != "BTC/USD" || doc.Quantity != "0.1" {
		t.Fatalf("found %+v", doc)
	}
	// Upsert: updates the existing document, inserts a missing one.
	for _, id := range []string{"o-1", "o-2"} {
		res, err := orders.UpdateOne(ctx, bson.D{{Key: "orderId", Value: id}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: "FILLED"}}}}, options.UpdateOne().SetUpsert(true))
		if err != nil {
			t.Fatal(err)
		}
		if id == "o-1" && res.ModifiedCount != 1 || id == "o-2" && res.UpsertedCount != 1 {
			t.Fatalf("upsert %s: %+v", id, res)
		}
	}
	n, err := orders.CountDocuments(ctx, bson.D{{Key: "status", Value: "FILLED"}})
	if err != nil || n != 2 {
		t.Fatalf("count = %d, %v", n, err)
	}
	// The unique index holds.
	_, err = orders.InsertOne(ctx, bson.D{{Key: "orderId", Value: "o-2"}})
	var we mongo.WriteException
	if !errors.As(err, &we) || !mongo.IsDuplicateKeyError(err) {
		t.Fatalf("duplicate insert: %v", err)
	}
}

// TestStoreRestartKeepsData is omsd's restart: the same data dir comes back with its documents, also
// after the previous run was killed without a shutdown.
func TestStoreRestartKeepsData(t *testing.T) {
	requireReal(t, embedded.PostgresBinDir() == "", "PostgreSQL")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dir := t.TempDir()
	addr := fmt.Sprintf("127.0.0.1:%d", freeTCPPort(t))
	start := func() *embedded.Store {
		t0 := time.Now()
		st, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: dir, Addr: addr, Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		if want := "mongodb://" + addr + "/"; st.URI() != want {
			t.Fatalf("URI = %s; want %s", st.URI(), want)
		}
		t.Logf("store (%s) started in %v", st.Backend(), time.Since(t0))
		if st.Backend() != embedded.BackendPostgreSQL {
			t.Fatalf("auto backend = %s with PostgreSQL installed", st.Backend())
		}
		return st
	}
	st := start()
	cl, err := mongo.Connect(options.Client().ApplyURI(st.URI()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Database("oms").Collection("fills").InsertOne(ctx, bson.D{{Key: "execId", Value: "e-1"}}); err != nil {
		t.Fatal(err)
	}
	_ = cl.Disconnect(ctx)
	st.Stop()

	count := func(st *embedded.Store) int64 {
		cl, err := mongo.Connect(options.Client().ApplyURI(st.URI()))
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = cl.Disconnect(context.Background()) }()
		n, err := cl.Database("oms").Collection("fills").CountDocuments(ctx, bson.D{{Key: "execId", Value: "e-1"}})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	st = start()
	if n := count(st); n != 1 {
		t.Fatalf("after restart: count = %d", n)
	}
	// Crash: SIGKILL the postmaster's group, leaving postmaster.pid behind as kill -9 of omsd would.
	b, err := os.ReadFile(filepath.Join(dir, "pg", "data", "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(-pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	st.Stop()
	st = start()
	defer st.Stop()
	if n := count(st); n != 1 {
		t.Fatalf("after crash: count = %d", n)
	}
}
