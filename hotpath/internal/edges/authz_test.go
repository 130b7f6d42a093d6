package edges_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/lambdas/albapi"
	"github.com/crypto-oms/crypto-oms/lambdas/orderquery"
)

// TestAccountIsolation: account b, correctly signed, never sees account a's orders, fills, positions
// or balances, and vice versa.
func TestAccountIsolation(t *testing.T) {
	env := newStoreEnv(t)
	store := env.store(t)
	if _, err := store.Project(context.Background(), lifecycle()); err != nil {
		t.Fatal(err)
	}
	keys := albapi.StaticKeys{
		"ka": {ID: "ka", Secret: []byte("sa"), Account: "acct-a", Scopes: []auth.Scope{auth.ScopeRead}},
		"kb": {ID: "kb", Secret: []byte("sb"), Account: "acct-b", Scopes: []auth.Scope{auth.ScopeRead}},
	}
	h := orderquery.New(orderquery.Config{Reader: store, Keys: keys})
	call := func(key, path string) (int, string) {
		k := keys[key]
		ts := fmt.Sprint(time.Now().UnixMilli())
		p, q, _ := strings.Cut(path, "?")
		req := events.ALBTargetGroupRequest{HTTPMethod: "GET", Path: p, Headers: map[string]string{
			"x-oms-key": k.ID, "x-oms-timestamp": ts, "x-oms-signature": auth.Sign(k.Secret, ts, "GET", path, nil)}}
		if q != "" {
			req.QueryStringParameters = map[string]string{}
			for _, kv := range strings.Split(q, "&") {
				a, b, _ := strings.Cut(kv, "=")
				req.QueryStringParameters[a] = b
			}
		}
		resp, err := h.Handle(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, resp.Body
	}
	tests := []struct {
		key, path  string
		wantStatus int
		mustHave   string
		mustNot    string
	}{
		{"ka", "/api/orders/" + oid('1'), http.StatusOK, `"accountId":"acct-a"`, ""},
		{"kb", "/api/orders/" + oid('1'), http.StatusNotFound, "ORDER_NOT_FOUND", "acct-a"},
		{"kb", "/api/orders/by-client-id/c-11111111", http.StatusNotFound, "ORDER_NOT_FOUND", "acct-a"},
		{"kb", "/api/orders", http.StatusOK, oid('4'), oid('1')},
		{"kb", "/api/orders?symbol=BTC-USD&status=FILLED", http.StatusOK, oid('4'), oid('1')},
		{"kb", "/api/fills", http.StatusOK, oid('4'), oid('1')},
		{"ka", "/api/fills", http.StatusOK, oid('1'), oid('4')},
		{"kb", "/api/positions", http.StatusOK, `"quantity":"1"`, `"quantity":"0.5"`},
		{"kb", "/api/balances", http.StatusOK, `"total":"900"`, `"total":"954.0888"`},
		{"ka", "/api/balances", http.StatusOK, `"total":"954.0888"`, `"total":"900"`},
	}
	for _, tc := range tests {
		t.Run(tc.key+tc.path, func(t *testing.T) {
			code, body := call(tc.key, tc.path)
			if code != tc.wantStatus || !strings.Contains(body, tc.mustHave) || (tc.mustNot != "" && strings.Contains(body, tc.mustNot)) {
				t.Errorf("%d %s", code, body)
			}
			if !json.Valid([]byte(body)) {
				t.Errorf("not JSON: %s", body)
			}
		})
	}
}
