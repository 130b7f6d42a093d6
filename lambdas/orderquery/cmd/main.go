// Command orderquery is the order-query Lambda's bootstrap (provided.al2023, arm64, -tags
// lambda.norpc): it connects to the read model and loads the API keys once, then serves ALB requests.
// It never accepts unsigned requests.
//
// Environment: OMS_MONGO_URI (required; DocumentDB: TLS with the CA bundle and retryWrites=false),
// OMS_MONGO_DB (oms), OMS_API_KEYS_FILE (required: [{"id","secret","account","scopes":["read"]}], the
// gateway's format), OMS_FUNDING (per-asset starting balances, "USD=1000000,BTC=10").
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/lambdas/albapi"
	"github.com/crypto-oms/crypto-oms/lambdas/orderquery"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "orderquery:", err)
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func loadKeys(path string) (albapi.StaticKeys, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load keys: %w", err)
	}
	keys, err := auth.ParseKeyFile(b)
	if err != nil {
		return nil, err
	}
	return albapi.StaticKeys(keys), nil
}

func run(ctx context.Context) error {
	uri, keysPath := os.Getenv("OMS_MONGO_URI"), os.Getenv("OMS_API_KEYS_FILE")
	if uri == "" || keysPath == "" {
		return errors.New("OMS_MONGO_URI and OMS_API_KEYS_FILE are required")
	}
	keys, err := loadKeys(keysPath)
	if err != nil {
		return err
	}
	funding, err := money.ParseAmounts(os.Getenv("OMS_FUNDING"))
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("service", "order-query")
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
	h := orderquery.New(orderquery.Config{Reader: store, Keys: keys, Logger: log})
	lambda.StartWithOptions(h.Handle, lambda.WithContext(ctx))
	return nil
}
