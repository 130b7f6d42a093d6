// Command omsd runs the whole crypto-oms system in one process on embedded defaults: Kafka protocol
// (kfake) on a fixed port, Redis, the market data feed, the processor and the gateway.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/crypto-oms/crypto-oms/hotpath/internal/local"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "omsd:", err)
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("omsd", flag.ContinueOnError)
	dev := fs.Bool("dev", false, "dev mode: unsigned requests from loopback act as the demo account")
	httpAddr := fs.String("http", env("OMS_HTTP_ADDR", "127.0.0.1:8080"), "HTTP listen address (env OMS_HTTP_ADDR)")
	kafkaAddr := fs.String("kafka", env("OMS_KAFKA_ADDR", "127.0.0.1:9092"), "embedded Kafka listen address (env OMS_KAFKA_ADDR)")
	dataDir := fs.String("data", env("OMS_DATA_DIR", ".data"), "data directory (env OMS_DATA_DIR)")
	static := fs.String("static", env("OMS_STATIC_DIR", "frontend/dist"), "built dashboard to serve at / (env OMS_STATIC_DIR); skipped when missing")
	noProcessor := fs.Bool("no-processor", false, "do not run the processor in this process")
	logLevel := fs.String("log-level", env("OMS_LOG_LEVEL", "info"), "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("log level: %w", err)
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if st, err := os.Stat(*static); err != nil || !st.IsDir() {
		log.Warn("dashboard not built; run `make frontend` to serve it at /", "dir", *static)
		*static = ""
	}
	sys, err := local.Start(ctx, local.Config{StaticDir: *static, HTTPAddr: *httpAddr, KafkaAddr: *kafkaAddr, DataDir: *dataDir, Dev: *dev, NoProcessor: *noProcessor, FeedSeed: 1, Logger: log})
	if err != nil {
		return err
	}
	defer sys.Stop()
	fmt.Printf(`crypto-oms is up
  Dashboard   http://%[1]s/   (WebSocket ws://%[1]s/ws)
  HTTP API    http://%[1]s/api   (health: http://%[1]s/health)
  Kafka       %[2]v   (topics: orders, executions, prices, control, dlq)
  Redis       %[3]s (%[4]s)
  Store       %[10]s (FerretDB, %[11]s backend)
  Data dir    %[5]s
  Demo account %[6]s  API key id %[7]s  secret %[8]s
  Dev mode    %[9]v (unsigned requests from loopback act as the demo account)

Try:
  curl -s -X POST http://%[1]s/api/orders -H 'Content-Type: application/json' -H 'X-Idempotency-Key: my-first-order' \
    -d '{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":45000}'
  kcat -b %[2]v -C -t executions -e
`, sys.HTTPAddr, sys.Brokers[0], sys.Redis.Addr(), sys.Redis.Kind(), *dataDir, local.DemoAccount, sys.DemoKey.ID, string(sys.DemoKey.Secret), *dev, sys.Store.URI(), sys.Store.Backend())
	select {
	case <-ctx.Done():
		log.Info("shutting down")
		return nil
	case err := <-sys.Errors():
		return err
	}
}
