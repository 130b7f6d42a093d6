// Command orderquery is the order-query Lambda's bootstrap (provided.al2023, arm64, -tags
// lambda.norpc): it connects to the read model and loads the API keys once, then serves ALB requests.
// It never accepts unsigned requests.
//
// Environment: OMS_MONGO_URI (or, in AWS, OMS_DOCDB_SECRET_ARN + OMS_DOCDB_ENDPOINT + the CA bundle,
// see lambdas/boot), OMS_MONGO_DB (oms), OMS_API_KEYS_FILE or, in AWS, OMS_API_KEYS_SECRET_ARN
// ([{"id","secret","account","scopes":["read"]}], the gateway's format), OMS_KEY_ENCRYPTION_KEY or,
// in AWS, OMS_KEY_ENCRYPTION_SECRET_ARN (the admin function's key: keys created through the admin API
// are accepted too, checked against the store every few seconds; at least one of keys and key is
// required), OMS_FUNDING (per-asset starting balances, "USD=1000000,BTC=10").
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/lambdas/albapi"
	"github.com/crypto-oms/crypto-oms/lambdas/boot"
	"github.com/crypto-oms/crypto-oms/lambdas/keystore"
	"github.com/crypto-oms/crypto-oms/lambdas/marketstore"
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

func run(ctx context.Context) error {
	funding, err := money.ParseAmounts(os.Getenv("OMS_FUNDING"))
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("service", "order-query")
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	res := &boot.Resolver{Env: os.Getenv}
	static, err := res.APIKeys(cctx)
	if err != nil {
		return err
	}
	keys := albapi.StaticKeys(static)
	var kek string
	if os.Getenv("OMS_KEY_ENCRYPTION_KEY") != "" || os.Getenv("OMS_KEY_ENCRYPTION_SECRET_ARN") != "" {
		if kek, err = res.KeyEncryptionKey(cctx); err != nil {
			return err
		}
	}
	if len(keys) == 0 && kek == "" {
		return errors.New("no API keys: set OMS_API_KEYS_FILE / OMS_API_KEYS_SECRET_ARN or OMS_KEY_ENCRYPTION_KEY / OMS_KEY_ENCRYPTION_SECRET_ARN")
	}
	uri, err := res.MongoURI(cctx)
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
	var verify albapi.Keys = keys
	if kek != "" {
		ks, err := keystore.Open(cctx, cl.Database(env("OMS_MONGO_DB", "oms")), kek)
		if err != nil {
			return err
		}
		c := keystore.NewCache(ks, keystore.CacheConfig{Static: keys, Logger: log})
		if err := c.Warm(cctx); err != nil {
			log.Warn("api key cache not warmed; lookups go to the store", "err", err)
		}
		verify = c
	}
	// Positions are marked with market-ingest's snapshots, in the same database.
	marks, err := marketstore.New(cctx, cl.Database(env("OMS_MONGO_DB", "oms")), marketstore.Config{})
	if err != nil {
		return err
	}
	// Browser sessions (the gateway's cookie) are accepted when the token secret is configured.
	tokenSecret, err := res.OptionalTokenSecret(cctx)
	if err != nil {
		return err
	}
	if tokenSecret == nil {
		log.Warn("no token secret (OMS_TOKEN_SECRET_ARN): browser sessions are refused, signed requests only")
	}
	h := orderquery.New(orderquery.Config{Reader: store, Marks: marks, Keys: verify, TokenSecret: tokenSecret, Logger: log})
	lambda.StartWithOptions(h.Handle, lambda.WithContext(ctx))
	return nil
}
