// Command marketingest is the market-ingest Lambda's bootstrap (provided.al2023, arm64, -tags
// lambda.norpc): it connects to the market data store once and then serves MSK event-source batches
// of `prices`.
//
// Environment: OMS_MONGO_URI (or, in AWS, OMS_DOCDB_SECRET_ARN + OMS_DOCDB_ENDPOINT + the CA bundle,
// see lambdas/boot), OMS_MONGO_DB (oms), OMS_KAFKA_BROKERS (comma-separated; when set, poison records
// go to the dead-letter topic), OMS_KAFKA_AUTH (none, tls or aws-msk-iam; OMS_KAFKA_TLS=1 means tls),
// OMS_DLQ_TOPIC (dlq).
package main

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/lambdas/boot"
	"github.com/crypto-oms/crypto-oms/lambdas/marketingest"
	"github.com/crypto-oms/crypto-oms/lambdas/marketstore"
	"github.com/crypto-oms/crypto-oms/lambdas/projector"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "marketingest:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("service", "market-ingest")
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
	store, err := marketstore.New(cctx, cl.Database(cmp.Or(os.Getenv("OMS_MONGO_DB"), "oms")), marketstore.Config{})
	if err != nil {
		return err
	}
	var dlq marketingest.DeadLetters
	p, err := r.KafkaProducer(cctx)
	if err != nil {
		return err
	}
	if p != nil {
		defer p.Close()
		dlq = projector.TopicDeadLetters{Pub: p, Topic: cmp.Or(os.Getenv("OMS_DLQ_TOPIC"), "dlq")}
	}
	h := marketingest.New(marketingest.Config{Store: store, DeadLetters: dlq, Catalog: instrument.Default(), Logger: log})
	lambda.StartWithOptions(h.Handle, lambda.WithContext(ctx))
	return nil
}
