package processor

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/venue"
)

// Venue is what the engine needs from an execution venue.
type Venue interface {
	PreCheck(s order.Spec, m *events.PriceTick) (code, text string)
	Take(o *order.Order, m *events.PriceTick) []venue.Fill
	Rest(o *order.Order, m *events.PriceTick) []venue.Fill
}

// Market gives the latest book per symbol (nil when none has arrived).
type Market interface {
	Book(instrument.Symbol) *events.PriceTick
}

// Policy gives the risk limits and effective trading state; the processor feeds it from config and
// from `control` commands.
type Policy interface {
	Limits(order.AccountID) account.Limits
	State(order.AccountID, instrument.Symbol) events.TradingState
}

// EngineConfig holds what every engine of a processor shares.
type EngineConfig struct {
	Catalog         *instrument.Catalog
	Fees            account.Fees
	InitialBalances map[string]money.Decimal // funding of an account the engine has never seen
	Market          Market
	Policy          Policy
	NewVenue        func() Venue
}

// Engine is the processor core for one partition: the account actors' state, pre-trade risk, the
// order state machine and the venue, with no I/O. One goroutine owns it.
type Engine struct {
	cfg        EngineConfig
	venue      Venue
	accounts   map[order.AccountID]*account.Account
	duplicates int
}

// NewEngine returns an empty engine.
func NewEngine(cfg EngineConfig) *Engine {
	return &Engine{cfg: cfg, venue: cfg.NewVenue(), accounts: map[order.AccountID]*account.Account{}}
}

// Duplicates counts NEW commands dropped because their client order id was already used.
func (e *Engine) Duplicates() int { return e.duplicates }

// Account returns an account's state, creating it funded on first sight.
func (e *Engine) Account(id order.AccountID) *account.Account {
	a := e.accounts[id]
	if a == nil {
		a = account.New(id, e.cfg.InitialBalances, e.cfg.Fees)
		e.accounts[id] = a
	}
	return a
}

// Accounts returns the ids of every account this engine holds, sorted.
func (e *Engine) Accounts() []order.AccountID {
	ids := make([]order.AccountID, 0, len(e.accounts))
	for id := range e.accounts {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// Replay folds a report from the log into the state (rebuild after restart or rebalance).
func (e *Engine) Replay(r events.ExecutionReport) error {
	return e.Account(r.Account).Apply(r)
}

func (e *Engine) ctx(a *account.Account, sym instrument.Symbol, now time.Time) (account.Context, bool) {
	in, ok := e.cfg.Catalog.Lookup(sym)
	return account.Context{
		Instrument: in,
		Limits:     e.cfg.Policy.Limits(a.ID()),
		State:      e.cfg.Policy.State(a.ID(), sym),
		Market:     e.cfg.Market.Book(sym),
		Now:        now,
	}, ok
}

// Handle processes one command and returns the reports it produced, in order.
func (e *Engine) Handle(c events.OrderCommand, now time.Time) []events.ExecutionReport {
	a := e.Account(c.Account)
	var out []events.ExecutionReport
	emit := func(r events.ExecutionReport) { r.ReceivedAt = c.ReceivedAt; out = append(out, r) }
	switch c.Kind {
	case events.CmdNew:
		e.place(a, c.Spec, now, emit)
	case events.CmdCancel:
		if _, ok := a.Order(c.OrderID); !ok {
			emit(a.RejectRequest(c.OrderID, order.ExecCancelRejected, unknownOrClosed(a, c.OrderID), "order is not open", now, c.CommandID))
			break
		}
		r, err := a.Cancel(c.OrderID, "USER_CANCEL", now)
		mustNot(err)
		emit(r)
	case events.CmdCancelAll:
		for _, o := range a.OpenOrders() {
			if c.Symbol != "" && o.Symbol != c.Symbol {
				continue
			}
			r, err := a.Cancel(o.ID, "USER_CANCEL_ALL", now)
			mustNot(err)
			emit(r)
		}
	case events.CmdReplace:
		o, ok := a.Order(c.OrderID)
		if !ok {
			emit(a.RejectRequest(c.OrderID, order.ExecReplaceRejected, unknownOrClosed(a, c.OrderID), "order is not open", now, c.CommandID))
			break
		}
		ctx, _ := e.ctx(a, o.Symbol, now)
		r := a.Replace(c.OrderID, c.NewQty, c.NewPrice, ctx, c.CommandID)
		emit(r)
		if r.ExecType == order.ExecReplaced && (!o.Type.NeedsStop() || o.Triggered) {
			e.take(a, o, ctx.Market, now, emit) // an amended price may now cross
		}
	}
	return out
}

func unknownOrClosed(a *account.Account, id order.ID) string {
	if _, ok := a.Status(id); ok {
		return "ORDER_CLOSED"
	}
	return "UNKNOWN_ORDER"
}

func mustNot(err error) {
	if err != nil {
		panic(fmt.Sprintf("processor engine: %v", err)) // the engine checked the state first; this is a bug
	}
}

func (e *Engine) place(a *account.Account, s order.Spec, now time.Time, emit func(events.ExecutionReport)) {
	if a.Known(s.ClientOrderID) {
		// A replay of an order we already processed: the order id is derived from the client order id,
		// so answering would overwrite the original's state. Refuse silently and count it.
		e.duplicates++
		return
	}
	ctx, ok := e.ctx(a, s.Symbol, now)
	if !ok {
		emit(a.RejectNew(s, "UNKNOWN_SYMBOL", fmt.Sprintf("symbol %s is not traded", s.Symbol), now))
		return
	}
	if err := s.Validate(ctx.Instrument, now); err != nil {
		var fe *order.FieldError
		code := "INVALID_ORDER"
		if errors.As(err, &fe) {
			code = fe.Code
		}
		emit(a.RejectNew(s, code, err.Error(), now))
		return
	}
	ref, d := a.Check(s, ctx)
	if d != nil {
		emit(a.Deny(s, d, now))
		return
	}
	if code, text := e.venue.PreCheck(s, ctx.Market); code != "" {
		emit(a.RejectNew(s, code, text, now))
		return
	}
	emit(a.Accept(s, ref, now))
	o, _ := a.Order(s.ID)
	if s.Type.NeedsStop() {
		if venue.Triggered(o, ctx.Market) {
			e.trigger(a, o, ctx.Market, now, emit)
		}
		return
	}
	e.take(a, o, ctx.Market, now, emit)
}

// take fills an order as taker and ends what may not rest.
func (e *Engine) take(a *account.Account, o *order.Order, m *events.PriceTick, now time.Time, emit func(events.ExecutionReport)) {
	if o.PostOnly {
		return
	}
	for _, f := range e.venue.Take(o, m) {
		r, err := a.Fill(o.ID, f.Qty, f.Price, f.Liquidity, now)
		mustNot(err)
		emit(r)
	}
	if _, open := a.Order(o.ID); !open {
		return
	}
	var reason string
	switch {
	case o.Type == order.Market || o.Type == order.StopMarket:
		reason = "MARKET_REMAINDER"
	case o.TimeInForce == order.IOC:
		reason = "IOC_REMAINDER"
	case o.TimeInForce == order.FOK:
		reason = "FOK_NOT_FILLED"
	default:
		return
	}
	r, err := a.Expire(o.ID, reason, now)
	mustNot(err)
	emit(r)
}

func (e *Engine) trigger(a *account.Account, o *order.Order, m *events.PriceTick, now time.Time, emit func(events.ExecutionReport)) {
	r, err := a.Trigger(o.ID, now)
	mustNot(err)
	emit(r)
	e.take(a, o, m, now, emit)
}

// OnMarket runs after the book of sym changed: it triggers stops, fills resting limit orders that the
// market crossed and expires GTD orders whose time has come. Accounts and orders are visited in a fixed
// order so that a run is reproducible.
func (e *Engine) OnMarket(sym instrument.Symbol, now time.Time) []events.ExecutionReport {
	m := e.cfg.Market.Book(sym)
	var out []events.ExecutionReport
	emit := func(r events.ExecutionReport) { out = append(out, r) }
	for _, id := range e.Accounts() {
		a := e.accounts[id]
		for _, o := range a.OpenOrders() {
			if o.Symbol != sym {
				continue
			}
			e.sweep(a, o, m, now, emit)
		}
	}
	return out
}

// OnTimer expires GTD orders across all symbols.
func (e *Engine) OnTimer(now time.Time) []events.ExecutionReport {
	var out []events.ExecutionReport
	for _, id := range e.Accounts() {
		a := e.accounts[id]
		for _, o := range a.OpenOrders() {
			if o.TimeInForce == order.GTD && !now.Before(o.ExpireTime) {
				r, err := a.Expire(o.ID, "GTD_EXPIRED", now)
				mustNot(err)
				out = append(out, r)
			}
		}
	}
	return out
}

func (e *Engine) sweep(a *account.Account, o *order.Order, m *events.PriceTick, now time.Time, emit func(events.ExecutionReport)) {
	if o.TimeInForce == order.GTD && !now.Before(o.ExpireTime) {
		r, err := a.Expire(o.ID, "GTD_EXPIRED", now)
		mustNot(err)
		emit(r)
		return
	}
	if o.Type.NeedsStop() && !o.Triggered {
		if venue.Triggered(o, m) {
			e.trigger(a, o, m, now, emit)
		}
		return
	}
	fills := e.venue.Rest(o, m)
	for _, f := range fills {
		r, err := a.Fill(o.ID, f.Qty, f.Price, f.Liquidity, now)
		mustNot(err)
		emit(r)
	}
}
