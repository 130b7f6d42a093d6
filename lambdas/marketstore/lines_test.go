package marketstore

import (
	"errors"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/market"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// The page lines are a storage format: what is written must read back exactly, and whatever is read
// either parses into values that write back the same or fails with errLine.

func TestLinesRoundTrip(t *testing.T) {
	d := money.MustParse
	at := time.Date(2026, 11, 25, 6, 1, 0, 0, time.UTC)
	c := market.Candle{Time: at, Open: d("45000.12"), High: d("45010.5"), Low: d("44990.01"), Close: d("45001.2"), Volume: d("12.34567"),
		Trades: 40, Last: market.Mark{Seq: 18000, Time: at.Add(59*time.Second + 123456789)}}
	line := candleLine(c)
	if line != "1795586460000 45000.12 45010.5 44990.01 45001.2 12.34567 40 18000 1795586519123456789" {
		t.Errorf("candle line %q", line)
	}
	back, err := parseCandleLine(line)
	if err != nil || candleLine(back) != line || !back.Last.Time.Equal(c.Last.Time) || !back.Time.Equal(c.Time) {
		t.Errorf("candle back %+v, %v", back, err)
	}
	for _, side := range []order.Side{order.Buy, order.Sell, 0} {
		tr := market.Trade{Seq: 7, Price: d("99.5"), Size: d("0.001"), Side: side, Time: at.Add(1)}
		line := tradeLine(42, tr)
		got, err := parseTradeLine(line)
		if err != nil || got.ID != 42 || got.Side != side || tradeLine(got.ID, got.Trade) != line || tradeID(line) != 42 {
			t.Errorf("trade %q back %+v, %v", line, got, err)
		}
	}
	for _, bad := range []string{"", "1 2 3", "x 1 1 1 1 1 1 1 1", "1 1 1 1 1 1 -1 1 1", "1 1e999 1 1 1 1 1 1 1", "1 1 1 1 1 1 1 1 1 1"} {
		if _, err := parseCandleLine(bad); !errors.Is(err, errLine) {
			t.Errorf("candle %q: %v", bad, err)
		}
	}
	for _, bad := range []string{"", "0 1 1 1 BUY 1", "1 1 1 1 HOLD 1", "1 1 x 1 - 1", "1 1 1 1 - 1 1"} {
		if _, err := parseTradeLine(bad); !errors.Is(err, errLine) {
			t.Errorf("trade %q: %v", bad, err)
		}
	}
}

func FuzzCandleLine(f *testing.F) {
	f.Add("1795586460000 45000.12 45010.5 44990.01 45001.2 12.34567 40 18000 1795586519123456789")
	f.Add("0 0 0 0 0 0 0 0 0")
	f.Add("1 -1 1e3 .5 1 1 1 1 1")
	f.Fuzz(func(t *testing.T, line string) {
		c, err := parseCandleLine(line)
		if err != nil {
			if !errors.Is(err, errLine) {
				t.Fatalf("%q: %v", line, err)
			}
			return
		}
		again, err := parseCandleLine(candleLine(c))
		if err != nil || candleLine(again) != candleLine(c) {
			t.Fatalf("%q parsed to %+v, which does not write back: %v", line, c, err)
		}
	})
}

func FuzzTradeLine(f *testing.F) {
	f.Add("42 7 99.5 0.001 BUY 1795586460000000001")
	f.Add("1 0 0 0 - 0")
	f.Fuzz(func(t *testing.T, line string) {
		tr, err := parseTradeLine(line)
		if err != nil {
			if !errors.Is(err, errLine) {
				t.Fatalf("%q: %v", line, err)
			}
			return
		}
		again, err := parseTradeLine(tradeLine(tr.ID, tr.Trade))
		if err != nil || tradeLine(again.ID, again.Trade) != tradeLine(tr.ID, tr.Trade) || tradeID(line) != tr.ID {
			t.Fatalf("%q parsed to %+v, which does not write back: %v", line, tr, err)
		}
	})
}
