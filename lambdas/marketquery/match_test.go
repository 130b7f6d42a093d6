package marketquery_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/crypto-oms/crypto-oms/lambdas/albapi"
	"github.com/crypto-oms/crypto-oms/lambdas/marketquery"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		path     string
		kind     marketquery.RouteKind
		symbol   string
		wantCode string
	}{
		{"/api/market-data/prices", marketquery.RoutePrices, "", ""},
		{"/api/market-data/prices/", marketquery.RoutePrices, "", ""},
		{"/api/market-data/prices/BTC-USD", marketquery.RoutePrice, "BTC-USD", ""},
		{"/api/market-data/prices/BTC%2FUSD", marketquery.RoutePrice, "BTC/USD", ""},
		{"/api/market-data/prices/btc%2fusd", marketquery.RoutePrice, "btc/usd", ""},
		{"/api/market-data/prices/BTC/USD", marketquery.RoutePrice, "BTC/USD", ""},
		{"/api/market-data/candlestick/ETH-USD", marketquery.RouteCandles, "ETH-USD", ""},
		{"/api/market-data/candles/ETH-USD/", marketquery.RouteCandles, "ETH-USD", ""},
		{"/api/market-data/orderbook/SOL-USD", marketquery.RouteOrderBook, "SOL-USD", ""},
		{"/api/market-data/trades/SOL-USD", marketquery.RouteTrades, "SOL-USD", ""},
		{"/api/market-data/trades/%zz", 0, "", "INVALID_SYMBOL"},
		{"/api/market-data/trades//", 0, "", "INVALID_SYMBOL"},
		{"/api/market-data/ticker/BTC-USD", 0, "", "NOT_FOUND"},
		{"/api/market-data/candles", 0, "", "NOT_FOUND"},
		{"/api/market-data/candles/A/B/C", 0, "", "NOT_FOUND"},
		{"/api/market-data", 0, "", "NOT_FOUND"},
		{"/api/orders", 0, "", "NOT_FOUND"},
	}
	for _, tc := range tests {
		rt, err := marketquery.Match(tc.path)
		var e *albapi.Error
		switch {
		case tc.wantCode != "" && (!errors.As(err, &e) || e.Code != tc.wantCode):
			t.Errorf("Match(%q) = %+v, %v; want code %s", tc.path, rt, err, tc.wantCode)
		case tc.wantCode == "" && (err != nil || rt.Kind != tc.kind || rt.Symbol != tc.symbol):
			t.Errorf("Match(%q) = %+v, %v; want kind %d symbol %q", tc.path, rt, err, tc.kind, tc.symbol)
		}
	}
}

// FuzzMatch: any path either matches an endpoint (with a non-empty symbol for the symbol routes) or
// fails with a public error of a known code; nothing panics.
func FuzzMatch(f *testing.F) {
	for _, s := range []string{"/api/market-data/prices", "/api/market-data/prices/BTC%2FUSD", "/api/market-data/candles/ETH-USD/",
		"/api/market-data/trades/%", "/api/market-data/orderbook/a/b", "/api/market-data//", "/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		rt, err := marketquery.Match(path)
		if err != nil {
			var e *albapi.Error
			if !errors.As(err, &e) || (e.Code != "NOT_FOUND" && e.Code != "INVALID_SYMBOL") {
				t.Fatalf("Match(%q): %v", path, err)
			}
			return
		}
		if !strings.HasPrefix(path, "/api/market-data/") {
			t.Fatalf("Match(%q) matched %+v outside the market-data prefix", path, rt)
		}
		if (rt.Kind == marketquery.RoutePrices) != (rt.Symbol == "") {
			t.Fatalf("Match(%q) = %+v", path, rt)
		}
	})
}
