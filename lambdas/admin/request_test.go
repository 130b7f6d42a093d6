package admin_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/lambdas/admin"
	"github.com/crypto-oms/crypto-oms/lambdas/albapi"
)

// wantErr checks err is a 400 with the code and field.
func wantErr(t *testing.T, err error, code, field string) {
	t.Helper()
	var e *albapi.Error
	if !errors.As(err, &e) || e.Kind != albapi.Invalid || e.Code != code || e.Field != field {
		t.Fatalf("err = %v, want %s on %q", err, code, field)
	}
}

func TestParseStateChange(t *testing.T) {
	cat := instrument.Default()
	ok := []struct {
		body string
		want admin.StateChange
	}{
		{`{"scope":"GLOBAL","state":"HALTED","reason":"exchange incident"}`, admin.StateChange{Scope: events.ScopeGlobal, State: events.Halted, Reason: "exchange incident"}},
		{`{"scope":"global","target":"","state":"active","reason":" over "}`, admin.StateChange{Scope: events.ScopeGlobal, State: events.Active, Reason: "over"}},
		{`{"scope":"ACCOUNT","target":"acct_1-x","state":"REDUCING","reason":"margin"}`, admin.StateChange{Scope: events.ScopeAccount, Target: "acct_1-x", State: events.Reducing, Reason: "margin"}},
		{`{"scope":"SYMBOL","target":"btc/usd","state":"HALTED","reason":"prints"}`, admin.StateChange{Scope: events.ScopeSymbol, Target: "BTC-USD", State: events.Halted, Reason: "prints"}},
	}
	for _, tc := range ok {
		got, err := admin.ParseStateChange([]byte(tc.body), cat)
		if err != nil || got != tc.want {
			t.Errorf("%s -> %+v, %v; want %+v", tc.body, got, err, tc.want)
		}
	}
	bad := []struct{ body, code, field string }{
		{``, "EMPTY_BODY", ""},
		{`[1]`, "MALFORMED_JSON", ""},
		{`{"scope":"GLOBAL"} {}`, "MALFORMED_JSON", ""},
		{`{"scope":"GLOBAL","state":"HALTED","reason":"x","extra":1}`, "UNKNOWN_FIELD", "extra"},
		{`{"state":"HALTED","reason":"x"}`, "FIELD_REQUIRED", "scope"},
		{`{"scope":1,"state":"HALTED","reason":"x"}`, "INVALID_FIELD_TYPE", "scope"},
		{`{"scope":"PLANET","state":"HALTED","reason":"x"}`, "INVALID_SCOPE", "scope"},
		{`{"scope":"GLOBAL","target":"acct-1","state":"HALTED","reason":"x"}`, "INVALID_TARGET", "target"},
		{`{"scope":"ACCOUNT","state":"HALTED","reason":"x"}`, "INVALID_TARGET", "target"},
		{`{"scope":"ACCOUNT","target":"a b","state":"HALTED","reason":"x"}`, "INVALID_TARGET", "target"},
		{`{"scope":"SYMBOL","target":"BTC","state":"HALTED","reason":"x"}`, "INVALID_SYMBOL", "target"},
		{`{"scope":"SYMBOL","target":"DOGE-USD","state":"HALTED","reason":"x"}`, "UNKNOWN_SYMBOL", "target"},
		{`{"scope":"GLOBAL","state":"STOPPED","reason":"x"}`, "INVALID_STATE", "state"},
		{`{"scope":"GLOBAL","state":"HALTED"}`, "FIELD_REQUIRED", "reason"},
		{`{"scope":"GLOBAL","state":"HALTED","reason":"   "}`, "INVALID_REASON", "reason"},
		{`{"scope":"GLOBAL","state":"HALTED","reason":"` + strings.Repeat("x", 201) + `"}`, "INVALID_REASON", "reason"},
		{`{"scope":"GLOBAL","state":"HALTED","reason":"line\nbreak"}`, "INVALID_REASON", "reason"},
	}
	for _, tc := range bad {
		t.Run(tc.code+" "+tc.field, func(t *testing.T) {
			_, err := admin.ParseStateChange([]byte(tc.body), cat)
			wantErr(t, err, tc.code, tc.field)
		})
	}
}

func TestParseNewAccountAndKey(t *testing.T) {
	if a, err := admin.ParseNewAccount([]byte(`{"accountId":"desk-7","name":"Desk seven"}`)); err != nil || a.ID != "desk-7" || a.Name != "Desk seven" {
		t.Errorf("account: %+v %v", a, err)
	}
	_, err := admin.ParseNewAccount([]byte(`{"accountId":"` + strings.Repeat("a", 65) + `","name":"x"}`))
	wantErr(t, err, "INVALID_ACCOUNT_ID", "accountId")
	_, err = admin.ParseNewAccount([]byte(`{"accountId":"ok"}`))
	wantErr(t, err, "FIELD_REQUIRED", "name")

	k, err := admin.ParseNewKey([]byte(`{"accountId":"desk-7","scopes":["Trade","read"],"label":"bot"}`))
	if err != nil || len(k.Scopes) != 2 || k.Scopes[0] != "trade" || k.Label != "bot" {
		t.Errorf("key: %+v %v", k, err)
	}
	for _, tc := range []struct{ body, code, field string }{
		{`{"accountId":"d","scopes":[]}`, "INVALID_KEY_SCOPE", "scopes"},
		{`{"accountId":"d","scopes":["trade","trade"]}`, "INVALID_KEY_SCOPE", "scopes"},
		{`{"accountId":"d","scopes":["root"]}`, "INVALID_KEY_SCOPE", "scopes"},
		{`{"accountId":"d","scopes":"trade"}`, "INVALID_FIELD_TYPE", "scopes"},
		{`{"accountId":"d"}`, "FIELD_REQUIRED", "scopes"},
		{`{"scopes":["read"]}`, "FIELD_REQUIRED", "accountId"},
		{`{"accountId":"d","scopes":["read"],"label":"` + strings.Repeat("l", 101) + `"}`, "INVALID_LABEL", "label"},
	} {
		_, err := admin.ParseNewKey([]byte(tc.body))
		wantErr(t, err, tc.code, tc.field)
	}
}

func TestParseRiskLimits(t *testing.T) {
	cat, def := instrument.Default(), account.DefaultLimits()
	l, err := admin.ParseRiskLimits([]byte(`{"maxOrderNotional":100.5,"maxOrderQty":{"btc/usd":"0.5"},"maxOpenOrders":0,"source":"DEFAULT","updatedAt":null,"accountId":"acct-1"}`), "acct-1", def, cat)
	if err != nil {
		t.Fatal(err)
	}
	if !l.MaxOrderNotional.Equal(money.MustParse("100.5")) || l.MaxOpenOrders != 0 || len(l.MaxOrderQty) != 1 || !l.MaxOrderQty["BTC-USD"].Equal(money.MustParse("0.5")) {
		t.Errorf("limits = %+v", l)
	}
	if !l.PriceCollarPct.Equal(def.PriceCollarPct) || len(l.MaxPosition) != len(def.MaxPosition) {
		t.Errorf("omitted fields did not take the defaults: %+v", l)
	}
	l.MaxPosition["BTC-USD"] = money.Zero
	if account.DefaultLimits().MaxPosition["BTC-USD"].IsZero() || def.MaxPosition["BTC-USD"].IsZero() {
		t.Error("the parsed limits share a map with the defaults")
	}
	for _, tc := range []struct{ body, code, field string }{
		{`{"priceCollarPct":"150"}`, account.InvalidLimit, "priceCollarPct"},
		{`{"priceCollarPct":"0"}`, account.InvalidLimit, "priceCollarPct"},
		{`{"maxOrderNotional":"-5"}`, account.InvalidLimit, "maxOrderNotional"},
		{`{"maxOrderNotional":"lots"}`, "INVALID_NUMBER", "maxOrderNotional"},
		{`{"maxOrderNotional":true}`, "INVALID_FIELD_TYPE", "maxOrderNotional"},
		{`{"maxOpenOrders":-1}`, account.InvalidLimit, "maxOpenOrders"},
		{`{"maxOpenOrders":1.5}`, account.InvalidLimit, "maxOpenOrders"},
		{`{"maxOpenOrders":"5"}`, "INVALID_FIELD_TYPE", "maxOpenOrders"},
		{`{"maxOrdersPerSec":99999999999}`, account.InvalidLimit, "maxOrdersPerSec"},
		{`{"maxOrderQty":{"DOGE-USD":"1"}}`, account.UnknownSymbol, "maxOrderQty.DOGE-USD"},
		{`{"maxOrderQty":{"nope":"1"}}`, "INVALID_SYMBOL", "maxOrderQty.nope"},
		{`{"maxPosition":{"ETH-USD":"0"}}`, account.InvalidLimit, "maxPosition.ETH-USD"},
		{`{"maxPosition":{"BTC-USD":"1","btc/usd":"2"}}`, account.InvalidLimit, "maxPosition.BTC-USD"},
		{`{"maxPosition":["BTC-USD"]}`, "INVALID_FIELD_TYPE", "maxPosition"},
		{`{"accountId":"other"}`, "ACCOUNT_MISMATCH", "accountId"},
		{`{"maxLeverage":"3"}`, "UNKNOWN_FIELD", "maxLeverage"},
	} {
		_, err := admin.ParseRiskLimits([]byte(tc.body), "acct-1", def, cat)
		wantErr(t, err, tc.code, tc.field)
	}
}

// The fuzzers hold every parser to its contract: no panic; a failure is a 400 with a code; a success
// is valid by the domain's own rules.

func checkFailure(t *testing.T, err error) {
	t.Helper()
	var e *albapi.Error
	if !errors.As(err, &e) || e.Kind != albapi.Invalid || e.Code == "" || e.Msg == "" {
		t.Fatalf("failure is not a 400 with a code and message: %#v", err)
	}
}

func FuzzParseStateChange(f *testing.F) {
	f.Add([]byte(`{"scope":"SYMBOL","target":"btc/usd","state":"HALTED","reason":"prints"}`))
	f.Add([]byte(`{"scope":"ACCOUNT","target":"a","state":"reducing","reason":"x"}`))
	f.Add([]byte(`{"scope":"GLOBAL","state":"ACTIVE","reason":"\u0000"}`))
	cat := instrument.Default()
	f.Fuzz(func(t *testing.T, b []byte) {
		sc, err := admin.ParseStateChange(b, cat)
		if err != nil {
			checkFailure(t, err)
			return
		}
		if n := utf8.RuneCountInString(sc.Reason); n < 1 || n > admin.MaxReason || sc.State == 0 {
			t.Fatalf("accepted %+v", sc)
		}
		switch sc.Scope {
		case events.ScopeGlobal:
			if sc.Target != "" {
				t.Fatalf("GLOBAL with target %q", sc.Target)
			}
		case events.ScopeAccount:
			if !admin.ValidAccountID(sc.Target) {
				t.Fatalf("bad account %q", sc.Target)
			}
		case events.ScopeSymbol:
			if _, ok := cat.Lookup(instrument.Symbol(sc.Target)); !ok {
				t.Fatalf("unknown symbol %q", sc.Target)
			}
		default:
			t.Fatalf("scope %v", sc.Scope)
		}
	})
}

func FuzzParseRiskLimits(f *testing.F) {
	f.Add([]byte(`{"maxOrderNotional":"5000","maxOrderQty":{"BTC/USD":"0.5"},"maxOrdersPerSec":20}`))
	f.Add([]byte(`{"priceCollarPct":1e2,"maxPosition":{},"maxOpenOrders":0}`))
	cat := instrument.Default()
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := admin.ParseRiskLimits(b, "acct-1", account.DefaultLimits(), cat)
		if err != nil {
			checkFailure(t, err)
			return
		}
		if err := l.Validate(cat); err != nil {
			t.Fatalf("accepted limits that do not validate: %v", err)
		}
		// What is accepted travels as a LIMITS command and decodes the same.
		c := events.Control{Kind: events.ControlLimits, Scope: events.ScopeAccount, Target: "acct-1", Limits: events.RiskLimits(l)}
		back, err := events.DecodeControl(events.AppendControl(nil, c))
		if err != nil || account.Limits(back.Limits).Validate(cat) != nil || !back.Limits.MaxOrderNotional.Equal(l.MaxOrderNotional) {
			t.Fatalf("LIMITS command of accepted limits: %+v %v", back, err)
		}
	})
}

func FuzzParseNewKey(f *testing.F) {
	f.Add([]byte(`{"accountId":"desk-7","scopes":["trade","read"],"label":"bot"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := admin.ParseNewKey(b)
		if err != nil {
			checkFailure(t, err)
			return
		}
		if !admin.ValidAccountID(string(k.Account)) || len(k.Scopes) == 0 || len(k.Scopes) > 3 || utf8.RuneCountInString(k.Label) > admin.MaxLabel {
			t.Fatalf("accepted %+v", k)
		}
	})
}

func FuzzParseNewAccount(f *testing.F) {
	f.Add([]byte(`{"accountId":"desk-7","name":"Desk seven"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := admin.ParseNewAccount(b)
		if err != nil {
			checkFailure(t, err)
			return
		}
		if !admin.ValidAccountID(string(a.ID)) || a.Name == "" || utf8.RuneCountInString(a.Name) > admin.MaxName {
			t.Fatalf("accepted %+v", a)
		}
	})
}
