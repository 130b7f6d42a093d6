package market_test

import (
	"errors"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/market"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

var d = money.MustParse

func TestParseInterval(t *testing.T) {
	tests := []struct {
		in   string
		want market.Interval
		dur  time.Duration
	}{
		{"1m", market.OneMinute, time.Minute},
		{"5m", market.FiveMinutes, 5 * time.Minute},
		{"15m", market.FifteenMinutes, 15 * time.Minute},
		{"1h", market.OneHour, time.Hour},
		{"4h", market.FourHours, 4 * time.Hour},
		{"1d", market.OneDay, 24 * time.Hour},
		{"", 0, 0},
		{"1M", 0, 0},
		{"1H", 0, 0},
		{"60m", 0, 0},
		{" 1m", 0, 0},
		{"1m ", 0, 0},
		{"UNKNOWN", 0, 0},
	}
	for _, tc := range tests {
		got, err := market.ParseInterval(tc.in)
		if tc.want == 0 {
			if !errors.Is(err, market.ErrBadInterval) {
				t.Errorf("ParseInterval(%q) = %v, %v; want ErrBadInterval", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want || got.Duration() != tc.dur || got.String() != tc.in {
			t.Errorf("ParseInterval(%q) = %v (%v, %q), %v", tc.in, got, got.Duration(), got.String(), err)
		}
	}
	if got := len(market.Intervals()); got != 6 {
		t.Errorf("%d intervals, want 6", got)
	}
}

func FuzzParseInterval(f *testing.F) {
	for _, s := range []string{"1m", "5m", "15m", "1h", "4h", "1d", "", "1M", "0m", "1d\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		iv, err := market.ParseInterval(s)
		if err != nil {
			if !errors.Is(err, market.ErrBadInterval) || iv != 0 {
				t.Fatalf("ParseInterval(%q) = %v, %v", s, iv, err)
			}
			return
		}
		if !iv.Valid() || iv.String() != s || iv.Duration() <= 0 {
			t.Fatalf("ParseInterval(%q) = %v, which prints as %q", s, iv, iv.String())
		}
	})
}

func TestOpenTimeIsUTCAligned(t *testing.T) {
	at := time.Date(2026, 11, 25, 23, 47, 31, 5e8, time.FixedZone("UTC+9", 9*3600))
	tests := []struct {
		iv   market.Interval
		want string
	}{
		{market.OneMinute, "2026-11-25T14:47:00Z"},
		{market.FiveMinutes, "2026-11-25T14:45:00Z"},
		{market.FifteenMinutes, "2026-11-25T14:45:00Z"},
		{market.OneHour, "2026-11-25T14:00:00Z"},
		{market.FourHours, "2026-11-25T12:00:00Z"},
		{market.OneDay, "2026-11-25T00:00:00Z"},
	}
	for _, tc := range tests {
		if got := tc.iv.OpenTime(at).Format(time.RFC3339Nano); got != tc.want {
			t.Errorf("%v.OpenTime = %s, want %s", tc.iv, got, tc.want)
		}
	}
}

func TestMarkOrder(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		a, b   market.Mark
		before bool
	}{
		{"higher seq at the same time", market.Mark{t0, 1}, market.Mark{t0, 2}, true},
		{"same tick", market.Mark{t0, 2}, market.Mark{t0, 2}, false},
		{"later tick", market.Mark{t0, 2}, market.Mark{t0.Add(time.Nanosecond), 3}, true},
		{"restarted feed: lower seq, later time", market.Mark{t0, 5000}, market.Mark{t0.Add(time.Second), 1}, true},
		{"old run redelivered after a restart", market.Mark{t0.Add(time.Second), 1}, market.Mark{t0, 5000}, false},
		{"nothing yet", market.Mark{}, market.Mark{t0, 1}, true},
	}
	for _, tc := range tests {
		if got := tc.a.Before(tc.b); got != tc.before {
			t.Errorf("%s: Before = %v, want %v", tc.name, got, tc.before)
		}
	}
}

func TestCheckTick(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
	good := events.PriceTick{Symbol: "BTC-USD", Seq: 1, Time: t0, Bids: []events.Level{{Price: d("100"), Size: d("1")}}, Asks: []events.Level{{Price: d("101"), Size: d("0")}}, Volume: d("3")}
	tests := []struct {
		name string
		edit func(*events.PriceTick)
		ok   bool
	}{
		{"good", func(*events.PriceTick) {}, true},
		{"empty book, no trade yet", func(t *events.PriceTick) { t.Bids, t.Asks, t.Volume = nil, nil, money.Zero }, true},
		{"no seq", func(t *events.PriceTick) { t.Seq = 0 }, false},
		{"no time", func(t *events.PriceTick) { t.Time = time.Time{} }, false},
		{"negative volume", func(t *events.PriceTick) { t.Volume = d("-1") }, false},
		{"negative last", func(t *events.PriceTick) { t.Last = d("-1") }, false},
		{"zero price level", func(t *events.PriceTick) { t.Bids = []events.Level{{Price: money.Zero, Size: d("1")}} }, false},
		{"negative size level", func(t *events.PriceTick) { t.Asks = []events.Level{{Price: d("101"), Size: d("-1")}} }, false},
	}
	for _, tc := range tests {
		tk := good
		tc.edit(&tk)
		err := market.CheckTick(tk)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, market.ErrBadTick)) {
			t.Errorf("%s: CheckTick = %v", tc.name, err)
		}
	}
}

func TestPricesAndPnL(t *testing.T) {
	tests := []struct {
		name                   string
		last, bid, ask         string
		mark                   string // "" : no mark
		qty, entry, unrealized string
	}{
		{"long marked at last", "105", "104", "106", "105", "2", "100", "10"},
		{"short marked at last", "105", "104", "106", "105", "-2", "100", "-10"},
		{"short in profit", "95", "94", "96", "95", "-1.5", "100", "7.5"},
		{"no trade yet: mid", "0", "100", "101", "100.5", "0.3", "100", "0.15"},
		{"mid to 8 places", "0", "0.00000001", "0.00000002", "0.00000002", "1", "0", "0.00000002"},
		{"one-sided book, no trade", "0", "100", "0", "", "1", "100", ""},
		{"empty market", "0", "0", "0", "", "1", "100", ""},
	}
	for _, tc := range tests {
		m, ok := market.MarkPrice(d(tc.last), d(tc.bid), d(tc.ask))
		if tc.mark == "" {
			if ok {
				t.Errorf("%s: MarkPrice = %s, want none", tc.name, m)
			}
			continue
		}
		if !ok || !m.Equal(d(tc.mark)) {
			t.Errorf("%s: MarkPrice = %s, %v; want %s", tc.name, m, ok, tc.mark)
			continue
		}
		if got := market.UnrealizedPnL(d(tc.qty), d(tc.entry), m); !got.Equal(d(tc.unrealized)) {
			t.Errorf("%s: UnrealizedPnL = %s, want %s", tc.name, got, tc.unrealized)
		}
	}
}

func TestAggressor(t *testing.T) {
	tests := []struct {
		price, bid, ask string
		want            order.Side
	}{
		{"100", "100", "101", order.Sell},
		{"99", "100", "101", order.Sell},
		{"101", "100", "101", order.Buy},
		{"102", "100", "101", order.Buy},
		{"100.5", "100", "101", 0},
		{"100", "0", "101", 0},
		{"100", "100", "0", 0},
	}
	for _, tc := range tests {
		if got := market.Aggressor(d(tc.price), d(tc.bid), d(tc.ask)); got != tc.want {
			t.Errorf("Aggressor(%s, %s, %s) = %v, want %v", tc.price, tc.bid, tc.ask, got, tc.want)
		}
	}
}
