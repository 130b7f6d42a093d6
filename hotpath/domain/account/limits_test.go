package account_test

import (
	"errors"
	"testing"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
)

func TestLimitsValidate(t *testing.T) {
	d := money.MustParse
	tests := []struct {
		name      string
		edit      func(*account.Limits)
		field     string
		code      string
		wantValid bool
	}{
		{"defaults", func(*account.Limits) {}, "", "", true},
		{"tiny notional", func(l *account.Limits) { l.MaxOrderNotional = d("0.01") }, "", "", true},
		{"collar exactly 100", func(l *account.Limits) { l.PriceCollarPct = d("100") }, "", "", true},
		{"zero counts mean no limit", func(l *account.Limits) { l.MaxOpenOrders, l.MaxOrdersPerSec = 0, 0 }, "", "", true},
		{"no per-symbol limits", func(l *account.Limits) { l.MaxOrderQty, l.MaxPosition = nil, nil }, "", "", true},
		{"zero notional", func(l *account.Limits) { l.MaxOrderNotional = money.Zero }, "maxOrderNotional", account.InvalidLimit, false},
		{"negative notional", func(l *account.Limits) { l.MaxOrderNotional = d("-1") }, "maxOrderNotional", account.InvalidLimit, false},
		{"zero collar", func(l *account.Limits) { l.PriceCollarPct = money.Zero }, "priceCollarPct", account.InvalidLimit, false},
		{"collar above 100", func(l *account.Limits) { l.PriceCollarPct = d("100.01") }, "priceCollarPct", account.InvalidLimit, false},
		{"negative open orders", func(l *account.Limits) { l.MaxOpenOrders = -1 }, "maxOpenOrders", account.InvalidLimit, false},
		{"huge rate", func(l *account.Limits) { l.MaxOrdersPerSec = account.MaxLimitCount + 1 }, "maxOrdersPerSec", account.InvalidLimit, false},
		{"unknown symbol", func(l *account.Limits) { l.MaxOrderQty = map[instrument.Symbol]money.Decimal{"DOGE-USD": d("1")} }, "maxOrderQty.DOGE-USD", account.UnknownSymbol, false},
		{"zero position limit", func(l *account.Limits) { l.MaxPosition["ETH-USD"] = money.Zero }, "maxPosition.ETH-USD", account.InvalidLimit, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := account.DefaultLimits()
			tc.edit(&l)
			err := l.Validate(instrument.Default())
			if tc.wantValid {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			var le *account.LimitError
			if !errors.As(err, &le) || le.Field != tc.field || le.Code != tc.code {
				t.Fatalf("err = %v, want %s on %s", err, tc.code, tc.field)
			}
		})
	}
}
