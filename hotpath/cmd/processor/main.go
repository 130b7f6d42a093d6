// Command processor runs one order processor instance (EKS Deployment): it consumes `orders`
// transactionally in the "processor" group and produces `executions`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/debugsrv"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/kafkabus"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/processor"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "processor:", err)
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
	fs := flag.NewFlagSet("processor", flag.ContinueOnError)
	brokers := fs.String("brokers", env("OMS_KAFKA_BROKERS", "127.0.0.1:9092"), "comma-separated Kafka bootstrap brokers (env OMS_KAFKA_BROKERS)")
	group := fs.String("group", env("OMS_PROCESSOR_GROUP", "processor"), "consumer group")
	txnID := fs.String("transactional-id", env("OMS_TRANSACTIONAL_ID", ""), "transactional id, unique and stable per instance (env OMS_TRANSACTIONAL_ID; e.g. the pod name of a StatefulSet)")
	debugAddr := fs.String("debug-addr", env("OMS_DEBUG_ADDR", ":9091"), "metrics and pprof listen address (env OMS_DEBUG_ADDR)")
	fundingFlag := fs.String("funding", env("OMS_FUNDING", ""), `every new account's starting balances, "USD=1000000,BTC=10" (paper trading; env OMS_FUNDING, which the gateway and the Lambdas read too)`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *txnID == "" {
		return errors.New("-transactional-id (OMS_TRANSACTIONAL_ID) is required: exactly-once needs a stable id per instance")
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("service", "processor")
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	funding, err := money.ParseAmounts(*fundingFlag)
	if err != nil {
		return fmt.Errorf("-funding (OMS_FUNDING): %w", err)
	}
	kopts, err := kafkabus.AuthOptions(ctx, env("OMS_KAFKA_AUTH", kafkabus.AuthNone))
	if err != nil {
		return err
	}
	log.Info("starting", "brokers", *brokers, "group", *group, "transactional_id", *txnID)
	reg := debugsrv.NewRegistry()
	go func() {
		if err := debugsrv.Serve(ctx, *debugAddr, reg); err != nil {
			log.Error("debug server", "err", err)
		}
	}()
	return processor.Run(ctx, processor.RunConfig{
		Brokers: strings.Split(*brokers, ","), Group: *group, TransactionalID: *txnID,
		Catalog:   instrument.Default(),
		Fees:      account.DefaultFees(),
		Limits:    account.DefaultLimits(),
		Funding:   funding,
		Logger:    log,
		Started:   func(s *processor.Service) { s.RegisterMetrics(reg) },
		KafkaOpts: kopts,
	})
}
