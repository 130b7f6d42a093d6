// Package venue executes orders. Paper is the default venue: it fills against the live market data
// feed's book, consuming displayed size so that two orders cannot both take the same liquidity from one
// book update. Real exchange adapters implement the same methods.
package venue

import (
	"fmt"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Fill is one execution decided by a venue.
type Fill struct {
	Qty       money.Decimal
	Price     money.Decimal
	Liquidity string // MAKER or TAKER
}

// Reject codes a venue may answer with.
const (
	RejectPostOnlyWouldTake = "POST_ONLY_WOULD_TAKE"
	RejectNoLiquidity       = "NO_LIQUIDITY"
)

// Paper fills against the book of the last tick per symbol. It is owned by one goroutine (one per
// processor partition), like the accounts it serves.
type Paper struct {
	lot  func(instrument.Symbol) money.Decimal
	used map[instrument.Symbol]*consumption
}

// consumption tracks how much of each displayed level this venue has already handed out for one book
// update (identified by the tick's sequence number).
type consumption struct {
	seq      uint64
	bid, ask []money.Decimal
}

// NewPaper returns a paper venue; lot gives each symbol's lot size so fills stay on the lot grid.
func NewPaper(lot func(instrument.Symbol) money.Decimal) *Paper {
	return &Paper{lot: lot, used: map[instrument.Symbol]*consumption{}}
}

func (p *Paper) usage(m *events.PriceTick) *consumption {
	c := p.used[m.Symbol]
	if c == nil || c.seq != m.Seq {
		c = &consumption{seq: m.Seq, bid: make([]money.Decimal, len(m.Bids)), ask: make([]money.Decimal, len(m.Asks))}
		p.used[m.Symbol] = c
	}
	return c
}

// PreCheck is the venue's check before an order is accepted: a post-only order that would cross is
// rejected.
func (p *Paper) PreCheck(s order.Spec, m *events.PriceTick) (code, text string) {
	if !s.PostOnly || m == nil {
		return "", ""
	}
	if s.Side == order.Buy && !m.BestAsk().IsZero() && s.Price.Cmp(m.BestAsk()) >= 0 {
		return RejectPostOnlyWouldTake, fmt.Sprintf("post-only buy at %s would take the ask %s", s.Price, m.BestAsk())
	}
	if s.Side == order.Sell && !m.BestBid().IsZero() && s.Price.Cmp(m.BestBid()) <= 0 {
		return RejectPostOnlyWouldTake, fmt.Sprintf("post-only sell at %s would take the bid %s", s.Price, m.BestBid())
	}
	return "", ""
}

// marketable reports whether level price px is acceptable for the order (market orders take any).
func marketable(o *order.Order, px money.Decimal) bool {
	if o.Type == order.Market || o.Type == order.StopMarket {
		return true
	}
	if o.Side == order.Buy {
		return px.Cmp(o.Price) <= 0
	}
	return px.Cmp(o.Price) >= 0
}

// Take returns the taker fills for an order arriving now: it walks the opposite side of the book level
// by level. FOK orders get all or nothing. The caller applies the fills and ends any IOC/FOK/market
// remainder.
func (p *Paper) Take(o *order.Order, m *events.PriceTick) []Fill {
	if m == nil {
		return nil
	}
	levels, used := m.Asks, p.usage(m).ask
	if o.Side == order.Sell {
		levels, used = m.Bids, p.usage(m).bid
	}
	want := o.LeavesQty()
	lot := p.lot(o.Symbol)
	var fills []Fill
	var plan []money.Decimal
	for i, l := range levels {
		if want.IsZero() || !marketable(o, l.Price) {
			break
		}
		avail := l.Size.Sub(used[i])
		q := money.Min(avail, want).FloorTo(lot)
		if !q.IsPositive() {
			continue
		}
		fills = append(fills, Fill{Qty: q, Price: l.Price, Liquidity: "TAKER"})
		plan = append(plan, q)
		want = want.Sub(q)
	}
	if o.TimeInForce == order.FOK && !want.IsZero() {
		return nil
	}
	// Commit the consumption only for fills we hand out.
	j := 0
	for i, l := range levels {
		if j >= len(fills) {
			break
		}
		if l.Price.Equal(fills[j].Price) {
			used[i] = used[i].Add(plan[j])
			j++
		}
	}
	return fills
}

// Rest returns maker fills for a resting limit order after a book update: the market crossed its
// price, so it fills at its own price against the displayed size that crossed.
func (p *Paper) Rest(o *order.Order, m *events.PriceTick) []Fill {
	if m == nil || !o.Type.NeedsPrice() {
		return nil
	}
	levels, used := m.Asks, p.usage(m).ask
	if o.Side == order.Sell {
		levels, used = m.Bids, p.usage(m).bid
	}
	want := o.LeavesQty()
	crossed := money.Zero
	lot := p.lot(o.Symbol)
	for i, l := range levels {
		if !marketable(o, l.Price) || want.IsZero() {
			break
		}
		q := money.Min(l.Size.Sub(used[i]), want).FloorTo(lot)
		if !q.IsPositive() {
			continue
		}
		used[i] = used[i].Add(q)
		crossed = crossed.Add(q)
		want = want.Sub(q)
	}
	if crossed.IsZero() {
		return nil
	}
	return []Fill{{Qty: crossed, Price: o.Price, Liquidity: "MAKER"}}
}

// Triggered reports whether an untriggered stop order's stop price has been reached by the last trade
// price (falling back to the mid when the feed carries no trade).
func Triggered(o *order.Order, m *events.PriceTick) bool {
	if m == nil || !o.Type.NeedsStop() || o.Triggered {
		return false
	}
	last := m.Last
	if last.IsZero() {
		if m.BestBid().IsZero() || m.BestAsk().IsZero() {
			return false
		}
		last, _ = m.BestBid().Add(m.BestAsk()).Div(money.FromInt(2), 8)
	}
	if o.Side == order.Buy {
		return last.Cmp(o.StopPrice) >= 0
	}
	return last.Cmp(o.StopPrice) <= 0
}
