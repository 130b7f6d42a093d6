package auth_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
)

func TestVerify(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	k := auth.Key{ID: "k1", Secret: []byte("s3cret"), Account: "a1", Scopes: []auth.Scope{auth.ScopeTrade}}
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	body := []byte(`{"symbol":"BTC-USD"}`)
	sig := auth.Sign(k.Secret, ts, "POST", "/api/orders", body)
	old := strconv.FormatInt(now.Add(-time.Minute).UnixMilli(), 10)
	tests := []struct {
		name                  string
		key                   auth.Key
		ts, sig, method, path string
		body                  []byte
		want                  error
	}{
		{"ok", k, ts, sig, "POST", "/api/orders", body, nil},
		{"body changed", k, ts, sig, "POST", "/api/orders", []byte(`{"symbol":"ETH-USD"}`), auth.ErrBadSig},
		{"path changed", k, ts, sig, "POST", "/api/orders/batch", body, auth.ErrBadSig},
		{"method changed", k, ts, sig, "DELETE", "/api/orders", body, auth.ErrBadSig},
		{"stale", k, old, auth.Sign(k.Secret, old, "POST", "/api/orders", body), "POST", "/api/orders", body, auth.ErrClockSkew},
		{"bad hex", k, ts, "zz", "POST", "/api/orders", body, auth.ErrMalformed},
		{"bad ts", k, "yesterday", sig, "POST", "/api/orders", body, auth.ErrMalformed},
		{"revoked", auth.Key{Secret: k.Secret, Revoked: true}, ts, sig, "POST", "/api/orders", body, auth.ErrUnknown},
	}
	for _, tc := range tests {
		err := auth.Verify(tc.key, tc.ts, tc.sig, tc.method, tc.path, tc.body, now, 30*time.Second)
		if !errors.Is(err, tc.want) && !(err == nil && tc.want == nil) {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.want)
		}
	}
	if !k.Has(auth.ScopeTrade) || k.Has(auth.ScopeAdmin) {
		t.Error("Has wrong")
	}
}

func TestParseKeyFile(t *testing.T) {
	good := `[{"id":"k1","secret":"0123456789abcdef","account":"a1","scopes":["trade","read"]}]`
	keys, err := auth.ParseKeyFile([]byte(good))
	if err != nil || keys["k1"].Account != "a1" || !keys["k1"].Has(auth.ScopeTrade) {
		t.Fatalf("%v %v", keys, err)
	}
	for _, bad := range []string{
		`[{"id":"k1","secret":"short","account":"a1"}]`,
		`[{"id":"k1","secret":"0123456789abcdef","account":"a1","scopes":["root"]}]`,
		`[{"id":"k1","secret":"0123456789abcdef","account":"a1"},{"id":"k1","secret":"0123456789abcdef","account":"a2"}]`,
		`[{"id":"k1","secret":"0123456789abcdef","account":"a1","extra":1}]`,
		`{`,
	} {
		if _, err := auth.ParseKeyFile([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
