// Command marketdata runs the market data service (EKS Deployment): the simulated feed publishing to
// `prices`. A real exchange feed plugs in behind marketdata.Source.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/debugsrv"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/kafkabus"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/marketdata"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "marketdata:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("marketdata", flag.ContinueOnError)
	def := os.Getenv("OMS_KAFKA_BROKERS")
	if def == "" {
		def = "127.0.0.1:9092"
	}
	brokers := fs.String("brokers", def, "comma-separated Kafka bootstrap brokers (env OMS_KAFKA_BROKERS)")
	interval := fs.Duration("interval", 200*time.Millisecond, "tick interval")
	debugAddrDef := os.Getenv("OMS_DEBUG_ADDR")
	if debugAddrDef == "" {
		debugAddrDef = ":9092"
	}
	debugAddr := fs.String("debug-addr", debugAddrDef, "metrics and pprof listen address (env OMS_DEBUG_ADDR)")
	seed := fs.Uint64("seed", uint64(time.Now().UnixNano()), "random seed of the simulated feed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("service", "marketdata")
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	kopts, err := kafkabus.AuthOptions(ctx, os.Getenv("OMS_KAFKA_AUTH"))
	if err != nil {
		return err
	}
	reg := debugsrv.NewRegistry()
	go func() {
		if err := debugsrv.Serve(ctx, *debugAddr, reg); err != nil {
			log.Error("debug server", "err", err)
		}
	}()
	prod, err := kafkabus.NewProducer(strings.Split(*brokers, ","), 3*time.Second, kopts...)
	if err != nil {
		return err
	}
	defer prod.Close()
	feed, err := marketdata.NewFeed(marketdata.Config{Seed: *seed, Interval: *interval, Symbols: marketdata.DefaultSymbols(), Catalog: instrument.Default()})
	if err != nil {
		return err
	}
	log.Info("publishing", "interval", interval.String())
	return feed.Run(ctx, time.Now, func(ctx context.Context, ts []events.PriceTick) error {
		for _, t := range ts {
			if err := prod.Publish(ctx, events.TopicPrices, []byte(t.Symbol), events.AppendTick(nil, t)); err != nil {
				log.Warn("publish tick", "symbol", t.Symbol, "err", err)
			}
		}
		return nil
	})
}
