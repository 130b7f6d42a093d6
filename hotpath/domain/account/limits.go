package account

import (
	"fmt"
	"sort"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
)

// Limit validation codes (public: the admin API answers them).
const (
	InvalidLimit  = "INVALID_LIMIT"
	UnknownSymbol = "UNKNOWN_SYMBOL"
)

// LimitError is one limit that cannot be used: the field by its API name ("maxOrderQty.BTC-USD"), a
// code and a message with the offending value.
type LimitError struct {
	Field string
	Code  string
	Msg   string
}

func (e *LimitError) Error() string { return e.Code + ": " + e.Field + ": " + e.Msg }

// MaxLimitCount bounds the integer limits; anything larger is a typo, not a policy.
const MaxLimitCount = 1_000_000

var hundred = money.FromInt(100)

// Validate checks that the limits can be enforced: per-order notional and every per-symbol limit
// positive, every symbol in cat, the price collar in (0, 100] percent and the counts in
// [0, MaxLimitCount] (0 means no limit). It returns the first problem, fields in a fixed order.
func (l Limits) Validate(cat *instrument.Catalog) error {
	if !l.MaxOrderNotional.IsPositive() {
		return &LimitError{"maxOrderNotional", InvalidLimit, fmt.Sprintf("must be a positive decimal, got %s", l.MaxOrderNotional)}
	}
	if !l.PriceCollarPct.IsPositive() || l.PriceCollarPct.GreaterThan(hundred) {
		return &LimitError{"priceCollarPct", InvalidLimit, fmt.Sprintf("must be above 0 and at most 100 (percent), got %s", l.PriceCollarPct)}
	}
	for _, c := range []struct {
		field string
		v     int
	}{{"maxOpenOrders", l.MaxOpenOrders}, {"maxOrdersPerSec", l.MaxOrdersPerSec}} {
		if c.v < 0 || c.v > MaxLimitCount {
			return &LimitError{c.field, InvalidLimit, fmt.Sprintf("must be an integer from 0 (no limit) to %d, got %d", MaxLimitCount, c.v)}
		}
	}
	for _, m := range []struct {
		field string
		v     map[instrument.Symbol]money.Decimal
	}{{"maxOrderQty", l.MaxOrderQty}, {"maxPosition", l.MaxPosition}} {
		syms := make([]string, 0, len(m.v))
		for s := range m.v {
			syms = append(syms, string(s))
		}
		sort.Strings(syms)
		for _, s := range syms {
			field := m.field + "." + s
			if _, ok := cat.Lookup(instrument.Symbol(s)); !ok {
				return &LimitError{field, UnknownSymbol, fmt.Sprintf("%s is not a traded symbol", s)}
			}
			if v := m.v[instrument.Symbol(s)]; !v.IsPositive() {
				return &LimitError{field, InvalidLimit, fmt.Sprintf("must be a positive decimal, got %s", v)}
			}
		}
	}
	return nil
}
