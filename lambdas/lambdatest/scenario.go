package lambdatest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// The fixture scenario: three accounts trading BTC, ETH and SOL for a few seconds from T0.
const (
	AcctA order.AccountID = "acct-a"
	AcctB order.AccountID = "acct-b"
	AcctC order.AccountID = "acct-c"
	// Funding is every fixture account's starting balance, in OMS_FUNDING's format.
	Funding = "USD=100000,BTC=2,ETH=20,SOL=500"
)

// T0 is when the scenario starts; SignedAt is when the order-query fixtures were signed.
var (
	T0       = time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
	SignedAt = T0.Add(10 * time.Minute)
)

// FundingAmounts is Funding parsed.
func FundingAmounts() map[string]money.Decimal {
	m, err := money.ParseAmounts(Funding)
	if err != nil {
		panic(err) // a constant: caught by every test that uses it
	}
	return m
}

// Partition is the `executions` partition of a fixture account (the processor keys by account).
func Partition(acct string) int32 {
	switch order.AccountID(acct) {
	case AcctB:
		return 1
	case AcctC:
		return 2
	}
	return 0
}

// Offsets where the fixture log starts on each partition: the topic has history before it.
var firstOffset = map[int32]int64{0: 1200, 1: 873, 2: 45}

// Keys are the fixture API keys, by id: one per account; key-b has the read scope only.
func Keys() map[string]auth.Key {
	return map[string]auth.Key{
		"key-a": {ID: "key-a", Secret: []byte("sk-a-3f9c1d7e5b2a4c68"), Account: AcctA, Scopes: []auth.Scope{auth.ScopeTrade, auth.ScopeRead}},
		"key-b": {ID: "key-b", Secret: []byte("sk-b-8e2d6a0f4c1b9d37"), Account: AcctB, Scopes: []auth.Scope{auth.ScopeRead}},
		"key-c": {ID: "key-c", Secret: []byte("sk-c-1a7b3e9d5f2c8046"), Account: AcctC, Scopes: []auth.Scope{auth.ScopeTrade, auth.ScopeRead}},
	}
}

// KeyFile is Keys in the key-file format every service mounts (OMS_API_KEYS_FILE).
func KeyFile() []byte {
	type entry struct {
		ID      string   `json:"id"`
		Secret  string   `json:"secret"`
		Account string   `json:"account"`
		Scopes  []string `json:"scopes"`
	}
	keys := Keys()
	ids := make([]string, 0, len(keys))
	for id := range keys {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []entry
	for _, id := range ids {
		k := keys[id]
		e := entry{ID: k.ID, Secret: string(k.Secret), Account: string(k.Account)}
		for _, s := range k.Scopes {
			e.Scopes = append(e.Scopes, string(s))
		}
		out = append(out, e)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

// ID is the order id of a fixture account's client order id.
func ID(acct order.AccountID, clientOrderID string) order.ID { return order.NewID(acct, clientOrderID) }

// Scenario plays the fixture story on a desk and returns it: its Reports are the `executions` log and
// its accounts are the processor's state after it, the oracle for the read model.
//
// acct-a buys 0.5 BTC in two maker fills, sells 0.1 BTC at market, cancels an ETH bid, rests a BTC offer
// and gets an ETH bid partly filled; acct-b buys BTC, is denied an order over the notional limit and sells
// SOL; acct-c buys SOL at market and rests a SOL offer.
func Scenario() (*Desk, error) {
	d := NewDesk(FundingAmounts())
	dec := money.MustParse
	at := func(s int) time.Time { return T0.Add(time.Duration(s) * time.Second) }
	d.Quote("BTC-USD", dec("97000"), dec("97010"), at(0))
	d.Quote("ETH-USD", dec("3379"), dec("3381"), at(0))
	d.Quote("SOL-USD", dec("240"), dec("240.1"), at(0))
	lim := func(acct order.AccountID, cl, sym string, side order.Side, qty, px string) order.Spec {
		return order.Spec{ClientOrderID: cl, Account: acct, Symbol: instrument.Symbol(sym), Side: side, Type: order.Limit, Quantity: dec(qty), Price: dec(px)}
	}
	mkt := func(acct order.AccountID, cl, sym string, side order.Side, qty string) order.Spec {
		return order.Spec{ClientOrderID: cl, Account: acct, Symbol: instrument.Symbol(sym), Side: side, Type: order.Market, TimeInForce: order.IOC, Quantity: dec(qty)}
	}
	var err error
	step := func(f func() (oms.ExecutionReport, error)) {
		if err == nil {
			_, err = f()
		}
	}
	place := func(s order.Spec, sec int) { step(func() (oms.ExecutionReport, error) { return d.Place(s, at(sec)) }) }
	fill := func(acct order.AccountID, cl, qty, px, liq string, sec int) {
		step(func() (oms.ExecutionReport, error) {
			return d.Fill(acct, ID(acct, cl), dec(qty), dec(px), liq, at(sec))
		})
	}
	cancel := func(acct order.AccountID, cl string, sec int) {
		step(func() (oms.ExecutionReport, error) { return d.Cancel(acct, ID(acct, cl), at(sec)) })
	}

	place(lim(AcctA, "a-1", "BTC-USD", order.Buy, "0.5", "97000"), 1)
	place(lim(AcctB, "b-1", "BTC-USD", order.Buy, "0.25", "97100"), 2)
	fill(AcctA, "a-1", "0.2", "96990", "MAKER", 2)
	fill(AcctA, "a-1", "0.3", "97000", "MAKER", 3)
	fill(AcctB, "b-1", "0.25", "97010", "TAKER", 3)
	place(mkt(AcctC, "c-1", "SOL-USD", order.Buy, "10"), 3)
	fill(AcctC, "c-1", "10", "240.1", "TAKER", 4)
	d.Quote("BTC-USD", dec("97450"), dec("97460"), at(4))
	place(mkt(AcctA, "a-2", "BTC-USD", order.Sell, "0.1"), 4)
	place(lim(AcctB, "b-2", "BTC-USD", order.Buy, "20", "97400"), 4) // notional 1,948,000 > 1,000,000: DENIED
	fill(AcctA, "a-2", "0.1", "97450", "TAKER", 5)
	place(lim(AcctB, "b-3", "SOL-USD", order.Sell, "50", "245"), 5)
	place(lim(AcctA, "a-3", "ETH-USD", order.Buy, "2", "3350"), 6)
	fill(AcctB, "b-3", "50", "245", "MAKER", 6)
	cancel(AcctA, "a-3", 7)
	place(lim(AcctC, "c-2", "SOL-USD", order.Sell, "5", "250"), 7)
	place(lim(AcctA, "a-4", "BTC-USD", order.Sell, "0.15", "98500"), 8)
	place(lim(AcctA, "a-5", "ETH-USD", order.Buy, "5", "3380"), 9)
	fill(AcctA, "a-5", "2", "3380", "MAKER", 10)
	if err != nil {
		return nil, fmt.Errorf("fixture scenario: %w", err)
	}
	return d, nil
}

// Log is the scenario's `executions` log as records, account-keyed on their partitions.
func Log(d *Desk) []Record {
	recs := ReportRecords(d.Reports, Partition, firstOffset)
	// Another producer version may add headers; the projector must not care.
	recs[0].Headers = []Header{{Key: "content-type", Value: []byte("application/json")}}
	return recs
}

// ProjectorFixtures are the MSK batches of lambdas/projector/testdata, by file name: the whole log in one
// batch across partitions, the same log as two consecutive batches, an event-source retry that
// overlaps both, and the log with poison records among the reports.
func ProjectorFixtures() (map[string]events.KafkaEvent, error) {
	d, err := Scenario()
	if err != nil {
		return nil, err
	}
	log := Log(d)
	perPart := map[int32][]Record{}
	for _, r := range log {
		perPart[r.Partition] = append(perPart[r.Partition], r)
	}
	var first, second, retry []Record
	for p := range int32(3) {
		rs := perPart[p]
		mid := len(rs) / 2
		first = append(first, rs[:mid]...)
		second = append(second, rs[mid:]...)
		retry = append(retry, rs[max(0, mid-2):]...)
	}
	return map[string]events.KafkaEvent{
		"batch.json":       MSKEvent(log),
		"batch-1.json":     MSKEvent(first),
		"batch-2.json":     MSKEvent(second),
		"redelivered.json": MSKEvent(retry),
		"poison.json":      MSKEvent(withPoison(d)),
	}, nil
}

// Poison are the undecodable values withPoison puts into the log, by partition.
var Poison = map[int32][]byte{
	0: []byte(`{"execId":"8d1f`),                                                                                                    // cut off mid-record
	1: []byte(`{"execId":"x:1","orderId":"x","accountId":"acct-b","symbol":"BTC-USD","execType":"NEW","status":"SHIPPED","seq":1}`), // unknown status
	2: nil,                                                                                                                          // a tombstone: no value at all
}

// withPoison is the log with one poison record per partition after that partition's second report, so
// good reports follow it; offsets are consecutive as on the broker.
func withPoison(d *Desk) []Record {
	var out []Record
	seen := map[int32]int{}
	next := map[int32]int64{}
	for p, o := range firstOffset {
		next[p] = o
	}
	add := func(r Record) {
		r.Offset = next[r.Partition]
		next[r.Partition]++
		out = append(out, r)
	}
	for _, r := range Log(d) {
		add(r)
		seen[r.Partition]++
		if seen[r.Partition] == 2 {
			add(Record{Topic: oms.TopicExecutions, Partition: r.Partition, Key: r.Key, Value: Poison[r.Partition], Time: r.Time})
		}
	}
	return out
}

// OrderQueryFixtures are the ALB requests of lambdas/orderquery/testdata, by file name, signed at
// SignedAt. They read the state the projector fixture batch.json leaves.
func OrderQueryFixtures() map[string]events.ALBTargetGroupRequest {
	keys := Keys()
	signed := func(key, pathAndQuery string) events.ALBTargetGroupRequest {
		r := ALBRequest("GET", pathAndQuery)
		Sign(&r, keys[key], SignedAt)
		return r
	}
	from, to := url.QueryEscape(T0.Add(4*time.Second).Format(time.RFC3339)), url.QueryEscape(T0.Add(9*time.Second).Format(time.RFC3339))
	forged := ALBRequest("GET", "/api/balances")
	Sign(&forged, auth.Key{ID: "key-a", Secret: keys["key-b"].Secret}, SignedAt) // key-a's id, key-b's secret
	return map[string]events.ALBTargetGroupRequest{
		"orders.json":              signed("key-a", "/api/orders"),
		"orders-filtered.json":     signed("key-a", "/api/orders?symbol=BTC%2FUSD&side=buy&status=FILLED&limit=10"),
		"orders-open.json":         signed("key-a", "/api/orders?status=open"),
		"orders-time-range.json":   signed("key-a", "/api/orders?from="+from+"&to="+to),
		"orders-page.json":         signed("key-a", "/api/orders?limit=2"),
		"order-by-id.json":         signed("key-a", "/api/orders/"+string(ID(AcctA, "a-1"))),
		"order-by-client-id.json":  signed("key-a", "/api/orders/by-client-id/a-3"),
		"fills.json":               signed("key-a", "/api/fills?symbol=BTC-USD"),
		"positions.json":           signed("key-a", "/api/positions"),
		"balances.json":            signed("key-a", "/api/balances"),
		"bad-request.json":         signed("key-a", "/api/orders?status=SHIPPED"),
		"other-account.json":       signed("key-b", "/api/orders/"+string(ID(AcctA, "a-1"))),
		"other-account-fills.json": signed("key-c", "/api/fills"),
		"forged-signature.json":    forged,
	}
}
