// Command gateway runs order entry (EKS Deployment): REST on the ALB, Redis idempotency, acknowledged
// Kafka produce. It never accepts unauthenticated requests.
//
// API keys come from OMS_API_KEYS_FILE (the mounted secret) and, when a store is configured
// (OMS_MONGO_URI, or in AWS OMS_DOCDB_SECRET_ARN + OMS_DOCDB_ENDPOINT + OMS_DOCDB_CA_FILE: see
// lambdas/boot), also from the store where the admin API keeps them (OMS_MONGO_DB, default oms), their
// secrets sealed under OMS_KEY_ENCRYPTION_KEY or the key derived from OMS_KEY_ENCRYPTION_SECRET_ARN
// (required then; the admin function's key). Store keys are cached and checked against the store
// every few seconds; if the store is down the last known keys keep working.
//
// It also opens browser sessions (POST /api/session: one signed request, then an HttpOnly cookie) and
// serves the dashboards' WebSocket stream (/ws, docs/websocket.md), folded from the `prices` and
// `executions` topics. Sessions and stream tokens are signed with OMS_TOKEN_SECRET or the key derived
// from OMS_TOKEN_SECRET_ARN, the same in every pod and in the order-query and admin functions;
// OMS_FUNDING gives accounts' starting balances as the read model has them ("USD=1000000,BTC=10"; none
// by default).
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/debugsrv"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/gateway"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/kafkabus"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/rediscache"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/stream"
	"github.com/crypto-oms/crypto-oms/lambdas/boot"
	"github.com/crypto-oms/crypto-oms/lambdas/keystore"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func loadKeys(path string) (gateway.StaticKeys, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load keys: %w", err)
	}
	keys, err := auth.ParseKeyFile(b)
	if err != nil {
		return nil, err
	}
	return gateway.StaticKeys(keys), nil
}

// storeKeys connects to the store and returns the key cache over it, with the file's keys merged in.
func storeKeys(ctx context.Context, uri, db, kek string, static map[string]auth.Key, log *slog.Logger) (*keystore.Cache, func(), error) {
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	cl, err := mongo.Connect(options.Client().ApplyURI(uri).SetTimeout(5 * time.Second).SetServerSelectionTimeout(2 * time.Second))
	if err != nil {
		return nil, nil, fmt.Errorf("connect store: %w", err)
	}
	disconnect := func() { _ = cl.Disconnect(context.Background()) }
	ks, err := keystore.Open(cctx, cl.Database(db), kek)
	if err != nil {
		disconnect()
		return nil, nil, err
	}
	cache := keystore.NewCache(ks, keystore.CacheConfig{Static: static, Logger: log})
	if err := cache.Warm(cctx); err != nil {
		log.Warn("api key cache not warmed; lookups go to the store", "err", err)
	}
	return cache, disconnect, nil
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("gateway", flag.ContinueOnError)
	addr := fs.String("addr", env("OMS_HTTP_ADDR", ":8080"), "listen address (env OMS_HTTP_ADDR)")
	brokers := fs.String("brokers", env("OMS_KAFKA_BROKERS", "127.0.0.1:9092"), "Kafka bootstrap brokers (env OMS_KAFKA_BROKERS)")
	redisAddr := fs.String("redis", env("OMS_REDIS_ADDR", "127.0.0.1:6379"), "Redis address (env OMS_REDIS_ADDR)")
	redisTLS := fs.Bool("redis-tls", env("OMS_REDIS_TLS", "") == "1", "use TLS to Redis (ElastiCache in-transit encryption)")
	debugAddr := fs.String("debug-addr", env("OMS_DEBUG_ADDR", ":9090"), "metrics and pprof listen address (env OMS_DEBUG_ADDR)")
	keysPath := fs.String("keys", env("OMS_API_KEYS_FILE", ""), "API keys JSON file (mounted secret) (env OMS_API_KEYS_FILE)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	withStore := os.Getenv("OMS_MONGO_URI") != "" || os.Getenv("OMS_DOCDB_SECRET_ARN") != ""
	if *keysPath == "" && !withStore {
		return errors.New("-keys (OMS_API_KEYS_FILE) or a store (OMS_MONGO_URI / OMS_DOCDB_SECRET_ARN) is required: the production gateway never accepts unauthenticated requests")
	}
	keys := gateway.StaticKeys{}
	if *keysPath != "" {
		var err error
		if keys, err = loadKeys(*keysPath); err != nil {
			return err
		}
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("service", "gateway")
	funding, err := money.ParseAmounts(os.Getenv("OMS_FUNDING"))
	if err != nil {
		return fmt.Errorf("OMS_FUNDING: %w", err)
	}
	res := &boot.Resolver{Env: os.Getenv}
	tokenSecret, err := res.TokenSecret(ctx)
	if err != nil {
		return err
	}
	var verify gateway.KeyStore = keys
	if withStore {
		uri, err := res.MongoURI(ctx)
		if err != nil {
			return err
		}
		kek, err := res.KeyEncryptionKey(ctx)
		if err != nil {
			return fmt.Errorf("store keys are sealed: %w", err)
		}
		cache, disconnect, err := storeKeys(ctx, uri, env("OMS_MONGO_DB", "oms"), kek, keys, log)
		if err != nil {
			return err
		}
		defer disconnect()
		verify = cache
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	ropts := &redis.Options{Addr: *redisAddr, Username: os.Getenv("OMS_REDIS_USER"), Password: os.Getenv("OMS_REDIS_PASSWORD"), DialTimeout: time.Second, ReadTimeout: 500 * time.Millisecond, WriteTimeout: 500 * time.Millisecond}
	if *redisTLS {
		ropts.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	rdb := redis.NewClient(ropts)
	defer rdb.Close()
	kopts, err := kafkabus.AuthOptions(ctx, env("OMS_KAFKA_AUTH", kafkabus.AuthNone))
	if err != nil {
		return err
	}
	prod, err := kafkabus.NewProducer(strings.Split(*brokers, ","), 3*time.Second, kopts...)
	if err != nil {
		return err
	}
	defer prod.Close()
	reg := debugsrv.NewRegistry()
	go func() {
		if err := debugsrv.Serve(ctx, *debugAddr, reg); err != nil {
			log.Error("debug server", "err", err)
		}
	}()
	gw := gateway.New(gateway.Config{
		Catalog: instrument.Default(), Keys: verify, Publisher: prod, Logger: log, Metrics: gateway.NewMetrics(reg),
		Idem:        rediscache.GatewayAdapter{S: rediscache.New(rdb, 24*time.Hour, 30*time.Second)},
		TokenSecret: tokenSecret,
	})
	hub := stream.New(stream.Config{
		Catalog:    instrument.Default(),
		NewAccount: func(id order.AccountID) *account.Account { return account.New(id, funding, account.DefaultFees()) },
		Logger:     log.With("component", "stream"),
	})
	go hub.Run(ctx.Done())
	mux := http.NewServeMux()
	gw.Routes(mux)
	mux.Handle("GET /ws", hub.Handler(stream.ServerConfig{Secret: tokenSecret}))
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 2)
	go func() { errc <- srv.ListenAndServe() }()
	go func() {
		// A pod whose stream stops following Kafka would show dashboards a frozen market: exit instead.
		if err := stream.Follow(ctx, strings.Split(*brokers, ","), hub, nil, kopts...); err != nil {
			errc <- fmt.Errorf("stream feed: %w", err)
		}
	}()
	log.Info("listening", "addr", *addr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}
