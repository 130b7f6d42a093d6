package marketstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/market"
)

// Result counts what one Ingest call did.
type Result struct {
	Ticks   int // ticks folded
	Stale   int // ticks dropped: not after the symbol's newest folded tick (redelivery, late batches)
	Trades  int // trades recorded
	Candles int // candles closed (written to their pages)
	Symbols int // snapshots written
	// PruneErr is a failed clean-up of old candles or trades. The batch itself is stored; the next
	// batch that starts a page tries again.
	PruneErr error
}

// symbolBatch is one symbol's part of a batch while it is folded.
type symbolBatch struct {
	sym    instrument.Symbol
	ticks  []events.PriceTick
	prev   *snapshotDoc // the stored snapshot; nil before the symbol's first tick
	series market.Series
	trades int64                 // trades recorded, after this batch
	open   []string              // trade lines of the page that is not full yet: kept in the snapshot
	closed map[string]*pageWrite // candles that closed, by page id
	full   []tradePageDoc        // pages of trades that filled up
	pruneM bool                  // the current one-minute candle moved to a new page: prune old pages
	pruneT bool                  // a page of trades filled up: prune old pages
	folded int
	snap   snapshotDoc
}

// Ingest folds a batch of ticks into the store. It is idempotent: every symbol's snapshot records
// the newest tick folded and each candle its own, so ticks at or before them, whether redelivered or
// late, change nothing.
//
// Writes are bounded per batch: the batch is folded in memory per symbol; the candles still open and
// the trades of the page not yet full live in the symbol's snapshot, so a batch writes one snapshot
// per symbol, plus a page slot for each candle that closed and a page for each 100 trades. The pages
// are written first and the snapshot last, and the snapshot moves only from the state this call read
// (else ErrConflict), so two ingests of one symbol cannot interleave. On any error the caller retries
// the batch, which folds again from the stored snapshot and rewrites the same pages.
func (s *Store) Ingest(ctx context.Context, ticks []events.PriceTick) (Result, error) {
	var res Result
	if len(ticks) == 0 {
		return res, nil
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	batches := group(ticks)
	if err := s.loadSnapshots(ctx, batches); err != nil {
		return res, fmt.Errorf("ingest: %w", err)
	}
	for _, b := range batches {
		if err := b.resume(); err != nil {
			return res, fmt.Errorf("ingest %s: %w", b.sym, err)
		}
		b.fold()
		res.Ticks += b.folded
		res.Stale += len(b.ticks) - b.folded
	}
	touched := slices.DeleteFunc(slices.Clone(batches), func(b *symbolBatch) bool { return b.folded == 0 })
	if len(touched) == 0 {
		return res, nil
	}
	var candleW, tradeW []mongo.WriteModel
	for _, b := range touched {
		candleW = append(candleW, upserts(b.closed)...)
		for _, p := range b.full {
			tradeW = append(tradeW, mongo.NewReplaceOneModel().SetFilter(bson.D{{Key: "_id", Value: p.ID}}).SetReplacement(p).SetUpsert(true))
		}
		res.Candles += slots(b.closed)
		res.Trades += int(b.trades - b.prevTrades())
	}
	for _, w := range []struct {
		coll   *mongo.Collection
		models []mongo.WriteModel
	}{{s.candles, candleW}, {s.trades, tradeW}} {
		if len(w.models) == 0 {
			continue
		}
		if _, err := w.coll.BulkWrite(ctx, w.models, options.BulkWrite().SetOrdered(false)); err != nil {
			return res, fmt.Errorf("ingest: write %s: %w", w.coll.Name(), conflict(err))
		}
	}
	// The 24h figures read the hour candles that closed, so they are computed after the writes.
	now := time.Now().UTC()
	for _, b := range touched {
		last, _ := b.series.Last()
		window, err := s.dayWindow(ctx, &b.series, last.Time)
		if err != nil {
			return res, fmt.Errorf("ingest %s: %w", b.sym, err)
		}
		b.snap = snapshotToDoc(last, market.NewTicker(b.sym, last, window), b.trades, b.open, &b.series, now)
	}
	if err := s.writeSnapshots(ctx, touched); err != nil {
		return res, fmt.Errorf("ingest: %w", err)
	}
	res.Symbols = len(touched)
	res.PruneErr = s.prune(ctx, touched)
	return res, nil
}

func (b *symbolBatch) prevTrades() int64 {
	if b.prev == nil {
		return 0
	}
	return b.prev.Trades
}

// group splits ticks by symbol, each symbol's ticks in stream order (a batch spans partitions, and
// nothing but the marks says how ticks of one symbol relate).
func group(ticks []events.PriceTick) []*symbolBatch {
	by := map[instrument.Symbol]*symbolBatch{}
	var out []*symbolBatch
	for _, t := range ticks {
		b := by[t.Symbol]
		if b == nil {
			b = &symbolBatch{sym: t.Symbol, closed: map[string]*pageWrite{}}
			by[t.Symbol] = b
			out = append(out, b)
		}
		b.ticks = append(b.ticks, t)
	}
	for _, b := range out {
		sort.SliceStable(b.ticks, func(i, j int) bool { return market.MarkOf(b.ticks[i]).Before(market.MarkOf(b.ticks[j])) })
	}
	sort.Slice(out, func(i, j int) bool { return out[i].sym < out[j].sym })
	return out
}

func (s *Store) loadSnapshots(ctx context.Context, batches []*symbolBatch) error {
	ids := make(bson.A, 0, len(batches))
	for _, b := range batches {
		ids = append(ids, string(b.sym))
	}
	// $in on a collection as small as the catalog: one round trip, and a scan of a few documents.
	cur, err := s.snaps.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	if err != nil {
		return fmt.Errorf("load snapshots: %w", err)
	}
	var docs []snapshotDoc
	if err := cur.All(ctx, &docs); err != nil {
		return fmt.Errorf("load snapshots: %w", err)
	}
	for _, b := range batches {
		for i := range docs {
			if docs[i].ID == string(b.sym) {
				b.prev = &docs[i]
			}
		}
	}
	return nil
}

// resume restores the symbol's series from its snapshot: the newest tick folded, the open candles
// and the trades of the page that is not full. Nothing else is needed: whatever an earlier, failed
// try of the batch wrote to pages beyond the snapshot is rewritten identically as the fold passes it
// again, and readers ignore candles at or after the snapshot's open ones.
func (b *symbolBatch) resume() error {
	if b.prev == nil {
		return nil
	}
	last, err := tickFromDoc(*b.prev)
	if err != nil {
		return err
	}
	b.series.Resume(last)
	b.trades, b.open = b.prev.Trades, slices.Clone(b.prev.OpenTrades)
	bars, err := b.prev.bars()
	if err != nil {
		return err
	}
	for iv, c := range bars {
		b.series.Restore(iv, c)
	}
	return nil
}

// pageWrite is what a batch writes to one page document: slots to $set, and the page's identity
// for when the page is new.
type pageWrite struct {
	identity bson.D
	sets     bson.D
}

// set sets one slot, replacing an earlier value of the same slot: a candle touched by several ticks
// of the batch is written once, in its newest state.
func (w *pageWrite) set(key string, v any) {
	for i := range w.sets {
		if w.sets[i].Key == key {
			w.sets[i].Value = v
			return
		}
	}
	w.sets = append(w.sets, bson.E{Key: key, Value: v})
}

// fold applies the symbol's ticks. A candle that a tick closes (the tick falls into the next one) is
// written to its page slot with $set, so that a page is written without being read; trades go to the
// open page, which is written whole once it holds 100.
func (b *symbolBatch) fold() {
	startMinute, hadMinute := b.series.Candle(market.OneMinute)
	var before [market.OneDay + 1]market.Candle
	var had [market.OneDay + 1]bool
	for _, t := range b.ticks {
		for _, iv := range market.Intervals() {
			before[iv], had[iv] = b.series.Candle(iv)
		}
		step, ok := b.series.Apply(t)
		if !ok {
			continue
		}
		b.folded++
		if step.Trade != nil {
			b.trades++
			n := b.trades
			b.open = append(b.open, tradeLine(n, *step.Trade))
			if n%tradesPerPage == 0 {
				p := tradePage(n)
				page := tradePageDoc{ID: tradePageID(b.sym, p), Symbol: string(b.sym), Page: p, T: map[string]string{}}
				for _, line := range b.open {
					page.T[tradeSlot(tradeID(line))] = line
				}
				b.full, b.open, b.pruneT = append(b.full, page), nil, true
			}
		}
		for _, iv := range market.Intervals() {
			if cur, ok := b.series.Candle(iv); ok && had[iv] && !cur.Time.Equal(before[iv].Time) {
				b.close(iv, before[iv])
			}
		}
	}
	if cur, ok := b.series.Candle(market.OneMinute); ok && (!hadMinute || !pageStart(market.OneMinute, cur.Time).Equal(pageStart(market.OneMinute, startMinute.Time))) {
		b.pruneM = true
	}
}

// close records a candle that closed for writing to its page.
func (b *symbolBatch) close(iv market.Interval, c market.Candle) {
	start := pageStart(iv, c.Time)
	id := candlePageID(b.sym, iv, start)
	w := b.closed[id]
	if w == nil {
		w = &pageWrite{identity: bson.D{{Key: "symbol", Value: string(b.sym)}, {Key: "interval", Value: iv.String()}, {Key: "start", Value: start}}}
		b.closed[id] = w
	}
	w.set("c."+candleSlot(iv, c.Time), candleLine(c))
}

func slots(m map[string]*pageWrite) int {
	n := 0
	for _, w := range m {
		n += len(w.sets)
	}
	return n
}

// upserts turns page writes into unordered-bulk upserts, in page id order.
func upserts(m map[string]*pageWrite) []mongo.WriteModel {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]mongo.WriteModel, 0, len(ids))
	for _, id := range ids {
		out = append(out, mongo.NewUpdateOneModel().
			SetFilter(bson.D{{Key: "_id", Value: id}}).
			SetUpdate(bson.D{{Key: "$set", Value: m[id].sets}, {Key: "$setOnInsert", Value: m[id].identity}}).
			SetUpsert(true))
	}
	return out
}

// dayWindow returns the candles of the 24 hours up to at (market.DayWindow): one page of one-minute
// candles from a day ago, the hour candles that closed since and the current hour candle.
func (s *Store) dayWindow(ctx context.Context, series *market.Series, at time.Time) ([]market.Candle, error) {
	last, _ := series.Last()
	from, hourFrom := market.DayWindow(at)
	minutes, err := s.closedCandles(ctx, series, last.Symbol, market.OneMinute, from, hourFrom)
	if err != nil {
		return nil, fmt.Errorf("day window: %w", err)
	}
	hour, ok := series.Candle(market.OneHour)
	if !ok {
		return minutes, nil
	}
	hours, err := s.closedCandles(ctx, series, last.Symbol, market.OneHour, hourFrom, hour.Time)
	if err != nil {
		return nil, fmt.Errorf("day window: %w", err)
	}
	out := append(minutes, hours...)
	if !hour.Time.Before(hourFrom) {
		out = append(out, hour)
	}
	return out, nil
}

// closedCandles returns the stored candles of iv opening in [from, to), oldest first, reading each
// page once per candle of iv that closes: a page changes only when one of its candles closes, which
// moves the series' current candle of iv.
func (s *Store) closedCandles(ctx context.Context, series *market.Series, sym instrument.Symbol, iv market.Interval, from, to time.Time) ([]market.Candle, error) {
	bar, _ := series.Candle(iv)
	var out []market.Candle
	for p := pageStart(iv, from); p.Before(to); p = p.Add(pageSpan(iv)) {
		id := candlePageID(sym, iv, p)
		cs, ok := s.cache.get(id, bar.Time)
		if !ok {
			pages, err := findByID[candlePageDoc](ctx, s.candles, []string{id})
			if err != nil {
				return nil, err
			}
			if cs, err = pages[id].candles(); err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
			s.cache.put(id, bar.Time, cs)
		}
		for _, c := range cs {
			if !c.Time.Before(from) && c.Time.Before(to) && c.Time.Before(bar.Time) {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// pageCache keeps the candle pages the 24h figures read, each with the open time of its interval's
// current candle when it was read: while that has not moved, no candle of the interval closed, and
// the page is as it was. A symbol reads a few pages, so the cache stays as small as the catalog.
type pageCache struct {
	mu sync.Mutex // guards m
	m  map[string]cachedPage
}

type cachedPage struct {
	bar     time.Time
	candles []market.Candle
}

func (c *pageCache) get(id string, bar time.Time) ([]market.Candle, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[id]
	if !ok || !p.bar.Equal(bar) {
		return nil, false
	}
	return p.candles, true
}

func (c *pageCache) put(id string, bar time.Time, cs []market.Candle) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 1000 { // pages of symbols that moved on are dropped wholesale
		c.m = map[string]cachedPage{}
	}
	c.m[id] = cachedPage{bar: bar, candles: cs}
}

// writeSnapshots replaces each snapshot only if it is still the one this ingest read.
func (s *Store) writeSnapshots(ctx context.Context, touched []*symbolBatch) error {
	var models []mongo.WriteModel
	replaces := 0
	for _, b := range touched {
		if b.prev == nil {
			models = append(models, mongo.NewInsertOneModel().SetDocument(b.snap))
			continue
		}
		replaces++
		models = append(models, mongo.NewReplaceOneModel().
			SetFilter(bson.D{{Key: "_id", Value: b.snap.ID}, {Key: "seq", Value: b.prev.Seq}, {Key: "timeNs", Value: b.prev.TimeNs}}).
			SetReplacement(b.snap))
	}
	r, err := s.snaps.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
	if err != nil {
		return fmt.Errorf("write snapshots: %w", conflict(err))
	}
	if int(r.MatchedCount) != replaces {
		return fmt.Errorf("write snapshots: %d of %d moved on: %w", replaces-int(r.MatchedCount), replaces, ErrConflict)
	}
	return nil
}

// conflict classifies a bulk write that failed only on duplicate keys as ErrConflict: another ingest
// inserted the same snapshot or page first (an upsert race).
func conflict(err error) error {
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || len(bwe.WriteErrors) == 0 || bwe.WriteConcernError != nil {
		return err
	}
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 {
			return err
		}
	}
	return fmt.Errorf("%w: %v", ErrConflict, err)
}

// prune deletes, for symbols that started a new page, one-minute candle pages older than the
// retention and trade pages beyond the newest KeepTrades, at most 100 documents each: bounded work
// per batch, and a backlog shrinks by 100 at every page start.
func (s *Store) prune(ctx context.Context, touched []*symbolBatch) error {
	const most = 100
	var errs []error
	for _, b := range touched {
		if b.pruneM {
			last, _ := b.series.Last()
			cut := pageStart(market.OneMinute, last.Time.Add(-s.cfg.MinuteRetention))
			errs = append(errs, deleteSome(ctx, s.candles, bson.D{{Key: "symbol", Value: string(b.sym)}, {Key: "interval", Value: market.OneMinute.String()},
				{Key: "start", Value: bson.D{{Key: "$lt", Value: cut}}}}, most))
		}
		if b.pruneT {
			keepFrom := tradePage(max(1, b.trades-int64(s.cfg.KeepTrades)+1))
			errs = append(errs, deleteSome(ctx, s.trades, bson.D{{Key: "symbol", Value: string(b.sym)}, {Key: "page", Value: bson.D{{Key: "$lt", Value: keepFrom}}}}, most))
		}
	}
	return errors.Join(errs...)
}

func deleteSome(ctx context.Context, coll *mongo.Collection, filter bson.D, most int64) error {
	cur, err := coll.Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}).SetLimit(most))
	if err != nil {
		return fmt.Errorf("prune %s: %w", coll.Name(), err)
	}
	var ids []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &ids); err != nil {
		return fmt.Errorf("prune %s: %w", coll.Name(), err)
	}
	if len(ids) == 0 {
		return nil
	}
	in := make(bson.A, 0, len(ids))
	for _, d := range ids {
		in = append(in, d.ID)
	}
	if _, err := coll.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: in}}}}); err != nil {
		return fmt.Errorf("prune %s: %w", coll.Name(), err)
	}
	return nil
}
