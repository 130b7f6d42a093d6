package edges

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/lambdas/admin"
	"github.com/crypto-oms/crypto-oms/lambdas/adminstore"
	"github.com/crypto-oms/crypto-oms/lambdas/controlbus"
	"github.com/crypto-oms/crypto-oms/lambdas/keystore"
)

// adminEdge is the admin function of a local run and the key source every edge of the run verifies
// requests with: the bootstrap keys (LocalConfig.Keys) merged with the keys created through the admin
// API, as in AWS where the gateway, order-query and admin share the store.
type adminEdge struct {
	handler *admin.Handler
	keys    *keystore.Cache
	control *controlbus.Producer
}

func newAdminEdge(ctx context.Context, db *mongo.Database, cfg LocalConfig) (*adminEdge, error) {
	sealer, err := keystore.NewSealer(cfg.KeyEncryptionKey)
	if err != nil {
		return nil, fmt.Errorf("admin: %w", err)
	}
	store, err := adminstore.New(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("admin: %w", err)
	}
	keys, err := keystore.NewStore(ctx, db, sealer)
	if err != nil {
		return nil, fmt.Errorf("admin: %w", err)
	}
	log := cfg.Logger.With("function", "admin")
	accounts := map[order.AccountID]bool{}
	if cfg.DevAccount != "" {
		accounts[cfg.DevAccount] = true
	}
	for _, k := range cfg.Keys {
		accounts[k.Account] = true
	}
	for a := range accounts {
		if err := store.EnsureAccount(ctx, adminstore.Account{ID: a, Name: string(a), Status: "ACTIVE", CreatedAt: time.Now(), CreatedBy: "bootstrap"}); err != nil {
			return nil, fmt.Errorf("admin: %w", err)
		}
	}
	cache := keystore.NewCache(keys, keystore.CacheConfig{Static: map[string]auth.Key(cfg.Keys), Logger: cfg.Logger.With("component", "keys")})
	if err := cache.Warm(ctx); err != nil {
		return nil, fmt.Errorf("admin: %w", err)
	}
	prod, err := controlbus.New(cfg.Brokers, cfg.ControlTimeout)
	if err != nil {
		return nil, fmt.Errorf("admin: %w", err)
	}
	h := admin.New(admin.Config{
		Store: store, Keys: keys, Verify: cache, Control: prod, Catalog: instrument.Default(),
		Defaults: account.DefaultLimits(), DevAccount: cfg.DevAccount, TokenSecret: cfg.TokenSecret, Logger: log,
	})
	return &adminEdge{handler: h, keys: cache, control: prod}, nil
}
