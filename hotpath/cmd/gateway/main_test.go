package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/kafkabus"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/marketdata"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
)

const testSecret = "0123456789abcdef0123"

// TestProductionStream runs the production gateway main (keys from a file, no dev account) on real
// Redis and Kafka and checks what a dashboard in AWS depends on: a browser session opened by one signed
// request and a stream token from its cookie, /ws refusing user channels without one, the account's own executions arriving from
// the executions topic and nobody else's, balances from OMS_FUNDING, and ticks from the prices topic.
func TestProductionStream(t *testing.T) {
	k := testenv.Kafka(t, map[string]int32{events.TopicOrders: 2, events.TopicExecutions: 2, events.TopicPrices: 2, events.TopicControl: 1})
	rd := testenv.Redis(t)
	keys := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(keys, []byte(`[{"id":"k1","secret":"`+testSecret+`","account":"acct-1","scopes":["trade","read"]}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("OMS_TOKEN_SECRET", strings.Repeat("z", 40))
	t.Setenv("OMS_FUNDING", "USD=1000")
	t.Setenv("OMS_MONGO_URI", "")
	t.Setenv("OMS_DOCDB_SECRET_ARN", "")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", addr, "-brokers", k.Addrs()[0], "-redis", rd.Addr(), "-keys", keys, "-debug-addr", freeAddr(t)})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("gateway stopped with %v", err)
		}
	})
	base := "http://" + addr
	waitHealthy(t, base, done)

	// An unsigned token request is refused: there is no dev account in production.
	if resp, err := http.Post(base+"/api/ws-token", "application/json", nil); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned ws-token: %v %v", resp, err)
	}
	tok := wsToken(t, base)

	wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer wcancel()
	anon := dialWS(t, wctx, "ws://"+addr+"/ws")
	anon.send(wctx, `{"op":"subscribe","channel":"orders","id":"a"}`)
	if f := anon.next(wctx, "error"); f["code"] != "UNAUTHENTICATED" {
		t.Fatalf("user channel without a token: %v", f)
	}
	if resp, err := http.Get(base + "/ws?token=forged"); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("forged token: %v %v", resp, err)
	}

	ws := dialWS(t, wctx, "ws://"+addr+"/ws?token="+tok)
	ws.send(wctx, `{"op":"subscribe","channel":"balances"}`)
	snap := ws.next(wctx, "snapshot")
	if b := snap["data"].(map[string]any)["balances"].([]any); len(b) != 1 || b[0].(map[string]any)["available"] != "1000" {
		t.Fatalf("balances snapshot, want USD 1000 from OMS_FUNDING: %v", snap)
	}
	ws.send(wctx, `{"op":"subscribe","channel":"orders"}`)
	ws.next(wctx, "snapshot")
	ws.send(wctx, `{"op":"subscribe","channel":"ticker","symbol":"BTC-USD"}`)
	ws.next(wctx, "snapshot")

	prod, err := kafkabus.NewProducer(k.Addrs(), 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	now := time.Now()
	report := func(acct order.AccountID, id order.ID) events.ExecutionReport {
		return events.ExecutionReport{ExecID: string(id) + ":1", OrderID: id, ClientOrderID: "c-" + string(id), Account: acct, Symbol: "BTC-USD",
			Side: order.Buy, Type: order.Limit, TimeInForce: order.GTC, ExecType: order.ExecNew, Status: order.New, Quantity: money.MustParse("0.01"),
			Price: money.MustParse("20000"), LeavesQty: money.MustParse("0.01"), ReferencePrice: money.MustParse("20000"), Seq: 1, CreatedAt: now, TransactTime: now}
	}
	for _, r := range []events.ExecutionReport{report("acct-2", "other"), report("acct-1", "mine")} {
		if err := prod.Publish(wctx, events.TopicExecutions, []byte(r.Account), events.AppendReport(nil, r)); err != nil {
			t.Fatal(err)
		}
	}
	feed, err := marketdata.NewFeed(marketdata.Config{Seed: 1, Interval: time.Second, Symbols: marketdata.DefaultSymbols(), Catalog: instrument.Default()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range feed.Step(now) {
		if err := prod.Publish(wctx, events.TopicPrices, []byte(tk.Symbol), events.AppendTick(nil, tk)); err != nil {
			t.Fatal(err)
		}
	}
	var sawOrder, sawTicker bool
	for !sawOrder || !sawTicker {
		f := ws.next(wctx, "update")
		switch f["channel"] {
		case "orders":
			if os := f["data"].(map[string]any)["orders"].([]any); len(os) != 1 || os[0].(map[string]any)["orderId"] != "mine" {
				t.Fatalf("want acct-1's order alone: %v", f)
			}
			sawOrder = true
		case "ticker":
			sawTicker = f["symbol"] == "BTC-USD"
		}
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHealthy(t *testing.T, base string, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("gateway exited: %v", err)
		default:
		}
		if resp, err := http.Get(base + "/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("gateway not healthy within 30s")
}

// wsToken does what the dashboard does in AWS: one signed request opens a browser session, whose
// cookie (with the CSRF header) then gets the stream token.
func wsToken(t *testing.T, base string) string {
	t.Helper()
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	req, _ := http.NewRequest(http.MethodPost, base+"/api/session", bytes.NewReader(nil))
	req.Header.Set(auth.HeaderKey, "k1")
	req.Header.Set(auth.HeaderTimestamp, ts)
	req.Header.Set(auth.HeaderSignature, auth.Sign([]byte(testSecret), ts, http.MethodPost, "/api/session", nil))
	req.Header.Set("X-Forwarded-Proto", "https") // as the ALB sends it
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == auth.SessionCookie {
			session = c
		}
	}
	if resp.StatusCode != http.StatusOK || session == nil || !session.Secure || !session.HttpOnly {
		t.Fatalf("open session: %d, cookie %+v", resp.StatusCode, session)
	}
	req, _ = http.NewRequest(http.MethodPost, base+"/api/ws-token", nil)
	req.AddCookie(session)
	req.Header.Set(auth.SessionHeader, "1")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Token   string `json:"token"`
		Account string `json:"accountId"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK || body.Token == "" || body.Account != "acct-1" {
		t.Fatalf("ws-token: %d %+v %v", resp.StatusCode, body, err)
	}
	return body.Token
}

type wsClient struct {
	t  *testing.T
	ws *websocket.Conn
}

func dialWS(t *testing.T, ctx context.Context, url string) *wsClient {
	t.Helper()
	ws, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { ws.CloseNow() })
	return &wsClient{t, ws}
}

func (c *wsClient) send(ctx context.Context, s string) {
	c.t.Helper()
	if err := c.ws.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
		c.t.Fatal(err)
	}
}

// next returns the next frame of type typ, skipping others (subscribed acks, heartbeats).
func (c *wsClient) next(ctx context.Context, typ string) map[string]any {
	c.t.Helper()
	for {
		_, b, err := c.ws.Read(ctx)
		if err != nil {
			c.t.Fatalf("waiting for a %s frame: %v", typ, err)
		}
		var f map[string]any
		if err := json.Unmarshal(b, &f); err != nil {
			c.t.Fatal(err)
		}
		if f["type"] == typ {
			return f
		}
		if f["type"] == "error" {
			c.t.Fatalf("waiting for a %s frame: %s", typ, fmt.Sprint(f))
		}
	}
}
