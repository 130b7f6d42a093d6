// Package account is the per-account aggregate the processor's actors own: balances with reservations,
// open orders, positions with realized P&L, and pre-trade risk. Every change is made by applying an
// execution report, so the state rebuilt by replaying the `executions` log equals the state of an
// uninterrupted run by construction.
package account

import (
	"fmt"
	"sort"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Limits are an account's pre-trade risk limits.
type Limits struct {
	MaxOrderQty      map[instrument.Symbol]money.Decimal // per order, base units
	MaxOrderNotional money.Decimal                       // per order, quote units
	MaxPosition      map[instrument.Symbol]money.Decimal // absolute position, base units
	PriceCollarPct   money.Decimal                       // band around the touch, in percent
	MaxOpenOrders    int
	MaxOrdersPerSec  int
}

// DefaultFees are the venue's fee rates, 10 bps maker and 20 bps taker: the processor charges them and
// every fold of an account's reports (stream hub, tests) reserves with them.
func DefaultFees() Fees {
	return Fees{Maker: money.MustParse("0.001"), Taker: money.MustParse("0.002")}
}

// DefaultLimits are generous enough for the demo account and tight enough to catch a fat finger.
func DefaultLimits() Limits {
	d := money.MustParse
	return Limits{
		MaxOrderQty:      map[instrument.Symbol]money.Decimal{"BTC-USD": d("50"), "ETH-USD": d("500"), "SOL-USD": d("20000")},
		MaxOrderNotional: d("1000000"),
		MaxPosition:      map[instrument.Symbol]money.Decimal{"BTC-USD": d("100"), "ETH-USD": d("1000"), "SOL-USD": d("50000")},
		PriceCollarPct:   d("10"),
		MaxOpenOrders:    1000,
		MaxOrdersPerSec:  0, // 0: unlimited; set per account by operators
	}
}

// Fees are the venue's fee rates as fractions of notional (0.001 = 10 bps), charged in the quote asset.
type Fees struct {
	Maker money.Decimal
	Taker money.Decimal
}

// Context is what a decision needs besides the account's own state.
type Context struct {
	Instrument instrument.Instrument
	Limits     Limits
	State      events.TradingState // effective state: the most restrictive of global, account, symbol
	Market     *events.PriceTick   // nil when no market data has arrived
	Now        time.Time
}

// Balance of one asset.
type Balance struct {
	Total    money.Decimal
	Reserved money.Decimal
}

// Available is what new orders may use.
func (b Balance) Available() money.Decimal { return b.Total.Sub(b.Reserved) }

// Position in one symbol, relative to the account's starting holdings.
type Position struct {
	Qty      money.Decimal // signed base quantity
	AvgEntry money.Decimal
	Realized money.Decimal // quote units, before fees
}

// Denial is a pre-trade risk refusal: a machine code and a text with the numbers that tripped it.
type Denial struct {
	Code string
	Text string
}

func (d *Denial) Error() string { return d.Code + ": " + d.Text }

// Account is one account's state. It is not safe for concurrent use: one actor owns it.
type Account struct {
	id        order.AccountID
	fees      Fees
	balances  map[string]*Balance
	open      map[order.ID]*order.Order
	resPrice  map[order.ID]money.Decimal // price used to reserve quote for open buys
	clientIDs map[string]order.ID
	terminal  map[order.ID]order.Status
	positions map[instrument.Symbol]*Position
	recent    []time.Time // admission times within the last second, for the rate limit
}

// New returns an account funded with initial balances.
func New(id order.AccountID, initial map[string]money.Decimal, fees Fees) *Account {
	a := &Account{
		id: id, fees: fees,
		balances:  map[string]*Balance{},
		open:      map[order.ID]*order.Order{},
		resPrice:  map[order.ID]money.Decimal{},
		clientIDs: map[string]order.ID{},
		terminal:  map[order.ID]order.Status{},
		positions: map[instrument.Symbol]*Position{},
	}
	for asset, amt := range initial {
		a.balances[asset] = &Balance{Total: amt}
	}
	return a
}

// ID returns the account id.
func (a *Account) ID() order.AccountID { return a.id }

// Balance returns the balance of an asset.
func (a *Account) Balance(asset string) Balance {
	if b := a.balances[asset]; b != nil {
		return *b
	}
	return Balance{}
}

// Balances returns every balance, keyed by asset.
func (a *Account) Balances() map[string]Balance {
	out := make(map[string]Balance, len(a.balances))
	for k, v := range a.balances {
		out[k] = *v
	}
	return out
}

// Position returns the position in a symbol.
func (a *Account) Position(s instrument.Symbol) Position {
	if p := a.positions[s]; p != nil {
		return *p
	}
	return Position{}
}

// Order returns an open order.
func (a *Account) Order(id order.ID) (*order.Order, bool) {
	o, ok := a.open[id]
	return o, ok
}

// OpenOrders returns the open orders sorted by creation then id, so iteration is deterministic.
func (a *Account) OpenOrders() []*order.Order {
	out := make([]*order.Order, 0, len(a.open))
	for _, o := range a.open {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Known reports whether a client order id was ever used by this account.
func (a *Account) Known(clientOrderID string) bool {
	_, ok := a.clientIDs[clientOrderID]
	return ok
}

// Status returns the last known status of any order of this account (open or terminal).
func (a *Account) Status(id order.ID) (order.Status, bool) {
	if o, ok := a.open[id]; ok {
		return o.Status, true
	}
	s, ok := a.terminal[id]
	return s, ok
}

func (a *Account) bal(asset string) *Balance {
	b := a.balances[asset]
	if b == nil {
		b = &Balance{}
		a.balances[asset] = b
	}
	return b
}

// reservation is what an open order holds back: quote for buys (with the taker fee), base for sells.
func (a *Account) reservation(o *order.Order) (asset string, amt money.Decimal) {
	leaves := o.LeavesQty()
	if o.Side == order.Sell {
		return o.Symbol.Base(), leaves
	}
	px := a.resPrice[o.ID]
	gross := leaves.Mul(px)
	return o.Symbol.Quote(), gross.Add(gross.Mul(a.fees.Taker))
}

func (a *Account) release(o *order.Order) {
	asset, amt := a.reservation(o)
	b := a.bal(asset)
	b.Reserved = b.Reserved.Sub(amt)
}

func (a *Account) hold(o *order.Order) {
	asset, amt := a.reservation(o)
	b := a.bal(asset)
	b.Reserved = b.Reserved.Add(amt)
}

// Fee returns the fee for a fill of qty at price with the given liquidity (MAKER or TAKER).
func (a *Account) Fee(qty, price money.Decimal, liquidity string) money.Decimal {
	rate := a.fees.Taker
	if liquidity == "MAKER" {
		rate = a.fees.Maker
	}
	return qty.Mul(price).Mul(rate).Round(8)
}

// String describes the account for logs and test failures.
func (a *Account) String() string {
	return fmt.Sprintf("account %s: %d open orders, %d balances", a.id, len(a.open), len(a.balances))
}
