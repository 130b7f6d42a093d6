package processor_test

import (
	"sync"
	"testing"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/processor"
)

func limitsCmd(acct, notional string) events.Control {
	l := account.DefaultLimits()
	l.MaxOrderNotional = money.MustParse(notional)
	return events.Control{Kind: events.ControlLimits, Scope: events.ScopeAccount, Target: acct, Limits: events.RiskLimits(l)}
}

func TestPolicyLimitsOverrides(t *testing.T) {
	p := processor.NewStaticPolicy(account.DefaultLimits())
	def := account.DefaultLimits().MaxOrderNotional
	p.Apply(limitsCmd("acct-1", "100"))
	if got := p.Limits("acct-1").MaxOrderNotional; !got.Equal(money.MustParse("100")) {
		t.Errorf("acct-1 notional = %s, want 100", got)
	}
	if got := p.Limits("acct-2").MaxOrderNotional; !got.Equal(def) {
		t.Errorf("acct-2 notional = %s, want the default %s", got, def)
	}
	p.Apply(limitsCmd("acct-1", "250"))
	if got := p.Limits("acct-1").MaxOrderNotional; !got.Equal(money.MustParse("250")) {
		t.Errorf("a later LIMITS did not replace the earlier one: %s", got)
	}
	// A trading-state command leaves limits alone.
	p.Apply(events.Control{Scope: events.ScopeAccount, Target: "acct-1", State: events.Halted})
	if got := p.Limits("acct-1").MaxOrderNotional; !got.Equal(money.MustParse("250")) {
		t.Errorf("trading-state command changed limits: %s", got)
	}
}

func TestPolicyStatePrecedence(t *testing.T) {
	tests := []struct {
		name string
		cmds []events.Control
		acct string
		sym  instrument.Symbol
		want events.TradingState
	}{
		{"nothing set", nil, "a", "BTC-USD", events.Active},
		{"global halt", []events.Control{{Scope: events.ScopeGlobal, State: events.Halted}}, "a", "BTC-USD", events.Halted},
		{"halt then resume", []events.Control{{Scope: events.ScopeGlobal, State: events.Halted}, {Scope: events.ScopeGlobal, State: events.Active}}, "a", "BTC-USD", events.Active},
		{"account reducing", []events.Control{{Scope: events.ScopeAccount, Target: "a", State: events.Reducing}}, "a", "BTC-USD", events.Reducing},
		{"other account unaffected", []events.Control{{Scope: events.ScopeAccount, Target: "b", State: events.Halted}}, "a", "BTC-USD", events.Active},
		{"symbol halt beats account reducing", []events.Control{{Scope: events.ScopeAccount, Target: "a", State: events.Reducing}, {Scope: events.ScopeSymbol, Target: "BTC-USD", State: events.Halted}}, "a", "BTC-USD", events.Halted},
		{"global halt beats nothing below", []events.Control{{Scope: events.ScopeGlobal, State: events.Halted}, {Scope: events.ScopeAccount, Target: "a", State: events.Active}}, "a", "BTC-USD", events.Halted},
		{"limits command is not a state", []events.Control{limitsCmd("a", "1")}, "a", "BTC-USD", events.Active},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := processor.NewStaticPolicy(account.DefaultLimits())
			for _, c := range tc.cmds {
				p.Apply(c)
			}
			if got := p.State(order.AccountID(tc.acct), tc.sym); got != tc.want {
				t.Errorf("state = %s, want %s", got, tc.want)
			}
		})
	}
}

// TestPolicyConcurrent runs readers against a writer under -race: snapshots are never mutated.
func TestPolicyConcurrent(t *testing.T) {
	p := processor.NewStaticPolicy(account.DefaultLimits())
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				l := p.Limits("acct-1")
				_ = l.MaxOrderQty["BTC-USD"]
				_ = p.State("acct-1", "BTC-USD")
			}
		}()
	}
	for i := range 500 {
		p.Apply(limitsCmd("acct-1", "100"))
		p.Apply(events.Control{Scope: events.ScopeSymbol, Target: "BTC-USD", State: events.TradingState(1 + i%3)})
	}
	close(stop)
	wg.Wait()
}

// BenchmarkPolicyRead is what every order costs the engines: its limits and its effective state, read
// from all partition workers at once.
func BenchmarkPolicyRead(b *testing.B) {
	p := processor.NewStaticPolicy(account.DefaultLimits())
	p.Apply(events.Control{Scope: events.ScopeSymbol, Target: "SOL-USD", State: events.Halted})
	p.Apply(limitsCmd("acct-2", "100"))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = p.Limits("acct-1")
			_ = p.State("acct-1", "BTC-USD")
		}
	})
}
