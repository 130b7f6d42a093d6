// Package marketstore is the market data of the Lambda edges in the MongoDB-compatible store: the
// latest snapshot per symbol (last tick, order book, current candles, 24h figures), OHLCV candles per
// interval and the recent trade prints. The market-ingest Lambda writes it by folding `prices` ticks
// with the domain's market.Series; market-query reads it, and order-query marks positions with it.
//
// Every read and write is by _id. FerretDB (the local store) pushes down nothing but equality and
// scans whole tables for the rest, so candles live in page documents of 60 (one hour of one-minute
// candles, five hours of five-minute ones...) and trades in pages of 100 by trade number: a chart of
// 100 candles is two or three lookups, a day's ticker three, whatever the size of the history.
// DocumentDB serves the same lookups from its _id index. See docs/market-data.md for the layout.
//
// Like the rest of the read model it uses no transactions, Decimal128 or TTL indexes: decimals are
// strings, and old one-minute candles and trades are pruned by bounded deletes as ingest moves on.
package marketstore

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/market"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
)

// Collection names.
const (
	CollSnapshots = "marketSnapshots"
	CollCandles   = "candles"
	CollTrades    = "marketTrades"
)

// Errors, classified for the transports.
var (
	ErrNotFound = errors.New("no market data")
	// ErrConflict means another ingest moved a symbol on while this one folded it; retrying the batch
	// folds on top of what the other one wrote.
	ErrConflict = errors.New("market data changed during ingest")
)

// Config configures a Store.
type Config struct {
	// MinuteRetention is how long one-minute candles are kept: at least a day and an hour, which the
	// 24h figures read. 48 h when 0.
	MinuteRetention time.Duration
	// KeepTrades is how many of a symbol's newest trades are kept, at least the 500 that market-query
	// serves; 1,000 when 0.
	KeepTrades int
	// Timeout bounds each operation that has no deadline of its own; 5 s when 0.
	Timeout time.Duration
}

// Store is the market data over one database.
type Store struct {
	cfg     Config
	snaps   *mongo.Collection
	candles *mongo.Collection
	trades  *mongo.Collection
	cache   pageCache
}

// New returns the store over db and creates the indexes its queries need (idempotent).
func New(ctx context.Context, db *mongo.Database, cfg Config) (*Store, error) {
	if cfg.MinuteRetention == 0 {
		cfg.MinuteRetention = 48 * time.Hour
	}
	if cfg.KeepTrades == 0 {
		cfg.KeepTrades = 1000
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.MinuteRetention < 25*time.Hour || cfg.KeepTrades < 500 {
		return nil, errors.New("market store: keep at least 25 h of one-minute candles and 500 trades")
	}
	s := &Store{cfg: cfg, snaps: db.Collection(CollSnapshots), candles: db.Collection(CollCandles), trades: db.Collection(CollTrades)}
	// Reads and writes go by _id; these serve the prune queries (and range reads, should anyone need
	// them on DocumentDB).
	idx := []struct {
		coll *mongo.Collection
		name string
		keys bson.D
	}{
		{s.candles, "symbol_interval_start", bson.D{{Key: "symbol", Value: 1}, {Key: "interval", Value: 1}, {Key: "start", Value: 1}}},
		{s.trades, "symbol_page", bson.D{{Key: "symbol", Value: 1}, {Key: "page", Value: 1}}},
	}
	for _, ix := range idx {
		if _, err := ix.coll.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: ix.keys, Options: options.Index().SetName(ix.name)}); err != nil {
			return nil, fmt.Errorf("market store: create index %s.%s: %w", ix.coll.Name(), ix.name, err)
		}
	}
	return s, nil
}

// op bounds one operation when ctx has no deadline.
func (s *Store) op(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, s.cfg.Timeout)
}

// Snapshot is the latest state of a symbol.
type Snapshot struct {
	Tick   events.PriceTick // the newest tick folded: book, last trade, cumulative volume
	Ticker market.Ticker
	Trades int64 // trades recorded so far: the newest trade's id
}

// Trade is a recorded print with its id: the symbol's trade number, from 1.
type Trade struct {
	ID int64
	market.Trade
}

// Snapshots returns the snapshot of every symbol that has market data, by symbol.
func (s *Store) Snapshots(ctx context.Context) ([]Snapshot, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	// One document per symbol: the collection is as small as the catalog.
	cur, err := s.snaps.Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("find snapshots: %w", err)
	}
	var docs []snapshotDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("find snapshots: %w", err)
	}
	out := make([]Snapshot, 0, len(docs))
	for _, d := range docs {
		sn, err := snapshotFromDoc(d)
		if err != nil {
			return nil, fmt.Errorf("find snapshots: %w", err)
		}
		out = append(out, sn)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Tick.Symbol < out[j].Tick.Symbol })
	return out, nil
}

// Snapshot returns the symbol's snapshot, or ErrNotFound before its first tick.
func (s *Store) Snapshot(ctx context.Context, sym instrument.Symbol) (Snapshot, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	d, err := s.snapshotDoc(ctx, sym)
	if err != nil {
		return Snapshot{}, err
	}
	return snapshotFromDoc(d)
}

func (s *Store) snapshotDoc(ctx context.Context, sym instrument.Symbol) (snapshotDoc, error) {
	var d snapshotDoc
	err := s.snaps.FindOne(ctx, bson.D{{Key: "_id", Value: string(sym)}}).Decode(&d)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return d, fmt.Errorf("snapshot %s: %w", sym, ErrNotFound)
	case err != nil:
		return d, fmt.Errorf("snapshot %s: %w", sym, err)
	}
	return d, nil
}

// Marks returns the price each symbol's positions are marked at (market.MarkPrice of its snapshot);
// symbols without market data are absent.
func (s *Store) Marks(ctx context.Context, syms []instrument.Symbol) (map[instrument.Symbol]money.Decimal, error) {
	out := map[instrument.Symbol]money.Decimal{}
	if len(syms) == 0 {
		return out, nil
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	ids := make(bson.A, 0, len(syms))
	for _, sym := range syms {
		ids = append(ids, string(sym))
	}
	cur, err := s.snaps.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	if err != nil {
		return nil, fmt.Errorf("find marks: %w", err)
	}
	var docs []snapshotDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("find marks: %w", err)
	}
	for _, d := range docs {
		sn, err := snapshotFromDoc(d)
		if err != nil {
			return nil, fmt.Errorf("find marks: %w", err)
		}
		if m, ok := market.MarkPrice(sn.Tick.Last, sn.Tick.BestBid(), sn.Tick.BestAsk()); ok {
			out[sn.Tick.Symbol] = m
		}
	}
	return out, nil
}

// Candles returns up to limit candles of iv, oldest first: those opening in the limit intervals that
// end with the one holding end (zero end: the newest candle). Intervals without ticks have no candle,
// so a history with gaps gives fewer.
func (s *Store) Candles(ctx context.Context, sym instrument.Symbol, iv market.Interval, end time.Time, limit int) ([]market.Candle, error) {
	if !iv.Valid() || limit < 1 {
		return nil, fmt.Errorf("candles %s: bad interval %v or limit %d", sym, iv, limit)
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	snap, err := s.snapshotDoc(ctx, sym)
	if errors.Is(err, ErrNotFound) {
		return []market.Candle{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("candles: %w", err)
	}
	bars, err := snap.bars()
	if err != nil {
		return nil, fmt.Errorf("candles: %w", err)
	}
	// The open candle is the snapshot's; the pages hold those that closed. Nothing is newer.
	bar, ok := bars[iv]
	if !ok {
		return []market.Candle{}, nil
	}
	if end.IsZero() || end.After(bar.Time) {
		end = bar.Time
	}
	last := iv.OpenTime(end)
	first := last.Add(-time.Duration(limit-1) * iv.Duration())
	upper := last // the newest closed candle that can answer
	if !last.Before(bar.Time) {
		upper = bar.Time.Add(-iv.Duration())
	}
	var ids []string
	for p := pageStart(iv, first); !upper.Before(first) && !p.After(upper); p = p.Add(pageSpan(iv)) {
		ids = append(ids, candlePageID(sym, iv, p))
	}
	pages, err := findByID[candlePageDoc](ctx, s.candles, ids)
	if err != nil {
		return nil, fmt.Errorf("candles %s %s: %w", sym, iv, err)
	}
	out := make([]market.Candle, 0, limit)
	for _, id := range ids {
		cs, err := pages[id].candles()
		if err != nil {
			return nil, fmt.Errorf("candles %s: %w", id, err)
		}
		for _, c := range cs {
			// A page may hold a closed version of the open candle, or newer ones, written by an
			// ingest that failed before its snapshot: the snapshot is the truth.
			if !c.Time.Before(first) && !c.Time.After(last) && c.Time.Before(bar.Time) {
				out = append(out, c)
			}
		}
	}
	if !bar.Time.Before(first) && !bar.Time.After(last) {
		out = append(out, bar)
	}
	return out, nil
}

// Trades returns up to limit of the symbol's newest trades, newest first.
func (s *Store) Trades(ctx context.Context, sym instrument.Symbol, limit int) ([]Trade, error) {
	if limit < 1 {
		return nil, fmt.Errorf("trades %s: bad limit %d", sym, limit)
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	snap, err := s.snapshotDoc(ctx, sym)
	if errors.Is(err, ErrNotFound) {
		return []Trade{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("trades: %w", err)
	}
	newest, oldest := snap.Trades, max(1, snap.Trades-int64(limit)+1)
	if newest < 1 {
		return []Trade{}, nil
	}
	// The newest trades are the snapshot's (the page that is not full); older ones are in pages.
	byID := map[int64]string{}
	for _, line := range snap.OpenTrades {
		byID[tradeID(line)] = line
	}
	var ids []string
	for p := tradePage(newest); p >= tradePage(oldest); p-- {
		if first := p*tradesPerPage + 1; first > newest-int64(len(snap.OpenTrades)) {
			continue // all of this page's trades are in the snapshot
		}
		ids = append(ids, tradePageID(sym, p))
	}
	pages, err := findByID[tradePageDoc](ctx, s.trades, ids)
	if err != nil {
		return nil, fmt.Errorf("trades %s: %w", sym, err)
	}
	out := make([]Trade, 0, newest-oldest+1)
	for n := newest; n >= oldest; n-- {
		line, ok := byID[n]
		if !ok {
			if line, ok = pages[tradePageID(sym, tradePage(n))].T[tradeSlot(n)]; !ok {
				continue // pruned
			}
		}
		tr, err := parseTradeLine(line)
		if err != nil {
			return nil, fmt.Errorf("trades %s #%d: %w", sym, n, err)
		}
		out = append(out, tr)
	}
	return out, nil
}

// findByID looks documents up one _id at a time, a few at once: FerretDB serves an _id equality from
// the index but scans the table for $in. Missing documents are absent from the map.
func findByID[T any](ctx context.Context, coll *mongo.Collection, ids []string) (map[string]T, error) {
	const parallel = 4
	out := make(map[string]T, len(ids))
	var mu sync.Mutex // guards out and firstErr
	var firstErr error
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			var d T
			err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, mongo.ErrNoDocuments):
			case err != nil:
				if firstErr == nil {
					firstErr = fmt.Errorf("find %s: %w", id, err)
				}
			default:
				out[id] = d
			}
		}()
	}
	wg.Wait()
	return out, firstErr
}
