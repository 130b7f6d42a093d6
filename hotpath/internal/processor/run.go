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
	// OnControl, when set, is called after each control command took effect (tests measure how long
	// an operator's command takes to reach the engines).
	OnControl func(events.Control)
}

// Run runs a processor instance until ctx ends: it tails `prices` into the books and `control` into
// the policy, and consumes `orders` transactionally. `control` is read from its start up to its end
// before the first order is taken, so a restarted processor enforces every halt and limit already on
// the log.
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
	apply := func(r *kgo.Record) {
		c, err := events.DecodeControl(r.Value)
		if err != nil {
			cfg.Logger.Error("undecodable control command skipped", "offset", r.Offset, "err", err)
			return
		}
		switch c.Kind {
		case events.ControlLimits:
			// The admin API validated them; a command from anywhere else must not loosen risk by accident.
			if err := account.Limits(c.Limits).Validate(cat); err != nil {
				cfg.Logger.Error("control command with unusable limits skipped", "offset", r.Offset, "command_id", c.ID, "account_id", c.Target, "err", err)
				return
			}
			policy.Apply(c)
			cfg.Logger.Info("risk limits changed", "account_id", c.Target, "command_id", c.ID, "by", c.By)
		case events.ControlTradingState:
			policy.Apply(c)
			cfg.Logger.Info("trading state changed", "scope", c.Scope.String(), "target", c.Target, "state", c.State.String(), "command_id", c.ID, "by", c.By)
		}
		if cfg.OnControl != nil {
			cfg.OnControl(c)
		}
	}
	// `control` has one partition (commands are ordered); its replay gates the orders below.
	var replayed int64
	if err := kafkabus.ReadPartition(ctx, cfg.Brokers, events.TopicControl, 0, func(r *kgo.Record) error {
		apply(r)
		replayed = r.Offset + 1
		return nil
	}, cfg.KafkaOpts...); err != nil {
		if ctx.Err() != nil {
			return nil // stopped during the replay
		}
		return fmt.Errorf("replay control: %w", err)
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
			if r.Partition == 0 && r.Offset < replayed {
				return
			}
			apply(r)
		}, cfg.KafkaOpts...)
	})
	start("orders", func() error { return svc.Run(ctx) })
	wg.Wait()
	close(errs)
	return <-errs
}
