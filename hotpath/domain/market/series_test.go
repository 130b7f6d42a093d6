package market_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/market"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
)

var t0 = time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)

// tk is a tick with a one-level book; empty strings leave a field zero.
func tk(seq uint64, at time.Duration, bid, ask, last, vol string) events.PriceTick {
	dec := func(s string) money.Decimal {
		if s == "" {
			return money.Zero
		}
		return d(s)
	}
	t := events.PriceTick{Symbol: "BTC-USD", Seq: seq, Time: t0.Add(at), Last: dec(last), Volume: dec(vol)}
	if bid != "" {
		t.Bids = []events.Level{{Price: d(bid), Size: d("1")}}
	}
	if ask != "" {
		t.Asks = []events.Level{{Price: d(ask), Size: d("1")}}
	}
	return t
}

// The hand-computed path: a quote, a buy, a sell, a quote in the next minute, a buy.
func path() []events.PriceTick {
	return []events.PriceTick{
		tk(1, 10*time.Second, "100", "101", "", "0"),      // no trade: mid 100.5
		tk(2, 20*time.Second, "100", "102", "102", "0.5"), // buys 0.5 at 102
		tk(3, 50*time.Second, "99", "100", "99", "0.8"),   // sells 0.3 at 99
		tk(4, 65*time.Second, "101", "103", "99", "0.8"),  // no trade (last carried forward): mid 102
		tk(5, 90*time.Second, "101", "103", "103", "1.8"), // buys 1 at 103
	}
}

// line prints a candle compactly for comparisons.
func line(iv market.Interval, c market.Candle) string {
	return fmt.Sprintf("%s %s O=%s H=%s L=%s C=%s V=%s n=%d last=#%d", iv, c.Time.Format("15:04"), c.Open, c.High, c.Low, c.Close, c.Volume, c.Trades, c.Last.Seq)
}

func tradeLine(tr market.Trade) string {
	side := "?"
	if tr.Side != 0 {
		side = tr.Side.String()
	}
	return fmt.Sprintf("#%d %s %s@%s", tr.Seq, side, tr.Size, tr.Price)
}

// fold applies ticks and returns every candle each interval went through (by open time, last state
// wins) and the prints.
func fold(s *market.Series, ticks []events.PriceTick) (candles []string, trades []string, stale int) {
	hist := map[market.Interval][]market.Candle{}
	for _, t := range ticks {
		step, ok := s.Apply(t)
		if !ok {
			stale++
			continue
		}
		if step.Trade != nil {
			trades = append(trades, tradeLine(*step.Trade))
		}
		for _, iv := range step.Changed {
			c, _ := s.Candle(iv)
			hist[iv] = market.Append(hist[iv], c, 1000)
		}
	}
	for _, iv := range market.Intervals() {
		for _, c := range hist[iv] {
			candles = append(candles, line(iv, c))
		}
	}
	return candles, trades, stale
}

var wantCandles = []string{
	"1m 06:00 O=100.5 H=102 L=99 C=99 V=0.8 n=2 last=#3",
	"1m 06:01 O=102 H=103 L=102 C=103 V=1 n=1 last=#5",
	"5m 06:00 O=100.5 H=103 L=99 C=103 V=1.8 n=3 last=#5",
	"15m 06:00 O=100.5 H=103 L=99 C=103 V=1.8 n=3 last=#5",
	"1h 06:00 O=100.5 H=103 L=99 C=103 V=1.8 n=3 last=#5",
	"4h 04:00 O=100.5 H=103 L=99 C=103 V=1.8 n=3 last=#5",
	"1d 00:00 O=100.5 H=103 L=99 C=103 V=1.8 n=3 last=#5",
}

var wantTrades = []string{"#2 BUY 0.5@102", "#3 SELL 0.3@99", "#5 BUY 1@103"}

func TestSeriesFoldsByHand(t *testing.T) {
	p := path()
	tests := []struct {
		name      string
		ticks     []events.PriceTick
		wantStale int
	}{
		{"in order", p, 0},
		{"every tick twice", []events.PriceTick{p[0], p[0], p[1], p[1], p[2], p[2], p[3], p[3], p[4], p[4]}, 5},
		{"older ticks after newer ones are dropped", []events.PriceTick{p[0], p[1], p[2], p[3], p[1], p[2], p[4], p[0]}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			candles, trades, stale := fold(&market.Series{}, tc.ticks)
			if diff := cmp.Diff(wantCandles, candles); diff != "" {
				t.Errorf("candles (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantTrades, trades); diff != "" {
				t.Errorf("trades (-want +got):\n%s", diff)
			}
			if stale != tc.wantStale {
				t.Errorf("stale = %d, want %d", stale, tc.wantStale)
			}
		})
	}
}

// A batch that arrives after a newer one is dropped, yet no volume is lost: the first tick after the
// gap carries the whole difference of the cumulative volume.
func TestSeriesLateTicksKeepTotalVolume(t *testing.T) {
	p := path()
	s := &market.Series{}
	candles, trades, stale := fold(s, []events.PriceTick{p[0], p[3], p[4], p[1], p[2]})
	want := []string{
		"1m 06:00 O=100.5 H=100.5 L=100.5 C=100.5 V=0 n=0 last=#1",
		"1m 06:01 O=99 H=103 L=99 C=103 V=1.8 n=2 last=#5",
		"5m 06:00 O=100.5 H=103 L=99 C=103 V=1.8 n=2 last=#5",
		"15m 06:00 O=100.5 H=103 L=99 C=103 V=1.8 n=2 last=#5",
		"1h 06:00 O=100.5 H=103 L=99 C=103 V=1.8 n=2 last=#5",
		"4h 04:00 O=100.5 H=103 L=99 C=103 V=1.8 n=2 last=#5",
		"1d 00:00 O=100.5 H=103 L=99 C=103 V=1.8 n=2 last=#5",
	}
	if diff := cmp.Diff(want, candles); diff != "" {
		t.Errorf("candles (-want +got):\n%s", diff)
	}
	// Tick 4 carries tick 4's last price (99, at or below the bid 101: a sell) and the 0.8 of the
	// two late ticks.
	if diff := cmp.Diff([]string{"#4 SELL 0.8@99", "#5 BUY 1@103"}, trades); diff != "" {
		t.Errorf("trades (-want +got):\n%s", diff)
	}
	if stale != 2 {
		t.Errorf("stale = %d, want 2", stale)
	}
}

// A restarted feed numbers from 1 again with its volume from 0: its ticks are newer (later), print
// nothing for the reset, and then print as usual.
func TestSeriesAcrossAFeedRestart(t *testing.T) {
	s := &market.Series{}
	old := tk(5000, 10*time.Second, "100", "101", "101", "40")
	s.Apply(tk(4999, 9*time.Second, "100", "101", "101", "39"))
	s.Apply(old)
	restarted := []events.PriceTick{tk(1, 30*time.Second, "100", "101", "101", "0.2"), tk(2, 40*time.Second, "100", "101", "100", "0.5")}
	candles, trades, stale := fold(s, restarted)
	if stale != 0 {
		t.Fatalf("restarted ticks dropped as stale: %d", stale)
	}
	if diff := cmp.Diff([]string{"#2 SELL 0.3@100"}, trades); diff != "" {
		t.Errorf("trades (-want +got):\n%s", diff)
	}
	if got := candles[0]; got != "1m 06:00 O=100.5 H=101 L=100 C=100 V=1.3 n=2 last=#2" {
		t.Errorf("1m candle %s", got)
	}
	// The old run's last tick, redelivered now, is older than the new run's ticks.
	if _, ok := s.Apply(old); ok {
		t.Error("the old run's tick was folded again")
	}
}

// A series resumed with candles newer than its newest tick (written by a batch that failed before
// recording its progress) re-folds the same ticks without counting them twice, whichever version of
// a candle it is handed first.
func TestSeriesResumeSkipsWhatCandlesHold(t *testing.T) {
	p := path()
	full := &market.Series{}
	fold(full, p)
	// Storage after ticks 1-3 were recorded, plus every candle after tick 5 (a failed batch).
	early := &market.Series{}
	fold(early, p[:3])
	last, _ := early.Last()
	for _, pagesFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("pages first %v", pagesFirst), func(t *testing.T) {
			resumed := &market.Series{}
			resumed.Resume(last)
			for _, iv := range market.Intervals() {
				snap, _ := early.Candle(iv) // the current candles as of tick 3
				page, _ := full.Candle(iv)  // as of tick 5: the 06:01 minute, newer states of the others
				if pagesFirst {
					snap, page = page, snap
				}
				resumed.Restore(iv, snap)
				resumed.Restore(iv, page)
			}
			candles, trades, _ := fold(resumed, p[3:])
			for _, iv := range market.Intervals() {
				got, _ := resumed.Candle(iv)
				want, _ := full.Candle(iv)
				if line(iv, got) != line(iv, want) {
					t.Errorf("%v: resumed %s, want %s", iv, line(iv, got), line(iv, want))
				}
			}
			if diff := cmp.Diff([]string{"#5 BUY 1@103"}, trades); diff != "" {
				t.Errorf("trades (-want +got):\n%s", diff)
			}
			if strings.Contains(strings.Join(candles, "\n"), "V=2.8") {
				t.Errorf("volume counted twice:\n%s", strings.Join(candles, "\n"))
			}
		})
	}
}

func TestAppendKeepsNewest(t *testing.T) {
	c := func(min int, close string) market.Candle {
		return market.Candle{Time: t0.Add(time.Duration(min) * time.Minute), Close: d(close)}
	}
	var h []market.Candle
	h = market.Append(h, c(0, "1"), 2)
	h = market.Append(h, c(0, "2"), 2)
	h = market.Append(h, c(1, "3"), 2)
	h = market.Append(h, c(2, "4"), 2)
	got := []string{}
	for _, x := range h {
		got = append(got, x.Time.Format("15:04")+"="+x.Close.String())
	}
	if diff := cmp.Diff([]string{"06:01=3", "06:02=4"}, got); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
}

func TestTickerByHand(t *testing.T) {
	s := &market.Series{}
	var minutes []market.Candle
	for _, x := range path() {
		step, _ := s.Apply(x)
		for _, iv := range step.Changed {
			if iv == market.OneMinute {
				c, _ := s.Candle(iv)
				minutes = market.Append(minutes, c, 2000)
			}
		}
	}
	last, _ := s.Last()
	got := market.NewTicker("BTC-USD", last, minutes)
	want := "bid=101 ask=103 last=103 open=100.5 high=103 low=99 vol=1.8 change=2.5 pct=2.4876"
	if s := tickerLine(got); s != want {
		t.Errorf("ticker %s\n want %s", s, want)
	}
	// Without any candle in the window there are no 24h figures.
	if got := market.NewTicker("BTC-USD", last, nil); !got.Change24h.IsZero() || !got.Open24h.IsZero() || !got.Last.Equal(d("103")) {
		t.Errorf("empty window: %s", tickerLine(got))
	}
}

func tickerLine(tk market.Ticker) string {
	return fmt.Sprintf("bid=%s ask=%s last=%s open=%s high=%s low=%s vol=%s change=%s pct=%s", tk.Bid, tk.Ask, tk.Last, tk.Open24h, tk.High24h, tk.Low24h, tk.Volume24h, tk.Change24h, tk.ChangePercent24h)
}

// Over 30 hours of a random walk, the 24h figures from one-minute candles alone equal those from the
// DayWindow mix of one-minute and one-hour candles, at every hour and at odd moments in between.
func TestDayWindowEqualsMinutes(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	s := &market.Series{}
	var minutes, hours []market.Candle
	price, vol := int64(10_000), int64(0)
	checked := 0
	for i := uint64(1); i <= 30*60*2; i++ { // a tick every 30 s
		price += rng.Int64N(21) - 10
		if rng.IntN(3) == 0 {
			vol += rng.Int64N(5) + 1
		}
		x := events.PriceTick{Symbol: "BTC-USD", Seq: i, Time: t0.Add(time.Duration(i)*30*time.Second + time.Duration(rng.IntN(1000))*time.Millisecond),
			Bids: []events.Level{{Price: money.FromInt(price), Size: d("1")}}, Asks: []events.Level{{Price: money.FromInt(price + 2), Size: d("1")}},
			Last: money.FromInt(price + 2*rng.Int64N(2)), Volume: money.FromInt(vol)}
		step, _ := s.Apply(x)
		for _, iv := range step.Changed {
			c, _ := s.Candle(iv)
			switch iv {
			case market.OneMinute:
				minutes = market.Append(minutes, c, 5000)
			case market.OneHour:
				hours = market.Append(hours, c, 5000)
			}
		}
		if i%7 != 0 {
			continue
		}
		from, hourFrom := market.DayWindow(x.Time)
		var window []market.Candle
		for _, c := range minutes {
			if !c.Time.Before(from) && c.Time.Before(hourFrom) {
				window = append(window, c)
			}
		}
		for _, c := range hours {
			if !c.Time.Before(hourFrom) {
				window = append(window, c)
			}
		}
		if len(window) > 84 {
			t.Fatalf("window of %d candles", len(window))
		}
		want, got := tickerLine(market.NewTicker("BTC-USD", x, minutes)), tickerLine(market.NewTicker("BTC-USD", x, window))
		if got != want {
			t.Fatalf("tick %d at %s: from minutes %s\nfrom the day window %s", i, x.Time, want, got)
		}
		checked++
	}
	t.Logf("%d tickers compared", checked)
}

// BenchmarkSeriesApply is the per-tick cost of the fold the WebSocket hub and market-ingest share:
// a five-level book, a print on every third tick, candles in all six intervals.
func BenchmarkSeriesApply(b *testing.B) {
	ticks := make([]events.PriceTick, 3000)
	vol := int64(0)
	for i := range ticks {
		p := money.FromInt(int64(45_000_00 + i%50)).Mul(d("0.01"))
		if i%3 == 0 {
			vol++
		}
		t := events.PriceTick{Symbol: "BTC-USD", Seq: uint64(i + 1), Time: t0.Add(time.Duration(i) * 200 * time.Millisecond), Last: p, Volume: money.FromInt(vol)}
		for j := range int64(5) {
			t.Bids = append(t.Bids, events.Level{Price: p.Sub(money.FromInt(j)), Size: d("1.5")})
			t.Asks = append(t.Asks, events.Level{Price: p.Add(money.FromInt(j + 1)), Size: d("1.5")})
		}
		ticks[i] = t
	}
	b.ReportAllocs()
	s := &market.Series{}
	base := 0
	for i := 0; b.Loop(); i++ {
		t := ticks[i%len(ticks)]
		if i%len(ticks) == 0 && i > 0 {
			base += len(ticks)
		}
		t.Seq += uint64(base)
		t.Time = t.Time.Add(time.Duration(base) * 200 * time.Millisecond)
		t.Volume = t.Volume.Add(money.FromInt(int64(base)))
		s.Apply(t)
	}
}
