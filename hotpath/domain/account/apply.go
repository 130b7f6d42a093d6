package account

import (
	"fmt"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Apply folds one execution report of this account into the state. It is the only way state changes;
// replaying an account's reports in log order rebuilds it exactly. Reports with sequence 0 are
// request-level notifications and change nothing. A report that does not follow from the current state
// (wrong sequence, unknown order) is an error and changes nothing.
func (a *Account) Apply(r events.ExecutionReport) error {
	if r.Account != a.id {
		return fmt.Errorf("apply %s: report for account %s", r.ExecID, r.Account)
	}
	if r.Seq == 0 {
		return nil
	}
	if r.Seq == 1 {
		return a.applyFirst(r)
	}
	o, ok := a.open[r.OrderID]
	if !ok {
		return fmt.Errorf("apply %s: order %s is not open", r.ExecID, r.OrderID)
	}
	if r.Seq != o.Seq+1 {
		return fmt.Errorf("apply %s: sequence %d does not follow %d", r.ExecID, r.Seq, o.Seq)
	}
	now := r.TransactTime
	switch r.ExecType {
	case order.ExecTrade:
		a.release(o)
		if err := o.Fill(r.LastQty, r.LastPrice, r.Fee, now); err != nil {
			a.hold(o)
			return fmt.Errorf("apply %s: %w", r.ExecID, err)
		}
		a.settle(o, r)
	case order.ExecCanceled:
		a.release(o)
		if err := o.Cancel(r.Reason, now); err != nil {
			a.hold(o)
			return fmt.Errorf("apply %s: %w", r.ExecID, err)
		}
	case order.ExecExpired:
		a.release(o)
		if err := o.Expire(now); err != nil {
			a.hold(o)
			return fmt.Errorf("apply %s: %w", r.ExecID, err)
		}
		o.LastReason = r.Reason
	case order.ExecReplaced:
		a.release(o)
		if err := o.Replace(r.Quantity, r.Price, now); err != nil {
			a.hold(o)
			return fmt.Errorf("apply %s: %w", r.ExecID, err)
		}
		if o.Side == order.Buy && o.Type.NeedsPrice() {
			a.resPrice[o.ID] = o.Price
		}
		a.hold(o)
	case order.ExecTriggered:
		if err := o.Trigger(now); err != nil {
			return fmt.Errorf("apply %s: %w", r.ExecID, err)
		}
	case order.ExecNew, order.ExecRejected, order.ExecCancelRejected, order.ExecReplaceRejected:
		return fmt.Errorf("apply %s: %s with sequence %d", r.ExecID, r.ExecType, r.Seq)
	default:
		return fmt.Errorf("apply %s: unknown exec type %d", r.ExecID, r.ExecType)
	}
	if o.Status.Terminal() {
		delete(a.open, o.ID)
		delete(a.resPrice, o.ID)
		a.terminal[o.ID] = o.Status
	} else if o.Status == order.PartiallyFilled || o.Status == order.New {
		// Fill released the whole reservation; hold what remains.
		if r.ExecType == order.ExecTrade {
			a.hold(o)
		}
	}
	return nil
}

func (a *Account) applyFirst(r events.ExecutionReport) error {
	if _, dup := a.open[r.OrderID]; dup {
		return fmt.Errorf("apply %s: order %s already open", r.ExecID, r.OrderID)
	}
	if _, dup := a.terminal[r.OrderID]; dup {
		return fmt.Errorf("apply %s: order %s already ended", r.ExecID, r.OrderID)
	}
	spec := order.Spec{ID: r.OrderID, ClientOrderID: r.ClientOrderID, Account: r.Account, Symbol: r.Symbol,
		Side: r.Side, Type: r.Type, TimeInForce: r.TimeInForce, Quantity: r.Quantity, Price: r.Price,
		StopPrice: r.StopPrice, ExpireTime: r.ExpireTime, PostOnly: r.PostOnly, ReduceOnly: r.ReduceOnly}
	a.clientIDs[r.ClientOrderID] = r.OrderID
	switch {
	case r.ExecType == order.ExecNew && r.Status == order.New:
		o := order.NewPending(spec, r.CreatedAt)
		if err := o.Accept(r.TransactTime); err != nil {
			return fmt.Errorf("apply %s: %w", r.ExecID, err)
		}
		a.open[o.ID] = o
		if o.Side == order.Buy {
			ref := r.ReferencePrice
			if ref.IsZero() {
				ref = o.Price
			}
			a.resPrice[o.ID] = ref
		}
		a.hold(o)
	case r.ExecType == order.ExecRejected && (r.Status == order.Denied || r.Status == order.Rejected):
		a.terminal[r.OrderID] = r.Status
	default:
		return fmt.Errorf("apply %s: first report is %s/%s", r.ExecID, r.ExecType, r.Status)
	}
	return nil
}

// settle moves balances and the position for one fill.
func (a *Account) settle(o *order.Order, r events.ExecutionReport) {
	base, quote := a.bal(o.Symbol.Base()), a.bal(o.Symbol.Quote())
	gross := r.LastQty.Mul(r.LastPrice)
	p := a.positions[o.Symbol]
	if p == nil {
		p = &Position{}
		a.positions[o.Symbol] = p
	}
	signed := r.LastQty
	if o.Side == order.Buy {
		base.Total = base.Total.Add(r.LastQty)
		quote.Total = quote.Total.Sub(gross).Sub(r.Fee)
	} else {
		base.Total = base.Total.Sub(r.LastQty)
		quote.Total = quote.Total.Add(gross).Sub(r.Fee)
		signed = signed.Neg()
	}
	p.Apply(signed, r.LastPrice)
}

// Apply adds a signed fill (positive buys, negative sells) to the position: adding to it moves the average entry; reducing it realizes
// P&L against the average entry; crossing zero opens the rest at the fill price.
func (p *Position) Apply(signed, price money.Decimal) {
	switch {
	case p.Qty.IsZero() || p.Qty.Sign() == signed.Sign():
		total := p.Qty.Add(signed)
		cost := p.Qty.Abs().Mul(p.AvgEntry).Add(signed.Abs().Mul(price))
		p.AvgEntry, _ = cost.Div(total.Abs(), 8)
		p.Qty = total
	default:
		closing := money.Min(signed.Abs(), p.Qty.Abs())
		pnl := price.Sub(p.AvgEntry).Mul(closing)
		if p.Qty.IsNegative() {
			pnl = pnl.Neg()
		}
		p.Realized = p.Realized.Add(pnl)
		p.Qty = p.Qty.Add(signed)
		switch {
		case p.Qty.IsZero():
			p.AvgEntry = money.Zero
		case p.Qty.Sign() == signed.Sign():
			p.AvgEntry = price
		}
	}
}
