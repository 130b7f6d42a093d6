package events_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

var decimalCmp = cmp.Comparer(func(a, b money.Decimal) bool { return a.Equal(b) })

func sampleCommand() events.OrderCommand {
	d := money.MustParse
	return events.OrderCommand{
		Kind: events.CmdNew, CommandID: "k1", Account: "acct-1", OrderID: "o1",
		Spec: order.Spec{ID: "o1", ClientOrderID: "c1", Account: "acct-1", Symbol: "BTC-USD", Side: order.Buy,
			Type: order.StopLimit, TimeInForce: order.GTD, Quantity: d("0.1"), Price: d("45000"), StopPrice: d("44000.5"),
			ExpireTime: time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC), PostOnly: false, ReduceOnly: true},
		ReceivedAt: time.Date(2026, 11, 25, 1, 2, 3, 456789, time.UTC),
	}
}

func sampleReport() events.ExecutionReport {
	d := money.MustParse
	return events.ExecutionReport{
		ExecID: "o1:2", OrderID: "o1", ClientOrderID: "c1", Account: "acct-1", Symbol: "ETH-USD", Side: order.Sell,
		Type: order.Limit, TimeInForce: order.GTC, ExecType: order.ExecTrade, Status: order.PartiallyFilled,
		Quantity: d("2"), Price: d("2500"), LastQty: d("0.5"), LastPrice: d("2500.01"), CumQty: d("0.5"),
		AvgPrice: d("2500.01"), LeavesQty: d("1.5"), Fee: d("1.2500050"), FeeAsset: "USD", Liquidity: "MAKER",
		Seq: 2, Text: `quoted "text"`, CreatedAt: time.Unix(1, 0).UTC(), TransactTime: time.Unix(2, 5).UTC(),
	}
}

func TestRoundTrip(t *testing.T) {
	c := sampleCommand()
	gotC, err := events.DecodeCommand(events.AppendCommand(nil, c))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, gotC, decimalCmp); diff != "" {
		t.Errorf("command round trip (-want +got):\n%s", diff)
	}
	cancel := events.OrderCommand{Kind: events.CmdCancelAll, CommandID: "x", Account: "a", Symbol: "SOL-USD"}
	gotCancel, err := events.DecodeCommand(events.AppendCommand(nil, cancel))
	if err != nil || !cmp.Equal(cancel, gotCancel, decimalCmp) {
		t.Errorf("cancel-all round trip: %v %v", gotCancel, err)
	}

	r := sampleReport()
	gotR, err := events.DecodeReport(events.AppendReport(nil, r))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, gotR, decimalCmp); diff != "" {
		t.Errorf("report round trip (-want +got):\n%s", diff)
	}

	tick := events.PriceTick{Symbol: "BTC-USD", Seq: 9, Bids: []events.Level{{Price: money.MustParse("44999.5"), Size: money.MustParse("1.2")}},
		Asks: []events.Level{{Price: money.MustParse("45000.5"), Size: money.MustParse("0.8")}}, Last: money.MustParse("45000"), Time: time.Unix(5, 0).UTC()}
	gotT, err := events.DecodeTick(events.AppendTick(nil, tick))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tick, gotT, decimalCmp); diff != "" {
		t.Errorf("tick round trip (-want +got):\n%s", diff)
	}

	ctl := events.Control{ID: "c", Scope: events.ScopeSymbol, Target: "BTC-USD", State: events.Halted, Reason: "vol", By: "ops", At: time.Unix(7, 0).UTC()}
	gotCtl, err := events.DecodeControl(events.AppendControl(nil, ctl))
	if err != nil || !cmp.Equal(ctl, gotCtl, decimalCmp) {
		t.Errorf("control round trip: %+v %v", gotCtl, err)
	}
	lim := sampleLimits()
	gotLim, err := events.DecodeControl(events.AppendControl(nil, lim))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(lim, gotLim, decimalCmp); diff != "" {
		t.Errorf("limits round trip (-want +got):\n%s", diff)
	}
}

func sampleLimits() events.Control {
	d := money.MustParse
	return events.Control{
		Kind: events.ControlLimits, ID: "cmd-2", Scope: events.ScopeAccount, Target: "acct-1",
		Limits: events.RiskLimits{
			MaxOrderQty:      map[instrument.Symbol]money.Decimal{"BTC-USD": d("0.5"), "ETH-USD": d("10")},
			MaxOrderNotional: d("100.25"),
			MaxPosition:      map[instrument.Symbol]money.Decimal{},
			PriceCollarPct:   d("2.5"),
			MaxOpenOrders:    0,
			MaxOrdersPerSec:  20,
		},
		Reason: "tighten", By: "key-ops", At: time.Date(2026, 11, 25, 9, 30, 0, 123000000, time.UTC),
	}
}

// TestControlWireFormat pins the bytes on `control`: trading-state commands are exactly what
// processors from before LIMITS existed read (no "kind"), and old records decode as trading state.
func TestControlWireFormat(t *testing.T) {
	legacy := `{"id":"h1","scope":"SYMBOL","target":"BTC-USD","state":"HALTED","reason":"vol","by":"ops","at":"1970-01-01T00:00:07Z"}`
	c, err := events.DecodeControl([]byte(legacy))
	if err != nil {
		t.Fatal(err)
	}
	if c.Kind != events.ControlTradingState || c.State != events.Halted || c.Scope != events.ScopeSymbol {
		t.Errorf("legacy record decoded as %+v", c)
	}
	if got := string(events.AppendControl(nil, c)); got != legacy {
		t.Errorf("trading-state encoding changed:\n got %s\nwant %s", got, legacy)
	}
	explicit, err := events.DecodeControl([]byte(`{"kind":"TRADING_STATE","scope":"GLOBAL","state":"ACTIVE"}`))
	if err != nil || explicit.Kind != events.ControlTradingState || explicit.State != events.Active {
		t.Errorf("explicit kind: %+v %v", explicit, err)
	}
	want := `{"kind":"LIMITS","id":"cmd-2","scope":"ACCOUNT","target":"acct-1","limits":{"maxOrderNotional":"100.25",` +
		`"priceCollarPct":"2.5","maxOpenOrders":0,"maxOrdersPerSec":20,"maxOrderQty":{"BTC-USD":"0.5","ETH-USD":"10"},` +
		`"maxPosition":{}},"reason":"tighten","by":"key-ops","at":"2026-11-25T09:30:00.123Z"}`
	if got := string(events.AppendControl(nil, sampleLimits())); got != want {
		t.Errorf("LIMITS encoding:\n got %s\nwant %s", got, want)
	}
	if k := sampleLimits().Key(); k != "LIMITS/ACCOUNT/acct-1" {
		t.Errorf("key = %q", k)
	}
}

func TestDecodeControlRejects(t *testing.T) {
	bad := []string{
		`{"scope":"ACCOUNT","state":"HALTED"}`,
		`{"scope":"GLOBAL"}`,
		`{"kind":"NOPE","scope":"GLOBAL","state":"HALTED"}`,
		`{"scope":"GLOBAL","state":"HALTED","limits":{}}`,
		`{"kind":"LIMITS","scope":"ACCOUNT","target":"a"}`,
		`{"kind":"LIMITS","scope":"GLOBAL","limits":{}}`,
		`{"kind":"LIMITS","scope":"ACCOUNT","target":"a","state":"HALTED","limits":{}}`,
		`{"kind":"LIMITS","scope":"ACCOUNT","target":"a","limits":{"maxOrderQty":{"BTC-USD":"x"}}}`,
		`{"kind":"LIMITS","scope":"ACCOUNT","target":"a","limits":{"maxOrderQty":{"nope":"1"}}}`,
		`{"kind":"LIMITS","scope":"ACCOUNT","target":"a","limits":{"maxOrderQty":{"BTC-USD":"1","btc/usd":"2"}}}`,
		`{"kind":"LIMITS","scope":"ACCOUNT","target":"a","limits":{"maxOrderQty":{"BTC-USD":""}}}`,
		`{"kind":"LIMITS","scope":"ACCOUNT","target":"a","limits":{"maxOpenOrders":1.5}}`,
		`{"kind":"LIMITS","scope":"ACCOUNT","target":"a","limits":{"extra":1}}`,
		`{"kind":"LIMITS","scope":"ACCOUNT","target":"a","limits":{"maxOrderNotional":"1e999"}}`,
	}
	for _, b := range bad {
		if _, err := events.DecodeControl([]byte(b)); !errors.Is(err, events.ErrDecode) {
			t.Errorf("DecodeControl(%s) err = %v, want ErrDecode", b, err)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	bad := []string{
		``, `{}`, `[]`, `{"kind":"NEW"}`, `{"kind":"NOPE","accountId":"a","orderId":"o"}`,
		`{"kind":"CANCEL","accountId":"a","orderId":"o","extra":1}`,
		`{"kind":"NEW","accountId":"a","orderId":"o","symbol":"BTC-USD","side":"BUY","orderType":"LIMIT","timeInForce":"GTC","quantity":"1e999"}`,
		`{"kind":"CANCEL","accountId":"a","orderId":"o"} trailing`,
	}
	for _, b := range bad {
		if _, err := events.DecodeCommand([]byte(b)); !errors.Is(err, events.ErrDecode) {
			t.Errorf("DecodeCommand(%q) err = %v, want ErrDecode", b, err)
		}
	}
	if _, err := events.DecodeReport([]byte(`{"execId":"x"}`)); !errors.Is(err, events.ErrDecode) {
		t.Errorf("incomplete report accepted: %v", err)
	}
	refused := `{"execId":"rej:c1","orderId":"o1","accountId":"a","execType":"CANCEL_REJECTED","status":"FILLED","seq":0,"reason":"ORDER_CLOSED"}`
	if r, err := events.DecodeReport([]byte(refused)); err != nil || r.Seq != 0 {
		t.Errorf("refused cancel with seq 0: %+v %v", r, err)
	}
	if _, err := events.DecodeReport([]byte(`{"execId":"o1:0","orderId":"o1","accountId":"a","execType":"TRADE","status":"FILLED","seq":0}`)); !errors.Is(err, events.ErrDecode) {
		t.Errorf("trade with seq 0 accepted: %v", err)
	}
	if _, err := events.DecodeControl([]byte(`{"scope":"ACCOUNT","state":"HALTED"}`)); !errors.Is(err, events.ErrDecode) {
		t.Errorf("control without target accepted: %v", err)
	}
}

func FuzzDecodeReport(f *testing.F) {
	f.Add(events.AppendReport(nil, sampleReport()))
	f.Add([]byte(`{"execId":"a:1","orderId":"a","accountId":"x","execType":"NEW","status":"NEW","seq":1,"quantity":"1"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := events.DecodeReport(b)
		if err != nil {
			return
		}
		again, err := events.DecodeReport(events.AppendReport(nil, r))
		if err != nil {
			t.Fatalf("re-encoded report does not decode: %v", err)
		}
		if diff := cmp.Diff(r, again, decimalCmp); diff != "" {
			t.Fatalf("report changed across re-encode:\n%s", diff)
		}
	})
}

func FuzzDecodeCommand(f *testing.F) {
	f.Add(events.AppendCommand(nil, sampleCommand()))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := events.DecodeCommand(b)
		if err != nil {
			return
		}
		again, err := events.DecodeCommand(events.AppendCommand(nil, c))
		if err != nil {
			t.Fatalf("re-encoded command does not decode: %v", err)
		}
		if diff := cmp.Diff(c, again, decimalCmp); diff != "" {
			t.Fatalf("command changed across re-encode:\n%s", diff)
		}
	})
}

func FuzzDecodeTick(f *testing.F) {
	f.Add([]byte(`{"symbol":"BTC-USD","seq":1,"bids":[["1","2"]],"asks":[],"time":"2026-01-01T00:00:00Z"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if tk, err := events.DecodeTick(b); err == nil {
			if _, err := events.DecodeTick(events.AppendTick(nil, tk)); err != nil {
				t.Fatalf("re-encoded tick does not decode: %v", err)
			}
		}
	})
}

func FuzzDecodeControl(f *testing.F) {
	f.Add(events.AppendControl(nil, sampleLimits()))
	f.Add([]byte(`{"id":"h1","scope":"SYMBOL","target":"BTC-USD","state":"HALTED","reason":"vol","by":"ops","at":"1970-01-01T00:00:07Z"}`))
	f.Add([]byte(`{"kind":"TRADING_STATE","scope":"GLOBAL","state":"REDUCING"}`))
	f.Add([]byte(`{"kind":"LIMITS","scope":"ACCOUNT","target":"a","limits":{"maxOrderQty":{"btc/usd":"1e3"},"maxOpenOrders":-1}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := events.DecodeControl(b)
		if err != nil {
			return
		}
		enc := events.AppendControl(nil, c)
		again, err := events.DecodeControl(enc)
		if err != nil {
			t.Fatalf("re-encoded control %s does not decode: %v", enc, err)
		}
		if diff := cmp.Diff(c, again, decimalCmp); diff != "" {
			t.Fatalf("control changed across re-encode:\n%s", diff)
		}
		if c.Kind == events.ControlLimits && (c.Limits.MaxOrderQty == nil || c.Limits.MaxPosition == nil) {
			t.Fatal("decoded LIMITS with a nil map")
		}
	})
}
