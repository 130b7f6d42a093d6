package gateway

import (
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
)

// FuzzParseOrder feeds arbitrary bodies to the request parser: it must never panic, and whatever it
// accepts must satisfy the instrument's rules.
func FuzzParseOrder(f *testing.F) {
	for _, s := range []string{
		`{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":45000}`,
		`{"symbol":"ETH-USD","side":"SELL","orderType":"MARKET","quantity":"1e-2"}`,
		`{"symbol":"SOL-USD","side":"SELL","orderType":"STOP_LIMIT","quantity":"2","price":"95","stopPrice":"96","timeInForce":"GTD","expireTime":"2030-01-01T00:00:00Z"}`,
		`{`, `[]`, `null`, `{"quantity":1e999}`,
	} {
		f.Add([]byte(s))
	}
	cat := instrument.Default()
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		s, err := parseOrder(body, "acct", "key-1", cat, now)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("non-public error %T: %v", err, err)
			}
			return
		}
		in, ok := cat.Lookup(s.Symbol)
		if !ok {
			t.Fatalf("accepted unknown symbol %s", s.Symbol)
		}
		if err := s.Validate(in, now); err != nil {
			t.Fatalf("accepted an invalid spec: %v", err)
		}
		if s.ID == "" || s.ClientOrderID == "" || s.Account != "acct" {
			t.Fatalf("spec lacks identity: %+v", s)
		}
	})
}
