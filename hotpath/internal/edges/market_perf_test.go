package edges_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/lambdas/marketquery"
)

// TestMarketDataLatency measures market-ingest and market-query on FerretDB with 26 hours of history
// for three symbols, and logs the figures (they are reported, not asserted: the machine is shared).
// Every answer is still checked for success.
func TestMarketDataLatency(t *testing.T) {
	if testing.Short() {
		t.Skip("measurement")
	}
	env := newStoreEnv(t)
	store, _ := env.marketStore(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 5))
	syms := []instrument.Symbol{"BTC-USD", "ETH-USD", "SOL-USD"}
	price := map[instrument.Symbol]int64{"BTC-USD": 4_500_000, "ETH-USD": 250_000, "SOL-USD": 10_000}
	vol := map[instrument.Symbol]int64{}
	seq := map[instrument.Symbol]uint64{}
	start := time.Now().UTC().Add(-26 * time.Hour).Truncate(time.Minute)
	at := start
	next := func(step time.Duration) []oms.PriceTick {
		at = at.Add(step)
		out := make([]oms.PriceTick, 0, len(syms))
		for _, s := range syms {
			price[s] += rng.Int64N(41) - 20
			if rng.IntN(10) < 3 {
				vol[s] += rng.Int64N(50) + 1
			}
			seq[s]++
			p := money.FromInt(price[s]).Mul(money.MustParse("0.01"))
			out = append(out, oms.PriceTick{Symbol: s, Seq: seq[s], Time: at,
				Bids: []oms.Level{{Price: p, Size: money.MustParse("1.5")}}, Asks: []oms.Level{{Price: p.Add(money.MustParse("0.01")), Size: money.MustParse("2")}},
				Last: p, Volume: money.FromInt(vol[s]).Mul(money.MustParse("0.001"))})
		}
		return out
	}
	// History: a tick per symbol every 20 s for 26 h, in event-source batches of 500.
	var batch []oms.PriceTick
	var history []time.Duration
	n := 0
	for at.Before(start.Add(26 * time.Hour)) {
		batch = append(batch, next(20*time.Second)...)
		if len(batch) >= 500 {
			t0 := time.Now()
			if _, err := store.Ingest(ctx, batch); err != nil {
				t.Fatal(err)
			}
			history = append(history, time.Since(t0))
			n += len(batch)
			batch = batch[:0]
		}
	}
	total := time.Duration(0)
	for _, d := range history {
		total += d
	}
	t.Logf("ingest history: %d ticks in %d batches of 500, %.0f ticks/s; batch p50 %s, p99 %s",
		n, len(history), float64(n)/total.Seconds(), pct(history, 0.5).Round(time.Millisecond), pct(history, 0.99).Round(time.Millisecond))
	// Live: the local feed's rate (a tick per symbol every 200 ms) in one-second batches.
	var live []time.Duration
	for range 100 {
		batch = batch[:0]
		for range 5 {
			batch = append(batch, next(200*time.Millisecond)...)
		}
		t0 := time.Now()
		if _, err := store.Ingest(ctx, batch); err != nil {
			t.Fatal(err)
		}
		live = append(live, time.Since(t0))
	}
	t.Logf("ingest live: batches of 15 ticks (3 symbols × 5), p50 %s, p99 %s, max %s",
		pct(live, 0.5).Round(time.Microsecond), pct(live, 0.99).Round(time.Microsecond), slices.Max(live).Round(time.Microsecond))

	h := marketquery.New(marketquery.Config{Reader: store})
	for _, path := range []string{
		"/api/market-data/prices",
		"/api/market-data/prices/BTC-USD",
		"/api/market-data/orderbook/BTC-USD",
		"/api/market-data/trades/BTC-USD?limit=50",
		"/api/market-data/trades/BTC-USD?limit=500",
		"/api/market-data/candlestick/BTC-USD?interval=5m&limit=100",
		"/api/market-data/candlestick/BTC-USD?interval=1m&limit=100",
		"/api/market-data/candlestick/BTC-USD?interval=1m&limit=1000",
		"/api/market-data/candlestick/BTC-USD?interval=1h&limit=1000",
	} {
		var lat []time.Duration
		for range 100 {
			t0 := time.Now()
			resp, err := h.Handle(ctx, get(path))
			lat = append(lat, time.Since(t0))
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("%s: %v %d %s", path, err, resp.StatusCode, resp.Body)
			}
		}
		t.Logf("%-60s p50 %6s  p99 %6s", path, pct(lat, 0.5).Round(100*time.Microsecond), pct(lat, 0.99).Round(100*time.Microsecond))
	}
}
