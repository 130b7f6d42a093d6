package market

import (
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Candle is one OHLCV bar.
type Candle struct {
	Time                   time.Time // open time
	Open, High, Low, Close money.Decimal
	Volume                 money.Decimal // base quantity traded
	Trades                 int64         // prints folded
	Last                   Mark          // the newest tick folded into this candle
}

// CloseTime is the last instant of the candle: open time plus width, less a millisecond.
func (c Candle) CloseTime(i Interval) time.Time { return c.Time.Add(i.Duration() - time.Millisecond) }

// add folds one priced tick at m into c, unless c already holds it.
func (c *Candle) add(m Mark, price, vol money.Decimal, printed bool) bool {
	if !c.Last.IsZero() && !c.Last.Before(m) {
		return false
	}
	if c.Last.IsZero() {
		c.Open, c.High, c.Low, c.Close, c.Volume = price, price, price, price, money.Zero
	}
	c.High, c.Low, c.Close = money.Max(c.High, price), money.Min(c.Low, price), price
	c.Volume = c.Volume.Add(vol)
	if printed {
		c.Trades++
	}
	c.Last = m
	return true
}

// Trade is one print: the volume a tick added to the feed's cumulative volume, at its last price.
type Trade struct {
	Seq         uint64 // of the tick that printed it
	Price, Size money.Decimal
	Side        order.Side // aggressor; 0 when the book does not tell
	Time        time.Time
}

// Step is what folding one tick did.
type Step struct {
	Trade   *Trade     // the print, if the tick printed one
	Changed []Interval // intervals whose current candle took the tick
}

// Series folds one symbol's ticks. The zero value is an empty series; it is not safe for concurrent
// use.
//
// A tick is folded only if it comes after the newest tick folded (see Mark); older and repeated ticks
// change nothing. Each candle also remembers its newest tick, so a candle restored in a newer version
// than the series' newest tick (stored by a batch that failed before recording its progress) skips
// what it already holds instead of counting it twice.
type Series struct {
	last events.PriceTick
	has  bool
	bars [OneDay + 1]Candle // current candle per interval; zero Time: none
}

// Resume makes last the newest tick folded (restoring a series from storage).
func (s *Series) Resume(last events.PriceTick) { s.last, s.has = last, true }

// Restore hands the series its current candle of iv as stored, to continue it (restoring a series
// from storage). Of two versions of one candle, the one holding the newer tick is kept; a candle
// older than the current one is ignored.
func (s *Series) Restore(iv Interval, c Candle) {
	if !iv.Valid() || c.Time.IsZero() {
		return
	}
	cur := &s.bars[iv]
	switch {
	case cur.Time.IsZero(), c.Time.After(cur.Time), c.Time.Equal(cur.Time) && !c.Last.Before(cur.Last):
		*cur = c
	}
}

// Last returns the newest tick folded.
func (s *Series) Last() (events.PriceTick, bool) { return s.last, s.has }

// Candle returns the current candle of iv: the one the newest priced tick went into.
func (s *Series) Candle(iv Interval) (Candle, bool) {
	if !iv.Valid() || s.bars[iv].Time.IsZero() {
		return Candle{}, false
	}
	return s.bars[iv], true
}

// newer reports whether t comes after the newest tick folded.
func (s *Series) newer(t events.PriceTick) bool { return !s.has || MarkOf(s.last).Before(MarkOf(t)) }

// Apply folds t and reports whether it was new. A tick whose cumulative volume grew prints a trade at
// its last price; the candles move to that price, or to the mid of the touch when nothing printed,
// and a tick with neither leaves the candles alone. The first tick of a series has nothing to compare
// its volume with and prints nothing; neither does a tick whose volume fell (a restarted feed).
func (s *Series) Apply(t events.PriceTick) (Step, bool) {
	if !s.newer(t) {
		return Step{}, false
	}
	traded := money.Zero
	if s.has && t.Volume.GreaterThan(s.last.Volume) {
		traded = t.Volume.Sub(s.last.Volume)
	}
	var step Step
	price := t.Last
	if !traded.IsZero() && !t.Last.IsZero() {
		step.Trade = &Trade{Seq: t.Seq, Price: t.Last, Size: traded, Side: Aggressor(t.Last, t.BestBid(), t.BestAsk()), Time: t.Time}
	} else {
		price = Mid(t.BestBid(), t.BestAsk())
	}
	s.last, s.has = t, true
	if price.IsZero() {
		return step, true
	}
	m := MarkOf(t)
	for _, iv := range allIntervals {
		open := iv.OpenTime(t.Time)
		c := &s.bars[iv]
		if !c.Time.Equal(open) {
			*c = Candle{Time: open}
		}
		if c.add(m, price, traded, step.Trade != nil) {
			step.Changed = append(step.Changed, iv)
		}
	}
	return step, true
}

// Append records c in history (oldest first): it replaces the newest candle when c has the same open
// time and is appended otherwise, keeping at most keep candles.
func Append(history []Candle, c Candle, keep int) []Candle {
	if n := len(history); n > 0 && history[n-1].Time.Equal(c.Time) {
		history[n-1] = c
		return history
	}
	history = append(history, c)
	if len(history) > keep {
		history = history[len(history)-keep:]
	}
	return history
}

// Ticker is the 24-hour summary of a symbol.
type Ticker struct {
	Symbol                              instrument.Symbol
	Bid, Ask, Last                      money.Decimal
	Open24h, High24h, Low24h, Volume24h money.Decimal
	Change24h, ChangePercent24h         money.Decimal
	Time                                time.Time // of the newest tick
}

// DayWindow returns where the 24 hours ending at at begin (candles opening at or after from count),
// and the first hour boundary after it: the window is the one-minute candles opening in
// [from, hourFrom) followed by the one-hour candles opening at or after hourFrom. Hour candles are
// exact sums of their minutes, so this is the same window as 1,440 minutes, read from at most 84
// candles.
func DayWindow(at time.Time) (from, hourFrom time.Time) {
	from = at.Add(-24 * time.Hour)
	hourFrom = OneHour.OpenTime(from)
	if hourFrom.Before(from) {
		hourFrom = hourFrom.Add(time.Hour)
	}
	return from, hourFrom
}

// NewTicker summarizes the 24 hours up to last from window: candles oldest first, of any widths that
// do not overlap (one-minute candles alone, or as DayWindow describes). Candles opening before the
// window are ignored. Last is the last trade price, or the newest candle's close before any trade.
func NewTicker(sym instrument.Symbol, last events.PriceTick, window []Candle) Ticker {
	tk := Ticker{Symbol: sym, Bid: last.BestBid(), Ask: last.BestAsk(), Last: last.Last, Time: last.Time}
	from := last.Time.Add(-24 * time.Hour)
	first := true
	for _, c := range window {
		if c.Time.Before(from) {
			continue
		}
		if first {
			tk.Open24h, tk.High24h, tk.Low24h = c.Open, c.High, c.Low
			first = false
		}
		tk.High24h, tk.Low24h = money.Max(tk.High24h, c.High), money.Min(tk.Low24h, c.Low)
		tk.Volume24h = tk.Volume24h.Add(c.Volume)
	}
	if first {
		return tk
	}
	if last.Last.IsZero() {
		tk.Last = window[len(window)-1].Close
	}
	tk.Change24h = tk.Last.Sub(tk.Open24h)
	if tk.Open24h.IsPositive() {
		tk.ChangePercent24h, _ = tk.Change24h.Mul(money.FromInt(100)).Div(tk.Open24h, 4) // divisor checked positive
	}
	return tk
}
