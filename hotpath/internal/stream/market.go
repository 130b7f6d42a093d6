package stream

import (
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
)

// Intervals are the candle intervals served, by channel suffix.
var Intervals = map[string]time.Duration{
	"1m": time.Minute, "5m": 5 * time.Minute, "15m": 15 * time.Minute,
	"1h": time.Hour, "4h": 4 * time.Hour, "1d": 24 * time.Hour,
}

const (
	keepCandles = 200
	keepTrades  = 50
	dayMinutes  = 24 * 60
)

// Candle is one OHLCV bar; Time is its open time.
type Candle struct {
	Time                   time.Time
	Open, High, Low, Close money.Decimal
	Volume                 money.Decimal
}

// Trade is one print of the feed.
type Trade struct {
	Price, Size money.Decimal
	Side        string // BUY when it printed at the ask, SELL at the bid
	Time        time.Time
}

// symbolState is the market view of one symbol, owned by the hub goroutine.
type symbolState struct {
	last    *events.PriceTick
	volume  money.Decimal // cumulative feed volume at the last tick
	candles map[string][]Candle
	minutes []Candle // 1m candles for the 24h statistics
	trades  []Trade  // newest first
}

func newSymbolState() *symbolState {
	return &symbolState{candles: map[string][]Candle{}}
}

// apply folds a tick in and returns the trade it printed (if any) and the candle intervals it changed.
func (s *symbolState) apply(t events.PriceTick) (*Trade, []string) {
	var trade *Trade
	traded := money.Zero
	if s.last != nil && t.Volume.GreaterThan(s.volume) {
		traded = t.Volume.Sub(s.volume)
	}
	s.volume = t.Volume
	price := t.Last
	if !traded.IsZero() && !t.Last.IsZero() {
		side := "BUY"
		if t.Last.Cmp(t.BestBid()) <= 0 {
			side = "SELL"
		}
		trade = &Trade{Price: t.Last, Size: traded, Side: side, Time: t.Time}
		s.trades = append([]Trade{*trade}, s.trades...)
		if len(s.trades) > keepTrades {
			s.trades = s.trades[:keepTrades]
		}
	} else if !t.BestBid().IsZero() && !t.BestAsk().IsZero() {
		price, _ = t.BestBid().Add(t.BestAsk()).Div(money.FromInt(2), 8)
	}
	s.last = &t
	if price.IsZero() {
		return trade, nil
	}
	changed := make([]string, 0, len(Intervals))
	for name, d := range Intervals {
		s.candles[name] = addToCandles(s.candles[name], t.Time.Truncate(d), price, traded, keepCandles)
		changed = append(changed, name)
	}
	s.minutes = addToCandles(s.minutes, t.Time.Truncate(time.Minute), price, traded, dayMinutes)
	return trade, changed
}

func addToCandles(cs []Candle, open time.Time, price, vol money.Decimal, keep int) []Candle {
	if n := len(cs); n > 0 && cs[n-1].Time.Equal(open) {
		c := &cs[n-1]
		c.High, c.Low, c.Close = money.Max(c.High, price), money.Min(c.Low, price), price
		c.Volume = c.Volume.Add(vol)
		return cs
	}
	cs = append(cs, Candle{Time: open, Open: price, High: price, Low: price, Close: price, Volume: vol})
	if len(cs) > keep {
		cs = cs[len(cs)-keep:]
	}
	return cs
}

// Ticker is the 24h summary of a symbol.
type Ticker struct {
	Symbol                              instrument.Symbol
	Bid, Ask, Last                      money.Decimal
	Open24h, High24h, Low24h, Volume24h money.Decimal
	Change24h, ChangePercent24h         money.Decimal
	Time                                time.Time
}

func (s *symbolState) ticker(sym instrument.Symbol) Ticker {
	tk := Ticker{Symbol: sym}
	if s.last == nil {
		return tk
	}
	tk.Bid, tk.Ask, tk.Time = s.last.BestBid(), s.last.BestAsk(), s.last.Time
	tk.Last = s.last.Last
	if len(s.minutes) == 0 {
		return tk
	}
	cut := s.last.Time.Add(-24 * time.Hour)
	first := true
	for _, c := range s.minutes {
		if c.Time.Before(cut) {
			continue
		}
		if first {
			tk.Open24h, tk.High24h, tk.Low24h = c.Open, c.High, c.Low
			first = false
		}
		tk.High24h, tk.Low24h = money.Max(tk.High24h, c.High), money.Min(tk.Low24h, c.Low)
		tk.Volume24h = tk.Volume24h.Add(c.Volume)
	}
	if tk.Last.IsZero() {
		tk.Last = s.minutes[len(s.minutes)-1].Close
	}
	tk.Change24h = tk.Last.Sub(tk.Open24h)
	if tk.Open24h.IsPositive() {
		pct, _ := tk.Change24h.Mul(money.FromInt(100)).Div(tk.Open24h, 4)
		tk.ChangePercent24h = pct
	}
	return tk
}
