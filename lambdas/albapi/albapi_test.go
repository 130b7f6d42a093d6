package albapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/lambdas/albapi"
)

func TestAuthenticate(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	key := auth.Key{ID: "k1", Secret: []byte("0123456789abcdef"), Account: "acct-1", Scopes: []auth.Scope{auth.ScopeRead}}
	revoked := auth.Key{ID: "k2", Secret: []byte("0123456789abcdef"), Account: "acct-2", Revoked: true}
	a := &albapi.Authenticator{Keys: albapi.StaticKeys{"k1": key, "k2": revoked}, DevAccount: "demo", DevScopes: []auth.Scope{auth.ScopeAdmin}, Now: func() time.Time { return now }}
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	signed := func(k auth.Key, pathQuery string, q map[string]string) events.ALBTargetGroupRequest {
		return events.ALBTargetGroupRequest{
			HTTPMethod: "GET", Path: "/api/orders", QueryStringParameters: q,
			Headers: map[string]string{"X-OMS-Key": k.ID, "x-oms-timestamp": ts, "X-OMS-Signature": auth.Sign(k.Secret, ts, "GET", pathQuery, nil)},
		}
	}
	tests := []struct {
		name     string
		req      events.ALBTargetGroupRequest
		wantAcct string
		wantCode string
	}{
		{"signed, no query", signed(key, "/api/orders", nil), "acct-1", ""},
		{"signed, query in client order", signed(key, "/api/orders?status=open&symbol=BTC%2FUSD", map[string]string{"symbol": "BTC%2FUSD", "status": "open"}), "acct-1", ""},
		{"signed over another query", signed(key, "/api/orders?status=FILLED", map[string]string{"status": "open"}), "", "INVALID_SIGNATURE"},
		{"unknown key", signed(auth.Key{ID: "nope", Secret: key.Secret}, "/api/orders", nil), "", "INVALID_API_KEY"},
		{"revoked key", signed(revoked, "/api/orders", nil), "", "INVALID_API_KEY"},
		{"unsigned from loopback is the dev account", events.ALBTargetGroupRequest{HTTPMethod: "GET", Path: "/api/orders", Headers: map[string]string{"X-Forwarded-For": "127.0.0.1"}}, "demo", ""},
		{"unsigned from elsewhere", events.ALBTargetGroupRequest{HTTPMethod: "GET", Path: "/api/orders", Headers: map[string]string{"X-Forwarded-For": "127.0.0.1, 10.0.0.7"}}, "", "UNAUTHENTICATED"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkAuth(t, a, tc.req, tc.wantAcct, tc.wantCode) })
	}
}

// checkAuth authenticates req and checks the account it resolves to, or the error code.
func checkAuth(t *testing.T, a *albapi.Authenticator, req events.ALBTargetGroupRequest, wantAcct, wantCode string) {
	t.Helper()
	r, err := albapi.Parse(req)
	if err != nil {
		t.Fatal(err)
	}
	k, err := a.Authenticate(context.Background(), r)
	var e *albapi.Error
	switch {
	case wantCode == "" && err != nil:
		t.Fatalf("unexpected error %v", err)
	case wantCode != "" && (!errors.As(err, &e) || e.Code != wantCode):
		t.Fatalf("err = %v, want code %s", err, wantCode)
	case string(k.Account) != wantAcct:
		t.Fatalf("account = %q, want %q", k.Account, wantAcct)
	}
}

// TestAuthenticateSession: the Lambda edges accept the gateway's browser session cookie with the same
// rules and codes as the gateway (hotpath/internal/gateway TestBrowserSession).
func TestAuthenticateSession(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	secret := []byte("token-secret-of-the-estate-0123456789")
	key := auth.Key{ID: "k1", Secret: []byte("0123456789abcdef"), Account: "acct-1", Scopes: []auth.Scope{auth.ScopeRead}}
	rotated := key
	rotated.Secret = []byte("a-rotated-secret")
	tok, _ := auth.IssueSession(secret, key, now, time.Hour)
	cookie := "theme=dark; " + auth.SessionCookie + "=" + tok
	req := func(hdr map[string]string) events.ALBTargetGroupRequest {
		return events.ALBTargetGroupRequest{HTTPMethod: "GET", Path: "/api/orders", Headers: hdr}
	}
	for _, tc := range []struct {
		name     string
		keys     albapi.StaticKeys
		secret   []byte
		at       time.Time
		req      events.ALBTargetGroupRequest
		wantAcct string
		wantCode string
	}{
		{"cookie and header", albapi.StaticKeys{"k1": key}, secret, now, req(map[string]string{"cookie": cookie, "x-oms-session": "1"}), "acct-1", ""},
		{"no CSRF header", albapi.StaticKeys{"k1": key}, secret, now, req(map[string]string{"cookie": cookie}), "", "SESSION_HEADER_REQUIRED"},
		{"expired", albapi.StaticKeys{"k1": key}, secret, now.Add(time.Hour), req(map[string]string{"cookie": cookie, "x-oms-session": "1"}), "", "SESSION_EXPIRED"},
		{"key rotated", albapi.StaticKeys{"k1": rotated}, secret, now, req(map[string]string{"cookie": cookie, "x-oms-session": "1"}), "", "INVALID_SESSION"},
		{"key gone", albapi.StaticKeys{}, secret, now, req(map[string]string{"cookie": cookie, "x-oms-session": "1"}), "", "INVALID_SESSION"},
		{"issued by another estate", albapi.StaticKeys{"k1": key}, []byte("another-secret"), now, req(map[string]string{"cookie": cookie, "x-oms-session": "1"}), "", "INVALID_SESSION"},
		{"no token secret: cookies ignored", albapi.StaticKeys{"k1": key}, nil, now, req(map[string]string{"cookie": cookie, "x-oms-session": "1"}), "", "UNAUTHENTICATED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &albapi.Authenticator{Keys: tc.keys, TokenSecret: tc.secret, Now: func() time.Time { return tc.at }}
			checkAuth(t, a, tc.req, tc.wantAcct, tc.wantCode)
		})
	}
}

func TestFailMapsKinds(t *testing.T) {
	tests := []struct {
		err        error
		status     int
		code       string
		retryAfter bool
	}{
		{albapi.Errf(albapi.Invalid, "INVALID_LIMIT", "limit", "limit must be 1..500"), 400, "INVALID_LIMIT", false},
		{albapi.Errf(albapi.Conflict, "ACCOUNT_EXISTS", "", "exists"), 409, "ACCOUNT_EXISTS", false},
		{&albapi.Error{Kind: albapi.Unavailable, Code: "STORE_UNAVAILABLE", Msg: "down", Err: errors.New("dial tcp: refused")}, 503, "STORE_UNAVAILABLE", true},
		{errors.New("boom with secret detail"), 500, "INTERNAL", false},
	}
	for _, tc := range tests {
		resp := albapi.Fail(slog.New(slog.DiscardHandler), tc.err)
		var body struct{ Code, Msg string }
		if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tc.status || body.Code != tc.code || (resp.Headers["Retry-After"] != "") != tc.retryAfter {
			t.Errorf("%v -> %d %s (Retry-After %q)", tc.err, resp.StatusCode, body.Code, resp.Headers["Retry-After"])
		}
		if tc.code == "INTERNAL" && body.Msg != "internal error" {
			t.Errorf("internal detail leaked: %q", body.Msg)
		}
	}
}

func TestQueryParams(t *testing.T) {
	if _, err := albapi.QueryParams(map[string][]string{"x": {"1"}}, "limit"); err == nil {
		t.Error("unknown parameter accepted")
	}
	if _, err := albapi.QueryParams(map[string][]string{"limit": {"1", "2"}}, "limit"); err == nil {
		t.Error("repeated parameter accepted")
	}
	for _, s := range []string{"0", "501", "x", "-1"} {
		if _, err := albapi.ParseLimit(s, 500); err == nil {
			t.Errorf("limit %q accepted", s)
		}
	}
	if n, err := albapi.ParseLimit("500", 500); err != nil || n != 500 {
		t.Errorf("limit 500 = %d, %v", n, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("/api/orders", "symbol", "BTC%2FUSD", "e30=", true)
	f.Add("/api/x", "%zz", "", "", false)
	f.Fuzz(func(t *testing.T, path, k, v, body string, b64 bool) {
		r, err := albapi.Parse(events.ALBTargetGroupRequest{HTTPMethod: "GET", Path: path, QueryStringParameters: map[string]string{k: v}, Body: body, IsBase64Encoded: b64})
		if err != nil {
			return
		}
		if len(r.Raw[k]) != 1 {
			t.Fatalf("raw query lost: %v", r.Raw)
		}
	})
}
