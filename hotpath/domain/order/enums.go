package order

import "fmt"

// Side is BUY or SELL.
type Side uint8

// Sides.
const (
	Buy Side = iota + 1
	Sell
)

// Type is the order type.
type Type uint8

// Order types.
const (
	Market Type = iota + 1
	Limit
	StopMarket
	StopLimit
)

// TimeInForce says how long an order may rest.
type TimeInForce uint8

// Times in force.
const (
	GTC TimeInForce = iota + 1 // good till canceled
	IOC                        // immediate or cancel: fill what is possible now, cancel the rest
	FOK                        // fill or kill: fill entirely now or not at all
	GTD                        // good till date: expires at ExpireTime
)

// Status is the order's lifecycle state; one vocabulary everywhere (DESIGN.md §3a).
type Status uint8

// Statuses.
const (
	PendingNew Status = iota + 1
	New
	PartiallyFilled
	Filled
	PendingCancel
	Canceled
	Rejected // by the venue
	Denied   // by our pre-trade risk
	Expired
)

// ExecType says what an execution report reports; it is separate from the status.
type ExecType uint8

// Execution types.
const (
	ExecNew ExecType = iota + 1
	ExecTrade
	ExecCanceled
	ExecReplaced
	ExecRejected
	ExecExpired
	ExecTriggered
	ExecCancelRejected
	ExecReplaceRejected
)

var (
	sideNames   = [...]string{"", "BUY", "SELL"}
	typeNames   = [...]string{"", "MARKET", "LIMIT", "STOP_MARKET", "STOP_LIMIT"}
	tifNames    = [...]string{"", "GTC", "IOC", "FOK", "GTD"}
	statusNames = [...]string{"", "PENDING_NEW", "NEW", "PARTIALLY_FILLED", "FILLED", "PENDING_CANCEL", "CANCELED", "REJECTED", "DENIED", "EXPIRED"}
	execNames   = [...]string{"", "NEW", "TRADE", "CANCELED", "REPLACED", "REJECTED", "EXPIRED", "TRIGGERED", "CANCEL_REJECTED", "REPLACE_REJECTED"}
)

func name(names []string, i int) string {
	if i <= 0 || i >= len(names) {
		return fmt.Sprintf("UNKNOWN(%d)", i)
	}
	return names[i]
}

func parse[T ~uint8](names []string, kind, s string) (T, error) {
	for i := 1; i < len(names); i++ {
		if names[i] == s {
			return T(i), nil
		}
	}
	return 0, fmt.Errorf("unknown %s %q", kind, s)
}

func (s Side) String() string        { return name(sideNames[:], int(s)) }
func (t Type) String() string        { return name(typeNames[:], int(t)) }
func (t TimeInForce) String() string { return name(tifNames[:], int(t)) }
func (s Status) String() string      { return name(statusNames[:], int(s)) }
func (e ExecType) String() string    { return name(execNames[:], int(e)) }

// ParseSide parses "BUY" or "SELL".
func ParseSide(s string) (Side, error) { return parse[Side](sideNames[:], "side", s) }

// ParseType parses an order type name.
func ParseType(s string) (Type, error) { return parse[Type](typeNames[:], "order type", s) }

// ParseTimeInForce parses a time-in-force name.
func ParseTimeInForce(s string) (TimeInForce, error) {
	return parse[TimeInForce](tifNames[:], "time in force", s)
}

// ParseStatus parses a status name.
func ParseStatus(s string) (Status, error) { return parse[Status](statusNames[:], "status", s) }

// ParseExecType parses an execution type name.
func ParseExecType(s string) (ExecType, error) { return parse[ExecType](execNames[:], "exec type", s) }

// Statuses lists every status in lifecycle order.
func Statuses() []Status {
	return []Status{PendingNew, New, PartiallyFilled, Filled, PendingCancel, Canceled, Rejected, Denied, Expired}
}

// Terminal reports whether no further change can happen to an order in this status.
func (s Status) Terminal() bool {
	switch s {
	case Filled, Canceled, Rejected, Denied, Expired:
		return true
	case PendingNew, New, PartiallyFilled, PendingCancel:
		return false
	}
	return false
}

// Open reports whether the order can still trade.
func (s Status) Open() bool { return !s.Terminal() }

// NeedsPrice reports whether the type carries a limit price.
func (t Type) NeedsPrice() bool { return t == Limit || t == StopLimit }

// NeedsStop reports whether the type carries a stop (trigger) price.
func (t Type) NeedsStop() bool { return t == StopMarket || t == StopLimit }

// Opposite returns the other side.
func (s Side) Opposite() Side {
	if s == Buy {
		return Sell
	}
	return Buy
}
