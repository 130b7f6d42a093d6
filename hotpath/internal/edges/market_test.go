package edges_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/market"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
	"github.com/crypto-oms/crypto-oms/lambdas/marketingest"
	"github.com/crypto-oms/crypto-oms/lambdas/marketquery"
	"github.com/crypto-oms/crypto-oms/lambdas/marketstore"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

// marketStore returns a market store over a database of its own.
func (e *storeEnv) marketStore(t *testing.T) (*marketstore.Store, *mongo.Database) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	db := e.cl.Database(fmt.Sprintf("m%d", e.n.Add(1)))
	s, err := marketstore.New(ctx, db, marketstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

// fixture reads a recorded event of lambdas/<fn>/testdata as the Lambda runtime does: plain JSON.
func fixture[T any](t testing.TB, fn, name string) T {
	t.Helper()
	var v T
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "lambdas", fn, "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// marketLines is everything the store shows for the fixture symbols, as strings: each interval's
// candles, the trades newest first and the snapshot.
func marketLines(t *testing.T, s *marketstore.Store) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	for _, sym := range []instrument.Symbol{"BTC-USD", "ETH-USD"} {
		for _, iv := range market.Intervals() {
			cs, err := s.Candles(ctx, sym, iv, time.Time{}, 10)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				out = append(out, fmt.Sprintf("%s %s %s O=%s H=%s L=%s C=%s V=%s n=%d", sym, iv, c.Time.Format("15:04"), c.Open, c.High, c.Low, c.Close, c.Volume, c.Trades))
			}
		}
		trs, err := s.Trades(ctx, sym, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range trs {
			side := "?"
			if tr.Side != 0 {
				side = tr.Side.String()
			}
			out = append(out, fmt.Sprintf("%s trade #%d %s %s@%s %s", sym, tr.ID, side, tr.Size, tr.Price, tr.Time.Format("15:04:05")))
		}
		sn, err := s.Snapshot(ctx, sym)
		if err != nil {
			t.Fatal(err)
		}
		tk := sn.Ticker
		out = append(out, fmt.Sprintf("%s snapshot seq=%d last=%s bid=%s ask=%s open=%s high=%s low=%s vol=%s change=%s pct=%s trades=%d",
			sym, sn.Tick.Seq, tk.Last, tk.Bid, tk.Ask, tk.Open24h, tk.High24h, tk.Low24h, tk.Volume24h, tk.Change24h, tk.ChangePercent24h, sn.Trades))
	}
	return out
}

// wantMarket is what the fixture batch leaves, worked out by hand from the scenario in
// lambdas/marketingest/fixtures_test.go. BTC: a quote (mid 100.5), a buy of 0.5 at 102, a sell of
// 0.3 at 99, a quote in the next minute (mid 102), a buy of 1 at 103. ETH: a quote (mid 2000.5), a
// buy of 2 at 2001, a sell of 0.5 at 1999 in the next minute. The 24h figures are the whole history;
// ETH's change is -1.5/2000.5 = -0.07498…%, to four places.
var wantMarket = []string{
	"BTC-USD 1m 06:00 O=100.5 H=102 L=99 C=99 V=0.8 n=2",
	"BTC-USD 1m 06:01 O=102 H=103 L=102 C=103 V=1 n=1",
	"BTC-USD 5m 06:00 O=100.5 H=103 L=99 C=103 V=1.8 n=3",
	"BTC-USD 15m 06:00 O=100.5 H=103 L=99 C=103 V=1.8 n=3",
	"BTC-USD 1h 06:00 O=100.5 H=103 L=99 C=103 V=1.8 n=3",
	"BTC-USD 4h 04:00 O=100.5 H=103 L=99 C=103 V=1.8 n=3",
	"BTC-USD 1d 00:00 O=100.5 H=103 L=99 C=103 V=1.8 n=3",
	"BTC-USD trade #3 BUY 1@103 06:01:30",
	"BTC-USD trade #2 SELL 0.3@99 06:00:50",
	"BTC-USD trade #1 BUY 0.5@102 06:00:20",
	"BTC-USD snapshot seq=5 last=103 bid=101 ask=103 open=100.5 high=103 low=99 vol=1.8 change=2.5 pct=2.4876 trades=3",
	"ETH-USD 1m 06:00 O=2000.5 H=2001 L=2000.5 C=2001 V=2 n=1",
	"ETH-USD 1m 06:01 O=1999 H=1999 L=1999 C=1999 V=0.5 n=1",
	"ETH-USD 5m 06:00 O=2000.5 H=2001 L=1999 C=1999 V=2.5 n=2",
	"ETH-USD 15m 06:00 O=2000.5 H=2001 L=1999 C=1999 V=2.5 n=2",
	"ETH-USD 1h 06:00 O=2000.5 H=2001 L=1999 C=1999 V=2.5 n=2",
	"ETH-USD 4h 04:00 O=2000.5 H=2001 L=1999 C=1999 V=2.5 n=2",
	"ETH-USD 1d 00:00 O=2000.5 H=2001 L=1999 C=1999 V=2.5 n=2",
	"ETH-USD trade #2 SELL 0.5@1999 06:01:10",
	"ETH-USD trade #1 BUY 2@2001 06:00:25",
	"ETH-USD snapshot seq=3 last=1999 bid=1999 ask=2000 open=2000.5 high=2001 low=1999 vol=2.5 change=-1.5 pct=-0.075 trades=2",
}

// wantLateFirst is what the two halves leave when the second arrives first: the first tick of each
// symbol has nothing to measure its volume against, and the late half is dropped whole.
var wantLateFirst = []string{
	"BTC-USD 1m 06:01 O=102 H=103 L=102 C=103 V=1 n=1",
	"BTC-USD 5m 06:00 O=102 H=103 L=102 C=103 V=1 n=1",
	"BTC-USD 15m 06:00 O=102 H=103 L=102 C=103 V=1 n=1",
	"BTC-USD 1h 06:00 O=102 H=103 L=102 C=103 V=1 n=1",
	"BTC-USD 4h 04:00 O=102 H=103 L=102 C=103 V=1 n=1",
	"BTC-USD 1d 00:00 O=102 H=103 L=102 C=103 V=1 n=1",
	"BTC-USD trade #1 BUY 1@103 06:01:30",
	"BTC-USD snapshot seq=5 last=103 bid=101 ask=103 open=102 high=103 low=102 vol=1 change=1 pct=0.9804 trades=1",
	"ETH-USD 1m 06:01 O=1999.5 H=1999.5 L=1999.5 C=1999.5 V=0 n=0",
	"ETH-USD 5m 06:00 O=1999.5 H=1999.5 L=1999.5 C=1999.5 V=0 n=0",
	"ETH-USD 15m 06:00 O=1999.5 H=1999.5 L=1999.5 C=1999.5 V=0 n=0",
	"ETH-USD 1h 06:00 O=1999.5 H=1999.5 L=1999.5 C=1999.5 V=0 n=0",
	"ETH-USD 4h 04:00 O=1999.5 H=1999.5 L=1999.5 C=1999.5 V=0 n=0",
	"ETH-USD 1d 00:00 O=1999.5 H=1999.5 L=1999.5 C=1999.5 V=0 n=0",
	"ETH-USD snapshot seq=3 last=1999 bid=1999 ask=2000 open=1999.5 high=1999.5 low=1999.5 vol=0 change=-0.5 pct=-0.025 trades=0",
}

func TestMarketIngestIsIdempotent(t *testing.T) {
	env := newStoreEnv(t)
	batch := fixture[events.KafkaEvent](t, "marketingest", "batch.json")
	b1 := fixture[events.KafkaEvent](t, "marketingest", "batch-1.json")
	b2 := fixture[events.KafkaEvent](t, "marketingest", "batch-2.json")
	poison := fixture[events.KafkaEvent](t, "marketingest", "poison.json")
	tests := []struct {
		name       string
		batches    []events.KafkaEvent
		want       []string
		wantStale  int64
		wantPoison int64
	}{
		{name: "once", batches: []events.KafkaEvent{batch}, want: wantMarket},
		{name: "same batch twice", batches: []events.KafkaEvent{batch, batch}, want: wantMarket, wantStale: 8},
		{name: "in two batches", batches: []events.KafkaEvent{b1, b2}, want: wantMarket},
		{name: "each batch twice", batches: []events.KafkaEvent{b1, b1, b2, b2}, want: wantMarket, wantStale: 8},
		{name: "first batch redelivered after the second", batches: []events.KafkaEvent{b1, b2, b1, batch}, want: wantMarket, wantStale: 13},
		{name: "second batch before the first", batches: []events.KafkaEvent{b2, b1, b2}, want: wantLateFirst, wantStale: 8},
		{name: "poison records go to the dead letters", batches: []events.KafkaEvent{poison}, want: wantMarket, wantPoison: 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store, _ := env.marketStore(t)
			dlq := &reasonDLQ{}
			h := marketingest.New(marketingest.Config{Store: store, DeadLetters: dlq})
			for i, b := range tc.batches {
				if err := h.Handle(context.Background(), b); err != nil {
					t.Fatalf("batch %d: %v", i, err)
				}
			}
			if diff := cmp.Diff(tc.want, marketLines(t, store)); diff != "" {
				t.Errorf("market data (-want +got):\n%s", diff)
			}
			if got := h.Stats.Stale.Load(); got != tc.wantStale {
				t.Errorf("stale ticks = %d, want %d", got, tc.wantStale)
			}
			if got := h.Stats.Poison.Load(); got != tc.wantPoison || int64(len(dlq.recs)) != tc.wantPoison {
				t.Errorf("poison = %d, dead letters = %d, want %d", got, len(dlq.recs), tc.wantPoison)
			}
			// The four poison records of the fixture, in order: cut-off JSON, a symbol outside the
			// catalog, a tick without a sequence number, a tombstone.
			wantReasons := []string{"decode event", "DOGE-USD is not in the catalog", "seq missing", "decode event"}
			for i, r := range dlq.recs {
				if r.Topic != "prices" || r.Partition != 0 || r.Offset != 5005+int64(i) || !strings.Contains(dlq.reasons[i], wantReasons[i]) {
					t.Errorf("dead letter %s-%d@%d (%s), want offset %d for %q", r.Topic, r.Partition, r.Offset, dlq.reasons[i], 5005+i, wantReasons[i])
				}
			}
		})
	}
}

// reasonDLQ records dead letters with their reasons.
type reasonDLQ struct {
	recs    []events.KafkaRecord
	reasons []string
}

func (d *reasonDLQ) DeadLetter(_ context.Context, rec events.KafkaRecord, reason error) error {
	d.recs, d.reasons = append(d.recs, rec), append(d.reasons, reason.Error())
	return nil
}

// A batch that wrote closed candles but failed before its snapshots (there are no transactions) is
// folded again on redelivery from the older snapshot. Until it is, readers see the state of the
// snapshot, not the candles the failed try wrote beyond it; and a retry that is smaller than the
// failed try (an event source may batch differently) leaves a consistent state too.
func TestMarketIngestRepairsAfterPartialWrite(t *testing.T) {
	env := newStoreEnv(t)
	ctx := context.Background()
	d := money.MustParse
	tk := func(seq uint64, at time.Duration, bid, ask, last, vol string) oms.PriceTick {
		x := oms.PriceTick{Symbol: "BTC-USD", Seq: seq, Time: t0.Add(at), Bids: []oms.Level{{Price: d(bid), Size: d("1")}}, Asks: []oms.Level{{Price: d(ask), Size: d("1")}}, Volume: d(vol)}
		if last != "" {
			x.Last = d(last)
		}
		return x
	}
	ticks := []oms.PriceTick{
		tk(1, 10*time.Second, "100", "101", "", "0"),
		tk(2, 20*time.Second, "100", "102", "102", "0.5"),
		tk(3, 50*time.Second, "99", "100", "99", "0.8"),
		tk(4, 65*time.Second, "101", "103", "99", "0.8"),
		tk(5, 90*time.Second, "101", "103", "103", "1.8"),
		tk(6, 130*time.Second, "104", "106", "105", "2"), // 06:02: closes the 06:01 minute
	}
	lines := func(s *marketstore.Store) []string {
		t.Helper()
		var out []string
		for _, iv := range []market.Interval{market.OneMinute, market.FiveMinutes} {
			cs, err := s.Candles(ctx, "BTC-USD", iv, time.Time{}, 10)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				out = append(out, fmt.Sprintf("%s %s O=%s H=%s L=%s C=%s V=%s n=%d", iv, c.Time.Format("15:04"), c.Open, c.High, c.Low, c.Close, c.Volume, c.Trades))
			}
		}
		trs, err := s.Trades(ctx, "BTC-USD", 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range trs {
			out = append(out, fmt.Sprintf("trade #%d %s@%s", tr.ID, tr.Size, tr.Price))
		}
		sn, err := s.Snapshot(ctx, "BTC-USD")
		if err != nil {
			t.Fatal(err)
		}
		return append(out, fmt.Sprintf("seq=%d vol24h=%s high=%s", sn.Tick.Seq, sn.Ticker.Volume24h, sn.Ticker.High24h))
	}
	ingest := func(s *marketstore.Store, ts ...oms.PriceTick) {
		t.Helper()
		if _, err := s.Ingest(ctx, ts); err != nil {
			t.Fatal(err)
		}
	}
	upTo4, _ := env.marketStore(t)
	ingest(upTo4, ticks[:4]...)
	clean, _ := env.marketStore(t)
	ingest(clean, ticks...)

	store, db := env.marketStore(t)
	ingest(store, ticks[:3]...)
	snaps := db.Collection(marketstore.CollSnapshots)
	cur, err := snaps.Find(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var before []bson.M
	if err := cur.All(ctx, &before); err != nil {
		t.Fatal(err)
	}
	ingest(store, ticks[3:]...)
	// Undo the batch's snapshot: as if it had failed right before writing it, after closing 06:00
	// and 06:01 into their page.
	for _, doc := range before {
		if _, err := snaps.ReplaceOne(ctx, bson.D{{Key: "_id", Value: doc["_id"]}}, doc); err != nil {
			t.Fatal(err)
		}
	}
	// A smaller retry: the store shows ticks 1 to 4, as if nothing more had happened.
	ingest(store, ticks[3])
	if diff := cmp.Diff(lines(upTo4), lines(store)); diff != "" {
		t.Errorf("after a smaller retry (-want +got):\n%s", diff)
	}
	ingest(store, ticks[3:]...)
	if diff := cmp.Diff(lines(clean), lines(store)); diff != "" {
		t.Errorf("after the full retry (-want +got):\n%s", diff)
	}
	if got := lines(clean); !slices.Contains(got, "1m 06:01 O=102 H=103 L=102 C=103 V=1 n=1") || !slices.Contains(got, "1m 06:02 O=105 H=105 L=105 C=105 V=0.2 n=1") {
		t.Errorf("the reference run is not what the ticks say: %q", got)
	}
}

// Two ingests of one symbol from the same snapshot: the slower one must not overwrite the faster one's
// progress; it fails with ErrConflict, and its retry folds nothing new.
func TestMarketIngestDetectsAConcurrentIngest(t *testing.T) {
	env := newStoreEnv(t)
	store, _ := env.marketStore(t)
	ctx := context.Background()
	h := marketingest.New(marketingest.Config{Store: store})
	if err := h.Handle(ctx, fixture[events.KafkaEvent](t, "marketingest", "batch-1.json")); err != nil {
		t.Fatal(err)
	}
	b2 := fixture[events.KafkaEvent](t, "marketingest", "batch-2.json")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = h.Handle(ctx, b2) }()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !strings.Contains(err.Error(), marketstore.ErrConflict.Error()):
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok == 0 {
		t.Fatal("every concurrent ingest failed")
	}
	for range 2 { // the event source retries the failed ones
		if err := h.Handle(ctx, b2); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(wantMarket, marketLines(t, store)); diff != "" {
		t.Errorf("market data (-want +got):\n%s", diff)
	}
	t.Logf("%d of %d concurrent ingests won; the others reported a conflict", ok, len(errs))
}

// albCall invokes h with a fixture or a request built from pathAndQuery, and returns status and body.
func albCall(t *testing.T, h func(context.Context, events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error), req events.ALBTargetGroupRequest) (int, string) {
	t.Helper()
	resp, err := h(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid([]byte(resp.Body)) || resp.Headers["Content-Type"] != "application/json" {
		t.Errorf("not a JSON answer: %v %q", resp.Headers, resp.Body)
	}
	return resp.StatusCode, resp.Body
}

func get(pathAndQuery string) events.ALBTargetGroupRequest {
	p, q, _ := strings.Cut(pathAndQuery, "?")
	req := events.ALBTargetGroupRequest{HTTPMethod: "GET", Path: p, Headers: map[string]string{"x-forwarded-for": "203.0.113.9"}}
	if q != "" {
		req.QueryStringParameters = map[string]string{}
		for _, kv := range strings.Split(q, "&") {
			k, v, _ := strings.Cut(kv, "=")
			req.QueryStringParameters[k] = v
		}
	}
	return req
}

// The answers to the recorded market-query requests, on the market of the recorded batch.
func TestMarketQueryFixtures(t *testing.T) {
	env := newStoreEnv(t)
	store, _ := env.marketStore(t)
	if err := marketingest.New(marketingest.Config{Store: store}).Handle(context.Background(), fixture[events.KafkaEvent](t, "marketingest", "batch.json")); err != nil {
		t.Fatal(err)
	}
	h := marketquery.New(marketquery.Config{Reader: store})
	btc := `{"symbol":"BTC-USD","priceValue":"103","bid":"101","ask":"103","change24h":"2.5","changePercent24h":"2.4876","high24h":"103","low24h":"99","volume24h":"1.8","timestamp":"2026-11-25T06:01:30.000Z"}`
	eth := `{"symbol":"ETH-USD","priceValue":"1999","bid":"1999","ask":"2000","change24h":"-1.5","changePercent24h":"-0.075","high24h":"2001","low24h":"1999","volume24h":"2.5","timestamp":"2026-11-25T06:01:10.000Z"}`
	tests := []struct {
		file   string
		status int
		body   string
	}{
		{"prices.json", 200, `{"prices":[` + btc + `,` + eth + `]}`},
		{"price.json", 200, btc},
		{"candlestick.json", 200, `{"symbol":"BTC-USD","interval":"1m","candles":[` +
			`{"openTime":"2026-11-25T06:00:00.000Z","closeTime":"2026-11-25T06:00:59.999Z","open":"100.5","high":"102","low":"99","close":"99","volume":"0.8","trades":2},` +
			`{"openTime":"2026-11-25T06:01:00.000Z","closeTime":"2026-11-25T06:01:59.999Z","open":"102","high":"103","low":"102","close":"103","volume":"1","trades":1}]}`},
		{"candles.json", 200, `{"symbol":"ETH-USD","interval":"5m","candles":[` +
			`{"openTime":"2026-11-25T06:00:00.000Z","closeTime":"2026-11-25T06:04:59.999Z","open":"2000.5","high":"2001","low":"1999","close":"1999","volume":"2.5","trades":2}]}`},
		{"orderbook.json", 200, `{"symbol":"BTC-USD","bids":[{"price":"101","quantity":"1.5"}],"asks":[{"price":"103","quantity":"2"}],"seq":5,"timestamp":"2026-11-25T06:01:30.000Z"}`},
		{"trades.json", 200, `{"symbol":"BTC-USD","trades":[` +
			`{"id":"3","price":"103","quantity":"1","side":"BUY","timestamp":"2026-11-25T06:01:30.000Z"},` +
			`{"id":"2","price":"99","quantity":"0.3","side":"SELL","timestamp":"2026-11-25T06:00:50.000Z"}]}`},
		{"bad-interval.json", 400, `{"code":"INVALID_INTERVAL","msg":"interval must be one of 1m, 5m, 15m, 1h, 4h, 1d","field":"interval"}`},
		{"bad-limit.json", 400, `{"code":"INVALID_LIMIT","msg":"limit must be 1..1000","field":"limit"}`},
		{"unknown-parameter.json", 400, `{"code":"UNKNOWN_PARAMETER","msg":"unknown query parameter \"since\" (known: limit)","field":"since"}`},
		{"unknown-symbol.json", 404, `{"code":"UNKNOWN_SYMBOL","msg":"symbol DOGE-USD is not traded here","field":"symbol"}`},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			code, body := albCall(t, h.Handle, fixture[events.ALBTargetGroupRequest](t, "marketquery", tc.file))
			if code != tc.status || body != tc.body {
				t.Errorf("got %d %s\nwant %d %s", code, body, tc.status, tc.body)
			}
		})
	}
}

func TestMarketQueryParameters(t *testing.T) {
	env := newStoreEnv(t)
	store, _ := env.marketStore(t)
	if err := marketingest.New(marketingest.Config{Store: store}).Handle(context.Background(), fixture[events.KafkaEvent](t, "marketingest", "batch.json")); err != nil {
		t.Fatal(err)
	}
	h := marketquery.New(marketquery.Config{Reader: store})
	post := get("/api/market-data/prices")
	post.HTTPMethod = "POST"
	tests := []struct {
		name   string
		req    events.ALBTargetGroupRequest
		status int
		want   string // the code of an error, or a fragment of the answer
	}{
		{"newest candle only", get("/api/market-data/candles/BTC-USD?interval=1m&limit=1"), 200, `"candles":[{"openTime":"2026-11-25T06:01:00.000Z"`},
		{"end time (RFC 3339) picks the older minute", get("/api/market-data/candles/BTC-USD?interval=1m&limit=5&endTime=2026-11-25T06%3A00%3A30Z"), 200, `"candles":[{"openTime":"2026-11-25T06:00:00.000Z","closeTime":"2026-11-25T06:00:59.999Z","open":"100.5","high":"102","low":"99","close":"99","volume":"0.8","trades":2}]}`},
		{"end time (Unix ms) before any candle", get("/api/market-data/candles/BTC-USD?interval=1m&endTime=1795586340000"), 200, `"candles":[]`},
		{"unencoded slash in the symbol", get("/api/market-data/prices/btc/usd"), 200, `"symbol":"BTC-USD","priceValue":"103"`},
		{"known symbol without data: empty candles", get("/api/market-data/candles/SOL-USD"), 200, `{"symbol":"SOL-USD","interval":"5m","candles":[]}`},
		{"known symbol without data: empty trades", get("/api/market-data/trades/SOL-USD"), 200, `{"symbol":"SOL-USD","trades":[]}`},
		{"known symbol without data: no price", get("/api/market-data/prices/SOL-USD"), 404, "NO_MARKET_DATA"},
		{"known symbol without data: no book", get("/api/market-data/orderbook/SOL-USD"), 404, "NO_MARKET_DATA"},
		{"default depth shows both levels", get("/api/market-data/orderbook/ETH-USD"), 200, `"bids":[{"price":"1999","quantity":"1.5"},{"price":"1998","quantity":"3"}]`},
		{"depth 0", get("/api/market-data/orderbook/BTC-USD?depth=0"), 400, "INVALID_DEPTH"},
		{"depth 51", get("/api/market-data/orderbook/BTC-USD?depth=51"), 400, "INVALID_DEPTH"},
		{"depth not a number", get("/api/market-data/orderbook/BTC-USD?depth=ten"), 400, "INVALID_DEPTH"},
		{"trades limit 0", get("/api/market-data/trades/BTC-USD?limit=0"), 400, "INVALID_LIMIT"},
		{"trades limit 501", get("/api/market-data/trades/BTC-USD?limit=501"), 400, "INVALID_LIMIT"},
		{"trades limit 500", get("/api/market-data/trades/BTC-USD?limit=500"), 200, `"id":"1"`},
		{"bad end time", get("/api/market-data/candles/BTC-USD?endTime=yesterday"), 400, "INVALID_TIME"},
		{"interval in upper case", get("/api/market-data/candles/BTC-USD?interval=1M"), 400, "INVALID_INTERVAL"},
		{"repeated parameter", events.ALBTargetGroupRequest{HTTPMethod: "GET", Path: "/api/market-data/candles/BTC-USD",
			MultiValueQueryStringParameters: map[string][]string{"interval": {"1m", "5m"}}}, 400, "REPEATED_PARAMETER"},
		{"parameter on prices", get("/api/market-data/prices?symbol=BTC-USD"), 400, "UNKNOWN_PARAMETER"},
		{"malformed symbol", get("/api/market-data/prices/BTCUSD"), 400, "INVALID_SYMBOL"},
		{"malformed query", get("/api/market-data/candles/BTC-USD?interval=%zz"), 400, "MALFORMED_QUERY"},
		{"unknown resource", get("/api/market-data/ticker/BTC-USD"), 404, "NOT_FOUND"},
		{"writes are refused", post, 405, "METHOD_NOT_ALLOWED"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body := albCall(t, h.Handle, tc.req)
			if code != tc.status || !strings.Contains(body, tc.want) {
				t.Errorf("got %d %s\nwant %d with %s", code, body, tc.status, tc.want)
			}
			if code >= 400 {
				var e struct{ Code, Msg string }
				if err := json.Unmarshal([]byte(body), &e); err != nil || e.Code != tc.want || e.Msg == "" {
					t.Errorf("error body %s: want code %s and a message", body, tc.want)
				}
			}
		})
	}
}

// When the store is gone, market-query answers 503 STORE_UNAVAILABLE and market-ingest fails the
// invocation so that the event source redelivers the batch.
func TestMarketDataStoreDown(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	cl, err := readmodel.Connect(cctx, st.URI())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// The server is gone: do not wait for it to end the sessions.
		dctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		_ = cl.Disconnect(dctx)
	})
	store, err := marketstore.New(cctx, cl.Database("down"), marketstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ingest := marketingest.New(marketingest.Config{Store: store})
	if err := ingest.Handle(ctx, fixture[events.KafkaEvent](t, "marketingest", "batch-1.json")); err != nil {
		t.Fatal(err)
	}
	h := marketquery.New(marketquery.Config{Reader: store, Timeout: time.Second})
	if code, body := albCall(t, h.Handle, get("/api/market-data/prices/BTC-USD")); code != 200 {
		t.Fatalf("before: %d %s", code, body)
	}
	st.Stop()
	for _, path := range []string{"/api/market-data/prices", "/api/market-data/prices/BTC-USD", "/api/market-data/candles/BTC-USD", "/api/market-data/orderbook/BTC-USD", "/api/market-data/trades/BTC-USD"} {
		resp, err := h.Handle(ctx, get(path))
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 503 || !strings.Contains(resp.Body, `"code":"STORE_UNAVAILABLE"`) || resp.Headers["Retry-After"] == "" {
			t.Errorf("%s with the store down: %d %v %s", path, resp.StatusCode, resp.Headers, resp.Body)
		}
	}
	ictx, icancel := context.WithTimeout(ctx, 2*time.Second)
	defer icancel()
	if err := ingest.Handle(ictx, fixture[events.KafkaEvent](t, "marketingest", "batch-2.json")); err == nil {
		t.Error("ingest succeeded with the store down")
	}
}
