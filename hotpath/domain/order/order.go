// Package order is the order aggregate: its vocabulary (side, type, time in force, status, execution
// type) and the state machine every change goes through. It is pure: no I/O, no clock (callers pass
// now), no encoding.
package order

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
)

// ID identifies an order. It is derived from the account and client order id, so a retried request
// that slips past the idempotency cache still names the same order and is refused as a duplicate.
type ID string

// AccountID identifies an account.
type AccountID string

// NewID derives the order id for an account's client order id: 32 hex characters of SHA-256.
func NewID(account AccountID, clientOrderID string) ID {
	h := sha256.New()
	h.Write([]byte(account))
	h.Write([]byte{0})
	h.Write([]byte(clientOrderID))
	var sum [32]byte
	return ID(hex.EncodeToString(h.Sum(sum[:0])[:16]))
}

// Spec is what a client asks for: an order before the system has accepted it.
type Spec struct {
	ID            ID
	ClientOrderID string
	Account       AccountID
	Symbol        instrument.Symbol
	Side          Side
	Type          Type
	TimeInForce   TimeInForce
	Quantity      money.Decimal
	Price         money.Decimal // zero unless Type.NeedsPrice
	StopPrice     money.Decimal // zero unless Type.NeedsStop
	ExpireTime    time.Time     // zero unless GTD
	PostOnly      bool
	ReduceOnly    bool
}

// FieldError is a validation failure on one field of a Spec; Code is a public error code.
type FieldError struct {
	Code  string
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Code + ": " + e.Msg }

// Validate checks the spec against its instrument and the time-in-force rules. now is used for GTD.
func (s Spec) Validate(in instrument.Instrument, now time.Time) error {
	if s.Symbol != in.Symbol {
		return &FieldError{"UNKNOWN_SYMBOL", "symbol", fmt.Sprintf("spec symbol %s does not match instrument %s", s.Symbol, in.Symbol)}
	}
	if s.ClientOrderID == "" || len(s.ClientOrderID) > 64 {
		return &FieldError{"INVALID_CLIENT_ORDER_ID", "clientOrderId", "clientOrderId must be 1 to 64 characters"}
	}
	if err := in.CheckQty("quantity", s.Quantity); err != nil {
		return ruleToField(err)
	}
	if s.Type.NeedsPrice() {
		if s.Price.IsZero() {
			return &FieldError{"PRICE_REQUIRED", "price", fmt.Sprintf("price is required for %s orders", s.Type)}
		}
		if err := in.CheckPrice("price", s.Price); err != nil {
			return ruleToField(err)
		}
		if err := in.CheckNotional(s.Price, s.Quantity); err != nil {
			return ruleToField(err)
		}
	} else if !s.Price.IsZero() {
		return &FieldError{"PRICE_NOT_ALLOWED", "price", fmt.Sprintf("price must be absent for %s orders", s.Type)}
	}
	if s.Type.NeedsStop() {
		if s.StopPrice.IsZero() {
			return &FieldError{"STOP_PRICE_REQUIRED", "stopPrice", fmt.Sprintf("stopPrice is required for %s orders", s.Type)}
		}
		if err := in.CheckPrice("stopPrice", s.StopPrice); err != nil {
			return ruleToField(err)
		}
	} else if !s.StopPrice.IsZero() {
		return &FieldError{"STOP_PRICE_NOT_ALLOWED", "stopPrice", fmt.Sprintf("stopPrice must be absent for %s orders", s.Type)}
	}
	if s.TimeInForce == GTD {
		if s.ExpireTime.IsZero() {
			return &FieldError{"EXPIRE_TIME_REQUIRED", "expireTime", "expireTime is required for GTD orders"}
		}
		if !s.ExpireTime.After(now) {
			return &FieldError{"EXPIRE_TIME_PAST", "expireTime", "expireTime must be in the future"}
		}
	} else if !s.ExpireTime.IsZero() {
		return &FieldError{"EXPIRE_TIME_NOT_ALLOWED", "expireTime", "expireTime is only allowed with timeInForce GTD"}
	}
	if s.PostOnly {
		if s.Type != Limit {
			return &FieldError{"POST_ONLY_NOT_ALLOWED", "postOnly", "postOnly applies to LIMIT orders only"}
		}
		if s.TimeInForce == IOC || s.TimeInForce == FOK {
			return &FieldError{"POST_ONLY_NOT_ALLOWED", "postOnly", "postOnly cannot be combined with IOC or FOK"}
		}
	}
	if s.Type == Market && (s.TimeInForce == GTC || s.TimeInForce == GTD) {
		return &FieldError{"INVALID_TIME_IN_FORCE", "timeInForce", "MARKET orders are IOC or FOK"}
	}
	return nil
}

func ruleToField(err error) error {
	var re *instrument.RuleError
	if errors.As(err, &re) {
		return &FieldError{re.Code, re.Field, re.Msg}
	}
	return err
}

// Order is the state of an accepted order.
type Order struct {
	Spec
	Status     Status
	Triggered  bool          // a stop order whose stop price was reached
	CumQty     money.Decimal // filled so far
	Notional   money.Decimal // sum of fill price*qty, for the average price
	Fees       money.Decimal // in the quote asset
	Seq        uint64        // per-order sequence number of the last report
	CreatedAt  time.Time
	UpdatedAt  time.Time
	LastReason string // code of the last rejection or cancel reason
}

// ErrTransition is returned when a change is not allowed in the order's current status.
var ErrTransition = errors.New("invalid order state transition")

func transitionErr(op string, s Status) error {
	return fmt.Errorf("%s in status %s: %w", op, s, ErrTransition)
}

// NewPending returns the order as the system first sees it.
func NewPending(spec Spec, now time.Time) *Order {
	return &Order{Spec: spec, Status: PendingNew, CreatedAt: now, UpdatedAt: now}
}

// LeavesQty is what remains open (zero once terminal).
func (o *Order) LeavesQty() money.Decimal {
	if o.Status.Terminal() {
		return money.Zero
	}
	return o.Quantity.Sub(o.CumQty)
}

// AvgPrice is the volume-weighted average fill price, to 8 places.
func (o *Order) AvgPrice() money.Decimal {
	if o.CumQty.IsZero() {
		return money.Zero
	}
	p, _ := o.Notional.Div(o.CumQty, 8)
	return p
}

func (o *Order) bump(now time.Time) {
	o.Seq++
	o.UpdatedAt = now
}

// Accept moves PENDING_NEW to NEW.
func (o *Order) Accept(now time.Time) error {
	if o.Status != PendingNew {
		return transitionErr("accept", o.Status)
	}
	o.Status = New
	o.bump(now)
	return nil
}

// Deny records a pre-trade risk denial (terminal).
func (o *Order) Deny(reason string, now time.Time) error {
	if o.Status != PendingNew {
		return transitionErr("deny", o.Status)
	}
	o.Status, o.LastReason = Denied, reason
	o.bump(now)
	return nil
}

// Reject records a venue rejection (terminal), possible before or after acceptance (post-only that would
// take liquidity is rejected by the venue after NEW).
func (o *Order) Reject(reason string, now time.Time) error {
	if o.Status != PendingNew && o.Status != New {
		return transitionErr("reject", o.Status)
	}
	o.Status, o.LastReason = Rejected, reason
	o.bump(now)
	return nil
}

// Trigger marks a stop order as triggered (it now behaves as MARKET or LIMIT).
func (o *Order) Trigger(now time.Time) error {
	if !o.Type.NeedsStop() || o.Triggered || !o.Status.Open() || o.Status == PendingNew {
		return transitionErr("trigger", o.Status)
	}
	o.Triggered = true
	o.bump(now)
	return nil
}

// Fill applies an execution of qty at price with fee (quote asset).
func (o *Order) Fill(qty, price, fee money.Decimal, now time.Time) error {
	if o.Status != New && o.Status != PartiallyFilled && o.Status != PendingCancel {
		return transitionErr("fill", o.Status)
	}
	if !qty.IsPositive() || !price.IsPositive() {
		return fmt.Errorf("fill: qty %s and price %s must be positive", qty, price)
	}
	if o.CumQty.Add(qty).GreaterThan(o.Quantity) {
		return fmt.Errorf("fill: %s would overfill (cum %s of %s)", qty, o.CumQty, o.Quantity)
	}
	o.CumQty = o.CumQty.Add(qty)
	o.Notional = o.Notional.Add(qty.Mul(price))
	o.Fees = o.Fees.Add(fee)
	if o.CumQty.Equal(o.Quantity) {
		o.Status = Filled
	} else if o.Status != PendingCancel {
		o.Status = PartiallyFilled
	}
	o.bump(now)
	return nil
}

// Cancel cancels the remainder (terminal).
func (o *Order) Cancel(reason string, now time.Time) error {
	if o.Status.Terminal() || o.Status == PendingNew {
		return transitionErr("cancel", o.Status)
	}
	o.Status, o.LastReason = Canceled, reason
	o.bump(now)
	return nil
}

// Expire ends a GTD (or IOC remainder) order (terminal).
func (o *Order) Expire(now time.Time) error {
	if o.Status.Terminal() || o.Status == PendingNew {
		return transitionErr("expire", o.Status)
	}
	o.Status, o.LastReason = Expired, "EXPIRED"
	o.bump(now)
	return nil
}

// Replace amends quantity and/or price with cancel-replace semantics: the order keeps its id and fills,
// the new quantity is the new total (it must exceed what is already filled), and the order loses its
// place in the queue.
func (o *Order) Replace(newQty, newPrice money.Decimal, now time.Time) error {
	if o.Status != New && o.Status != PartiallyFilled {
		return transitionErr("replace", o.Status)
	}
	if !newQty.IsZero() {
		if !newQty.GreaterThan(o.CumQty) {
			return fmt.Errorf("replace: new quantity %s must exceed the filled %s: %w", newQty, o.CumQty, ErrTransition)
		}
		o.Quantity = newQty
	}
	if !newPrice.IsZero() {
		if !o.Type.NeedsPrice() {
			return fmt.Errorf("replace: %s orders have no price: %w", o.Type, ErrTransition)
		}
		o.Price = newPrice
	}
	o.bump(now)
	return nil
}

// Bump records a report that changes no state (for example a rejected cancel) so that every report on
// an order carries a fresh sequence number.
func (o *Order) Bump(now time.Time) { o.bump(now) }
