package processor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/kafkabus"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/marketdata"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/venue"
)

// RunConfig configures a whole processor instance: the service plus the feeds it needs.
type RunConfig struct {
	Brokers         []string
	Group           string
	TransactionalID string
	Catalog         *instrument.Catalog
	Fees            account.Fees
	Limits          account.Limits
	Funding         map[string]money.Decimal // balances of an account on first sight (dev/paper trading)
	Logger          *slog.Logger
	KafkaOpts       []kgo.Opt // TLS / SASL for every client
	// Started, when set, receives the service once it runs (tests read its Stats).
	Started func(*Service)
}

// Run runs a processor instance until ctx ends: it tails `prices` into the books and `control` into
// the policy, and consumes `orders` transactionally.
func Run(ctx context.Context, cfg RunConfig) error {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	books := marketdata.NewBooks()
	policy := NewStaticPolicy(cfg.Limits)
	cat := cfg.Catalog
	svc, err := New(Config{
		Brokers: cfg.Brokers, Group: cfg.Group, TransactionalID: cfg.TransactionalID, Logger: cfg.Logger, KafkaOpts: cfg.KafkaOpts,
		Changed: books.Changed,
		Engine: EngineConfig{
			Catalog: cat, Fees: cfg.Fees, InitialBalances: cfg.Funding, Market: books, Policy: policy,
			NewVenue: func() Venue {
				return venue.NewPaper(func(s instrument.Symbol) money.Decimal { in, _ := cat.Lookup(s); return in.LotSize })
			},
		},
	})
	if err != nil {
		return err
	}
	if cfg.Started != nil {
		cfg.Started(svc)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	start := func(name string, fn func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(); err != nil && !errors.Is(err, context.Canceled) {
				errs <- fmt.Errorf("%s: %w", name, err)
				cancel()
			}
		}()
	}
	start("prices", func() error {
		return kafkabus.Tail(ctx, cfg.Brokers, events.TopicPrices, false, func(r *kgo.Record) {
			if t, err := events.DecodeTick(r.Value); err == nil {
				books.Update(t)
			}
		}, cfg.KafkaOpts...)
	})
	start("control", func() error {
		return kafkabus.Tail(ctx, cfg.Brokers, events.TopicControl, true, func(r *kgo.Record) {
			c, err := events.DecodeControl(r.Value)
			if err != nil {
				cfg.Logger.Error("undecodable control command skipped", "offset", r.Offset, "err", err)
				return
			}
			policy.Apply(c)
			cfg.Logger.Info("trading state changed", "scope", c.Scope.String(), "target", c.Target, "state", c.State.String(), "by", c.By)
		}, cfg.KafkaOpts...)
	})
	start("orders", func() error { return svc.Run(ctx) })
	wg.Wait()
	close(errs)
	return <-errs
}
