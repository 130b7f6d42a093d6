// Package money provides Decimal, the exact decimal type used for every price, quantity, fee and
// balance in crypto-oms. Floats never carry money: a float64 cannot hold 0.1 exactly, and errors that
// compound across fills become real losses.
package money

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// Decimal is an immutable exact decimal. The zero value is 0. Values are safe to copy and compare with
// Cmp/Equal (never with ==).
type Decimal struct{ d decimal.Decimal }

// Zero is the decimal 0.
var Zero = Decimal{}

// MaxDigits bounds the significant digits a parsed value may have. It keeps hostile input ("1e999999")
// from allocating huge numbers and is far above any real price or quantity.
const MaxDigits = 48

// ErrSyntax is returned for text that is not a plain decimal number.
var ErrSyntax = errors.New("not a decimal number")

// Parse reads a decimal in plain notation ("45000", "-0.015", "0.1") or, as JSON numbers allow, with an
// exponent ("1e-3"). It rejects empty input, signs other than a leading '-', more than MaxDigits
// digits (in the input or once written out), exponents beyond ±24, NaN and infinities.
func Parse(s string) (Decimal, error) {
	if err := checkSyntax(s); err != nil {
		return Zero, fmt.Errorf("parse decimal %q: %w", truncate(s), err)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return Zero, fmt.Errorf("parse decimal %q: %w", truncate(s), ErrSyntax)
	}
	if n := countDigits(d.String()); n > MaxDigits {
		return Zero, fmt.Errorf("parse decimal %q: %w: %d digits written out", truncate(s), ErrSyntax, n)
	}
	return Decimal{d}, nil
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

func truncate(s string) string {
	if len(s) > 48 {
		return s[:48] + "…"
	}
	return s
}

func checkSyntax(s string) error {
	if s == "" {
		return ErrSyntax
	}
	i := 0
	if s[0] == '-' {
		i++
	}
	digits, dot, seenDigit := 0, false, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			seenDigit = true
		case c == '.' && !dot:
			dot = true
		case c == 'e' || c == 'E':
			if !seenDigit {
				return ErrSyntax
			}
			return checkExponent(s[i+1:], digits)
		default:
			return ErrSyntax
		}
	}
	if !seenDigit {
		return ErrSyntax
	}
	if digits > MaxDigits {
		return fmt.Errorf("%w: more than %d digits", ErrSyntax, MaxDigits)
	}
	return nil
}

func checkExponent(e string, digits int) error {
	if digits > MaxDigits {
		return fmt.Errorf("%w: more than %d digits", ErrSyntax, MaxDigits)
	}
	if e != "" && (e[0] == '+' || e[0] == '-') {
		e = e[1:]
	}
	if e == "" || len(e) > 2 {
		return fmt.Errorf("%w: exponent out of range", ErrSyntax)
	}
	for i := 0; i < len(e); i++ {
		if e[i] < '0' || e[i] > '9' {
			return ErrSyntax
		}
	}
	if len(e) == 2 && (e[0] > '2' || e[0] == '2' && e[1] > '4') {
		return fmt.Errorf("%w: exponent out of range", ErrSyntax)
	}
	return nil
}

// MustParse is Parse for constants in code and tests; it panics on bad input.
func MustParse(s string) Decimal {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// FromInt returns the decimal for an integer.
func FromInt(i int64) Decimal { return Decimal{decimal.NewFromInt(i)} }

// Add returns a+b.
func (a Decimal) Add(b Decimal) Decimal { return Decimal{a.d.Add(b.d)} }

// Sub returns a-b.
func (a Decimal) Sub(b Decimal) Decimal { return Decimal{a.d.Sub(b.d)} }

// Mul returns a*b exactly.
func (a Decimal) Mul(b Decimal) Decimal { return Decimal{a.d.Mul(b.d)} }

// Div returns a/b rounded half-even to places decimal places. Division by zero returns an error rather
// than panicking, because a zero divisor usually means a zero quantity slipped through validation.
func (a Decimal) Div(b Decimal, places int32) (Decimal, error) {
	if b.d.IsZero() {
		return Zero, errors.New("decimal division by zero")
	}
	return Decimal{a.d.DivRound(b.d, places+2).RoundBank(places)}, nil
}

// Neg returns -a.
func (a Decimal) Neg() Decimal { return Decimal{a.d.Neg()} }

// Abs returns |a|.
func (a Decimal) Abs() Decimal { return Decimal{a.d.Abs()} }

// Cmp returns -1, 0 or +1 as a is less than, equal to or greater than b.
func (a Decimal) Cmp(b Decimal) int { return a.d.Cmp(b.d) }

// Equal reports a == b numerically ("1.50" equals "1.5").
func (a Decimal) Equal(b Decimal) bool { return a.d.Equal(b.d) }

// LessThan reports a < b.
func (a Decimal) LessThan(b Decimal) bool { return a.d.LessThan(b.d) }

// GreaterThan reports a > b.
func (a Decimal) GreaterThan(b Decimal) bool { return a.d.GreaterThan(b.d) }

// IsZero reports a == 0.
func (a Decimal) IsZero() bool { return a.d.IsZero() }

// Sign returns -1, 0 or +1.
func (a Decimal) Sign() int { return a.d.Sign() }

// IsPositive reports a > 0.
func (a Decimal) IsPositive() bool { return a.d.Sign() > 0 }

// IsNegative reports a < 0.
func (a Decimal) IsNegative() bool { return a.d.Sign() < 0 }

// Min returns the smaller of a and b.
func Min(a, b Decimal) Decimal {
	if a.Cmp(b) <= 0 {
		return a
	}
	return b
}

// Max returns the larger of a and b.
func Max(a, b Decimal) Decimal {
	if a.Cmp(b) >= 0 {
		return a
	}
	return b
}

// IsMultipleOf reports whether a is an exact multiple of step (tick and lot size checks). A zero step
// accepts everything.
func (a Decimal) IsMultipleOf(step Decimal) bool {
	if step.IsZero() {
		return true
	}
	return a.d.Mod(step.d).IsZero()
}

// FloorTo rounds a down (toward zero) to a multiple of step.
func (a Decimal) FloorTo(step Decimal) Decimal {
	if step.IsZero() {
		return a
	}
	return Decimal{a.d.Sub(a.d.Mod(step.d))}
}

// Round rounds half-even to places decimal places.
func (a Decimal) Round(places int32) Decimal { return Decimal{a.d.RoundBank(places)} }

// Percent returns a * pct / 100.
func (a Decimal) Percent(pct Decimal) Decimal {
	return Decimal{a.d.Mul(pct.d).Shift(-2)}
}

// String returns the canonical plain notation without trailing zeros ("45000", "0.1"); this is the form
// used on every wire.
func (a Decimal) String() string {
	s := a.d.String()
	if strings.ContainsAny(s, "eE") { // never happens for shopspring today; keep the wire plain regardless
		s = a.d.StringFixed(a.d.Exponent() * -1)
	}
	return s
}

// StringFixed returns a with exactly places decimal places (display and tick formatting).
func (a Decimal) StringFixed(places int32) string { return a.d.StringFixed(places) }

// Places returns the number of decimal places needed to write a exactly (0 for integers).
func (a Decimal) Places() int32 {
	s := a.String()
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return int32(len(s) - i - 1)
	}
	return 0
}

// Float64 returns an approximation for metrics and charts only; never use it for money arithmetic.
func (a Decimal) Float64() float64 {
	f, _ := a.d.Float64()
	return f
}

// ParseAmounts reads "USD=1000000,BTC=10" (the funding format of the paper-trading configuration) into
// amounts by asset. Empty input gives an empty map.
func ParseAmounts(s string) (map[string]Decimal, error) {
	out := map[string]Decimal{}
	for _, kv := range strings.Split(s, ",") {
		if kv = strings.TrimSpace(kv); kv == "" {
			continue
		}
		asset, v, ok := strings.Cut(kv, "=")
		if !ok || asset == "" {
			return nil, fmt.Errorf("parse amounts: %q: want ASSET=amount", kv)
		}
		d, err := Parse(v)
		if err != nil {
			return nil, fmt.Errorf("parse amounts: %s: %w", asset, err)
		}
		out[asset] = d
	}
	return out, nil
}

// FormatAmounts writes amounts in ParseAmounts' format, assets in name order.
func FormatAmounts(m map[string]Decimal) string {
	assets := make([]string, 0, len(m))
	for a := range m {
		assets = append(assets, a)
	}
	sort.Strings(assets)
	parts := make([]string, len(assets))
	for i, a := range assets {
		parts[i] = a + "=" + m[a].String()
	}
	return strings.Join(parts, ",")
}
