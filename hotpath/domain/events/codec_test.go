package events_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
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
	if err != nil || gotCtl != ctl {
		t.Errorf("control round trip: %+v %v", gotCtl, err)
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
