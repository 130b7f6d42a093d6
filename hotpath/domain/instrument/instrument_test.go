package instrument_test

import (
	"errors"
	"testing"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
)

func TestParseSymbol(t *testing.T) {
	tests := []struct{ in, want string }{
		{"BTC/USD", "BTC-USD"}, {"BTC-USD", "BTC-USD"}, {"btc-usd", "BTC-USD"}, {"eth/usd", "ETH-USD"},
		{"BTCUSD", ""}, {"BTC-", ""}, {"-USD", ""}, {"BTC-USD-X", ""}, {"BT C-USD", ""}, {"", ""},
	}
	for _, tc := range tests {
		got, err := instrument.ParseSymbol(tc.in)
		if tc.want == "" {
			if !errors.Is(err, instrument.ErrBadSymbol) {
				t.Errorf("ParseSymbol(%q) = %q, %v; want ErrBadSymbol", tc.in, got, err)
			}
			continue
		}
		if err != nil || string(got) != tc.want {
			t.Errorf("ParseSymbol(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if s := instrument.Symbol("BTC-USD"); s.Base() != "BTC" || s.Quote() != "USD" {
		t.Error("Base/Quote wrong")
	}
}

func TestRules(t *testing.T) {
	btc, ok := instrument.Default().Lookup("BTC-USD")
	if !ok {
		t.Fatal("BTC-USD missing")
	}
	d := money.MustParse
	code := func(err error) string {
		var re *instrument.RuleError
		if errors.As(err, &re) {
			return re.Code
		}
		if err != nil {
			return "other"
		}
		return ""
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"price ok", btc.CheckPrice("price", d("45000.01")), ""},
		{"price tick", btc.CheckPrice("price", d("45000.001")), "INVALID_TICK_SIZE"},
		{"price zero", btc.CheckPrice("price", d("0")), "INVALID_PRICE"},
		{"qty ok", btc.CheckQty("quantity", d("0.1")), ""},
		{"qty lot", btc.CheckQty("quantity", d("0.000001")), "INVALID_LOT_SIZE"},
		{"qty negative", btc.CheckQty("quantity", d("-1")), "INVALID_QUANTITY"},
		{"qty max", btc.CheckQty("quantity", d("101")), "QUANTITY_TOO_LARGE"},
		{"notional ok", btc.CheckNotional(d("45000"), d("0.001")), ""},
		{"notional small", btc.CheckNotional(d("45000"), d("0.00001")), "NOTIONAL_TOO_SMALL"},
	}
	for _, tc := range tests {
		if got := code(tc.err); got != tc.want {
			t.Errorf("%s: code %q, want %q (%v)", tc.name, got, tc.want, tc.err)
		}
	}
	if _, err := instrument.NewCatalog(btc, btc); err == nil {
		t.Error("duplicate symbol accepted")
	}
}
