package stream

import (
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/market"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
)

// Intervals are the candle intervals served, by channel suffix.
var Intervals = func() map[string]time.Duration {
	m := map[string]time.Duration{}
	for _, iv := range market.Intervals() {
		m[iv.String()] = iv.Duration()
	}
	return m
}()

const (
	keepCandles = 200
	keepTrades  = 50
	dayMinutes  = 24 * 60
)

// Candle is one OHLCV bar; Time is its open time. The fold is the domain's (market.Series), shared
// with the market-ingest Lambda.
type Candle = market.Candle

// Ticker is the 24h summary of a symbol.
type Ticker = market.Ticker

// Trade is one print of the feed.
type Trade struct {
	Price, Size money.Decimal
	Side        string // the aggressor: BUY when it printed at the ask, SELL at the bid, "" when unknown
	Time        time.Time
}

// symbolState is the market view of one symbol, owned by the hub goroutine.
type symbolState struct {
	series  market.Series
	last    *events.PriceTick
	candles map[string][]Candle
	minutes []Candle // 1m candles for the 24h statistics
	trades  []Trade  // newest first
}

func newSymbolState() *symbolState {
	return &symbolState{candles: map[string][]Candle{}}
}

// apply folds a tick in and returns the trade it printed (if any) and the candle intervals it changed;
// ok is false for a tick older than the last one (by time, then seq: the feed renumbers on restart).
func (s *symbolState) apply(t events.PriceTick) (trade *Trade, changed []string, ok bool) {
	step, ok := s.series.Apply(t)
	if !ok {
		return nil, nil, false
	}
	s.last = &t
	if p := step.Trade; p != nil {
		side := ""
		if p.Side != 0 {
			side = p.Side.String()
		}
		trade = &Trade{Price: p.Price, Size: p.Size, Side: side, Time: p.Time}
		s.trades = append([]Trade{*trade}, s.trades...)
		if len(s.trades) > keepTrades {
			s.trades = s.trades[:keepTrades]
		}
	}
	changed = make([]string, 0, len(step.Changed))
	for _, iv := range step.Changed {
		c, _ := s.series.Candle(iv)
		s.candles[iv.String()] = market.Append(s.candles[iv.String()], c, keepCandles)
		if iv == market.OneMinute {
			s.minutes = market.Append(s.minutes, c, dayMinutes)
		}
		changed = append(changed, iv.String())
	}
	return trade, changed, true
}

func (s *symbolState) ticker(sym instrument.Symbol) Ticker {
	if s.last == nil {
		return Ticker{Symbol: sym}
	}
	return market.NewTicker(sym, *s.last, s.minutes)
}
