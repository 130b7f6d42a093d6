package money_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{"45000", "45000", false},
		{"0.1", "0.1", false},
		{"-0.015", "-0.015", false},
		{"1.50", "1.5", false},
		{"1e-3", "0.001", false},
		{"2E2", "200", false},
		{".5", "0.5", false},
		{"", "", true},
		{"-", "", true},
		{"+1", "", true},
		{"1.2.3", "", true},
		{"NaN", "", true},
		{"Infinity", "", true},
		{"1e", "", true},
		{"1e999", "", true},
		{"1e25", "", true},
		{"1e24", "1" + strings.Repeat("0", 24), false},
		{strings.Repeat("9", 40) + "e10", "", true},
		{"0x10", "", true},
		{" 1", "", true},
		{strings.Repeat("9", 49), "", true},
		{strings.Repeat("9", 48), strings.Repeat("9", 48), false},
	}
	for _, tc := range tests {
		got, err := money.Parse(tc.in)
		if tc.err {
			if err == nil {
				t.Errorf("Parse(%q) = %s, want error", tc.in, got)
			} else if !errors.Is(err, money.ErrSyntax) {
				t.Errorf("Parse(%q) error %v does not wrap ErrSyntax", tc.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if got.String() != tc.want {
			t.Errorf("Parse(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestArithmetic(t *testing.T) {
	d := money.MustParse
	if got := d("0.1").Add(d("0.2")); !got.Equal(d("0.3")) {
		t.Errorf("0.1+0.2 = %s", got)
	}
	if got := d("45000").Mul(d("0.1")); got.String() != "4500" {
		t.Errorf("45000*0.1 = %s", got)
	}
	q, err := d("10").Div(d("3"), 8)
	if err != nil || q.String() != "3.33333333" {
		t.Errorf("10/3 = %s, %v", q, err)
	}
	if _, err := d("1").Div(money.Zero, 8); err == nil {
		t.Error("division by zero accepted")
	}
	if !d("45000.5").IsMultipleOf(d("0.5")) || d("45000.25").IsMultipleOf(d("0.5")) {
		t.Error("IsMultipleOf wrong")
	}
	if got := d("0.123456").FloorTo(d("0.0001")); got.String() != "0.1234" {
		t.Errorf("FloorTo = %s", got)
	}
	if got := d("200").Percent(d("1.5")); got.String() != "3" {
		t.Errorf("Percent = %s", got)
	}
	if d("2.5").Places() != 1 || d("100").Places() != 0 {
		t.Error("Places wrong")
	}
	if got := money.Min(d("1"), d("2")); got.String() != "1" {
		t.Errorf("Min = %s", got)
	}
	if got := d("1.005").Round(2); got.String() != "1" {
		t.Errorf("Round half-even = %s", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"45000", "0.1", "-1e-3", "1e40", "", "abc", "1..2", "9999999999999999999999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := money.Parse(s)
		if err != nil {
			return
		}
		// Whatever parses must round-trip through its canonical text exactly.
		back, err := money.Parse(d.String())
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", d.String(), s, err)
		}
		if !back.Equal(d) {
			t.Fatalf("round trip %q -> %s -> %s", s, d, back)
		}
	})
}

func TestParseAmounts(t *testing.T) {
	m, err := money.ParseAmounts("USD=1000000, BTC=10,")
	if err != nil || len(m) != 2 || m["USD"].String() != "1000000" || m["BTC"].String() != "10" {
		t.Fatalf("%v %v", m, err)
	}
	for _, bad := range []string{"USD", "=1", "USD=abc"} {
		if _, err := money.ParseAmounts(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestFormatAmountsRoundTrips(t *testing.T) {
	in := map[string]money.Decimal{"USD": money.MustParse("1000000"), "BTC": money.MustParse("10.5"), "ETH": money.MustParse("0.00000001")}
	s := money.FormatAmounts(in)
	if s != "BTC=10.5,ETH=0.00000001,USD=1000000" {
		t.Fatalf("format: %q", s)
	}
	out, err := money.ParseAmounts(s)
	if err != nil || len(out) != len(in) {
		t.Fatalf("parse %q: %v %v", s, out, err)
	}
	for a, v := range in {
		if !out[a].Equal(v) {
			t.Errorf("%s: %s, want %s", a, out[a], v)
		}
	}
	if money.FormatAmounts(nil) != "" {
		t.Error("no amounts should format as the empty string")
	}
}
