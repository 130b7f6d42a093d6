package gateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/debugsrv"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/gateway"
)

// memIdem is an in-memory idempotency store for handler unit tests; the Redis adapter has its own
// tests against a real server.
type memIdem struct {
	mu   sync.Mutex
	m    map[string]memEntry
	down bool
}

type memEntry struct {
	hash   [32]byte
	done   bool
	status int
	body   []byte
}

func (s *memIdem) Reserve(_ context.Context, a, k string, h [32]byte) (gateway.Reservation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return gateway.Reservation{}, errors.New("down")
	}
	e, ok := s.m[a+":"+k]
	switch {
	case !ok:
		s.m[a+":"+k] = memEntry{hash: h}
		return gateway.Reservation{}, nil
	case e.hash != h:
		return gateway.Reservation{Conflict: gateway.Mismatch}, nil
	case !e.done:
		return gateway.Reservation{Conflict: gateway.InFlight}, nil
	}
	return gateway.Reservation{Replay: true, Status: e.status, Body: e.body}, nil
}

func (s *memIdem) Complete(_ context.Context, a, k string, h [32]byte, st int, b []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[a+":"+k] = memEntry{hash: h, done: true, status: st, body: b}
	return nil
}

func (s *memIdem) Release(_ context.Context, a, k string, _ [32]byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, a+":"+k)
	return nil
}

func (s *memIdem) Ping(context.Context) error {
	if s.down {
		return errors.New("down")
	}
	return nil
}

type memPub struct {
	mu   sync.Mutex
	cmds []events.OrderCommand
	down bool
}

func (p *memPub) PublishCommand(_ context.Context, c events.OrderCommand) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return errors.New("broker down")
	}
	p.cmds = append(p.cmds, c)
	return nil
}

func (p *memPub) PublishCommands(ctx context.Context, cs []events.OrderCommand) []error {
	errs := make([]error, len(cs))
	for i, c := range cs {
		errs[i] = p.PublishCommand(ctx, c)
	}
	return errs
}

func (p *memPub) Ping(context.Context) error { return nil }

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

var key = auth.Key{ID: "k1", Secret: []byte("secret"), Account: "acct-1", Scopes: []auth.Scope{auth.ScopeTrade}}

func newServer(t *testing.T, dev bool) (*httptest.Server, *memIdem, *memPub) {
	idem, pub := &memIdem{m: map[string]memEntry{}}, &memPub{}
	cfg := gateway.Config{Catalog: instrument.Default(), Keys: gateway.StaticKeys{"k1": key, "ro": {ID: "ro", Secret: []byte("x"), Account: "acct-2", Scopes: []auth.Scope{auth.ScopeRead}}},
		Idem: idem, Publisher: pub, Now: func() time.Time { return now }}
	if dev {
		cfg.DevAccount = "demo"
	}
	mux := http.NewServeMux()
	gateway.New(cfg).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, idem, pub
}

type resp struct {
	status int
	body   map[string]any
}

func do(t *testing.T, srv *httptest.Server, method, path, body string, hdr map[string]string) resp {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return resp{res.StatusCode, m}
}

func signed(method, path, body string) map[string]string {
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	return map[string]string{auth.HeaderKey: "k1", auth.HeaderTimestamp: ts, auth.HeaderSignature: auth.Sign(key.Secret, ts, method, path, []byte(body))}
}

func withKey(h map[string]string, k string) map[string]string {
	h["X-Idempotency-Key"] = k
	return h
}

func TestPlaceValidation(t *testing.T) {
	srv, _, pub := newServer(t, true)
	tests := []struct {
		name, body  string
		status      int
		code, field string
	}{
		{"original contract", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":45000}`, 202, "", ""},
		{"decimal strings and dash symbol", `{"symbol":"BTC-USD","side":"SELL","orderType":"LIMIT","quantity":"0.1","price":"46000.5"}`, 202, "", ""},
		{"market with null price", `{"symbol":"ETH/USD","side":"BUY","orderType":"MARKET","quantity":1,"price":null}`, 202, "", ""},
		{"stop limit", `{"symbol":"SOL-USD","side":"SELL","orderType":"STOP_LIMIT","quantity":"2","price":"95","stopPrice":"96","timeInForce":"GTC"}`, 202, "", ""},
		{"unknown field", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":45000,"leverage":10}`, 400, "UNKNOWN_FIELD", "leverage"},
		{"unknown symbol", `{"symbol":"DOGE/USD","side":"BUY","orderType":"LIMIT","quantity":1,"price":1}`, 400, "UNKNOWN_SYMBOL", "symbol"},
		{"bad side", `{"symbol":"BTC/USD","side":"LONG","orderType":"LIMIT","quantity":1,"price":1}`, 400, "INVALID_SIDE", "side"},
		{"limit without price", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1}`, 400, "PRICE_REQUIRED", "price"},
		{"market with price", `{"symbol":"BTC/USD","side":"BUY","orderType":"MARKET","quantity":0.1,"price":45000}`, 400, "PRICE_NOT_ALLOWED", "price"},
		{"tick size", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":45000.001}`, 400, "INVALID_TICK_SIZE", "price"},
		{"lot size", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.000001,"price":45000}`, 400, "INVALID_LOT_SIZE", "quantity"},
		{"min notional", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.00001,"price":45000}`, 400, "NOTIONAL_TOO_SMALL", "quantity"},
		{"quantity missing", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","price":45000}`, 400, "FIELD_REQUIRED", "quantity"},
		{"quantity not a number", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":"lots","price":45000}`, 400, "INVALID_NUMBER", "quantity"},
		{"wrong type", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":45000,"postOnly":"yes"}`, 400, "INVALID_FIELD_TYPE", "postOnly"},
		{"malformed", `{"symbol":`, 400, "MALFORMED_JSON", ""},
		{"trailing data", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":45000} {}`, 400, "MALFORMED_JSON", ""},
		{"gtd without expiry", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":45000,"timeInForce":"GTD"}`, 400, "EXPIRE_TIME_REQUIRED", "expireTime"},
		{"post-only IOC", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":45000,"timeInForce":"IOC","postOnly":true}`, 400, "POST_ONLY_NOT_ALLOWED", "postOnly"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, "POST", "/api/orders", tc.body, map[string]string{"X-Idempotency-Key": "k" + strconv.Itoa(i)})
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %v", r.status, tc.status, r.body)
			}
			if tc.code != "" && (r.body["code"] != tc.code || (tc.field != "" && r.body["field"] != tc.field) || r.body["msg"] == "") {
				t.Fatalf("body %v, want code %s field %s", r.body, tc.code, tc.field)
			}
			if tc.status == 202 {
				for _, f := range []string{"orderId", "clientOrderId", "symbol", "side", "orderType", "quantity", "status", "createdAt"} {
					if _, ok := r.body[f]; !ok {
						t.Errorf("response lacks %s: %v", f, r.body)
					}
				}
				if r.body["status"] != "PENDING_NEW" {
					t.Errorf("status %v", r.body["status"])
				}
				if _, isString := r.body["quantity"].(string); !isString {
					t.Errorf("quantity is not a decimal string: %v", r.body["quantity"])
				}
			}
		})
	}
	if len(pub.cmds) != 4 {
		t.Errorf("published %d commands, want exactly the 4 valid orders", len(pub.cmds))
	}
}

func TestIdempotency(t *testing.T) {
	srv, _, pub := newServer(t, true)
	body := `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":45000}`
	first := do(t, srv, "POST", "/api/orders", body, map[string]string{"X-Idempotency-Key": "same"})
	// Same request in another spelling: same canonical order, so a replay.
	again := do(t, srv, "POST", "/api/orders", `{"symbol":"BTC-USD","side":"BUY","orderType":"LIMIT","quantity":"0.10","price":"45000.00"}`, map[string]string{"X-Idempotency-Key": "same"})
	if first.status != 202 || again.status != 202 || first.body["orderId"] != again.body["orderId"] {
		t.Fatalf("replay: %v / %v", first, again)
	}
	diff := do(t, srv, "POST", "/api/orders", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.2,"price":45000}`, map[string]string{"X-Idempotency-Key": "same"})
	if diff.status != 422 || diff.body["code"] != "IDEMPOTENCY_KEY_REUSED" {
		t.Fatalf("different body: %v", diff)
	}
	none := do(t, srv, "POST", "/api/orders", body, nil)
	if none.status != 400 || none.body["code"] != "INVALID_CLIENT_ORDER_ID" {
		t.Fatalf("no key: %v", none)
	}
	if len(pub.cmds) != 1 {
		t.Fatalf("published %d, want 1", len(pub.cmds))
	}
}

func TestUnavailableDependencies(t *testing.T) {
	srv, idem, pub := newServer(t, true)
	body := `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":45000}`
	pub.down = true
	r := do(t, srv, "POST", "/api/orders", body, map[string]string{"X-Idempotency-Key": "x"})
	if r.status != 503 || r.body["code"] != "KAFKA_UNAVAILABLE" {
		t.Fatalf("kafka down: %v", r)
	}
	pub.down = false
	// The failed attempt released the key: the retry places the order.
	if r := do(t, srv, "POST", "/api/orders", body, map[string]string{"X-Idempotency-Key": "x"}); r.status != 202 {
		t.Fatalf("retry after kafka recovered: %v", r)
	}
	idem.down = true
	r = do(t, srv, "POST", "/api/orders", body, map[string]string{"X-Idempotency-Key": "y"})
	if r.status != 503 || r.body["code"] != "IDEMPOTENCY_UNAVAILABLE" {
		t.Fatalf("redis down: %v", r)
	}
	if h := do(t, srv, "GET", "/health", "", nil); h.status != 503 || h.body["status"] != "unhealthy" {
		t.Fatalf("health with redis down: %v", h)
	}
	if len(pub.cmds) != 1 {
		t.Fatalf("published %d, want 1", len(pub.cmds))
	}
}

func TestAuthentication(t *testing.T) {
	srv, _, pub := newServer(t, false)
	body := `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":45000}`
	if r := do(t, srv, "POST", "/api/orders", body, map[string]string{"X-Idempotency-Key": "a"}); r.status != 401 || r.body["code"] != "UNAUTHENTICATED" {
		t.Fatalf("unsigned outside dev mode: %v", r)
	}
	if r := do(t, srv, "POST", "/api/orders", body, withKey(signed("POST", "/api/orders", body), "a")); r.status != 202 || r.body["accountId"] != "acct-1" {
		t.Fatalf("signed: %v", r)
	}
	h := withKey(signed("POST", "/api/orders", body), "b")
	h[auth.HeaderSignature] = strings.Repeat("0", 64)
	if r := do(t, srv, "POST", "/api/orders", body, h); r.status != 401 || r.body["code"] != "INVALID_SIGNATURE" {
		t.Fatalf("bad signature: %v", r)
	}
	h = withKey(signed("POST", "/api/orders", body), "c")
	h[auth.HeaderKey] = "ro"
	if r := do(t, srv, "POST", "/api/orders", body, h); r.status != 401 && r.status != 403 {
		t.Fatalf("read-only key: %v", r)
	}
	if r := do(t, srv, "DELETE", "/api/orders/"+strings.Repeat("a", 32), "", signed("DELETE", "/api/orders/"+strings.Repeat("a", 32), "")); r.status != 202 || r.body["status"] != "PENDING_CANCEL" {
		t.Fatalf("cancel: %v", r)
	}
	if len(pub.cmds) != 2 || pub.cmds[1].Account != "acct-1" || pub.cmds[1].Kind != events.CmdCancel {
		t.Fatalf("commands %+v", pub.cmds)
	}
}

func TestCancelAmendBatch(t *testing.T) {
	srv, _, pub := newServer(t, true)
	if r := do(t, srv, "DELETE", "/api/orders/not-an-id", "", nil); r.status != 400 || r.body["code"] != "INVALID_ORDER_ID" {
		t.Fatalf("bad id: %v", r)
	}
	if r := do(t, srv, "DELETE", "/api/orders?symbol=BTC/USD", "", nil); r.status != 202 || r.body["request"] != "CANCEL_ALL" {
		t.Fatalf("cancel all: %v", r)
	}
	id := strings.Repeat("b", 32)
	if r := do(t, srv, "PATCH", "/api/orders/"+id, `{"price":"45100"}`, nil); r.status != 202 || r.body["request"] != "REPLACE" {
		t.Fatalf("amend: %v", r)
	}
	if r := do(t, srv, "PATCH", "/api/orders/"+id, `{}`, nil); r.status != 400 || r.body["code"] != "NOTHING_TO_AMEND" {
		t.Fatalf("empty amend: %v", r)
	}
	batch := `{"orders":[{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":45000,"clientOrderId":"b1"},{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"clientOrderId":"b2"},{"symbol":"ETH/USD","side":"SELL","orderType":"MARKET","quantity":1}]}`
	r := do(t, srv, "POST", "/api/orders/batch", batch, nil)
	if r.status != 200 {
		t.Fatalf("batch: %v", r)
	}
	res := r.body["results"].([]any)
	want := []float64{202, 400, 400}
	for i, x := range res {
		if got := x.(map[string]any)["status"].(float64); got != want[i] {
			t.Errorf("batch result %d status %v, want %v (%v)", i, got, want[i], x)
		}
	}
	if len(pub.cmds) != 3 {
		t.Fatalf("published %d", len(pub.cmds))
	}
	big := "[" + strings.Repeat(`{"symbol":"BTC/USD"},`, 100) + `{"symbol":"BTC/USD"}]`
	if r := do(t, srv, "POST", "/api/orders/batch", big, nil); r.status != 400 || r.body["code"] != "BATCH_SIZE" {
		t.Fatalf("oversized batch: %v", r)
	}
}

func TestMetricsAndDebugPort(t *testing.T) {
	reg := debugsrv.NewRegistry()
	idem, pub := &memIdem{m: map[string]memEntry{}}, &memPub{}
	mux := http.NewServeMux()
	gateway.New(gateway.Config{Catalog: instrument.Default(), Keys: gateway.StaticKeys{}, Idem: idem, Publisher: pub, DevAccount: "demo", Metrics: gateway.NewMetrics(reg)}).Routes(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	do(t, srv, "POST", "/api/orders", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":45000}`, map[string]string{"X-Idempotency-Key": "m1"})
	do(t, srv, "POST", "/api/orders", `{"symbol":"BTC/USD"}`, map[string]string{"X-Idempotency-Key": "m2"})
	dbg := httptest.NewServer(debugsrv.Handler(reg))
	defer dbg.Close()
	res, err := http.Get(dbg.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, want := range []string{
		`oms_gateway_requests_total{code="",route="place",status="202"} 1`,
		`oms_gateway_requests_total{code="INVALID_SIDE",route="place",status="400"} 1`,
		`oms_gateway_request_seconds_count{route="place"} 2`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}
