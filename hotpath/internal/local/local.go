// Package local assembles the whole system in one process on embedded defaults: kfake (real Kafka
// protocol on a fixed port), Redis, the market data feed, the processor and the gateway. omsd runs it,
// and the end-to-end tests start it exactly as a user would.
package local

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/edges"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/embedded"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/gateway"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/kafkabus"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/marketdata"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/processor"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/rediscache"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/stream"
	"github.com/crypto-oms/crypto-oms/lambdas/keystore"
)

// Config of a local system.
type Config struct {
	HTTPAddr    string // "127.0.0.1:8080"
	KafkaAddr   string // "127.0.0.1:9092"; empty: no embedded broker, use Brokers
	Brokers     []string
	RedisAddr   string // empty: embedded redis
	DataDir     string
	Dev         bool // unsigned loopback requests act as the demo account
	RequireReal bool // fail instead of falling back to miniredis
	NoProcessor bool // run without the in-process processor (tests run it as a separate process)
	NoStore     bool // run without the read-model store (tests of the order path alone)
	Ephemeral   bool // no Redis persistence and an unsynced store: tests
	FeedSeed    uint64
	StaticDir   string // the built dashboard (frontend/dist), served at /; empty: none
	Logger      *slog.Logger
}

// DemoAccount is the account dev mode trades as.
const DemoAccount order.AccountID = "demo"

// DemoFunding is what every account starts with locally.
func DemoFunding() map[string]money.Decimal {
	d := money.MustParse
	return map[string]money.Decimal{"USD": d("1000000"), "BTC": d("10"), "ETH": d("100"), "SOL": d("1000")}
}

// System is a running local system.
type System struct {
	HTTPAddr string
	Brokers  []string
	Redis    *embedded.Redis
	Kafka    *embedded.Kafka
	DemoKey  auth.Key
	Books    *marketdata.Books
	Store    *embedded.Store // the MongoDB-wire read-model store; nil with NoStore

	log      *slog.Logger
	srv      *http.Server
	producer *kafkabus.Producer
	rdb      *redis.Client
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	errs     chan error
}

// Topics returns the topic → partitions map of the dev sizing profile.
func Topics() (map[string]int32, error) {
	s, err := estate.LoadSizing()
	if err != nil {
		return nil, err
	}
	p, err := s.Profile("dev")
	if err != nil {
		return nil, err
	}
	out := map[string]int32{}
	for name, t := range p.MSK.Topics {
		out[name] = int32(t.Partitions)
	}
	return out, nil
}

// Fees are the paper venue's fee rates (account.DefaultFees).
func Fees() account.Fees { return account.DefaultFees() }

// ProcessorConfig is the processor configuration of a local run (also used by the separate processor
// process of the crash tests), with the demo funding for every account.
func ProcessorConfig(brokers []string, txnID string, log *slog.Logger) processor.RunConfig {
	return processor.RunConfig{
		Brokers: brokers, Group: "processor", TransactionalID: txnID,
		Catalog: instrument.Default(),
		Fees:    Fees(),
		Limits:  account.DefaultLimits(),
		Funding: DemoFunding(),
		Logger:  log,
	}
}

// Start brings the system up and returns once it serves.
func Start(ctx context.Context, cfg Config) (*System, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("start: data dir: %w", err)
	}
	s := &System{log: cfg.Logger, errs: make(chan error, 8), Books: marketdata.NewBooks()}
	ok := false
	defer func() {
		if !ok {
			s.Stop()
		}
	}()
	topics, err := Topics()
	if err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	s.Brokers = cfg.Brokers
	if cfg.KafkaAddr != "" {
		if s.Kafka, err = embedded.StartKafka(embedded.KafkaOptions{Addr: cfg.KafkaAddr, DataDir: filepath.Join(cfg.DataDir, "kafka"), Topics: topics, Logger: cfg.Logger}); err != nil {
			return nil, fmt.Errorf("start: %w", err)
		}
		s.Brokers = s.Kafka.Addrs()
	}
	if err := kafkabus.EnsureTopics(ctx, s.Brokers, topics, 1); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	redisAddr := cfg.RedisAddr
	if redisAddr == "" {
		if s.Redis, err = embedded.StartRedis(ctx, embedded.RedisOptions{Dir: filepath.Join(cfg.DataDir, "redis"), Addr: "127.0.0.1:0", RequireReal: cfg.RequireReal, Persist: !cfg.Ephemeral, Logger: cfg.Logger}); err != nil {
			return nil, fmt.Errorf("start: %w", err)
		}
		redisAddr = s.Redis.Addr()
	}
	if !cfg.NoStore {
		if s.Store, err = embedded.StartStore(ctx, embedded.StoreOptions{Dir: filepath.Join(cfg.DataDir, "store"), Addr: "127.0.0.1:0", RequireReal: cfg.RequireReal, NoSync: cfg.Ephemeral, Logger: cfg.Logger}); err != nil {
			return nil, fmt.Errorf("start: %w", err)
		}
	}
	s.rdb = redis.NewClient(&redis.Options{Addr: redisAddr, DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second, MaxRetries: 1})
	if s.producer, err = kafkabus.NewProducer(s.Brokers, 3*time.Second); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	if s.DemoKey, err = demoKey(cfg.DataDir); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel

	// Market data: the feed publishes to `prices`; every consumer (here: the processor's books) tails it.
	feed, err := marketdata.NewFeed(marketdata.Config{Seed: cfg.FeedSeed, Interval: 200 * time.Millisecond, Symbols: marketdata.DefaultSymbols(), Catalog: instrument.Default()})
	if err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	// Prime the books so the first orders after start-up have a market.
	for _, t := range feed.Step(time.Now()) {
		if err := s.producer.Publish(ctx, events.TopicPrices, []byte(t.Symbol), events.AppendTick(nil, t)); err != nil {
			return nil, fmt.Errorf("start: prime prices: %w", err)
		}
	}
	s.goRun("marketdata", func() error {
		return feed.Run(runCtx, time.Now, func(ctx context.Context, ts []events.PriceTick) error {
			for _, t := range ts {
				if err := s.producer.Publish(ctx, events.TopicPrices, []byte(t.Symbol), events.AppendTick(nil, t)); err != nil {
					s.log.Warn("publish tick", "symbol", t.Symbol, "err", err)
				}
			}
			return nil
		})
	})
	// The WebSocket hub folds prices and executions the way the processor does, for the dashboards.
	hub := stream.New(stream.Config{
		Catalog:    instrument.Default(),
		NewAccount: func(id order.AccountID) *account.Account { return account.New(id, DemoFunding(), Fees()) },
		Logger:     s.log.With("service", "stream"),
	})
	s.goRun("stream-hub", func() error { hub.Run(runCtx.Done()); return nil })
	tokenSecret := make([]byte, 32)
	if _, err := rand.Read(tokenSecret); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	devAccount := order.AccountID("")
	if cfg.Dev {
		devAccount = DemoAccount
	}
	s.goRun("stream-feed", func() error {
		return stream.Follow(runCtx, s.Brokers, hub, func(t events.PriceTick) { s.Books.Update(t) })
	})
	if !cfg.NoProcessor {
		s.goRun("processor", func() error {
			return processor.Run(runCtx, ProcessorConfig(s.Brokers, "processor-local", s.log.With("service", "processor")))
		})
	}

	// Lambda edges: order-query, market-query and admin behind the local ALB router, the consumers fed
	// by their MSK pollers. They come first because the gateway verifies requests with their key
	// source: the demo key merged with keys created through the admin API.
	var keys gateway.KeyStore = gateway.StaticKeys{s.DemoKey.ID: s.DemoKey}
	var lam *edges.Local
	if s.Store != nil {
		kek, err := keyEncryptionKey(cfg.DataDir)
		if err != nil {
			return nil, fmt.Errorf("start: %w", err)
		}
		lam, err = edges.NewLocal(ctx, edges.LocalConfig{
			Brokers: s.Brokers, MongoURI: s.Store.URI(), Keys: map[string]auth.Key{s.DemoKey.ID: s.DemoKey},
			DevAccount: devAccount, Funding: DemoFunding(), DeadLetters: s.producer,
			Window: 100 * time.Millisecond, KeyEncryptionKey: kek, TokenSecret: tokenSecret, Logger: s.log.With("service", "lambdas"),
		})
		if err != nil {
			return nil, fmt.Errorf("start: %w", err)
		}
		keys = lam.Keys
		s.goRun("lambda-edges", func() error { return lam.Run(runCtx) })
	}
	gw := gateway.New(gateway.Config{
		Catalog:     instrument.Default(),
		Keys:        keys,
		Idem:        rediscache.GatewayAdapter{S: rediscache.New(s.rdb, 24*time.Hour, 30*time.Second)},
		Publisher:   s.producer,
		Logger:      s.log.With("service", "gateway"),
		DevAccount:  devAccount,
		TokenSecret: tokenSecret,
	})
	mux := http.NewServeMux()
	gw.Routes(mux)
	if lam != nil {
		lam.Mount(mux)
	}
	mux.Handle("GET /ws", hub.Handler(stream.ServerConfig{Secret: tokenSecret, DevAccount: devAccount}))
	if cfg.StaticDir != "" {
		// "/" rather than "GET /": a method-specific catch-all would conflict with the edges' "/api/" route.
		mux.Handle("/", spa(cfg.StaticDir))
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return nil, fmt.Errorf("start: listen %s: %w", cfg.HTTPAddr, err)
	}
	s.HTTPAddr = ln.Addr().String()
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	s.goRun("http", func() error {
		if err := s.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	ok = true
	return s, nil
}

func (s *System) goRun(name string, fn func() error) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := fn(); err != nil {
			s.log.Error("component stopped", "component", name, "err", err)
			select {
			case s.errs <- fmt.Errorf("%s: %w", name, err):
			default:
			}
		}
	}()
}

// Errors reports components that stopped with an error.
func (s *System) Errors() <-chan error { return s.errs }

// Producer returns the system's acknowledged producer (tests publish control commands with it).
func (s *System) Producer() *kafkabus.Producer { return s.producer }

// Stop shuts everything down and waits for every goroutine it started.
func (s *System) Stop() {
	if s.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = s.srv.Shutdown(ctx)
		cancel()
	}
	if s.cancel != nil {
		s.cancel()
	}
	if s.producer != nil {
		s.producer.Close() // fails anything still waiting for a broker that is gone
	}
	s.wg.Wait()
	if s.rdb != nil {
		_ = s.rdb.Close()
	}
	if s.Redis != nil {
		s.Redis.Stop()
	}
	if s.Store != nil {
		s.Store.Stop()
	}
	if s.Kafka != nil {
		s.Kafka.Close()
	}
}

// demoKey loads the demo account's API key from the data dir, creating it on first start so that it is
// stable across restarts.
func demoKey(dir string) (auth.Key, error) {
	path := filepath.Join(dir, "demo-api-key.json")
	var stored struct{ ID, Secret string }
	if b, err := os.ReadFile(path); err == nil && json.Unmarshal(b, &stored) == nil && stored.ID != "" {
		return auth.Key{ID: stored.ID, Secret: []byte(stored.Secret), Account: DemoAccount, Scopes: []auth.Scope{auth.ScopeTrade, auth.ScopeRead}}, nil
	}
	buf := make([]byte, 24)
	if _, err := rand.Read(buf); err != nil {
		return auth.Key{}, fmt.Errorf("demo key: %w", err)
	}
	stored.ID, stored.Secret = "demo-"+hex.EncodeToString(buf[:6]), hex.EncodeToString(buf[6:])
	b, _ := json.Marshal(stored)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return auth.Key{}, fmt.Errorf("demo key: %w", err)
	}
	return auth.Key{ID: stored.ID, Secret: []byte(stored.Secret), Account: DemoAccount, Scopes: []auth.Scope{auth.ScopeTrade, auth.ScopeRead}}, nil
}

// keyEncryptionKey loads the key that seals API secrets from the data dir, creating it on first start
// so that keys created through the admin API keep working across restarts.
func keyEncryptionKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, "key-encryption-key")
	if b, err := os.ReadFile(path); err == nil {
		return keystore.ParseKEK(string(b))
	}
	k, err := keystore.NewKEK()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(k+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("key-encryption key: %w", err)
	}
	return keystore.ParseKEK(k)
}

// spa serves the dashboard's files and answers index.html for client-side routes (paths without an
// extension that are not files).
func spa(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := filepath.Join(dir, filepath.FromSlash(filepath.Clean("/"+r.URL.Path)))
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			files.ServeHTTP(w, r)
			return
		}
		if r.URL.Path == "/" || (filepath.Ext(r.URL.Path) == "" && !strings.HasPrefix(r.URL.Path, "/api/")) {
			http.ServeFile(w, r, filepath.Join(dir, "index.html"))
			return
		}
		http.NotFound(w, r)
	})
}
