// Command gateway runs order entry (EKS Deployment): REST on the ALB, Redis idempotency, acknowledged
// Kafka produce. It never accepts unauthenticated requests.
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

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/debugsrv"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/gateway"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/kafkabus"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/rediscache"
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
	if *keysPath == "" {
		return errors.New("-keys (OMS_API_KEYS_FILE) is required: the production gateway never accepts unauthenticated requests")
	}
	keys, err := loadKeys(*keysPath)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("service", "gateway")
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
		Catalog: instrument.Default(), Keys: keys, Publisher: prod, Logger: log, Metrics: gateway.NewMetrics(reg),
		Idem: rediscache.GatewayAdapter{S: rediscache.New(rdb, 24*time.Hour, 30*time.Second)},
	})
	mux := http.NewServeMux()
	gw.Routes(mux)
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
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
