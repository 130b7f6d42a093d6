package gateway_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/gateway"
)

// mutableKeys lets a test revoke or rotate a key between requests, as the admin API does.
type mutableKeys struct {
	mu sync.Mutex
	m  map[string]auth.Key
}

func (k *mutableKeys) Lookup(_ context.Context, id string) (auth.Key, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if key, ok := k.m[id]; ok {
		return key, nil
	}
	return auth.Key{}, auth.ErrUnknown
}

func (k *mutableKeys) set(key auth.Key) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[key.ID] = key
}

// TestBrowserSession walks a trader's browser session through the gateway: one signed request opens
// it, the HttpOnly cookie (with the CSRF header) then authenticates orders and stream tokens, and it
// ends when it expires or its key is revoked or rotated; it never extends itself.
func TestBrowserSession(t *testing.T) {
	clock := now
	ops := auth.Key{ID: "ops", Secret: []byte("operator-secret"), Account: "ops", Scopes: []auth.Scope{auth.ScopeAdmin}}
	keys := &mutableKeys{m: map[string]auth.Key{"k1": key, "ops": ops}}
	mux := http.NewServeMux()
	gateway.New(gateway.Config{Catalog: instrument.Default(), Keys: keys, Idem: &memIdem{m: map[string]memEntry{}}, Publisher: &memPub{},
		Now: func() time.Time { return clock }, TokenSecret: []byte("token-secret-of-the-estate-0123456789")}).Routes(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	call := func(method, path, body string, hdr map[string]string) (*http.Response, resp) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var r resp
		r.status = res.StatusCode
		_ = decodeJSON(res, &r.body)
		return res, r
	}
	sign := func(method, path string) map[string]string {
		ts := strconv.FormatInt(clock.UnixMilli(), 10)
		return map[string]string{auth.HeaderKey: "k1", auth.HeaderTimestamp: ts, auth.HeaderSignature: auth.Sign(key.Secret, ts, method, path, nil)}
	}

	if _, r := call("POST", "/api/session", "", nil); r.status != 401 || r.body["code"] != "UNAUTHENTICATED" {
		t.Fatalf("unsigned open: %v", r)
	}
	// Behind the ALB: plain HTTP from the ALB with X-Forwarded-Proto, so the cookie must be Secure.
	open := sign("POST", "/api/session")
	open["X-Forwarded-Proto"] = "https"
	res, r := call("POST", "/api/session", "", open)
	if r.status != 200 || r.body["accountId"] != "acct-1" || r.body["keyId"] != "k1" || r.body["expiresAt"] != "2026-11-25T20:00:00Z" {
		t.Fatalf("open: %v", r)
	}
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == auth.SessionCookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || !cookie.Secure || cookie.SameSite != http.SameSiteStrictMode || cookie.Path != "/" || cookie.MaxAge != 8*3600 {
		t.Fatalf("session cookie %+v", cookie)
	}
	// An operator's admin-only key signs in too (the dashboard's operator view), but cannot trade.
	ts := strconv.FormatInt(clock.UnixMilli(), 10)
	opsRes, r := call("POST", "/api/session", "", map[string]string{auth.HeaderKey: "ops", auth.HeaderTimestamp: ts, auth.HeaderSignature: auth.Sign(ops.Secret, ts, "POST", "/api/session", nil)})
	if r.status != 200 || r.body["accountId"] != "ops" || len(opsRes.Cookies()) != 1 {
		t.Fatalf("operator sign-in: %v", r)
	}
	if _, r := call("POST", "/api/orders", `{"symbol":"BTC-USD","side":"BUY","orderType":"MARKET","quantity":"0.01"}`,
		map[string]string{"Cookie": auth.SessionCookie + "=" + opsRes.Cookies()[0].Value, auth.SessionHeader: "1", "X-Idempotency-Key": "ops-1"}); r.status != 403 || r.body["code"] != "FORBIDDEN" {
		t.Errorf("operator session placing an order: %v", r)
	}
	if res, _ := call("POST", "/api/session", "", sign("POST", "/api/session")); len(res.Cookies()) != 1 || res.Cookies()[0].Secure {
		t.Errorf("plain HTTP on loopback (a local run) should get a cookie without Secure: %v", res.Cookies())
	}
	withCookie := func(extra map[string]string) map[string]string {
		h := map[string]string{"Cookie": auth.SessionCookie + "=" + cookie.Value, auth.SessionHeader: "1"}
		for k, v := range extra {
			h[k] = v
		}
		return h
	}
	order := `{"symbol":"BTC-USD","side":"BUY","orderType":"LIMIT","quantity":"0.01","price":"30000"}`
	for _, tc := range []struct {
		name, method, path, body string
		hdr                      map[string]string
		status                   int
		code                     string
	}{
		{"whoami", "GET", "/api/session", "", withCookie(nil), 200, ""},
		{"place an order", "POST", "/api/orders", order, withCookie(map[string]string{"X-Idempotency-Key": "s-1"}), 202, ""},
		{"stream token", "POST", "/api/ws-token", "", withCookie(nil), 200, ""},
		{"cookie without the CSRF header", "POST", "/api/orders", order, map[string]string{"Cookie": auth.SessionCookie + "=" + cookie.Value, "X-Idempotency-Key": "s-2"}, 401, "SESSION_HEADER_REQUIRED"},
		{"forged cookie", "GET", "/api/session", "", map[string]string{"Cookie": auth.SessionCookie + "=" + strings.Replace(cookie.Value, ".", ".x", 1), auth.SessionHeader: "1"}, 401, "INVALID_SESSION"},
		{"a session cannot extend itself", "POST", "/api/session", "", withCookie(nil), 401, "UNAUTHENTICATED"},
	} {
		if _, r := call(tc.method, tc.path, tc.body, tc.hdr); r.status != tc.status || (tc.code != "" && r.body["code"] != tc.code) {
			t.Errorf("%s: %d %v, want %d %s", tc.name, r.status, r.body, tc.status, tc.code)
		}
	}
	if _, r := call("GET", "/api/session", "", withCookie(nil)); r.body["expiresAt"] != "2026-11-25T20:00:00Z" || r.body["accountId"] != "acct-1" {
		t.Errorf("session info %v", r.body)
	}

	clock = now.Add(8 * time.Hour)
	if _, r := call("GET", "/api/session", "", withCookie(nil)); r.status != 401 || r.body["code"] != "SESSION_EXPIRED" {
		t.Errorf("after 8 h: %v", r)
	}
	clock = now.Add(time.Hour)
	rotated := key
	rotated.Secret = []byte("rotated-secret")
	keys.set(rotated)
	if _, r := call("GET", "/api/session", "", withCookie(nil)); r.status != 401 || r.body["code"] != "INVALID_SESSION" {
		t.Errorf("after rotation: %v", r)
	}
	revoked := key
	revoked.Revoked = true
	keys.set(revoked)
	if _, r := call("GET", "/api/session", "", withCookie(nil)); r.status != 401 || r.body["code"] != "INVALID_SESSION" {
		t.Errorf("after revocation: %v", r)
	}

	res, _ = call("DELETE", "/api/session", "", nil)
	if res.StatusCode != 204 || len(res.Cookies()) != 1 || res.Cookies()[0].MaxAge >= 0 {
		t.Errorf("sign out: %d %v", res.StatusCode, res.Cookies())
	}
}

func decodeJSON(res *http.Response, v any) error { return json.NewDecoder(res.Body).Decode(v) }
