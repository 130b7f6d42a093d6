// Package marketingest is the market-ingest Lambda: it consumes MSK event-source batches of the
// `prices` topic and folds the ticks into the market data store (candles of every interval, trades,
// the latest book and the 24h snapshot per symbol). Redelivered and late ticks change nothing (the
// store keeps each symbol's newest folded tick, see marketstore.Store.Ingest). A record that cannot be
// decoded, or names a symbol outside the catalog, is counted, handed to the dead-letter sink and
// skipped, so it never blocks its partition; any store error fails the invocation, and the event
// source redelivers the batch.
package marketingest

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/events"

	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/market"
	"github.com/crypto-oms/crypto-oms/lambdas/marketstore"
)

// Store is where ticks are folded (marketstore.Store in production).
type Store interface {
	Ingest(ctx context.Context, ticks []oms.PriceTick) (marketstore.Result, error)
}

// DeadLetters receives poison records (the `dlq` topic in production: projector.TopicDeadLetters).
// A nil DeadLetters only counts and logs them.
type DeadLetters interface {
	DeadLetter(ctx context.Context, rec events.KafkaRecord, reason error) error
}

// Stats counts what the function has done since it started.
type Stats struct {
	Batches atomic.Int64
	Records atomic.Int64
	Poison  atomic.Int64
	Ticks   atomic.Int64 // folded
	Stale   atomic.Int64 // dropped as redelivered or late
	Trades  atomic.Int64
	Candles atomic.Int64 // candles closed (written to their pages)
}

// Config configures a Handler.
type Config struct {
	Store       Store
	DeadLetters DeadLetters
	Catalog     *instrument.Catalog // ticks of other symbols are poison; instrument.Default() when nil
	Logger      *slog.Logger
}

// Handler is the market-ingest function.
type Handler struct {
	cfg Config
	log *slog.Logger
	// Stats is safe to read while the handler runs.
	Stats Stats
}

// New returns a handler.
func New(cfg Config) *Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Catalog == nil {
		cfg.Catalog = instrument.Default()
	}
	return &Handler{cfg: cfg, log: cfg.Logger}
}

// Handle folds one event-source batch. Partitions are taken in name order and each in offset order;
// the store orders each symbol's ticks by their marks, so the order between partitions does not
// matter.
func (h *Handler) Handle(ctx context.Context, ev events.KafkaEvent) error {
	h.Stats.Batches.Add(1)
	keys := make([]string, 0, len(ev.Records))
	for k := range ev.Records {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var ticks []oms.PriceTick
	for _, k := range keys {
		recs := ev.Records[k]
		sort.SliceStable(recs, func(i, j int) bool { return recs[i].Offset < recs[j].Offset })
		for _, rec := range recs {
			h.Stats.Records.Add(1)
			t, err := h.decode(rec)
			if err != nil {
				if err := h.poison(ctx, rec, err); err != nil {
					return err
				}
				continue
			}
			ticks = append(ticks, t)
		}
	}
	res, err := h.cfg.Store.Ingest(ctx, ticks)
	if err != nil {
		return fmt.Errorf("ingest batch of %d ticks: %w", len(ticks), err)
	}
	if res.PruneErr != nil {
		h.log.Warn("prune old market data", "err", res.PruneErr)
	}
	h.Stats.Ticks.Add(int64(res.Ticks))
	h.Stats.Stale.Add(int64(res.Stale))
	h.Stats.Trades.Add(int64(res.Trades))
	h.Stats.Candles.Add(int64(res.Candles))
	return nil
}

// errPoison classifies records that can never be folded.
var errPoison = errors.New("poison record")

func (h *Handler) decode(rec events.KafkaRecord) (oms.PriceTick, error) {
	b, err := base64.StdEncoding.DecodeString(rec.Value)
	if err != nil {
		return oms.PriceTick{}, fmt.Errorf("%w: value is not base64: %v", errPoison, err)
	}
	t, err := oms.DecodeTick(b)
	if err != nil {
		return oms.PriceTick{}, fmt.Errorf("%w: %w", errPoison, err)
	}
	if err := market.CheckTick(t); err != nil {
		return oms.PriceTick{}, fmt.Errorf("%w: %w", errPoison, err)
	}
	if _, ok := h.cfg.Catalog.Lookup(t.Symbol); !ok {
		return oms.PriceTick{}, fmt.Errorf("%w: symbol %s is not in the catalog", errPoison, t.Symbol)
	}
	return t, nil
}

func (h *Handler) poison(ctx context.Context, rec events.KafkaRecord, reason error) error {
	h.Stats.Poison.Add(1)
	h.log.Error("poison record skipped", "topic", rec.Topic, "partition", rec.Partition, "offset", rec.Offset, "err", reason)
	if h.cfg.DeadLetters == nil {
		return nil
	}
	if err := h.cfg.DeadLetters.DeadLetter(ctx, rec, reason); err != nil {
		// Without the dead letter the record would be lost: fail the batch so it is retried.
		return fmt.Errorf("dead-letter %s-%d@%d: %w", rec.Topic, rec.Partition, rec.Offset, err)
	}
	return nil
}
