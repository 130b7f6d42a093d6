// Command projector is the projector Lambda's bootstrap (provided.al2023, arm64, -tags lambda.norpc):
// it connects to the read model once and then serves MSK event-source batches of `executions`.
//
// Environment: OMS_MONGO_URI (or, in AWS, OMS_DOCDB_SECRET_ARN + OMS_DOCDB_ENDPOINT + the CA bundle,
// see lambdas/boot), OMS_MONGO_DB (oms), OMS_FUNDING (per-asset starting balances,
// "USD=1000000,BTC=10"), OMS_KAFKA_BROKERS (comma-separated; when set, poison records go to the
// dead-letter topic), OMS_KAFKA_AUTH (none, tls or aws-msk-iam; OMS_KAFKA_TLS=1 means tls),
// OMS_DLQ_TOPIC (dlq).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/lambdas/boot"
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

func run(ctx context.Context) error {
	funding, err := money.ParseAmounts(os.Getenv("OMS_FUNDING"))
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("service", "projector")
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	r := &boot.Resolver{Env: os.Getenv}
	uri, err := r.MongoURI(cctx)
	if err != nil {
		return err
	}
	cl, err := readmodel.Connect(cctx, uri)
	if err != nil {
		return err
	}
	store, err := readmodel.New(cctx, cl.Database(env("OMS_MONGO_DB", "oms")), readmodel.Config{Funding: funding})
	if err != nil {
		return err
	}
	var dlq projector.DeadLetters
	p, err := r.KafkaProducer(cctx)
	if err != nil {
		return err
	}
	if p != nil {
		defer p.Close()
		dlq = projector.TopicDeadLetters{Pub: p, Topic: env("OMS_DLQ_TOPIC", "dlq")}
	}
	h := projector.New(store, dlq, log)
	lambda.StartWithOptions(h.Handle, lambda.WithContext(ctx))
	return nil
}
