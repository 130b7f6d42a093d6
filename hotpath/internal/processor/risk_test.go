package processor_test

import (
	"strings"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// TestStatefulRiskChecks covers the checks that depend on what the account already did.
func TestStatefulRiskChecks(t *testing.T) {
	t.Run("max open orders", func(t *testing.T) {
		h := newHarness(t)
		h.policy.limits.MaxOpenOrders = 2
		h.place(order.Buy, order.Limit, order.GTC, "0.1", "44000")
		h.place(order.Buy, order.Limit, order.GTC, "0.1", "44000")
		rs := h.place(order.Buy, order.Limit, order.GTC, "0.1", "44000")
		if kinds(rs) != "REJECTED/DENIED(MAX_OPEN_ORDERS_EXCEEDED)" || !strings.Contains(rs[0].Text, "open orders=2, max=2") {
			t.Fatalf("%s %q", kinds(rs), rs[0].Text)
		}
	})
	t.Run("orders per second", func(t *testing.T) {
		h := newHarness(t)
		h.policy.limits.MaxOrdersPerSec = 3
		for i := 0; i < 3; i++ {
			if k := kinds(h.place(order.Buy, order.Limit, order.GTC, "0.1", "44000")); k != "NEW/NEW" {
				t.Fatalf("order %d: %s", i, k)
			}
		}
		if k := kinds(h.place(order.Buy, order.Limit, order.GTC, "0.1", "44000")); k != "REJECTED/DENIED(RATE_LIMIT_EXCEEDED)" {
			t.Fatalf("fourth order: %s", k)
		}
		h.now = h.now.Add(time.Second)
		if k := kinds(h.place(order.Buy, order.Limit, order.GTC, "0.1", "44000")); k != "NEW/NEW" {
			t.Fatalf("after a second: %s", k)
		}
	})
	t.Run("max position counts fills", func(t *testing.T) {
		h := newHarness(t)
		h.policy.limits.MaxPosition = map[instrument.Symbol]money.Decimal{"BTC-USD": d("2")}
		if k := kinds(h.place(order.Buy, order.Market, order.IOC, "1.5", "")); !strings.HasSuffix(k, "TRADE/FILLED") {
			t.Fatalf("first buy: %s", k)
		}
		rs := h.place(order.Buy, order.Limit, order.GTC, "1", "44000")
		if kinds(rs) != "REJECTED/DENIED(MAX_POSITION_EXCEEDED)" || !strings.Contains(rs[0].Text, "position after order=2.5, max=2") {
			t.Fatalf("%s %q", kinds(rs), rs[0].Text)
		}
		// Selling reduces the position, so it is allowed even beyond the limit's size.
		if k := kinds(h.place(order.Sell, order.Limit, order.GTC, "1", "46000")); k != "NEW/NEW" {
			t.Fatalf("reducing sell: %s", k)
		}
	})
	t.Run("no market data", func(t *testing.T) {
		h := newHarness(t)
		delete(h.market, "BTC-USD")
		if k := kinds(h.place(order.Buy, order.Market, order.IOC, "0.1", "")); k != "REJECTED/DENIED(NO_MARKET_DATA)" {
			t.Fatalf("market order without a quote: %s", k)
		}
		if k := kinds(h.place(order.Buy, order.Limit, order.GTC, "0.1", "44000")); k != "NEW/NEW" {
			t.Fatalf("limit order without a quote rests: %s", k)
		}
	})
	t.Run("reducing state allows reductions", func(t *testing.T) {
		h := newHarness(t)
		h.place(order.Buy, order.Market, order.IOC, "1", "")
		h.policy.state = events.Reducing
		if k := kinds(h.place(order.Sell, order.Limit, order.GTC, "0.5", "46000")); k != "NEW/NEW" {
			t.Fatalf("reducing sell: %s", k)
		}
		if k := kinds(h.place(order.Buy, order.Limit, order.GTC, "0.5", "44000")); k != "REJECTED/DENIED(REDUCE_ONLY_MODE)" {
			t.Fatalf("increasing buy: %s", k)
		}
	})
	t.Run("reserved balance blocks a second buy", func(t *testing.T) {
		h := newHarness(t)
		h.place(order.Buy, order.Limit, order.GTC, "4", "44000") // reserves 176352 of 200000 USD
		rs := h.place(order.Buy, order.Limit, order.GTC, "1", "44000")
		if kinds(rs) != "REJECTED/DENIED(INSUFFICIENT_BALANCE)" || !strings.Contains(rs[0].Text, "available=23648") {
			t.Fatalf("%s %q", kinds(rs), rs[0].Text)
		}
	})
}
