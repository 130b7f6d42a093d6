// Package marketdata is the market data service's core: a simulated feed (seeded geometric Brownian
// motion per instrument with a 5-level book) behind the Source interface a real exchange feed will
// implement, and Books, the latest-book cache every processor reads on each order.
package marketdata

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
)

// Source produces ticks until ctx ends; the simulated Feed is one, a real exchange adapter another.
type Source interface {
	Run(ctx context.Context, publish func(context.Context, []events.PriceTick) error) error
}

// SymbolConfig sets one instrument's random walk.
type SymbolConfig struct {
	Symbol     instrument.Symbol
	Start      float64 // starting mid price
	Volatility float64 // annualised, e.g. 0.6
	SpreadBps  float64
	LevelSize  float64 // typical size per level, base units
}

// DefaultSymbols start near the original design's examples.
func DefaultSymbols() []SymbolConfig {
	return []SymbolConfig{
		{Symbol: "BTC-USD", Start: 45000, Volatility: 0.6, SpreadBps: 1, LevelSize: 1},
		{Symbol: "ETH-USD", Start: 2500, Volatility: 0.8, SpreadBps: 2, LevelSize: 10},
		{Symbol: "SOL-USD", Start: 100, Volatility: 1.0, SpreadBps: 5, LevelSize: 200},
	}
}

// Config configures a Feed.
type Config struct {
	Seed     uint64
	Interval time.Duration
	Symbols  []SymbolConfig
	Catalog  *instrument.Catalog
	Clock    func() time.Time
}

type walk struct {
	cfg    SymbolConfig
	in     instrument.Instrument
	mid    float64
	seq    uint64
	volume money.Decimal
}

// Feed is the simulated market. Its floats live only inside the walk; every published price and size
// is a Decimal on the instrument's tick and lot grid.
type Feed struct {
	cfg   Config
	rng   *rand.Rand
	walks []*walk
}

// NewFeed validates cfg and returns a feed; the same seed and the same Step times give the same ticks.
func NewFeed(cfg Config) (*Feed, error) {
	if cfg.Interval <= 0 {
		cfg.Interval = 100 * time.Millisecond
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	f := &Feed{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))}
	for _, s := range cfg.Symbols {
		in, ok := cfg.Catalog.Lookup(s.Symbol)
		if !ok {
			return nil, fmt.Errorf("new feed: %s not in catalog", s.Symbol)
		}
		f.walks = append(f.walks, &walk{cfg: s, in: in, mid: s.Start})
	}
	return f, nil
}

func onGrid(v float64, step money.Decimal) money.Decimal {
	d, err := money.Parse(strconv.FormatFloat(v, 'f', 10, 64))
	if err != nil {
		return step
	}
	d = d.FloorTo(step)
	if !d.IsPositive() {
		return step
	}
	return d
}

// Step advances every symbol by one interval and returns one tick each.
func (f *Feed) Step(now time.Time) []events.PriceTick {
	dt := f.cfg.Interval.Seconds() / (365 * 24 * 3600)
	out := make([]events.PriceTick, 0, len(f.walks))
	for _, w := range f.walks {
		sigma := w.cfg.Volatility
		w.mid *= math.Exp(-0.5*sigma*sigma*dt + sigma*math.Sqrt(dt)*f.rng.NormFloat64())
		half := w.mid * w.cfg.SpreadBps / 20000
		tick := w.in.TickSize.Float64()
		if half < tick {
			half = tick
		}
		w.seq++
		t := events.PriceTick{Symbol: w.cfg.Symbol, Seq: w.seq, Time: now}
		bestBid := onGrid(w.mid-half, w.in.TickSize)
		bestAsk := bestBid.Add(w.in.TickSize)
		if a := onGrid(w.mid+half, w.in.TickSize); a.GreaterThan(bestAsk) {
			bestAsk = a
		}
		for i := int64(0); i < 5; i++ {
			gap := w.in.TickSize.Mul(money.FromInt(i * (1 + int64(f.rng.IntN(3)))))
			bs := onGrid(w.cfg.LevelSize*(0.05+f.rng.Float64()*2), w.in.LotSize)
			as := onGrid(w.cfg.LevelSize*(0.05+f.rng.Float64()*2), w.in.LotSize)
			bp := bestBid.Sub(gap)
			if n := len(t.Bids); n > 0 && bp.Cmp(t.Bids[n-1].Price) >= 0 {
				bp = t.Bids[n-1].Price.Sub(w.in.TickSize)
			}
			ap := bestAsk.Add(gap)
			if n := len(t.Asks); n > 0 && ap.Cmp(t.Asks[n-1].Price) <= 0 {
				ap = t.Asks[n-1].Price.Add(w.in.TickSize)
			}
			t.Bids = append(t.Bids, events.Level{Price: bp, Size: bs})
			t.Asks = append(t.Asks, events.Level{Price: ap, Size: as})
		}
		if f.rng.IntN(2) == 0 {
			t.Last, t.LastSize = bestAsk, onGrid(w.cfg.LevelSize*f.rng.Float64()*0.2, w.in.LotSize)
		} else {
			t.Last, t.LastSize = bestBid, onGrid(w.cfg.LevelSize*f.rng.Float64()*0.2, w.in.LotSize)
		}
		w.volume = w.volume.Add(t.LastSize)
		t.Volume = w.volume
		out = append(out, t)
	}
	return out
}

// Run ticks every Interval until ctx ends.
func (f *Feed) Run(ctx context.Context, publish func(context.Context, []events.PriceTick) error) error {
	tk := time.NewTicker(f.cfg.Interval)
	defer tk.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tk.C:
			if err := publish(ctx, f.Step(f.cfg.Clock())); err != nil && ctx.Err() == nil {
				return fmt.Errorf("market feed: publish: %w", err)
			}
		}
	}
}

// Books caches the latest tick per symbol. Reads are lock-free (the processor reads on every order);
// writes copy the map.
type Books struct {
	mu      sync.Mutex // serialises writers
	m       atomic.Pointer[map[instrument.Symbol]*events.PriceTick]
	changed map[instrument.Symbol]bool
}

// NewBooks returns an empty cache.
func NewBooks() *Books {
	b := &Books{changed: map[instrument.Symbol]bool{}}
	m := map[instrument.Symbol]*events.PriceTick{}
	b.m.Store(&m)
	return b
}

// Update stores t unless an equal or newer tick of its symbol is there.
func (b *Books) Update(t events.PriceTick) {
	b.mu.Lock()
	defer b.mu.Unlock()
	old := *b.m.Load()
	if cur, ok := old[t.Symbol]; ok && cur.Seq >= t.Seq {
		return
	}
	next := make(map[instrument.Symbol]*events.PriceTick, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[t.Symbol] = &t
	b.m.Store(&next)
	b.changed[t.Symbol] = true
}

// Book returns the latest tick of a symbol, or nil. The result must not be modified.
func (b *Books) Book(s instrument.Symbol) *events.PriceTick { return (*b.m.Load())[s] }

// Changed returns and clears the symbols updated since the last call.
func (b *Books) Changed() []instrument.Symbol {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]instrument.Symbol, 0, len(b.changed))
	for s := range b.changed {
		out = append(out, s)
	}
	clear(b.changed)
	return out
}
