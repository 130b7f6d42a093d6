// Package lambdatest makes the events the Lambda functions receive, for their fixtures, tests and
// benchmarks: execution-report streams produced by the processor's own decisions (hotpath/domain/account)
// and encoded with the domain's codec, MSK event-source batches (events.KafkaEvent) and signed ALB
// requests (events.ALBTargetGroupRequest). Like the functions, it imports only the domain and the AWS
// event types, so fixtures cannot drift from what the hot path writes.
package lambdatest

import (
	"fmt"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Desk trades for any number of accounts the way the processor does: every order is validated, runs
// the pre-trade risk checks against the quoted market, and every change is an execution report that the
// account aggregate emitted and applied. Reports collects them in log order.
type Desk struct {
	cat     *instrument.Catalog
	limits  account.Limits
	fees    account.Fees
	funding map[string]money.Decimal
	accts   map[order.AccountID]*account.Account
	market  map[instrument.Symbol]*events.PriceTick
	// Reports is every report emitted so far, in the order the processor would have produced them.
	Reports []events.ExecutionReport
}

// Fees are the processor's default fee rates.
func Fees() account.Fees { return account.DefaultFees() }

// NewDesk returns a desk whose accounts start with funding, with the default instruments, limits and fees.
func NewDesk(funding map[string]money.Decimal) *Desk {
	return &Desk{
		cat: instrument.Default(), limits: account.DefaultLimits(), fees: Fees(), funding: funding,
		accts: map[order.AccountID]*account.Account{}, market: map[instrument.Symbol]*events.PriceTick{},
	}
}

// Quote sets the touch of sym that risk checks and market orders see.
func (d *Desk) Quote(sym instrument.Symbol, bid, ask money.Decimal, at time.Time) {
	d.market[sym] = &events.PriceTick{Symbol: sym, Bids: []events.Level{{Price: bid, Size: money.MustParse("5")}},
		Asks: []events.Level{{Price: ask, Size: money.MustParse("5")}}, Last: bid, Time: at}
}

// Account returns the account's state, creating it funded on first use.
func (d *Desk) Account(id order.AccountID) *account.Account {
	a, ok := d.accts[id]
	if !ok {
		a = account.New(id, d.funding, d.fees)
		d.accts[id] = a
	}
	return a
}

func (d *Desk) emit(r events.ExecutionReport) events.ExecutionReport {
	d.Reports = append(d.Reports, r)
	return r
}

// Place submits a new order (its ID is derived from the account and client order id when empty): it is
// accepted (NEW) or, when a risk rule trips, denied (DENIED). An invalid spec is an error.
func (d *Desk) Place(s order.Spec, at time.Time) (events.ExecutionReport, error) {
	if s.ID == "" {
		s.ID = order.NewID(s.Account, s.ClientOrderID)
	}
	if s.TimeInForce == 0 {
		s.TimeInForce = order.GTC
	}
	in, ok := d.cat.Lookup(s.Symbol)
	if !ok {
		return events.ExecutionReport{}, fmt.Errorf("place %s: unknown symbol %s", s.ClientOrderID, s.Symbol)
	}
	if err := s.Validate(in, at); err != nil {
		return events.ExecutionReport{}, fmt.Errorf("place %s: %w", s.ClientOrderID, err)
	}
	a := d.Account(s.Account)
	ctx := account.Context{Instrument: in, Limits: d.limits, State: events.Active, Market: d.market[s.Symbol], Now: at}
	ref, denial := a.Check(s, ctx)
	if denial != nil {
		return d.emit(a.Deny(s, denial, at)), nil
	}
	return d.emit(a.Accept(s, ref, at)), nil
}

// Fill executes qty at price on an open order; liquidity is MAKER or TAKER.
func (d *Desk) Fill(acct order.AccountID, id order.ID, qty, price money.Decimal, liquidity string, at time.Time) (events.ExecutionReport, error) {
	r, err := d.Account(acct).Fill(id, qty, price, liquidity, at)
	if err != nil {
		return r, err
	}
	return d.emit(r), nil
}

// Cancel cancels an open order's remainder at the client's request.
func (d *Desk) Cancel(acct order.AccountID, id order.ID, at time.Time) (events.ExecutionReport, error) {
	r, err := d.Account(acct).Cancel(id, "USER_CANCEL", at)
	if err != nil {
		return r, err
	}
	return d.emit(r), nil
}
