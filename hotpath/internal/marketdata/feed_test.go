package marketdata_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/marketdata"
)

var d = money.MustParse

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newFeed(t testing.TB, cfg marketdata.Config) *marketdata.Feed {
	t.Helper()
	if cfg.Catalog == nil {
		cfg.Catalog = instrument.Default()
	}
	f, err := marketdata.NewFeed(cfg)
	if err != nil {
		t.Fatalf("NewFeed: %v", err)
	}
	return f
}

// render writes every field of a tick, so two runs can be compared exactly without depending on how
// Decimal is represented inside.
func render(ts []events.PriceTick) string {
	var sb strings.Builder
	for _, t := range ts {
		fmt.Fprintf(&sb, "%s #%d %s last=%s@%s vol=%s", t.Symbol, t.Seq, t.Time.Format(time.RFC3339Nano), t.LastSize, t.Last, t.Volume)
		for _, l := range t.Bids {
			fmt.Fprintf(&sb, " b%s@%s", l.Size, l.Price)
		}
		for _, l := range t.Asks {
			fmt.Fprintf(&sb, " a%s@%s", l.Size, l.Price)
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// run steps f n times, one interval apart, and renders the ticks of the given symbol (all if empty).
func run(f *marketdata.Feed, n int, sym instrument.Symbol) string {
	var sb strings.Builder
	now := epoch
	for range n {
		now = now.Add(f.Interval())
		for _, t := range f.Step(now) {
			if sym == "" || t.Symbol == sym {
				sb.WriteString(render([]events.PriceTick{t}))
			}
		}
	}
	return sb.String()
}

func TestNewFeedRejectsBadConfig(t *testing.T) {
	good := func(edit func(*marketdata.SymbolConfig)) []marketdata.SymbolConfig {
		s := marketdata.DefaultSymbols()[:1]
		edit(&s[0])
		return s
	}
	tests := []struct {
		name string
		cfg  marketdata.Config
		want string
	}{
		{"no catalog", marketdata.Config{Catalog: nil}, "no instrument catalog"},
		{"negative interval", marketdata.Config{Interval: -time.Second}, "negative interval"},
		{"empty symbols", marketdata.Config{Symbols: []marketdata.SymbolConfig{}}, "no symbols"},
		{"unknown symbol", marketdata.Config{Symbols: good(func(s *marketdata.SymbolConfig) { s.Symbol = "DOGE-USD" })}, "not in the instrument catalog"},
		{"duplicate", marketdata.Config{Symbols: append(marketdata.DefaultSymbols(), marketdata.DefaultSymbols()[0])}, "configured twice"},
		{"zero start", marketdata.Config{Symbols: good(func(s *marketdata.SymbolConfig) { s.Start = money.Zero })}, "start price"},
		{"negative volatility", marketdata.Config{Symbols: good(func(s *marketdata.SymbolConfig) { s.Volatility = -0.1 })}, "volatility"},
		{"huge drift", marketdata.Config{Symbols: good(func(s *marketdata.SymbolConfig) { s.Drift = 50 })}, "drift"},
		{"negative spread", marketdata.Config{Symbols: good(func(s *marketdata.SymbolConfig) { s.SpreadBps = -1 })}, "spread"},
		{"trade probability above 1", marketdata.Config{Symbols: good(func(s *marketdata.SymbolConfig) { s.TradeProb = 1.5 })}, "trade probability"},
		{"level size below a lot", marketdata.Config{Symbols: good(func(s *marketdata.SymbolConfig) { s.MinLevelSize = d("0.000001") })}, "below the lot size"},
		{"start too far from the tick size", marketdata.Config{Symbols: good(func(s *marketdata.SymbolConfig) { s.Start = d("1e20") })}, "too many ticks"},
		{"max below min", marketdata.Config{Symbols: good(func(s *marketdata.SymbolConfig) { s.MaxLevelSize = d("0.01") })}, "below the minimum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name != "no catalog" {
				tt.cfg.Catalog = instrument.Default()
			}
			_, err := marketdata.NewFeed(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewFeed error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestNewFeedDefaults(t *testing.T) {
	f := newFeed(t, marketdata.Config{})
	if f.Interval() != marketdata.DefaultInterval {
		t.Errorf("Interval = %s, want %s", f.Interval(), marketdata.DefaultInterval)
	}
	ts := f.Step(epoch)
	got := make([]instrument.Symbol, len(ts))
	for i, tk := range ts {
		got[i] = tk.Symbol
	}
	if fmt.Sprint(got) != "[BTC-USD ETH-USD SOL-USD]" {
		t.Errorf("default symbols = %v", got)
	}
}

func TestFeedDeterministic(t *testing.T) {
	const steps = 300
	btcOnly := []marketdata.SymbolConfig{marketdata.DefaultSymbols()[0]}
	tests := []struct {
		name     string
		a, b     marketdata.Config
		sym      instrument.Symbol // compare only this symbol; empty: all
		wantSame bool
	}{
		{"same seed", marketdata.Config{Seed: 42}, marketdata.Config{Seed: 42}, "", true},
		{"different seed", marketdata.Config{Seed: 42}, marketdata.Config{Seed: 43}, "", false},
		{"symbol path independent of the others", marketdata.Config{Seed: 7}, marketdata.Config{Seed: 7, Symbols: btcOnly}, "BTC-USD", true},
		{"interval changes the path", marketdata.Config{Seed: 7}, marketdata.Config{Seed: 7, Interval: time.Second}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := run(newFeed(t, tt.a), steps, tt.sym), run(newFeed(t, tt.b), steps, tt.sym)
			if (a == b) != tt.wantSame {
				t.Fatalf("same output = %v, want %v\nfirst a: %.300s\nfirst b: %.300s", a == b, tt.wantSame, a, b)
			}
		})
	}
}

// TestFeedStepTimes checks that the walk follows the Step times: identical time sequences replay
// exactly, and a clock that stalls or goes backwards freezes the mid instead of breaking the book.
func TestFeedStepTimes(t *testing.T) {
	times := []time.Time{epoch, epoch.Add(time.Second), epoch.Add(time.Second), epoch, epoch.Add(time.Hour)}
	var out [2]string
	for i := range out {
		f := newFeed(t, marketdata.Config{Seed: 9})
		for _, now := range times {
			ts := f.Step(now)
			for _, tk := range ts {
				if !tk.Time.Equal(now) {
					t.Fatalf("tick time %s, want the Step time %s", tk.Time, now)
				}
				if err := checkTick(tk, instrument.Default()); err != nil {
					t.Fatal(err)
				}
			}
			out[i] += render(ts)
		}
	}
	if out[0] != out[1] {
		t.Fatal("same seed and same Step times gave different ticks")
	}
}

// checkTick returns the first invariant t breaks: prices on the tick grid and positive, sizes on the
// lot grid and positive, Depth levels a side sorted best first and strictly apart, bid below ask, and
// the last trade on the grid.
func checkTick(t events.PriceTick, cat *instrument.Catalog) error {
	in, ok := cat.Lookup(t.Symbol)
	if !ok {
		return fmt.Errorf("unknown symbol %q", t.Symbol)
	}
	if len(t.Bids) != marketdata.Depth || len(t.Asks) != marketdata.Depth {
		return fmt.Errorf("%s #%d: %d bids and %d asks, want %d each", t.Symbol, t.Seq, len(t.Bids), len(t.Asks), marketdata.Depth)
	}
	if !t.BestBid().LessThan(t.BestAsk()) {
		return fmt.Errorf("%s #%d: crossed or locked book, bid %s ask %s", t.Symbol, t.Seq, t.BestBid(), t.BestAsk())
	}
	for side, lv := range map[string][]events.Level{"bid": t.Bids, "ask": t.Asks} {
		for i, l := range lv {
			if !l.Price.IsPositive() || !l.Price.IsMultipleOf(in.TickSize) {
				return fmt.Errorf("%s #%d: %s %d price %s not a positive multiple of %s", t.Symbol, t.Seq, side, i, l.Price, in.TickSize)
			}
			if !l.Size.IsPositive() || !l.Size.IsMultipleOf(in.LotSize) {
				return fmt.Errorf("%s #%d: %s %d size %s not a positive multiple of %s", t.Symbol, t.Seq, side, i, l.Size, in.LotSize)
			}
			if i == 0 {
				continue
			}
			better := l.Price.GreaterThan(lv[i-1].Price) // a worse bid is lower
			if side == "ask" {
				better = l.Price.LessThan(lv[i-1].Price)
			}
			if better || l.Price.Equal(lv[i-1].Price) {
				return fmt.Errorf("%s #%d: %s levels not strictly sorted best first at %d: %s after %s", t.Symbol, t.Seq, side, i, l.Price, lv[i-1].Price)
			}
		}
	}
	if !t.Last.IsMultipleOf(in.TickSize) || !t.LastSize.IsMultipleOf(in.LotSize) || t.Last.IsNegative() || t.LastSize.IsNegative() {
		return fmt.Errorf("%s #%d: last trade %s@%s off grid", t.Symbol, t.Seq, t.LastSize, t.Last)
	}
	return nil
}

func TestFeedInvariants(t *testing.T) {
	pennies := marketdata.SymbolConfig{Symbol: "SOL-USD", Start: d("0.01"), Volatility: 5, Drift: -5, SpreadBps: 1000,
		MinLevelSize: d("0.001"), MaxLevelSize: d("1"), TradeProb: 1}
	wild := marketdata.SymbolConfig{Symbol: "BTC-USD", Start: d("45000"), Volatility: 10, Drift: 10, SpreadBps: 0,
		MinLevelSize: d("0.00001"), MaxLevelSize: d("0.00001"), TradeProb: 0.01}
	tests := []struct {
		name  string
		cfg   marketdata.Config
		steps int
		band  float64 // the mid must stay within [start/band, start*band]; 0: not checked
	}{
		{"defaults", marketdata.Config{Seed: 1}, 100_000, 1.25},
		{"defaults, one-second interval", marketdata.Config{Seed: 2, Interval: time.Second}, 20_000, 1.5},
		{"near zero price", marketdata.Config{Seed: 3, Symbols: []marketdata.SymbolConfig{pennies}}, 20_000, 0},
		{"extreme volatility", marketdata.Config{Seed: 4, Symbols: []marketdata.SymbolConfig{wild}, Interval: time.Minute}, 20_000, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFeed(t, tt.cfg)
			syms := tt.cfg.Symbols
			if syms == nil {
				syms = marketdata.DefaultSymbols()
			}
			cat := instrument.Default()
			prev := make([]events.PriceTick, len(syms))
			trades := 0
			now := epoch
			for step := range tt.steps {
				now = now.Add(f.Interval())
				ts := f.Step(now)
				if len(ts) != len(syms) {
					t.Fatalf("step %d: %d ticks for %d symbols", step, len(ts), len(syms))
				}
				for i, tk := range ts {
					if tk.Symbol != syms[i].Symbol || tk.Seq != prev[i].Seq+1 {
						t.Fatalf("step %d: got %s #%d after #%d, want %s with Seq+1", step, tk.Symbol, tk.Seq, prev[i].Seq, syms[i].Symbol)
					}
					if err := checkTick(tk, cat); err != nil {
						t.Fatalf("step %d: %v", step, err)
					}
					if tt.band > 0 {
						mid := (tk.BestBid().Float64() + tk.BestAsk().Float64()) / 2
						lo, hi := syms[i].Start.Float64()/tt.band, syms[i].Start.Float64()*tt.band
						if mid < lo || mid > hi {
							t.Fatalf("step %d: %s mid %.2f left the band [%.2f, %.2f]", step, tk.Symbol, mid, lo, hi)
						}
					}
					// Volume grows exactly by the size of a new trade, which prints at the touch.
					switch grown := tk.Volume.Sub(prev[i].Volume); {
					case grown.IsNegative():
						t.Fatalf("step %d: %s volume fell from %s to %s", step, tk.Symbol, prev[i].Volume, tk.Volume)
					case grown.IsPositive():
						trades++
						if !grown.Equal(tk.LastSize) || !(tk.Last.Equal(tk.BestBid()) || tk.Last.Equal(tk.BestAsk())) {
							t.Fatalf("step %d: %s trade %s@%s (volume +%s) not at the touch %s/%s", step, tk.Symbol, tk.LastSize, tk.Last, grown, tk.BestBid(), tk.BestAsk())
						}
					case !tk.Last.Equal(prev[i].Last) || !tk.LastSize.Equal(prev[i].LastSize):
						t.Fatalf("step %d: %s last trade changed without volume", step, tk.Symbol)
					}
					prev[i] = tk
				}
			}
			if trades == 0 {
				t.Fatal("no trades printed")
			}
		})
	}
}

// TestFeedRealism checks the defaults look like a market: spreads between one tick and a few bps, and
// level sizes within the configured range.
func TestFeedRealism(t *testing.T) {
	f := newFeed(t, marketdata.Config{Seed: 5})
	cfgs := marketdata.DefaultSymbols()
	now := epoch
	for range 2_000 {
		now = now.Add(f.Interval())
		for i, tk := range f.Step(now) {
			c := cfgs[i]
			spreadBps := tk.BestAsk().Sub(tk.BestBid()).Float64() / tk.BestBid().Float64() * 10_000
			if spreadBps > c.SpreadBps*1.01 {
				t.Fatalf("%s spread %.2f bps above the configured %.2f", tk.Symbol, spreadBps, c.SpreadBps)
			}
			for _, l := range append(append([]events.Level{}, tk.Bids...), tk.Asks...) {
				if l.Size.LessThan(c.MinLevelSize) || l.Size.GreaterThan(c.MaxLevelSize) {
					t.Fatalf("%s level size %s outside [%s, %s]", tk.Symbol, l.Size, c.MinLevelSize, c.MaxLevelSize)
				}
			}
		}
	}
}

// TestFeedTicksSurviveTheWire checks that simulated ticks cross the `prices` codec unchanged: the feed
// must not produce a value the wire format cannot carry exactly.
func TestFeedTicksSurviveTheWire(t *testing.T) {
	f := newFeed(t, marketdata.Config{Seed: 11})
	now := epoch
	for range 200 {
		now = now.Add(f.Interval())
		for _, tk := range f.Step(now) {
			back, err := events.DecodeTick(events.AppendTick(nil, tk))
			if err != nil {
				t.Fatalf("DecodeTick: %v", err)
			}
			if got, want := render([]events.PriceTick{back}), render([]events.PriceTick{tk}); got != want {
				t.Fatalf("round trip changed the tick\n got %s\nwant %s", got, want)
			}
		}
	}
}

func TestFeedRun(t *testing.T) {
	errBoom := errors.New("kafka down")
	tests := []struct {
		name      string
		failAt    int  // publish call that fails; 0: never
		cancelToo bool // cancel ctx before failing, as a shutting-down producer would
		wantErr   error
		wantCalls int
	}{
		{"runs until cancelled", 0, false, nil, 10},
		{"publish error stops it", 3, false, errBoom, 3},
		{"publish error during shutdown is not an error", 3, true, nil, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFeed(t, marketdata.Config{Seed: 1, Interval: 250 * time.Millisecond})
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				start := time.Now()
				var got []time.Time
				publish := func(ctx context.Context, ts []events.PriceTick) error {
					if ctx.Err() != nil {
						t.Error("publish called with a cancelled context")
					}
					got = append(got, ts[0].Time)
					if len(got) == tt.failAt {
						if tt.cancelToo {
							cancel()
						}
						return errBoom
					}
					return nil
				}
				done := make(chan error, 1)
				go func() { done <- f.Run(ctx, time.Now, publish) }()

				// Ten intervals and a bit; the bubble's clock jumps, nothing really sleeps.
				time.Sleep(10*f.Interval() + f.Interval()/2)
				synctest.Wait()
				cancel()
				err := <-done

				if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
					t.Fatalf("Run = %v, want %v", err, tt.wantErr)
				}
				if len(got) != tt.wantCalls {
					t.Fatalf("publish called %d times, want %d", len(got), tt.wantCalls)
				}
				for i, at := range got {
					if want := start.Add(time.Duration(i+1) * f.Interval()); !at.Equal(want) {
						t.Errorf("tick %d stamped %s after start, want %s", i, at.Sub(start), want.Sub(start))
					}
				}
			})
		})
	}
}

func TestFeedRunNeedsClockAndPublish(t *testing.T) {
	f := newFeed(t, marketdata.Config{})
	nop := func(context.Context, []events.PriceTick) error { return nil }
	if err := f.Run(t.Context(), nil, nop); err == nil {
		t.Error("Run with a nil clock returned nil")
	}
	if err := f.Run(t.Context(), time.Now, nil); err == nil {
		t.Error("Run with a nil publish returned nil")
	}
}

func BenchmarkFeedStep(b *testing.B) {
	f := newFeed(b, marketdata.Config{Seed: 1})
	now := epoch
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(f.Interval())
		f.Step(now)
	}
}
