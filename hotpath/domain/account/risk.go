package account

import (
	"fmt"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Risk denial codes. They are public: the docs' error table and the dashboard use them.
const (
	DenyTradingHalted      = "TRADING_HALTED"
	DenyReduceOnlyMode     = "REDUCE_ONLY_MODE"
	DenyReduceOnly         = "REDUCE_ONLY_WOULD_INCREASE"
	DenyRateLimit          = "RATE_LIMIT_EXCEEDED"
	DenyMaxOpenOrders      = "MAX_OPEN_ORDERS_EXCEEDED"
	DenyMaxOrderQty        = "MAX_ORDER_QTY_EXCEEDED"
	DenyMaxNotional        = "MAX_NOTIONAL_EXCEEDED"
	DenyMaxPosition        = "MAX_POSITION_EXCEEDED"
	DenyPriceCollar        = "PRICE_COLLAR_EXCEEDED"
	DenyNoMarketData       = "NO_MARKET_DATA"
	DenyInsufficientFunds  = "INSUFFICIENT_BALANCE"
	DenyDuplicateClientOID = "DUPLICATE_CLIENT_ORDER_ID"
)

func deny(code, format string, args ...any) *Denial {
	return &Denial{Code: code, Text: fmt.Sprintf(format, args...)}
}

// referencePrice is the price risk values an order at: its limit, its stop for stop-market, else the
// collar bound beyond the touch (what a market order could at worst pay or receive).
func referencePrice(s order.Spec, ctx Context) (money.Decimal, *Denial) {
	switch s.Type {
	case order.Limit, order.StopLimit:
		return s.Price, nil
	case order.StopMarket:
		if s.Side == order.Buy {
			return s.StopPrice.Add(s.StopPrice.Percent(ctx.Limits.PriceCollarPct)), nil
		}
		return s.StopPrice, nil
	case order.Market:
		if ctx.Market == nil || ctx.Market.BestAsk().IsZero() || ctx.Market.BestBid().IsZero() {
			return money.Zero, deny(DenyNoMarketData, "no market data for %s; market orders need a live quote", s.Symbol)
		}
		if s.Side == order.Buy {
			ask := ctx.Market.BestAsk()
			return ask.Add(ask.Percent(ctx.Limits.PriceCollarPct)).FloorTo(ctx.Instrument.TickSize), nil
		}
		bid := ctx.Market.BestBid()
		return bid.Sub(bid.Percent(ctx.Limits.PriceCollarPct)), nil
	}
	return money.Zero, deny(DenyNoMarketData, "unknown order type %s", s.Type)
}

// reduces reports whether a buy/sell of qty moves the position toward zero without crossing it.
func reduces(pos money.Decimal, side order.Side, qty money.Decimal) bool {
	if side == order.Sell {
		return pos.IsPositive() && qty.Cmp(pos) <= 0
	}
	return pos.IsNegative() && qty.Cmp(pos.Abs()) <= 0
}

// Check runs every pre-trade risk rule on a new order and returns the first denial, or nil. It also
// returns the reference price that the order's reservation will use.
func (a *Account) Check(s order.Spec, ctx Context) (money.Decimal, *Denial) {
	if a.Known(s.ClientOrderID) {
		return money.Zero, deny(DenyDuplicateClientOID, "clientOrderId %q was already used by this account", s.ClientOrderID)
	}
	pos := a.Position(s.Symbol).Qty
	switch ctx.State {
	case events.Halted:
		return money.Zero, deny(DenyTradingHalted, "trading is halted for %s", s.Symbol)
	case events.Reducing:
		if !reduces(pos, s.Side, s.Quantity) {
			return money.Zero, deny(DenyReduceOnlyMode, "only orders that reduce the position are accepted now: position=%s, side=%s, quantity=%s", pos, s.Side, s.Quantity)
		}
	case events.Active, 0:
	}
	if s.ReduceOnly && !reduces(pos, s.Side, s.Quantity) {
		return money.Zero, deny(DenyReduceOnly, "reduceOnly order would increase the position: position=%s, side=%s, quantity=%s", pos, s.Side, s.Quantity)
	}
	if l := ctx.Limits.MaxOrdersPerSec; l > 0 && a.rate(ctx.Now) >= l {
		return money.Zero, deny(DenyRateLimit, "orders per second=%d, max=%d", a.rate(ctx.Now), l)
	}
	if l := ctx.Limits.MaxOpenOrders; l > 0 && len(a.open) >= l {
		return money.Zero, deny(DenyMaxOpenOrders, "open orders=%d, max=%d", len(a.open), l)
	}
	if mx, ok := ctx.Limits.MaxOrderQty[s.Symbol]; ok && s.Quantity.GreaterThan(mx) {
		return money.Zero, deny(DenyMaxOrderQty, "quantity=%s, max=%s", s.Quantity, mx)
	}
	ref, d := referencePrice(s, ctx)
	if d != nil {
		return money.Zero, d
	}
	if s.Type.NeedsPrice() && ctx.Market != nil && ctx.Limits.PriceCollarPct.IsPositive() {
		if s.Side == order.Buy && !ctx.Market.BestAsk().IsZero() {
			ask := ctx.Market.BestAsk()
			bound := ask.Add(ask.Percent(ctx.Limits.PriceCollarPct))
			if s.Price.GreaterThan(bound) {
				return money.Zero, deny(DenyPriceCollar, "price=%s, max=%s (ask %s + %s%%)", s.Price, bound, ask, ctx.Limits.PriceCollarPct)
			}
		}
		if s.Side == order.Sell && !ctx.Market.BestBid().IsZero() {
			bid := ctx.Market.BestBid()
			bound := bid.Sub(bid.Percent(ctx.Limits.PriceCollarPct))
			if s.Price.LessThan(bound) {
				return money.Zero, deny(DenyPriceCollar, "price=%s, min=%s (bid %s - %s%%)", s.Price, bound, bid, ctx.Limits.PriceCollarPct)
			}
		}
	}
	notional := s.Quantity.Mul(ref)
	if mx := ctx.Limits.MaxOrderNotional; mx.IsPositive() && notional.GreaterThan(mx) {
		return money.Zero, deny(DenyMaxNotional, "notional=%s, max=%s", notional, mx)
	}
	if mx, ok := ctx.Limits.MaxPosition[s.Symbol]; ok {
		next := pos.Add(s.Quantity)
		if s.Side == order.Sell {
			next = pos.Sub(s.Quantity)
		}
		if next.Abs().GreaterThan(mx) && next.Abs().GreaterThan(pos.Abs()) {
			return money.Zero, deny(DenyMaxPosition, "position after order=%s, max=%s", next, mx)
		}
	}
	if s.Side == order.Buy {
		need := notional.Add(notional.Mul(a.fees.Taker))
		if avail := a.Balance(s.Symbol.Quote()).Available(); need.GreaterThan(avail) {
			return money.Zero, deny(DenyInsufficientFunds, "required=%s %s, available=%s", need, s.Symbol.Quote(), avail)
		}
	} else if avail := a.Balance(s.Symbol.Base()).Available(); s.Quantity.GreaterThan(avail) {
		return money.Zero, deny(DenyInsufficientFunds, "required=%s %s, available=%s", s.Quantity, s.Symbol.Base(), avail)
	}
	return ref, nil
}

// rate counts admissions within the second before now, dropping older ones.
func (a *Account) rate(now time.Time) int {
	cut := now.Add(-time.Second)
	i := 0
	for i < len(a.recent) && !a.recent[i].After(cut) {
		i++
	}
	a.recent = a.recent[i:]
	return len(a.recent)
}

// NoteAdmission records that an order was admitted at now, for the rate limit. The rate window is
// transient (not rebuilt on replay): after a restart an account gets a fresh second.
func (a *Account) NoteAdmission(now time.Time) { a.recent = append(a.recent, now) }
