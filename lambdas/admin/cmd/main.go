// Command admin is the admin Lambda's bootstrap (provided.al2023, arm64, -tags lambda.norpc): it
// connects to the store and to Kafka once, then serves ALB requests under /api/admin/. It never
// accepts unsigned requests.
//
// Environment:
//   - OMS_MONGO_URI, or in AWS OMS_DOCDB_SECRET_ARN + OMS_DOCDB_ENDPOINT (+ OMS_DOCDB_CA_FILE): the
//     store (lambdas/boot; DocumentDB: TLS with the CA bundle and retryWrites=false)
//   - OMS_MONGO_DB (oms)
//   - OMS_KAFKA_BROKERS (required, comma-separated): commands are produced to `control`, acks=all
//   - OMS_KAFKA_AUTH (none | tls | aws-msk-iam; default none): aws-msk-iam signs with the function's role
//   - OMS_KEY_ENCRYPTION_KEY, or in AWS OMS_KEY_ENCRYPTION_SECRET_ARN (required): base64 of 32 bytes,
//     or the secret it is derived from (lambdas/boot); seals API secrets (AES-256-GCM). The gateway and
//     order-query need the same key to verify the keys created here.
//   - OMS_API_KEYS_FILE, or in AWS OMS_API_KEYS_SECRET_ARN (optional): bootstrap keys in the gateway's
//     format ([{"id","secret","account","scopes":["admin"]}]); the first admin key has to come from
//     here. Their accounts are created in the store when missing.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/lambdas/admin"
	"github.com/crypto-oms/crypto-oms/lambdas/adminstore"
	"github.com/crypto-oms/crypto-oms/lambdas/boot"
	"github.com/crypto-oms/crypto-oms/lambdas/controlbus"
	"github.com/crypto-oms/crypto-oms/lambdas/kafkaauth"
	"github.com/crypto-oms/crypto-oms/lambdas/keystore"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "admin:", err)
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
	brokers := os.Getenv("OMS_KAFKA_BROKERS")
	if brokers == "" {
		return errors.New("OMS_KAFKA_BROKERS is required")
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("service", "admin")
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	res := &boot.Resolver{Env: os.Getenv}
	kek, err := res.KeyEncryptionKey(cctx)
	if err != nil {
		return err
	}
	if _, err := keystore.ParseKEK(kek); err != nil {
		return err // before any connection: a configuration error should say so
	}
	uri, err := res.MongoURI(cctx)
	if err != nil {
		return err
	}
	static, err := res.APIKeys(cctx)
	if err != nil {
		return err
	}
	kopts, err := kafkaauth.Options(ctx, env("OMS_KAFKA_AUTH", kafkaauth.None))
	if err != nil {
		return err
	}
	prod, err := controlbus.New(strings.Split(brokers, ","), 3*time.Second, kopts...)
	if err != nil {
		return err
	}
	defer prod.Close()
	// A store outage should be a prompt 503, not a request that waits out the function's timeout.
	cl, err := mongo.Connect(options.Client().ApplyURI(uri).SetTimeout(10 * time.Second).SetServerSelectionTimeout(2 * time.Second))
	if err != nil {
		return fmt.Errorf("connect store: %w", err)
	}
	defer func() { _ = cl.Disconnect(context.Background()) }()
	db := cl.Database(env("OMS_MONGO_DB", "oms"))
	store, err := adminstore.New(cctx, db)
	if err != nil {
		return err
	}
	keys, err := keystore.Open(cctx, db, kek)
	if err != nil {
		return err
	}
	for _, k := range static {
		if err := store.EnsureAccount(cctx, adminstore.Account{ID: k.Account, Name: string(k.Account), Status: "ACTIVE", CreatedAt: time.Now(), CreatedBy: "bootstrap"}); err != nil {
			return err
		}
	}
	verify := keystore.NewCache(keys, keystore.CacheConfig{Static: static, Logger: log})
	if err := verify.Warm(cctx); err != nil {
		log.Warn("api key cache not warmed; lookups go to the store", "err", err)
	}
	// Browser sessions (the gateway's cookie) are accepted when the token secret is configured.
	tokenSecret, err := res.OptionalTokenSecret(cctx)
	if err != nil {
		return err
	}
	if tokenSecret == nil {
		log.Warn("no token secret (OMS_TOKEN_SECRET_ARN): browser sessions are refused, signed requests only")
	}
	h := admin.New(admin.Config{
		Store: store, Keys: keys, Verify: verify, Control: prod, TokenSecret: tokenSecret,
		Catalog: instrument.Default(), Defaults: account.DefaultLimits(), Logger: log,
	})
	lambda.StartWithOptions(h.Handle, lambda.WithContext(ctx))
	return nil
}
