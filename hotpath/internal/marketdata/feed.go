package marketdata

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
)

// Depth is the number of price levels per side in every simulated tick.
const Depth = 5

// DefaultInterval is the tick interval when Config.Interval is zero: ten ticks a second per symbol is
// lively enough for a dashboard and for resting orders to fill, and cheap for Kafka.
const DefaultInterval = 100 * time.Millisecond

const (
	secondsPerYear = 365 * 24 * 3600 // crypto trades every day, so volatility is annualised over 365 days

	// maxGap caps the time one Step may simulate. A long pause (a debugger, a suspended laptop) would
	// otherwise publish one jump large enough to trip every price collar at once.
	maxGap = time.Minute

	// band bounds the walk to [start/band, start*band]. GBM has no bounds, and an extreme configuration
	// could otherwise overflow the integer tick arithmetic or sink below one tick.
	band = 1000

	// maxTicks bounds start*band in ticks, far below where int64 tick counts or the float mid would
	// lose precision.
	maxTicks = 1e15
)

// SymbolConfig sets one instrument's simulated market. Prices and sizes are Decimals like everywhere
// else; the model parameters (drift, volatility, spread, trade probability) are plain numbers because
// they only steer the random walk.
type SymbolConfig struct {
	Symbol instrument.Symbol
	Start  money.Decimal // first mid price, in the quote asset

	Drift      float64 // annualised drift μ of the log price; 0 for no trend
	Volatility float64 // annualised volatility σ, e.g. 0.6 for 60 %

	// SpreadBps is the widest spread, in basis points of mid; each tick draws its spread uniformly
	// between one tick and this, so quotes range from a few ticks to a few bps like a real venue.
	SpreadBps float64

	// MinLevelSize and MaxLevelSize bound the size shown at each level, in the base asset. They are
	// floored to the lot size, and MinLevelSize must be at least one lot.
	MinLevelSize money.Decimal
	MaxLevelSize money.Decimal

	// TradeProb is the chance that a step prints a trade at the touch (0 to 1).
	TradeProb float64
}

// DefaultSymbols returns the three instruments of the default catalog, starting near the original
// design's example prices with volatilities of the order each asset shows in practice.
func DefaultSymbols() []SymbolConfig {
	d := money.MustParse
	return []SymbolConfig{
		{Symbol: "BTC-USD", Start: d("45000"), Volatility: 0.6, SpreadBps: 2, MinLevelSize: d("0.05"), MaxLevelSize: d("2"), TradeProb: 0.3},
		{Symbol: "ETH-USD", Start: d("2500"), Volatility: 0.75, SpreadBps: 3, MinLevelSize: d("0.5"), MaxLevelSize: d("40"), TradeProb: 0.3},
		{Symbol: "SOL-USD", Start: d("100"), Volatility: 1.0, SpreadBps: 5, MinLevelSize: d("5"), MaxLevelSize: d("500"), TradeProb: 0.25},
	}
}

// Config configures a Feed. Catalog is required; the zero Interval means DefaultInterval and no
// Symbols means DefaultSymbols.
type Config struct {
	// Seed makes the feed reproducible: the same seed and the same sequence of Step times give the
	// same ticks. Each symbol draws from its own stream derived from Seed and its name, so adding or
	// reordering symbols does not change another symbol's path.
	Seed     uint64
	Interval time.Duration
	Symbols  []SymbolConfig
	Catalog  *instrument.Catalog // supplies each symbol's tick and lot size
}

// walk is one symbol's simulated market. mid is the only float state; everything published is derived
// from integer tick and lot counts.
type walk struct {
	sym       instrument.Symbol
	tick, lot money.Decimal
	tickF     float64
	rng       *rand.Rand

	drift, vol float64
	spreadBps  float64
	minLots    int64
	maxLots    int64
	tradeProb  float64

	mid, lo, hi float64
	seq         uint64
	prev        time.Time // time of the previous step; zero before the first
	last        money.Decimal
	lastSize    money.Decimal
	volume      money.Decimal
}

// Feed is a simulated market of several symbols. It is not safe for concurrent use: call Step from
// one goroutine, or let Run do it.
type Feed struct {
	interval time.Duration
	walks    []*walk
}

// NewFeed checks cfg against its catalog and returns a feed positioned before its first tick.
func NewFeed(cfg Config) (*Feed, error) {
	if cfg.Interval == 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.Symbols == nil {
		cfg.Symbols = DefaultSymbols()
	}
	switch {
	case cfg.Catalog == nil:
		return nil, errors.New("new feed: no instrument catalog")
	case cfg.Interval < 0:
		return nil, fmt.Errorf("new feed: negative interval %s", cfg.Interval)
	case len(cfg.Symbols) == 0:
		return nil, errors.New("new feed: no symbols")
	}
	f := &Feed{interval: cfg.Interval, walks: make([]*walk, 0, len(cfg.Symbols))}
	seen := make(map[instrument.Symbol]bool, len(cfg.Symbols))
	for _, s := range cfg.Symbols {
		if seen[s.Symbol] {
			return nil, fmt.Errorf("new feed: %s configured twice", s.Symbol)
		}
		seen[s.Symbol] = true
		w, err := newWalk(cfg.Seed, s, cfg.Catalog)
		if err != nil {
			return nil, fmt.Errorf("new feed: %s: %w", s.Symbol, err)
		}
		f.walks = append(f.walks, w)
	}
	return f, nil
}

func newWalk(seed uint64, s SymbolConfig, cat *instrument.Catalog) (*walk, error) {
	in, ok := cat.Lookup(s.Symbol)
	if !ok {
		return nil, errors.New("not in the instrument catalog")
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	minSize, maxSize := s.MinLevelSize.FloorTo(in.LotSize), s.MaxLevelSize.FloorTo(in.LotSize)
	switch {
	case !s.Start.IsPositive():
		return nil, fmt.Errorf("start price %s must be positive", s.Start)
	case !finite(s.Drift) || math.Abs(s.Drift) > 10:
		return nil, fmt.Errorf("drift %v must be within ±10 a year", s.Drift)
	case !finite(s.Volatility) || s.Volatility < 0 || s.Volatility > 10:
		return nil, fmt.Errorf("volatility %v must be within 0..10 a year", s.Volatility)
	case !finite(s.SpreadBps) || s.SpreadBps < 0 || s.SpreadBps > 1000:
		return nil, fmt.Errorf("spread %v bps must be within 0..1000", s.SpreadBps)
	case !finite(s.TradeProb) || s.TradeProb < 0 || s.TradeProb > 1:
		return nil, fmt.Errorf("trade probability %v must be within 0..1", s.TradeProb)
	case minSize.LessThan(in.LotSize):
		return nil, fmt.Errorf("minimum level size %s is below the lot size %s", s.MinLevelSize, in.LotSize)
	case maxSize.LessThan(minSize):
		return nil, fmt.Errorf("maximum level size %s is below the minimum %s", s.MaxLevelSize, s.MinLevelSize)
	}
	minLots, err := lotCount(minSize, in.LotSize)
	if err != nil {
		return nil, err
	}
	maxLots, err := lotCount(maxSize, in.LotSize)
	if err != nil {
		return nil, err
	}
	start := s.Start.Float64()
	if start*band/in.TickSize.Float64() > maxTicks {
		return nil, fmt.Errorf("start price %s is too many ticks of %s for the simulation", s.Start, in.TickSize)
	}
	h := fnv.New64a()
	h.Write([]byte(s.Symbol))
	return &walk{
		sym: s.Symbol, tick: in.TickSize, lot: in.LotSize, tickF: in.TickSize.Float64(),
		rng:   rand.New(rand.NewPCG(seed, h.Sum64())),
		drift: s.Drift, vol: s.Volatility, spreadBps: s.SpreadBps,
		minLots: minLots, maxLots: maxLots, tradeProb: s.TradeProb,
		mid: start, lo: start / band, hi: start * band,
	}, nil
}

// lotCount returns size/lot as an integer; size is already a multiple of lot.
func lotCount(size, lot money.Decimal) (int64, error) {
	q, err := size.Div(lot, 0)
	if err != nil {
		return 0, err
	}
	n := q.Float64()
	if n > 1e12 {
		return 0, fmt.Errorf("level size %s is more than 1e12 lots", size)
	}
	return int64(n), nil
}

// Interval returns the tick interval Run uses.
func (f *Feed) Interval() time.Duration { return f.interval }

// Step advances every symbol to now and returns one tick per symbol, in configuration order, each with
// a Seq one above its previous tick. The walk moves by the time elapsed since the previous Step (one
// Interval for the first, at most a minute, nothing if now went backwards), so a late tick carries
// the variance it would have accumulated in a real market.
//
// Last and LastSize describe the most recent trade, carried forward from tick to tick (zero before
// the first), as a ticker does; Volume is the base quantity traded since the feed started, so a tick
// printed a trade exactly when its Volume grew. Each tick owns its level slices.
func (f *Feed) Step(now time.Time) []events.PriceTick {
	out := make([]events.PriceTick, len(f.walks))
	for i, w := range f.walks {
		out[i] = w.step(now, f.interval)
	}
	return out
}

func (w *walk) step(now time.Time, interval time.Duration) events.PriceTick {
	dt := interval
	if w.seq > 0 {
		dt = min(max(now.Sub(w.prev), 0), maxGap)
	}
	w.prev = now
	w.seq++

	// Exact GBM step: ln S moves by (μ - σ²/2)dt + σ√dt·Z. Z is drawn even when dt is zero so the
	// number of draws per step, and so the stream, never depends on timing.
	years := dt.Seconds() / secondsPerYear
	z := w.rng.NormFloat64()
	w.mid *= math.Exp((w.drift-0.5*w.vol*w.vol)*years + w.vol*math.Sqrt(years)*z)
	w.mid = min(max(w.mid, w.lo), w.hi)

	// The book in integer ticks: a spread of 1..maxSpread ticks around mid, then levels 1..maxStep
	// ticks apart (a quarter of the widest spread), so the book's shape scales with the price rather
	// than being a fixed number of cents.
	midT := w.mid / w.tickF
	maxSpread := max(1, int64(midT*w.spreadBps/10_000))
	maxStep := max(1, maxSpread/4)
	var bidT, askT [Depth]int64
	spread := 1 + w.rng.Int64N(maxSpread)
	bidT[0] = int64(math.Floor(midT - float64(spread)/2))
	askT[0] = bidT[0] + spread
	for i := 1; i < Depth; i++ {
		bidT[i] = bidT[i-1] - 1 - w.rng.Int64N(maxStep)
		askT[i] = askT[i-1] + 1 + w.rng.Int64N(maxStep)
	}
	// Near zero the deepest bid could fall to or below zero; lift the whole book so every price stays
	// a positive tick, as on a real venue.
	if lift := 1 - bidT[Depth-1]; lift > 0 {
		for i := range Depth {
			bidT[i] += lift
			askT[i] += lift
		}
	}

	// One backing array for both sides: one allocation per tick instead of two.
	levels := make([]events.Level, 2*Depth)
	var topBid, topAsk int64
	for i := range Depth {
		b, a := w.sizeLots(), w.sizeLots()
		if i == 0 {
			topBid, topAsk = b, a
		}
		levels[i] = events.Level{Price: w.ticks(bidT[i]), Size: w.lots(b)}
		levels[Depth+i] = events.Level{Price: w.ticks(askT[i]), Size: w.lots(a)}
	}
	t := events.PriceTick{Symbol: w.sym, Seq: w.seq, Bids: levels[:Depth:Depth], Asks: levels[Depth:], Time: now}

	// A trade hits the bid or lifts the offer for part of the touch, never more than is displayed.
	// The three draws happen every step, for the same reason as Z above.
	trade, buy, frac := w.rng.Float64() < w.tradeProb, w.rng.IntN(2) == 0, w.rng.Float64()
	if trade {
		price, top := t.Bids[0].Price, topBid
		if buy {
			price, top = t.Asks[0].Price, topAsk
		}
		size := w.lots(max(1, int64(frac*frac*float64(top)))) // squared: most prints are small, as on a real tape
		w.last, w.lastSize = price, size
		w.volume = w.volume.Add(size)
	}
	t.Last, t.LastSize, t.Volume = w.last, w.lastSize, w.volume
	return t
}

func (w *walk) sizeLots() int64             { return w.minLots + w.rng.Int64N(w.maxLots-w.minLots+1) }
func (w *walk) ticks(n int64) money.Decimal { return money.FromInt(n).Mul(w.tick) }
func (w *walk) lots(n int64) money.Decimal  { return money.FromInt(n).Mul(w.lot) }

// Run calls Step(clock()) every Interval, first one Interval after it starts, and hands the ticks to
// publish. It returns nil once ctx ends, and the publish error, wrapped, if publish fails while ctx is
// live. When publish is slower than Interval, ticks are skipped rather than queued; the next Step
// simulates the whole elapsed time, so the path stays continuous.
func (f *Feed) Run(ctx context.Context, clock func() time.Time, publish func(context.Context, []events.PriceTick) error) error {
	if clock == nil || publish == nil {
		return errors.New("market feed run: clock and publish are required")
	}
	tk := time.NewTicker(f.interval)
	defer tk.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tk.C:
		}
		if ctx.Err() != nil { // both were ready and select picked the tick
			return nil
		}
		if err := publish(ctx, f.Step(clock())); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("market feed run: publish: %w", err)
		}
	}
}
