// Command projector is the projector Lambda's bootstrap (provided.al2023, arm64, -tags lambda.norpc):
// it connects to the read model once and then serves MSK event-source batches of `executions`.
//
// Environment: OMS_MONGO_URI (required; DocumentDB: TLS with the CA bundle and retryWrites=false),
// OMS_MONGO_DB (oms), OMS_FUNDING (per-asset starting balances, "USD=1000000,BTC=10"),
// OMS_KAFKA_BROKERS (comma-separated; when set, poison records go to the dead-letter topic),
// OMS_KAFKA_TLS=1 (TLS to the brokers), OMS_DLQ_TOPIC (dlq).
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/lambdas/projector"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "projector:", err)
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// kafkaPublisher produces acknowledged records with franz-go.
type kafkaPublisher struct{ cl *kgo.Client }

func (p kafkaPublisher) Publish(ctx context.Context, topic string, key, value []byte) error {
	return p.cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Key: key, Value: value}).FirstErr()
}

func run(ctx context.Context) error {
	uri := os.Getenv("OMS_MONGO_URI")
	if uri == "" {
		return errors.New("OMS_MONGO_URI is required")
	}
	funding, err := money.ParseAmounts(os.Getenv("OMS_FUNDING"))
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("service", "projector")
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	cl, err := readmodel.Connect(cctx, uri)
	if err != nil {
		return err
	}
	store, err := readmodel.New(cctx, cl.Database(env("OMS_MONGO_DB", "oms")), readmodel.Config{Funding: funding})
	if err != nil {
		return err
	}
	var dlq projector.DeadLetters
	if b := os.Getenv("OMS_KAFKA_BROKERS"); b != "" {
		opts := []kgo.Opt{kgo.SeedBrokers(strings.Split(b, ",")...), kgo.RequiredAcks(kgo.AllISRAcks())}
		if os.Getenv("OMS_KAFKA_TLS") == "1" {
			opts = append(opts, kgo.DialTLSConfig(&tls.Config{MinVersion: tls.VersionTLS12}))
		}
		kc, err := kgo.NewClient(opts...)
		if err != nil {
			return fmt.Errorf("kafka client: %w", err)
		}
		defer kc.Close()
		dlq = projector.TopicDeadLetters{Pub: kafkaPublisher{kc}, Topic: env("OMS_DLQ_TOPIC", "dlq")}
	}
	h := projector.New(store, dlq, log)
	lambda.StartWithOptions(h.Handle, lambda.WithContext(ctx))
	return nil
}
