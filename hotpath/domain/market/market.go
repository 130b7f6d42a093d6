// Package market folds a symbol's price ticks into what market-data clients read: OHLCV candles per
// interval, trade prints and the rolling 24-hour ticker. The WebSocket hub and the market-ingest
// Lambda both fold with Series, so a candle or a 24h figure is the same number wherever it is read.
//
// A tick carries the feed's cumulative traded volume, not the size of one trade: a tick printed a
// trade exactly when the cumulative volume grew, by the amount it grew. Taking differences of a
// cumulative counter makes folding robust to lost ticks (the next tick's difference carries their
// volume) and never double-counts as long as each tick is folded at most once, which Mark ensures.
package market

import (
	"errors"
	"fmt"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Interval is a candle width.
type Interval uint8

// Intervals, narrowest first.
const (
	OneMinute Interval = iota + 1
	FiveMinutes
	FifteenMinutes
	OneHour
	FourHours
	OneDay
)

var intervalNames = [...]string{"", "1m", "5m", "15m", "1h", "4h", "1d"}

var intervalDurations = [...]time.Duration{0, time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 4 * time.Hour, 24 * time.Hour}

// ErrBadInterval is returned for an interval name that is not served.
var ErrBadInterval = errors.New("interval must be one of 1m, 5m, 15m, 1h, 4h, 1d")

var allIntervals = [...]Interval{OneMinute, FiveMinutes, FifteenMinutes, OneHour, FourHours, OneDay}

// Intervals returns every interval, narrowest first.
func Intervals() []Interval { return append([]Interval(nil), allIntervals[:]...) }

// ParseInterval parses "1m", "5m", "15m", "1h", "4h" or "1d" (exactly; names are case-sensitive
// because "1M" means a month elsewhere).
func ParseInterval(s string) (Interval, error) {
	for i := OneMinute; i <= OneDay; i++ {
		if intervalNames[i] == s {
			return i, nil
		}
	}
	return 0, fmt.Errorf("parse interval %q: %w", truncate(s), ErrBadInterval)
}

func truncate(s string) string {
	if len(s) > 16 {
		return s[:16] + "…"
	}
	return s
}

// Valid reports whether i is one of the intervals.
func (i Interval) Valid() bool { return i >= OneMinute && i <= OneDay }

func (i Interval) String() string {
	if i.Valid() {
		return intervalNames[i]
	}
	return "UNKNOWN"
}

// Duration returns the interval's width (0 for an invalid interval).
func (i Interval) Duration() time.Duration {
	if i.Valid() {
		return intervalDurations[i]
	}
	return 0
}

// OpenTime returns the open time of the candle that t falls in. Candles are aligned to UTC: every
// width divides a day, and Truncate counts from a UTC midnight.
func (i Interval) OpenTime(t time.Time) time.Time { return t.Truncate(i.Duration()).UTC() }

// Mark is a tick's place in its symbol's stream. Ticks are ordered by time and, at equal times, by
// sequence number: Seq alone orders the ticks of one run of a feed, but a restarted feed numbers from
// 1 again, and its ticks must still count as newer than the last run's.
type Mark struct {
	Time time.Time
	Seq  uint64
}

// MarkOf returns the mark of t.
func MarkOf(t events.PriceTick) Mark { return Mark{Time: t.Time, Seq: t.Seq} }

// IsZero reports whether m is the zero mark (nothing folded).
func (m Mark) IsZero() bool { return m.Seq == 0 && m.Time.IsZero() }

// Before reports whether m comes before o.
func (m Mark) Before(o Mark) bool {
	if !m.Time.Equal(o.Time) {
		return m.Time.Before(o.Time)
	}
	return m.Seq < o.Seq
}

// ErrBadTick is returned by CheckTick.
var ErrBadTick = errors.New("tick cannot be folded")

// CheckTick reports a tick that decodes but cannot be placed or priced: no sequence number or time,
// negative volume or prices, or book levels that are not positive prices with non-negative sizes.
func CheckTick(t events.PriceTick) error {
	switch {
	case t.Seq == 0:
		return fmt.Errorf("%w: seq missing", ErrBadTick)
	case t.Time.IsZero():
		return fmt.Errorf("%w: time missing", ErrBadTick)
	case t.Volume.IsNegative() || t.Last.IsNegative() || t.LastSize.IsNegative():
		return fmt.Errorf("%w: negative last, lastSize or volume", ErrBadTick)
	}
	for _, side := range [][]events.Level{t.Bids, t.Asks} {
		for _, l := range side {
			if !l.Price.IsPositive() || l.Size.IsNegative() {
				return fmt.Errorf("%w: level %s@%s", ErrBadTick, l.Size, l.Price)
			}
		}
	}
	return nil
}

// Mid returns the middle of the touch to 8 places, or zero when either side is empty.
func Mid(bid, ask money.Decimal) money.Decimal {
	if bid.IsZero() || ask.IsZero() {
		return money.Zero
	}
	m, _ := bid.Add(ask).Div(money.FromInt(2), 8) // the divisor is 2: never zero
	return m
}

// Aggressor says which side took liquidity in a print at price: SELL at or below the bid, BUY at or
// above the ask, and 0 (unknown) inside the spread or without a two-sided book.
func Aggressor(price, bid, ask money.Decimal) order.Side {
	switch {
	case bid.IsZero() || ask.IsZero():
		return 0
	case price.Cmp(bid) <= 0:
		return order.Sell
	case price.Cmp(ask) >= 0:
		return order.Buy
	}
	return 0
}

// MarkPrice is the price positions are marked at: the last trade, else the mid of the touch. It
// reports false when the market shows neither.
func MarkPrice(last, bid, ask money.Decimal) (money.Decimal, bool) {
	if last.IsPositive() {
		return last, true
	}
	if m := Mid(bid, ask); m.IsPositive() {
		return m, true
	}
	return money.Zero, false
}

// UnrealizedPnL is what closing qty (signed: negative is short) entered at avgEntry would realize at
// mark, in quote units, to 8 places.
func UnrealizedPnL(qty, avgEntry, mark money.Decimal) money.Decimal {
	return mark.Sub(avgEntry).Mul(qty).Round(8)
}
