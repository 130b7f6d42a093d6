// Command marketquery is the market-query Lambda's bootstrap (provided.al2023, arm64, -tags
// lambda.norpc): it connects to the market data store once, then serves ALB requests. Market data is
// public: no API keys are needed.
//
// Environment: OMS_MONGO_URI (or, in AWS, OMS_DOCDB_SECRET_ARN + OMS_DOCDB_ENDPOINT + the CA bundle,
// see lambdas/boot), OMS_MONGO_DB (oms).
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
	"github.com/crypto-oms/crypto-oms/lambdas/marketquery"
	"github.com/crypto-oms/crypto-oms/lambdas/marketstore"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "marketquery:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("service", "market-query")
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	uri, err := (&boot.Resolver{Env: os.Getenv}).MongoURI(cctx)
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
	h := marketquery.New(marketquery.Config{Reader: store, Catalog: instrument.Default(), Logger: log})
	lambda.StartWithOptions(h.Handle, lambda.WithContext(ctx))
	return nil
}
