// Package events holds the wire contracts between services: the commands on `orders`, the execution
// reports on `executions`, the ticks on `prices` and the commands on `control`, with their JSON codecs.
// The codecs are hand-written so that the domain carries no struct tags and the hot path does no
// reflection; decimals travel as strings, enums as UPPER_SNAKE names, times as RFC 3339 with nanoseconds.
package events

import (
	"fmt"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Topic names.
const (
	TopicOrders     = "orders"
	TopicExecutions = "executions"
	TopicPrices     = "prices"
	TopicControl    = "control"
	TopicDLQ        = "dlq"
)

// CommandKind says what an OrderCommand asks for.
type CommandKind uint8

// Command kinds.
const (
	CmdNew CommandKind = iota + 1
	CmdCancel
	CmdCancelAll
	CmdReplace
)

var cmdNames = [...]string{"", "NEW", "CANCEL", "CANCEL_ALL", "REPLACE"}

func (k CommandKind) String() string {
	if int(k) < len(cmdNames) && k > 0 {
		return cmdNames[k]
	}
	return "UNKNOWN"
}

// OrderCommand is what the gateway produces to `orders`, keyed by account.
type OrderCommand struct {
	Kind       CommandKind
	CommandID  string // unique per request; the idempotency key for NEW
	Account    order.AccountID
	OrderID    order.ID          // NEW: the new order's id; CANCEL/REPLACE: the target
	Spec       order.Spec        // NEW only
	Symbol     instrument.Symbol // CANCEL_ALL filter (empty: all symbols)
	NewQty     money.Decimal     // REPLACE: new total quantity (zero: unchanged)
	NewPrice   money.Decimal     // REPLACE: new limit price (zero: unchanged)
	ReceivedAt time.Time         // when the gateway received the request
}

// ExecutionReport is one change to one order, produced to `executions` keyed by account. Seq is the
// order's own sequence number: consumers drop any report whose Seq is not above what they have.
type ExecutionReport struct {
	ExecID         string // OrderID + ":" + Seq: unique and stable across replays
	OrderID        order.ID
	ClientOrderID  string
	Account        order.AccountID
	Symbol         instrument.Symbol
	Side           order.Side
	Type           order.Type
	TimeInForce    order.TimeInForce
	ExecType       order.ExecType
	Status         order.Status
	Quantity       money.Decimal
	Price          money.Decimal
	StopPrice      money.Decimal
	ExpireTime     time.Time
	PostOnly       bool
	ReduceOnly     bool
	LastQty        money.Decimal
	LastPrice      money.Decimal
	CumQty         money.Decimal
	AvgPrice       money.Decimal
	LeavesQty      money.Decimal
	Fee            money.Decimal // fee of this execution, in FeeAsset
	FeeAsset       string
	Liquidity      string // MAKER or TAKER on trades
	ReferencePrice money.Decimal
	Seq            uint64
	Reason         string // machine code for rejections, denials, cancels
	Text           string // human explanation, with the numbers that tripped a check
	CreatedAt      time.Time
	TransactTime   time.Time
	ReceivedAt     time.Time // the gateway's receive time of the command that caused it (latency tracing)
}

// Level is one price level of a book.
type Level struct {
	Price money.Decimal
	Size  money.Decimal
}

// PriceTick is a market data update for one symbol on `prices`, keyed by symbol.
type PriceTick struct {
	Symbol   instrument.Symbol
	Seq      uint64
	Bids     []Level // best first
	Asks     []Level // best first
	Last     money.Decimal
	LastSize money.Decimal
	Volume   money.Decimal // cumulative traded volume of the feed
	Time     time.Time
}

// BestBid returns the best bid, or zero.
func (t PriceTick) BestBid() money.Decimal {
	if len(t.Bids) == 0 {
		return money.Zero
	}
	return t.Bids[0].Price
}

// BestAsk returns the best ask, or zero.
func (t PriceTick) BestAsk() money.Decimal {
	if len(t.Asks) == 0 {
		return money.Zero
	}
	return t.Asks[0].Price
}

// TradingState is ACTIVE, HALTED or REDUCING (only orders that reduce a position).
type TradingState uint8

// Trading states.
const (
	Active TradingState = iota + 1
	Halted
	Reducing
)

var stateNames = [...]string{"", "ACTIVE", "HALTED", "REDUCING"}

func (s TradingState) String() string {
	if int(s) < len(stateNames) && s > 0 {
		return stateNames[s]
	}
	return "UNKNOWN"
}

// Scope says what a control command applies to.
type Scope uint8

// Scopes.
const (
	ScopeGlobal Scope = iota + 1
	ScopeAccount
	ScopeSymbol
)

var scopeNames = [...]string{"", "GLOBAL", "ACCOUNT", "SYMBOL"}

func (s Scope) String() string {
	if int(s) < len(scopeNames) && s > 0 {
		return scopeNames[s]
	}
	return "UNKNOWN"
}

// ControlKind says what a Control command sets. The zero value is a trading-state command, so records
// written before kinds existed keep their meaning.
type ControlKind uint8

// Control kinds.
const (
	ControlTradingState ControlKind = iota // set the trading state of a scope
	ControlLimits                          // replace an account's risk limits
)

var controlKindNames = [...]string{"TRADING_STATE", "LIMITS"}

func (k ControlKind) String() string {
	if int(k) < len(controlKindNames) {
		return controlKindNames[k]
	}
	return "UNKNOWN"
}

// ParseControlKind parses TRADING_STATE or LIMITS.
func ParseControlKind(s string) (ControlKind, error) {
	for i, n := range controlKindNames {
		if n == s {
			return ControlKind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown control kind %q", s)
}

// RiskLimits is the limit set a LIMITS command carries. Its fields mirror account.Limits one for one
// (the account package depends on this one, so the contract type lives here and converts directly).
type RiskLimits struct {
	MaxOrderQty      map[instrument.Symbol]money.Decimal
	MaxOrderNotional money.Decimal
	MaxPosition      map[instrument.Symbol]money.Decimal
	PriceCollarPct   money.Decimal
	MaxOpenOrders    int
	MaxOrdersPerSec  int
}

// Control is an operator command on `control`: set the trading state of a scope, or (Kind LIMITS,
// Scope ACCOUNT) replace the risk limits of the account named by Target.
type Control struct {
	Kind   ControlKind
	ID     string
	Scope  Scope
	Target string // account id or symbol; empty for GLOBAL
	State  TradingState
	Limits RiskLimits // LIMITS only
	Reason string
	By     string
	At     time.Time
}

// Key is the record key a control command is produced with: one key per thing it sets, so that a
// compacted `control` topic keeps the latest command for each.
func (c Control) Key() string {
	return c.Kind.String() + "/" + c.Scope.String() + "/" + c.Target
}
