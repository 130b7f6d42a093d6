package account

import (
	"fmt"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Each decision below builds one execution report and applies it before returning it, so the caller
// sees the new state and publishes exactly what was applied.

func specReport(s order.Spec, et order.ExecType, st order.Status, seq uint64, now time.Time) events.ExecutionReport {
	return events.ExecutionReport{
		ExecID: execID(s.ID, seq), OrderID: s.ID, ClientOrderID: s.ClientOrderID, Account: s.Account,
		Symbol: s.Symbol, Side: s.Side, Type: s.Type, TimeInForce: s.TimeInForce, ExecType: et, Status: st,
		Quantity: s.Quantity, Price: s.Price, StopPrice: s.StopPrice, ExpireTime: s.ExpireTime,
		PostOnly: s.PostOnly, ReduceOnly: s.ReduceOnly, Seq: seq, CreatedAt: now, TransactTime: now,
	}
}

func execID(id order.ID, seq uint64) string { return fmt.Sprintf("%s:%d", id, seq) }

func orderReport(o *order.Order, et order.ExecType, now time.Time) events.ExecutionReport {
	r := specReport(o.Spec, et, o.Status, o.Seq+1, now)
	r.CreatedAt = o.CreatedAt
	r.CumQty = o.CumQty
	r.AvgPrice = o.AvgPrice()
	r.LeavesQty = o.LeavesQty()
	return r
}

func (a *Account) must(r events.ExecutionReport) events.ExecutionReport {
	if err := a.Apply(r); err != nil {
		// A decision that cannot be applied to the state it was made from is a bug in this package.
		panic(fmt.Sprintf("account %s: apply own report %s: %v", a.id, r.ExecID, err))
	}
	return r
}

// Deny refuses a new order for a risk reason (status DENIED).
func (a *Account) Deny(s order.Spec, d *Denial, now time.Time) events.ExecutionReport {
	r := specReport(s, order.ExecRejected, order.Denied, 1, now)
	r.Reason, r.Text = d.Code, d.Text
	return a.must(r)
}

// RejectNew refuses a new order for a venue reason (status REJECTED), e.g. a post-only order that would
// take liquidity.
func (a *Account) RejectNew(s order.Spec, code, text string, now time.Time) events.ExecutionReport {
	r := specReport(s, order.ExecRejected, order.Rejected, 1, now)
	r.Reason, r.Text = code, text
	return a.must(r)
}

// Accept admits a new order that passed Check; ref is the reference price Check returned.
func (a *Account) Accept(s order.Spec, ref money.Decimal, now time.Time) events.ExecutionReport {
	r := specReport(s, order.ExecNew, order.New, 1, now)
	r.LeavesQty = s.Quantity
	r.ReferencePrice = ref
	a.NoteAdmission(now)
	return a.must(r)
}

// Fill executes qty at price on an open order.
func (a *Account) Fill(id order.ID, qty, price money.Decimal, liquidity string, now time.Time) (events.ExecutionReport, error) {
	o, ok := a.open[id]
	if !ok {
		return events.ExecutionReport{}, fmt.Errorf("fill %s: order not open", id)
	}
	if qty.GreaterThan(o.LeavesQty()) || !qty.IsPositive() {
		return events.ExecutionReport{}, fmt.Errorf("fill %s: qty %s outside (0, %s]", id, qty, o.LeavesQty())
	}
	r := orderReport(o, order.ExecTrade, now)
	r.LastQty, r.LastPrice, r.Liquidity = qty, price, liquidity
	r.Fee, r.FeeAsset = a.Fee(qty, price, liquidity), o.Symbol.Quote()
	r.CumQty = o.CumQty.Add(qty)
	notional := o.Notional.Add(qty.Mul(price))
	r.AvgPrice, _ = notional.Div(r.CumQty, 8)
	r.LeavesQty = o.Quantity.Sub(r.CumQty)
	r.Status = order.PartiallyFilled
	if r.LeavesQty.IsZero() {
		r.Status = order.Filled
	}
	return a.must(r), nil
}

// Cancel cancels an open order's remainder. reason is a code such as USER_CANCEL or IOC_REMAINDER.
func (a *Account) Cancel(id order.ID, reason string, now time.Time) (events.ExecutionReport, error) {
	return a.end(id, order.ExecCanceled, order.Canceled, reason, now)
}

// Expire ends an open order (GTD reached, or the unfilled remainder of IOC/FOK).
func (a *Account) Expire(id order.ID, reason string, now time.Time) (events.ExecutionReport, error) {
	return a.end(id, order.ExecExpired, order.Expired, reason, now)
}

func (a *Account) end(id order.ID, et order.ExecType, st order.Status, reason string, now time.Time) (events.ExecutionReport, error) {
	o, ok := a.open[id]
	if !ok {
		return events.ExecutionReport{}, fmt.Errorf("%s %s: order not open", et, id)
	}
	r := orderReport(o, et, now)
	r.Status, r.LeavesQty, r.Reason = st, money.Zero, reason
	return a.must(r), nil
}

// Trigger marks a stop order as triggered.
func (a *Account) Trigger(id order.ID, now time.Time) (events.ExecutionReport, error) {
	o, ok := a.open[id]
	if !ok || !o.Type.NeedsStop() || o.Triggered {
		return events.ExecutionReport{}, fmt.Errorf("trigger %s: not an untriggered open stop order", id)
	}
	return a.must(orderReport(o, order.ExecTriggered, now)), nil
}

// Replace amends an open order's quantity (new total) and/or limit price, re-running the risk checks
// that the change can break. A refusal is a request-level REPLACE_REJECTED report.
func (a *Account) Replace(id order.ID, newQty, newPrice money.Decimal, ctx Context, commandID string) events.ExecutionReport {
	o, ok := a.open[id]
	if !ok {
		return a.RejectRequest(id, order.ExecReplaceRejected, "UNKNOWN_ORDER", "order is not open", ctx.Now, commandID)
	}
	q, p := o.Quantity, o.Price
	if !newQty.IsZero() {
		q = newQty
	}
	if !newPrice.IsZero() {
		if !o.Type.NeedsPrice() {
			return a.RejectRequest(id, order.ExecReplaceRejected, "PRICE_NOT_ALLOWED", fmt.Sprintf("%s orders have no price", o.Type), ctx.Now, commandID)
		}
		p = newPrice
	}
	if !q.GreaterThan(o.CumQty) {
		return a.RejectRequest(id, order.ExecReplaceRejected, "QUANTITY_BELOW_FILLED", fmt.Sprintf("quantity=%s, filled=%s", q, o.CumQty), ctx.Now, commandID)
	}
	if err := checkAmend(ctx.Instrument, q, p, o.Type); err != nil {
		return a.RejectRequest(id, order.ExecReplaceRejected, err.Code, err.Text, ctx.Now, commandID)
	}
	// Check the amended order as if it were new, with this order's own reservation given back.
	spec := o.Spec
	spec.Quantity, spec.Price, spec.ClientOrderID = q.Sub(o.CumQty), p, "\x00replace"
	a.release(o)
	delete(a.open, id) // so max-open-orders counts the amended order once
	_, d := a.Check(spec, ctx)
	a.open[id] = o
	a.hold(o)
	if d != nil {
		return a.RejectRequest(id, order.ExecReplaceRejected, d.Code, d.Text, ctx.Now, commandID)
	}
	r := orderReport(o, order.ExecReplaced, ctx.Now)
	r.Quantity, r.Price = q, p
	r.LeavesQty = q.Sub(o.CumQty)
	return a.must(r)
}

func checkAmend(in instrument.Instrument, q, p money.Decimal, t order.Type) *Denial {
	if err := in.CheckQty("quantity", q); err != nil {
		return &Denial{Code: "INVALID_QUANTITY", Text: err.Error()}
	}
	if t.NeedsPrice() {
		if err := in.CheckPrice("price", p); err != nil {
			return &Denial{Code: "INVALID_PRICE", Text: err.Error()}
		}
	}
	return nil
}

// RejectRequest reports a refused cancel or replace. It changes no order, so it carries sequence 0 and
// an exec id derived from the command: readers treat it as a notification, not a state change.
func (a *Account) RejectRequest(id order.ID, et order.ExecType, code, text string, now time.Time, commandID string) events.ExecutionReport {
	r := events.ExecutionReport{ExecID: "rej:" + commandID, OrderID: id, Account: a.id, ExecType: et,
		Reason: code, Text: text, TransactTime: now, CreatedAt: now}
	if o, ok := a.open[id]; ok {
		r = orderReport(o, et, now)
		r.Seq, r.ExecID, r.Reason, r.Text = 0, "rej:"+commandID, code, text
		r.Status = o.Status
	} else if st, ok := a.terminal[id]; ok {
		r.Status = st
	} else {
		r.Status = order.Rejected
	}
	return r
}
