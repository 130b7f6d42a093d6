package processor

import (
	"sync"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// StaticPolicy gives every account the same limits and applies `control` commands to trading states.
// Engines read it on every order; control commands are rare.
type StaticPolicy struct {
	limits account.Limits

	mu      sync.RWMutex // guards the three maps below
	global  events.TradingState
	account map[order.AccountID]events.TradingState
	symbol  map[instrument.Symbol]events.TradingState
}

// NewStaticPolicy returns a policy with default limits for every account, all trading ACTIVE.
func NewStaticPolicy(l account.Limits) *StaticPolicy {
	return &StaticPolicy{limits: l, global: events.Active, account: map[order.AccountID]events.TradingState{}, symbol: map[instrument.Symbol]events.TradingState{}}
}

// Limits implements Policy.
func (p *StaticPolicy) Limits(order.AccountID) account.Limits { return p.limits }

// State implements Policy: the most restrictive of global, account and symbol (HALTED > REDUCING > ACTIVE).
func (p *StaticPolicy) State(a order.AccountID, s instrument.Symbol) events.TradingState {
	p.mu.RLock()
	defer p.mu.RUnlock()
	st := p.global
	for _, x := range []events.TradingState{p.account[a], p.symbol[s]} {
		if x == events.Halted || (x == events.Reducing && st != events.Halted) {
			st = x
		}
	}
	return st
}

// Apply applies a control command.
func (p *StaticPolicy) Apply(c events.Control) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch c.Scope {
	case events.ScopeGlobal:
		p.global = c.State
	case events.ScopeAccount:
		p.account[order.AccountID(c.Target)] = c.State
	case events.ScopeSymbol:
		p.symbol[instrument.Symbol(c.Target)] = c.State
	}
}
