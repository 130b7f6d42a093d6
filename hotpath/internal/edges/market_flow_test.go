package edges_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/market"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/edges"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/kafkabus"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
	"github.com/crypto-oms/crypto-oms/lambdas/albapi"
	"github.com/crypto-oms/crypto-oms/lambdas/orderquery"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

// TestPositionsAreMarkedToMarket: order-query marks a long and a short position at the latest
// snapshot's last trade price, or at the mid when the feed has printed nothing yet, and shows no mark
// before the symbol has market data.
func TestPositionsAreMarkedToMarket(t *testing.T) {
	env := newStoreEnv(t)
	// acct-a is long 0.5 BTC at 100.6 (lifecycle); acct-c sells 2 BTC at 100 from flat: short 2.
	short := []rep{
		{acct: "acct-c", id: oid('5'), side: order.Sell, typ: order.Limit, qty: "2", price: "100", seq: 1, et: order.ExecNew, st: order.New, at: 1},
		{acct: "acct-c", id: oid('5'), side: order.Sell, typ: order.Limit, qty: "2", price: "100", seq: 2, et: order.ExecTrade, st: order.Filled, cum: "2", avg: "100", last: "2", lp: "100", at: 2},
	}
	reps := lifecycle()
	for _, r := range short {
		reps = append(reps, r.report())
	}
	keys := albapi.StaticKeys{
		"ka": {ID: "ka", Secret: []byte("sa"), Account: "acct-a", Scopes: []auth.Scope{auth.ScopeRead}},
		"kc": {ID: "kc", Secret: []byte("sc"), Account: "acct-c", Scopes: []auth.Scope{auth.ScopeRead}},
	}
	quote := func(bid, ask, last string) oms.PriceTick {
		d := money.MustParse
		t := oms.PriceTick{Symbol: "BTC-USD", Seq: 1, Time: t0.Add(time.Minute), Bids: []oms.Level{{Price: d(bid), Size: d("1")}}, Asks: []oms.Level{{Price: d(ask), Size: d("1")}}}
		if last != "" {
			t.Last = d(last)
		}
		return t
	}
	type pos struct{ Symbol, Quantity, AvgEntryPrice, MarkPrice, UnrealizedPnl string }
	tests := []struct {
		name        string
		ticks       []oms.PriceTick
		long, short pos
	}{
		{"no market data yet", nil, pos{"BTC-USD", "0.5", "100.6", "", ""}, pos{"BTC-USD", "-2", "100", "", ""}},
		// (110 - 100.6) × 0.5 and (110 - 100) × -2
		{"marked at the last trade", []oms.PriceTick{quote("109", "111", "110")}, pos{"BTC-USD", "0.5", "100.6", "110", "4.7"}, pos{"BTC-USD", "-2", "100", "110", "-20"}},
		// (105 - 100.6) × 0.5 and (105 - 100) × -2
		{"marked at the mid before any trade", []oms.PriceTick{quote("104", "106", "")}, pos{"BTC-USD", "0.5", "100.6", "105", "2.2"}, pos{"BTC-USD", "-2", "100", "105", "-10"}},
		// (99.5 - 100.6) × 0.5 and (99.5 - 100) × -2: a loss for the long, a gain for the short
		{"price fell", []oms.PriceTick{quote("99", "100", "99.5")}, pos{"BTC-USD", "0.5", "100.6", "99.5", "-0.55"}, pos{"BTC-USD", "-2", "100", "99.5", "1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			ms, db := env.marketStore(t)
			rm, err := readmodel.New(ctx, db, readmodel.Config{Funding: funding})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := rm.Project(ctx, reps); err != nil {
				t.Fatal(err)
			}
			if _, err := ms.Ingest(ctx, tc.ticks); err != nil {
				t.Fatal(err)
			}
			h := orderquery.New(orderquery.Config{Reader: rm, Marks: ms, Keys: keys})
			for key, want := range map[string]pos{"ka": tc.long, "kc": tc.short} {
				k := keys[key]
				ts := fmt.Sprint(time.Now().UnixMilli())
				code, body := albCall(t, h.Handle, events.ALBTargetGroupRequest{HTTPMethod: "GET", Path: "/api/positions", Headers: map[string]string{
					"x-oms-key": k.ID, "x-oms-timestamp": ts, "x-oms-signature": auth.Sign(k.Secret, ts, "GET", "/api/positions", nil)}})
				var got struct{ Positions []pos }
				if err := json.Unmarshal([]byte(body), &got); err != nil || code != 200 {
					t.Fatalf("%s: %d %s", key, code, body)
				}
				if len(got.Positions) != 1 || got.Positions[0] != want {
					t.Errorf("%s: positions %+v, want %+v", key, got.Positions, want)
				}
				if tc.ticks == nil && strings.Contains(body, "markPrice") {
					t.Errorf("%s: a mark without market data: %s", key, body)
				}
			}
		})
	}
}

// TestMarketDataFlowsFromThePricesTopic: recorded ticks produced to `prices` reach the REST answer
// through the local MSK poller, market-ingest, the store, the local ALB router and market-query; a
// poison record among them lands on the dead-letter topic.
func TestMarketDataFlowsFromThePricesTopic(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	k := testenv.Kafka(t, map[string]int32{oms.TopicPrices: 2, oms.TopicDLQ: 1})
	st := testenv.Store(t)
	pub, err := kafkabus.NewProducer(k.Addrs(), 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pub.Close)
	l, err := edges.NewLocal(ctx, edges.LocalConfig{Brokers: k.Addrs(), MongoURI: st.URI(), DeadLetters: pub,
		KeyEncryptionKey: []byte(strings.Repeat("k", 32)), Logger: testenv.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	// The route table starts market-ingest at LATEST, like the ESM; this test's records are produced
	// before the poller joins, so its poller (otherwise the one NewLocal builds) starts at the oldest.
	routes, err := estate.LoadRoutes()
	if err != nil {
		t.Fatal(err)
	}
	pc, err := edges.ConsumerConfig(routes, "market-ingest", k.Addrs())
	if err != nil {
		t.Fatal(err)
	}
	if pc.Topic != oms.TopicPrices || pc.FromStart {
		t.Errorf("route table: market-ingest reads %s from the start=%v; want prices from LATEST", pc.Topic, pc.FromStart)
	}
	pc.FromStart, pc.Window = true, 100*time.Millisecond
	p, err := edges.NewPoller(pc, l.MarketIngest.Handle)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done })

	// Replay the recorded batch and its poison through the broker, each record on its partition.
	prod, err := kgo.NewClient(kgo.SeedBrokers(k.Addrs()...), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	recorded := fixture[events.KafkaEvent](t, "marketingest", "poison.json")
	for _, part := range []string{"prices-0", "prices-1"} {
		for _, r := range recorded.Records[part] {
			key, _ := base64.StdEncoding.DecodeString(r.Key)
			value, _ := base64.StdEncoding.DecodeString(r.Value)
			if err := prod.ProduceSync(ctx, &kgo.Record{Topic: oms.TopicPrices, Partition: int32(r.Partition), Key: key, Value: value}).FirstErr(); err != nil {
				t.Fatal(err)
			}
		}
	}

	mux := http.NewServeMux()
	l.Mount(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	want := `{"symbol":"BTC-USD","interval":"1m","candles":[` +
		`{"openTime":"2026-11-25T06:00:00.000Z","closeTime":"2026-11-25T06:00:59.999Z","open":"100.5","high":"102","low":"99","close":"99","volume":"0.8","trades":2},` +
		`{"openTime":"2026-11-25T06:01:00.000Z","closeTime":"2026-11-25T06:01:59.999Z","open":"102","high":"103","low":"102","close":"103","volume":"1","trades":1}]}`
	var body string
	for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(50 * time.Millisecond) {
		var code int
		code, body = httpGet(t, srv.URL+"/api/market-data/candlestick/BTC%2FUSD?interval=1m&limit=5")
		if code != 200 {
			t.Fatalf("candlestick: %d %s", code, body)
		}
		if body == want {
			break
		}
	}
	if body != want {
		t.Fatalf("candles through the router: %s\nwant %s", body, want)
	}
	// ETH's partition may come in a later batch.
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		code, body := httpGet(t, srv.URL+"/api/market-data/prices")
		if code == 200 && strings.Contains(body, `"symbol":"ETH-USD","priceValue":"1999"`) {
			break
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("prices: %d %s", code, body)
		}
	}
	// Each poison record is on the dead-letter topic, with its coordinates.
	cl, err := kgo.NewClient(kgo.SeedBrokers(k.Addrs()...), kgo.ConsumeTopics(oms.TopicDLQ), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	var offsets []int64
	for len(offsets) < 4 && ctx.Err() == nil {
		cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) {
			var env struct {
				Topic  string
				Offset int64
				Reason string
			}
			if err := json.Unmarshal(r.Value, &env); err != nil || env.Topic != oms.TopicPrices || env.Reason == "" {
				t.Errorf("dead letter %s: %v", r.Value, err)
			}
			offsets = append(offsets, env.Offset)
		})
	}
	slices.Sort(offsets)
	if !slices.Equal(offsets, []int64{5, 6, 7, 8}) {
		t.Errorf("dead letters for offsets %v, want the four poison records at 5..8", offsets)
	}
	if n := l.MarketIngest.Stats.Poison.Load(); n != 4 {
		t.Errorf("poison counted %d, want 4", n)
	}
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// TestCandlesInTheLocalRun is `make run` in a test: omsd's own feed, with market-ingest starting at
// LATEST as the route table says, gives candles from the last minutes through the router, and
// positions carry a mark.
func TestCandlesInTheLocalRun(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end")
	}
	sys := startSystem(t)
	var got struct {
		Symbol   string
		Interval string
		Candles  []struct{ OpenTime, Close, Volume string }
	}
	start := time.Now()
	for ; time.Since(start) < 30*time.Second; time.Sleep(200 * time.Millisecond) {
		code, m := do(t, sys, "GET", "/api/market-data/candlestick/BTC-USD?interval=1m&limit=5", "")
		if code != http.StatusOK {
			t.Fatalf("candlestick: %d %v", code, m)
		}
		b, _ := json.Marshal(m)
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Candles) > 0 {
			break
		}
	}
	if len(got.Candles) == 0 || got.Symbol != "BTC-USD" || got.Interval != "1m" {
		t.Fatalf("no candles after %s: %+v", time.Since(start), got)
	}
	t.Logf("first candle after %s", time.Since(start).Round(time.Millisecond))
	newest := got.Candles[len(got.Candles)-1]
	open, err := time.Parse(time.RFC3339, newest.OpenTime)
	if err != nil || time.Since(open) > 3*time.Minute || time.Until(open) > time.Minute {
		t.Errorf("newest candle opens at %s (now %s): %v", newest.OpenTime, time.Now().UTC().Format(time.RFC3339), err)
	}
	if c, err := money.Parse(newest.Close); err != nil || !c.IsPositive() {
		t.Errorf("newest close %q", newest.Close)
	}
	// A market buy gives the demo account a position, marked at the market.
	if code, m := do(t, sys, "POST", "/api/orders", `{"symbol":"BTC-USD","side":"BUY","orderType":"MARKET","quantity":"0.01"}`, "X-Idempotency-Key", "mark-1"); code != http.StatusAccepted {
		t.Fatalf("place: %d %v", code, m)
	}
	for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		code, m := do(t, sys, "GET", "/api/positions", "")
		ps, _ := m["positions"].([]any)
		if code == http.StatusOK && len(ps) == 1 {
			p := ps[0].(map[string]any)
			mark, err := money.Parse(fmt.Sprint(p["markPrice"]))
			if err != nil || !mark.IsPositive() || p["unrealizedPnl"] == nil {
				t.Fatalf("position without a mark: %v", p)
			}
			qty, entry, pnl := money.MustParse(p["quantity"].(string)), money.MustParse(p["avgEntryPrice"].(string)), money.MustParse(p["unrealizedPnl"].(string))
			if want := market.UnrealizedPnL(qty, entry, mark); !pnl.Equal(want) {
				t.Errorf("unrealized %s, want (%s - %s) × %s = %s", pnl, mark, entry, qty, want)
			}
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatalf("positions: %d %v", code, m)
		}
	}
}
