package processor_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/processor"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/venue"
)

var d = money.MustParse

type fakeMarket map[instrument.Symbol]*events.PriceTick

func (m fakeMarket) Book(s instrument.Symbol) *events.PriceTick { return m[s] }

type fakePolicy struct {
	limits account.Limits
	state  events.TradingState
}

func (p *fakePolicy) Limits(order.AccountID) account.Limits { return p.limits }
func (p *fakePolicy) State(order.AccountID, instrument.Symbol) events.TradingState {
	if p.state == 0 {
		return events.Active
	}
	return p.state
}

// btcBook is a book around 45,000 with 1 BTC per level, 1 dollar apart.
func btcBook(seq uint64, bid string) *events.PriceTick {
	b := d(bid)
	t := &events.PriceTick{Symbol: "BTC-USD", Seq: seq, Last: b}
	for i := int64(0); i < 3; i++ {
		t.Bids = append(t.Bids, events.Level{Price: b.Sub(money.FromInt(i)), Size: d("1")})
		t.Asks = append(t.Asks, events.Level{Price: b.Add(money.FromInt(i + 1)), Size: d("1")})
	}
	return t
}

type harness struct {
	t      *testing.T
	eng    *processor.Engine
	market fakeMarket
	policy *fakePolicy
	cfg    processor.EngineConfig
	now    time.Time
	log    []events.ExecutionReport
	seq    int
}

func newHarness(t *testing.T) *harness {
	h := &harness{t: t, market: fakeMarket{"BTC-USD": btcBook(1, "45000")}, policy: &fakePolicy{limits: account.DefaultLimits()},
		now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	h.cfg = processor.EngineConfig{
		Catalog:         instrument.Default(),
		Fees:            account.Fees{Maker: d("0.001"), Taker: d("0.002")},
		InitialBalances: map[string]money.Decimal{"USD": d("200000"), "BTC": d("5")},
		Market:          h.market, Policy: h.policy,
		NewVenue: func() processor.Venue {
			cat := instrument.Default()
			return venue.NewPaper(func(s instrument.Symbol) money.Decimal { in, _ := cat.Lookup(s); return in.LotSize })
		},
	}
	h.eng = processor.NewEngine(h.cfg)
	return h
}

func (h *harness) record(rs []events.ExecutionReport) []events.ExecutionReport {
	h.log = append(h.log, rs...)
	return rs
}

func (h *harness) place(side order.Side, typ order.Type, tif order.TimeInForce, qty, px string, opts ...func(*order.Spec)) []events.ExecutionReport {
	h.seq++
	coid := "c" + strings.Repeat("x", h.seq)
	s := order.Spec{ID: order.NewID("acct", coid), ClientOrderID: coid, Account: "acct", Symbol: "BTC-USD", Side: side, Type: typ, TimeInForce: tif, Quantity: d(qty)}
	if px != "" {
		s.Price = d(px)
	}
	for _, o := range opts {
		o(&s)
	}
	h.now = h.now.Add(time.Millisecond)
	return h.record(h.eng.Handle(events.OrderCommand{Kind: events.CmdNew, CommandID: coid, Account: "acct", OrderID: s.ID, Spec: s}, h.now))
}

func kinds(rs []events.ExecutionReport) string {
	var parts []string
	for _, r := range rs {
		p := r.ExecType.String() + "/" + r.Status.String()
		if r.Reason != "" {
			p += "(" + r.Reason + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

func TestPlaceOutcomes(t *testing.T) {
	stop := func(px string) func(*order.Spec) { return func(s *order.Spec) { s.StopPrice = d(px) } }
	postOnly := func(s *order.Spec) { s.PostOnly = true }
	reduceOnly := func(s *order.Spec) { s.ReduceOnly = true }
	tests := []struct {
		name    string
		side    order.Side
		typ     order.Type
		tif     order.TimeInForce
		qty, px string
		opts    []func(*order.Spec)
		state   events.TradingState
		want    string
		textHas string
	}{
		{name: "limit away rests", side: order.Buy, typ: order.Limit, tif: order.GTC, qty: "0.1", px: "44000", want: "NEW/NEW"},
		{name: "limit crossing fills at levels", side: order.Buy, typ: order.Limit, tif: order.GTC, qty: "1.5", px: "45002", want: "NEW/NEW TRADE/PARTIALLY_FILLED TRADE/FILLED"},
		{name: "market buy walks the book", side: order.Buy, typ: order.Market, tif: order.IOC, qty: "2", want: "NEW/NEW TRADE/PARTIALLY_FILLED TRADE/FILLED"},
		{name: "market remainder expires", side: order.Sell, typ: order.Market, tif: order.IOC, qty: "3.5", want: "NEW/NEW TRADE/PARTIALLY_FILLED TRADE/PARTIALLY_FILLED TRADE/PARTIALLY_FILLED EXPIRED/EXPIRED(MARKET_REMAINDER)"},
		{name: "IOC limit remainder expires", side: order.Sell, typ: order.Limit, tif: order.IOC, qty: "1.5", px: "45000", want: "NEW/NEW TRADE/PARTIALLY_FILLED EXPIRED/EXPIRED(IOC_REMAINDER)"},
		{name: "FOK not fillable", side: order.Buy, typ: order.Limit, tif: order.FOK, qty: "1.5", px: "45001", want: "NEW/NEW EXPIRED/EXPIRED(FOK_NOT_FILLED)"},
		{name: "FOK fillable", side: order.Buy, typ: order.Limit, tif: order.FOK, qty: "1.5", px: "45002", want: "NEW/NEW TRADE/PARTIALLY_FILLED TRADE/FILLED"},
		{name: "post-only crossing rejected", side: order.Buy, typ: order.Limit, tif: order.GTC, qty: "0.1", px: "45001", opts: []func(*order.Spec){postOnly}, want: "REJECTED/REJECTED(POST_ONLY_WOULD_TAKE)"},
		{name: "post-only resting accepted", side: order.Buy, typ: order.Limit, tif: order.GTC, qty: "0.1", px: "45000", opts: []func(*order.Spec){postOnly}, want: "NEW/NEW"},
		{name: "notional", side: order.Buy, typ: order.Limit, tif: order.GTC, qty: "30", px: "45000", want: "REJECTED/DENIED(MAX_NOTIONAL_EXCEEDED)", textHas: "notional=1350000, max=1000000"},
		{name: "collar", side: order.Buy, typ: order.Limit, tif: order.GTC, qty: "0.1", px: "50000", want: "REJECTED/DENIED(PRICE_COLLAR_EXCEEDED)", textHas: "max=49501.1"},
		{name: "balance", side: order.Buy, typ: order.Limit, tif: order.GTC, qty: "5", px: "45000", want: "REJECTED/DENIED(INSUFFICIENT_BALANCE)", textHas: "required=225450 USD, available=200000"},
		{name: "sell more than held", side: order.Sell, typ: order.Limit, tif: order.GTC, qty: "6", px: "46000", want: "REJECTED/DENIED(INSUFFICIENT_BALANCE)"},
		{name: "max qty", side: order.Buy, typ: order.Limit, tif: order.GTC, qty: "51", px: "1", want: "REJECTED/DENIED(MAX_ORDER_QTY_EXCEEDED)"},
		{name: "halted", side: order.Buy, typ: order.Limit, tif: order.GTC, qty: "0.1", px: "44000", state: events.Halted, want: "REJECTED/DENIED(TRADING_HALTED)"},
		{name: "reducing refuses a buy with no position", side: order.Buy, typ: order.Limit, tif: order.GTC, qty: "0.1", px: "44000", state: events.Reducing, want: "REJECTED/DENIED(REDUCE_ONLY_MODE)"},
		{name: "reduce-only flag", side: order.Sell, typ: order.Limit, tif: order.GTC, qty: "0.1", px: "46000", opts: []func(*order.Spec){reduceOnly}, want: "REJECTED/DENIED(REDUCE_ONLY_WOULD_INCREASE)"},
		{name: "tick size rejected by processor too", side: order.Buy, typ: order.Limit, tif: order.GTC, qty: "0.1", px: "44000.001", want: "REJECTED/REJECTED(INVALID_TICK_SIZE)"},
		{name: "stop market rests untriggered", side: order.Buy, typ: order.StopMarket, tif: order.IOC, qty: "0.1", opts: []func(*order.Spec){stop("46000")}, want: "NEW/NEW"},
		{name: "stop market already triggered", side: order.Sell, typ: order.StopMarket, tif: order.IOC, qty: "0.1", opts: []func(*order.Spec){stop("45500")}, want: "NEW/NEW TRIGGERED/NEW TRADE/FILLED"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.policy.state = tc.state
			got := h.place(tc.side, tc.typ, tc.tif, tc.qty, tc.px, tc.opts...)
			if k := kinds(got); k != tc.want {
				t.Fatalf("reports %s, want %s", k, tc.want)
			}
			if tc.textHas != "" && !strings.Contains(got[len(got)-1].Text, tc.textHas) {
				t.Errorf("text %q lacks %q", got[len(got)-1].Text, tc.textHas)
			}
			for i, r := range got {
				if r.Seq != uint64(i+1) || r.ExecID == "" {
					t.Errorf("report %d: seq %d exec %q", i, r.Seq, r.ExecID)
				}
			}
		})
	}
}

func TestSettlementAndReservation(t *testing.T) {
	h := newHarness(t)
	a := h.eng.Account("acct")
	h.place(order.Buy, order.Limit, order.GTC, "1", "44000")
	// 1 * 44000 * (1 + 0.002 taker) reserved.
	if got := a.Balance("USD").Reserved; !got.Equal(d("44088")) {
		t.Fatalf("reserved %s, want 44088", got)
	}
	rs := h.place(order.Buy, order.Market, order.IOC, "1.5", "")
	if kinds(rs) != "NEW/NEW TRADE/PARTIALLY_FILLED TRADE/FILLED" {
		t.Fatalf("market: %s", kinds(rs))
	}
	// Fills: 1 @ 45001 + 0.5 @ 45002 = 67502; taker fee 0.2% = 135.004
	wantUSD := d("200000").Sub(d("67502")).Sub(d("135.004"))
	if got := a.Balance("USD").Total; !got.Equal(wantUSD) {
		t.Errorf("USD total %s, want %s", got, wantUSD)
	}
	if got := a.Balance("BTC").Total; !got.Equal(d("6.5")) {
		t.Errorf("BTC total %s, want 6.5", got)
	}
	if got := a.Balance("USD").Reserved; !got.Equal(d("44088")) {
		t.Errorf("reserved after market order %s, want 44088 (only the resting order)", got)
	}
	p := a.Position("BTC-USD")
	if !p.Qty.Equal(d("1.5")) || !p.AvgEntry.Equal(d("45001.33333333")) {
		t.Errorf("position %+v", p)
	}
	// The market falls through the resting bid: it fills as maker at its own price.
	h.market["BTC-USD"] = btcBook(2, "43990")
	rs = h.record(h.eng.OnMarket("BTC-USD", h.now))
	if kinds(rs) != "TRADE/FILLED" || rs[0].Liquidity != "MAKER" || !rs[0].LastPrice.Equal(d("44000")) {
		t.Fatalf("resting fill: %s %+v", kinds(rs), rs)
	}
	if got := a.Balance("USD").Reserved; !got.IsZero() {
		t.Errorf("reserved after fill %s, want 0", got)
	}
	// Sell 1 at the bid: realizes P&L against the average entry.
	rs = h.place(order.Sell, order.Market, order.IOC, "1", "")
	if kinds(rs) != "NEW/NEW TRADE/FILLED" {
		t.Fatalf("sell: %s", kinds(rs))
	}
	p = a.Position("BTC-USD")
	if !p.Qty.Equal(d("1.5")) || !p.Realized.IsNegative() {
		t.Errorf("position after sell %+v", p)
	}
}

func TestCancelReplaceAndTimers(t *testing.T) {
	h := newHarness(t)
	exp := func(s *order.Spec) { s.ExpireTime = h.now.Add(time.Minute) }
	rs := h.place(order.Buy, order.Limit, order.GTD, "0.2", "44000", exp)
	id := rs[0].OrderID
	cmd := func(k events.CommandKind, q, p string) []events.ExecutionReport {
		c := events.OrderCommand{Kind: k, CommandID: "cmd" + q + p, Account: "acct", OrderID: id}
		if q != "" {
			c.NewQty = d(q)
		}
		if p != "" {
			c.NewPrice = d(p)
		}
		h.now = h.now.Add(time.Millisecond)
		return h.record(h.eng.Handle(c, h.now))
	}
	if k := kinds(cmd(events.CmdReplace, "0.3", "44100")); k != "REPLACED/NEW" {
		t.Fatalf("replace: %s", k)
	}
	if k := kinds(cmd(events.CmdReplace, "", "60000")); k != "REPLACE_REJECTED/NEW(PRICE_COLLAR_EXCEEDED)" {
		t.Fatalf("replace beyond collar: %s", k)
	}
	if k := kinds(cmd(events.CmdReplace, "", "45001")); k != "REPLACED/NEW TRADE/FILLED" {
		t.Fatalf("replace to marketable: %s", k)
	}
	if k := kinds(cmd(events.CmdCancel, "", "")); k != "CANCEL_REJECTED/FILLED(ORDER_CLOSED)" {
		t.Fatalf("cancel filled: %s", k)
	}
	h.place(order.Buy, order.Limit, order.GTD, "0.2", "44000", exp)
	if k := kinds(h.record(h.eng.OnTimer(h.now.Add(30 * time.Second)))); k != "" {
		t.Fatalf("early expiry: %s", k)
	}
	if k := kinds(h.record(h.eng.OnTimer(h.now.Add(2 * time.Minute)))); k != "EXPIRED/EXPIRED(GTD_EXPIRED)" {
		t.Fatalf("GTD expiry: %s", k)
	}
	h.place(order.Buy, order.Limit, order.GTC, "0.1", "44000")
	h.place(order.Sell, order.Limit, order.GTC, "0.1", "46000")
	h.now = h.now.Add(time.Millisecond)
	rs = h.record(h.eng.Handle(events.OrderCommand{Kind: events.CmdCancelAll, CommandID: "all", Account: "acct"}, h.now))
	if k := kinds(rs); k != "CANCELED/CANCELED(USER_CANCEL_ALL) CANCELED/CANCELED(USER_CANCEL_ALL)" {
		t.Fatalf("cancel all: %s", k)
	}
	if k := kinds(h.record(h.eng.Handle(events.OrderCommand{Kind: events.CmdCancel, CommandID: "u", Account: "acct", OrderID: "nope"}, h.now))); k != "CANCEL_REJECTED/REJECTED(UNKNOWN_ORDER)" {
		t.Fatalf("cancel unknown: %s", k)
	}
	// Stop-market triggers when the market rises through it.
	h.place(order.Buy, order.StopMarket, order.IOC, "0.1", "", func(s *order.Spec) { s.StopPrice = d("45500") })
	h.market["BTC-USD"] = btcBook(3, "45600")
	if k := kinds(h.record(h.eng.OnMarket("BTC-USD", h.now))); k != "TRIGGERED/NEW TRADE/FILLED" {
		t.Fatalf("stop trigger: %s", k)
	}
}

func TestDuplicateClientOrderIDIsDropped(t *testing.T) {
	h := newHarness(t)
	s := order.Spec{ID: order.NewID("acct", "dup"), ClientOrderID: "dup", Account: "acct", Symbol: "BTC-USD", Side: order.Buy, Type: order.Limit, TimeInForce: order.GTC, Quantity: d("0.1"), Price: d("44000")}
	c := events.OrderCommand{Kind: events.CmdNew, CommandID: "dup", Account: "acct", OrderID: s.ID, Spec: s}
	if k := kinds(h.eng.Handle(c, h.now)); k != "NEW/NEW" {
		t.Fatalf("first: %s", k)
	}
	if rs := h.eng.Handle(c, h.now); len(rs) != 0 || h.eng.Duplicates() != 1 {
		t.Fatalf("duplicate produced %s, duplicates=%d", kinds(rs), h.eng.Duplicates())
	}
}

// TestReplayEqualsLive is the restart guarantee in miniature: folding the reports of a live run into a
// fresh engine yields the same balances, positions and open orders.
func TestReplayEqualsLive(t *testing.T) {
	h := newHarness(t)
	h.place(order.Buy, order.Limit, order.GTC, "1", "44000")
	h.place(order.Buy, order.Market, order.IOC, "1.5", "")
	h.place(order.Sell, order.Limit, order.GTC, "0.5", "46000")
	h.place(order.Buy, order.Limit, order.GTC, "30", "45000")
	h.market["BTC-USD"] = btcBook(2, "43990")
	h.record(h.eng.OnMarket("BTC-USD", h.now))
	h.place(order.Sell, order.Market, order.IOC, "0.7", "")
	h.market["BTC-USD"] = btcBook(3, "46100")
	h.record(h.eng.OnMarket("BTC-USD", h.now))
	h.place(order.Buy, order.Limit, order.GTC, "0.1", "42000")

	replayed := processor.NewEngine(h.cfg)
	for _, r := range h.log {
		// Through the wire codec, as a restart would read them.
		back, err := events.DecodeReport(events.AppendReport(nil, r))
		if err != nil {
			t.Fatal(err)
		}
		if err := replayed.Replay(back); err != nil {
			t.Fatalf("replay %s: %v", r.ExecID, err)
		}
	}
	live, again := h.eng.Account("acct"), replayed.Account("acct")
	eq := cmp.Comparer(func(a, b money.Decimal) bool { return a.Equal(b) })
	if diff := cmp.Diff(live.Balances(), again.Balances(), eq); diff != "" {
		t.Errorf("balances differ (-live +replayed):\n%s", diff)
	}
	if diff := cmp.Diff(live.Position("BTC-USD"), again.Position("BTC-USD"), eq); diff != "" {
		t.Errorf("position differs:\n%s", diff)
	}
	if len(live.OpenOrders()) != len(again.OpenOrders()) || len(live.OpenOrders()) == 0 {
		t.Errorf("open orders live %d replayed %d", len(live.OpenOrders()), len(again.OpenOrders()))
	}
	for i, o := range live.OpenOrders() {
		p := again.OpenOrders()[i]
		if o.ID != p.ID || o.Seq != p.Seq || !o.CumQty.Equal(p.CumQty) || o.Status != p.Status {
			t.Errorf("open order %d differs: %+v vs %+v", i, o, p)
		}
	}
}
