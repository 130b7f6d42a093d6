// Package instrument describes tradable symbols and their trading rules (tick, lot, min/max size,
// min notional).
package instrument

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
)

// Symbol is a canonical instrument name, BASE-QUOTE in upper case ("BTC-USD"). The dash form is URL- and
// Kafka-key-safe; the original design's "BTC/USD" is accepted on input.
type Symbol string

// ErrBadSymbol is returned for text that is not BASE-QUOTE or BASE/QUOTE.
var ErrBadSymbol = errors.New("symbol must look like BTC-USD or BTC/USD")

// ParseSymbol canonicalises "btc/usd", "BTC-USD" and "BTC/USD" to "BTC-USD".
func ParseSymbol(s string) (Symbol, error) {
	if len(s) < 3 || len(s) > 24 {
		return "", ErrBadSymbol
	}
	sep := strings.IndexAny(s, "-/")
	if sep <= 0 || sep == len(s)-1 || strings.ContainsAny(s[sep+1:], "-/") {
		return "", ErrBadSymbol
	}
	base, quote := strings.ToUpper(s[:sep]), strings.ToUpper(s[sep+1:])
	for _, part := range []string{base, quote} {
		for i := 0; i < len(part); i++ {
			c := part[i]
			if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
				return "", ErrBadSymbol
			}
		}
	}
	return Symbol(base + "-" + quote), nil
}

// Base returns the asset bought or sold ("BTC").
func (s Symbol) Base() string {
	b, _, _ := strings.Cut(string(s), "-")
	return b
}

// Quote returns the asset prices are expressed in ("USD").
func (s Symbol) Quote() string {
	_, q, _ := strings.Cut(string(s), "-")
	return q
}

// Instrument is one tradable symbol and its rules.
type Instrument struct {
	Symbol      Symbol
	TickSize    money.Decimal // price increment
	LotSize     money.Decimal // quantity increment
	MinQty      money.Decimal
	MaxQty      money.Decimal
	MinNotional money.Decimal // price*qty floor, in the quote asset
}

// Base returns the base asset.
func (i Instrument) Base() string { return i.Symbol.Base() }

// Quote returns the quote asset.
func (i Instrument) Quote() string { return i.Symbol.Quote() }

// RuleError says which rule a price or quantity broke. Code is one of the public error codes.
type RuleError struct {
	Code  string
	Field string
	Msg   string
}

func (e *RuleError) Error() string { return e.Code + ": " + e.Msg }

// CheckPrice validates a limit or stop price against the tick size.
func (i Instrument) CheckPrice(field string, p money.Decimal) error {
	if !p.IsPositive() {
		return &RuleError{"INVALID_PRICE", field, fmt.Sprintf("%s must be positive, got %s", field, p)}
	}
	if !p.IsMultipleOf(i.TickSize) {
		return &RuleError{"INVALID_TICK_SIZE", field, fmt.Sprintf("%s %s is not a multiple of the tick size %s", field, p, i.TickSize)}
	}
	return nil
}

// CheckQty validates a quantity against lot size and min/max.
func (i Instrument) CheckQty(field string, q money.Decimal) error {
	switch {
	case !q.IsPositive():
		return &RuleError{"INVALID_QUANTITY", field, fmt.Sprintf("%s must be positive, got %s", field, q)}
	case !q.IsMultipleOf(i.LotSize):
		return &RuleError{"INVALID_LOT_SIZE", field, fmt.Sprintf("%s %s is not a multiple of the lot size %s", field, q, i.LotSize)}
	case q.LessThan(i.MinQty):
		return &RuleError{"QUANTITY_TOO_SMALL", field, fmt.Sprintf("%s %s is below the minimum %s", field, q, i.MinQty)}
	case i.MaxQty.IsPositive() && q.GreaterThan(i.MaxQty):
		return &RuleError{"QUANTITY_TOO_LARGE", field, fmt.Sprintf("%s %s is above the maximum %s", field, q, i.MaxQty)}
	}
	return nil
}

// CheckNotional validates price*qty against the minimum notional.
func (i Instrument) CheckNotional(price, qty money.Decimal) error {
	n := price.Mul(qty)
	if n.LessThan(i.MinNotional) {
		return &RuleError{"NOTIONAL_TOO_SMALL", "quantity", fmt.Sprintf("notional %s %s is below the minimum %s", n, i.Quote(), i.MinNotional)}
	}
	return nil
}

// Catalog is the configured instrument list.
type Catalog struct{ bySymbol map[Symbol]Instrument }

// NewCatalog builds a catalog; duplicate symbols are an error.
func NewCatalog(list ...Instrument) (*Catalog, error) {
	c := &Catalog{bySymbol: make(map[Symbol]Instrument, len(list))}
	for _, in := range list {
		if _, dup := c.bySymbol[in.Symbol]; dup {
			return nil, fmt.Errorf("new catalog: duplicate symbol %s", in.Symbol)
		}
		if !in.TickSize.IsPositive() || !in.LotSize.IsPositive() {
			return nil, fmt.Errorf("new catalog: %s needs positive tick and lot sizes", in.Symbol)
		}
		c.bySymbol[in.Symbol] = in
	}
	return c, nil
}

// Lookup returns the instrument for a symbol.
func (c *Catalog) Lookup(s Symbol) (Instrument, bool) {
	in, ok := c.bySymbol[s]
	return in, ok
}

// All returns every instrument sorted by symbol.
func (c *Catalog) All() []Instrument {
	out := make([]Instrument, 0, len(c.bySymbol))
	for _, in := range c.bySymbol {
		out = append(out, in)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Symbol < out[b].Symbol })
	return out
}

// Default returns the instruments crypto-oms ships with.
func Default() *Catalog {
	d := money.MustParse
	c, err := NewCatalog(
		Instrument{Symbol: "BTC-USD", TickSize: d("0.01"), LotSize: d("0.00001"), MinQty: d("0.00001"), MaxQty: d("100"), MinNotional: d("1")},
		Instrument{Symbol: "ETH-USD", TickSize: d("0.01"), LotSize: d("0.0001"), MinQty: d("0.0001"), MaxQty: d("2000"), MinNotional: d("1")},
		Instrument{Symbol: "SOL-USD", TickSize: d("0.001"), LotSize: d("0.001"), MinQty: d("0.001"), MaxQty: d("50000"), MinNotional: d("1")},
	)
	if err != nil {
		panic(err) // static data; a failure here is a programming error caught by tests
	}
	return c
}
