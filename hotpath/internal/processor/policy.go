package processor

import (
	"maps"
	"sync"
	"sync/atomic"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// StaticPolicy gives every account the configured default limits unless a LIMITS command on `control`
// replaced that account's limits, and applies trading-state commands. Engines read it on every order
// from every partition worker; commands are rare. So readers load an immutable snapshot through an
// atomic pointer and never lock, and each command publishes a new snapshot.
type StaticPolicy struct {
	snap atomic.Pointer[policySnapshot]
	mu   sync.Mutex // serializes Apply (writers); readers do not take it
}

// policySnapshot is never modified once published.
type policySnapshot struct {
	defaults account.Limits
	limits   map[order.AccountID]account.Limits // per-account replacements of defaults
	global   events.TradingState
	account  map[order.AccountID]events.TradingState
	symbol   map[instrument.Symbol]events.TradingState
}

// NewStaticPolicy returns a policy with default limits for every account, all trading ACTIVE.
func NewStaticPolicy(l account.Limits) *StaticPolicy {
	p := &StaticPolicy{}
	p.snap.Store(&policySnapshot{
		defaults: l, limits: map[order.AccountID]account.Limits{}, global: events.Active,
		account: map[order.AccountID]events.TradingState{}, symbol: map[instrument.Symbol]events.TradingState{},
	})
	return p
}

// Limits implements Policy: the account's limits from its latest LIMITS command, else the defaults.
func (p *StaticPolicy) Limits(a order.AccountID) account.Limits {
	s := p.snap.Load()
	if l, ok := s.limits[a]; ok {
		return l
	}
	return s.defaults
}

// State implements Policy: the most restrictive of global, account and symbol (HALTED > REDUCING > ACTIVE).
func (p *StaticPolicy) State(a order.AccountID, sym instrument.Symbol) events.TradingState {
	s := p.snap.Load()
	st := s.global
	for _, x := range [2]events.TradingState{s.account[a], s.symbol[sym]} {
		if x == events.Halted || (x == events.Reducing && st != events.Halted) {
			st = x
		}
	}
	return st
}

// Apply applies a control command: a trading state, or (LIMITS) the account's complete limit set,
// which replaces the defaults for that account. Callers validate LIMITS before applying them.
func (p *StaticPolicy) Apply(c events.Control) {
	p.mu.Lock()
	defer p.mu.Unlock()
	old := p.snap.Load()
	next := *old
	switch c.Kind {
	case events.ControlLimits:
		next.limits = maps.Clone(old.limits)
		next.limits[order.AccountID(c.Target)] = account.Limits(c.Limits)
	case events.ControlTradingState:
		switch c.Scope {
		case events.ScopeGlobal:
			next.global = c.State
		case events.ScopeAccount:
			next.account = maps.Clone(old.account)
			next.account[order.AccountID(c.Target)] = c.State
		case events.ScopeSymbol:
			next.symbol = maps.Clone(old.symbol)
			next.symbol[instrument.Symbol(c.Target)] = c.State
		}
	}
	p.snap.Store(&next)
}
