package stream_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/stream"
)

var (
	d      = money.MustParse
	secret = []byte("0123456789abcdef0123456789abcdef")
)

func newHub(t *testing.T, dev order.AccountID) (*stream.Hub, *httptest.Server) {
	h := stream.New(stream.Config{Catalog: instrument.Default(), NewAccount: func(id order.AccountID) *account.Account {
		return account.New(id, map[string]money.Decimal{"USD": d("100000")}, account.Fees{Maker: d("0.001"), Taker: d("0.002")})
	}})
	done := make(chan struct{})
	go h.Run(done)
	srv := httptest.NewServer(h.Handler(stream.ServerConfig{Secret: secret, DevAccount: dev}))
	t.Cleanup(func() { srv.Close(); close(done) })
	return h, srv
}

type client struct {
	t  *testing.T
	ws *websocket.Conn
}

func dial(t *testing.T, srv *httptest.Server, query string) *client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.CloseNow() })
	return &client{t, ws}
}

func (c *client) send(v string) {
	c.t.Helper()
	if err := c.ws.Write(context.Background(), websocket.MessageText, []byte(v)); err != nil {
		c.t.Fatal(err)
	}
}

// next returns the next frame that is not a heartbeat.
func (c *client) next() map[string]any {
	c.t.Helper()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, b, err := c.ws.Read(ctx)
		cancel()
		if err != nil {
			c.t.Fatalf("read: %v", err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			c.t.Fatal(err)
		}
		if m["type"] != "heartbeat" {
			return m
		}
	}
}

func tick(seq uint64, bid string) events.PriceTick {
	b := d(bid)
	return events.PriceTick{Symbol: "BTC-USD", Seq: seq, Time: time.Unix(int64(1_800_000_000+seq), 0),
		Bids: []events.Level{{Price: b, Size: d("1")}}, Asks: []events.Level{{Price: b.Add(d("1")), Size: d("1")}},
		Last: b.Add(d("1")), LastSize: d("0.5"), Volume: d("0.5").Mul(money.FromInt(int64(seq)))}
}

func TestMarketChannels(t *testing.T) {
	h, srv := newHub(t, "")
	h.OnTick(tick(1, "45000"))
	c := dial(t, srv, "")
	c.send(`{"op":"subscribe","channel":"ticker","symbol":"BTC/USD","id":"a"}`)
	if m := c.next(); m["type"] != "subscribed" || m["id"] != "a" {
		t.Fatalf("ack %v", m)
	}
	snap := c.next()
	if snap["type"] != "snapshot" || snap["seq"].(float64) != 1 || snap["data"].(map[string]any)["bid"] != "45000" {
		t.Fatalf("snapshot %v", snap)
	}
	c.send(`{"op":"subscribe","channel":"candles:1m","symbol":"BTC-USD"}`)
	c.next()
	if cs := c.next()["data"].(map[string]any)["candles"].([]any); len(cs) != 1 {
		t.Fatalf("candles snapshot %v", cs)
	}
	h.OnTick(tick(2, "45010"))
	h.OnTick(tick(2, "1")) // stale: ignored
	got := map[string]float64{}
	for len(got) < 2 {
		m := c.next()
		if m["type"] != "update" {
			t.Fatalf("expected update, got %v", m)
		}
		got[m["channel"].(string)] = m["seq"].(float64)
		if m["channel"] == "ticker" && m["data"].(map[string]any)["bid"] != "45010" {
			t.Fatalf("ticker update %v", m)
		}
	}
	if got["ticker"] != 2 || got["candles:1m"] != 2 {
		t.Fatalf("per-channel sequence numbers %v", got)
	}
	// A restarted feed numbers from 1 again; its ticks are newer by time and must not be dropped.
	restarted := tick(1, "46000")
	restarted.Time = time.Unix(1_800_000_010, 0)
	h.OnTick(restarted)
	for {
		m := c.next()
		if m["channel"] == "ticker" {
			if bid := m["data"].(map[string]any)["bid"]; bid != "46000" {
				t.Fatalf("ticker after a feed restart: bid %v, want 46000", bid)
			}
			break
		}
	}
}

func TestErrorsAndAuthentication(t *testing.T) {
	_, srv := newHub(t, "")
	c := dial(t, srv, "")
	for _, tc := range []struct{ send, code string }{
		{`{"op":"subscribe","channel":"orders"}`, "UNAUTHENTICATED"},
		{`{"op":"subscribe","channel":"ticker","symbol":"DOGE-USD"}`, "UNKNOWN_SYMBOL"},
		{`{"op":"subscribe","channel":"candles:7m","symbol":"BTC-USD"}`, "UNKNOWN_INTERVAL"},
		{`{"op":"subscribe","channel":"weather","symbol":"BTC-USD"}`, "UNKNOWN_CHANNEL"},
		{`not json`, "BAD_MESSAGE"},
		{`{"op":"dance"}`, "BAD_MESSAGE"},
	} {
		c.send(tc.send)
		if m := c.next(); m["type"] != "error" || m["code"] != tc.code || m["msg"] == "" {
			t.Errorf("%s: got %v, want error %s", tc.send, m, tc.code)
		}
	}
	c.send(`{"op":"ping","id":"p"}`)
	if m := c.next(); m["type"] != "pong" || m["id"] != "p" {
		t.Fatalf("ping: %v", m)
	}
	// A forged or expired token is refused before the upgrade.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tok, _ := stream.IssueToken([]byte("other secret"), "acct", time.Now())
	if _, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"?token="+tok, nil); err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("forged token accepted: %v", err)
	}
	if _, err := stream.VerifyToken(secret, func() string { s, _ := stream.IssueToken(secret, "a", time.Now().Add(-2*time.Minute)); return s }(), time.Now()); err == nil {
		t.Fatal("expired token accepted")
	}
}

func TestUserChannelsFollowReports(t *testing.T) {
	h, srv := newHub(t, "")
	tok, _ := stream.IssueToken(secret, "acct-1", time.Now())
	c := dial(t, srv, "?token="+tok)
	other, _ := stream.IssueToken(secret, "acct-2", time.Now())
	o := dial(t, srv, "?token="+other)
	for _, cl := range []*client{c, o} {
		cl.send(`{"op":"subscribe","channel":"orders"}`)
		cl.next()
		if snap := cl.next(); len(snap["data"].(map[string]any)["orders"].([]any)) != 0 {
			t.Fatalf("orders snapshot not empty: %v", snap)
		}
	}
	c.send(`{"op":"subscribe","channel":"balances"}`)
	c.next()
	c.next()
	r := events.ExecutionReport{ExecID: "o1:1", OrderID: "o1", ClientOrderID: "c1", Account: "acct-1", Symbol: "BTC-USD", Side: order.Buy, Type: order.Limit,
		TimeInForce: order.GTC, ExecType: order.ExecNew, Status: order.New, Quantity: d("1"), Price: d("40000"), LeavesQty: d("1"), ReferencePrice: d("40000"),
		Seq: 1, CreatedAt: time.Now(), TransactTime: time.Now()}
	h.OnReport(r)
	m := c.next()
	if os := m["data"].(map[string]any)["orders"].([]any); m["channel"] != "orders" || len(os) != 1 || os[0].(map[string]any)["status"] != "NEW" || m["seq"].(float64) != 2 {
		t.Fatalf("order update %v", m)
	}
	m = c.next()
	bal := m["data"].(map[string]any)["balances"].([]any)[0].(map[string]any)
	if m["channel"] != "balances" || bal["reserved"] != "40080" || bal["available"] != "59920" {
		t.Fatalf("balances update %v", m)
	}
	// The other account sees nothing of acct-1's order.
	o.send(`{"op":"ping"}`)
	if m := o.next(); m["type"] != "pong" {
		t.Fatalf("other account received %v", m)
	}
}

func TestSlowConsumerIsDisconnected(t *testing.T) {
	h, srv := newHub(t, "")
	c := dial(t, srv, "")
	c.send(`{"op":"subscribe","channel":"book","symbol":"BTC-USD","depth":20}`)
	c.next()
	c.next()
	// Never read while the hub produces far more than the send queue and the socket buffers hold
	// (about 40,000 frames of 1.5 KB).
	for i := uint64(2); i < 40000; i++ {
		t := tick(i, "45000")
		for j := int64(1); j < 20; j++ {
			t.Bids = append(t.Bids, events.Level{Price: d("45000").Sub(money.FromInt(j)), Size: d("1.23456")})
			t.Asks = append(t.Asks, events.Level{Price: d("45001").Add(money.FromInt(j)), Size: d("1.23456")})
		}
		h.OnTick(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var err error
	frames := 0
	for err == nil {
		_, _, err = c.ws.Read(ctx)
		frames++
	}
	// The server cut the connection (a 1008 close frame when the pipe still drains, an abrupt close
	// when the client stopped reading for longer than the write timeout), not our read deadline.
	if ctx.Err() != nil {
		t.Fatalf("connection still open after 10 s (%d frames): the slow consumer was not disconnected", frames)
	}
	if s := websocket.CloseStatus(err); s != -1 && s != websocket.StatusPolicyViolation {
		t.Fatalf("closed with status %v, want policy violation", s)
	}
	if frames >= 40000 {
		t.Fatalf("read all %d frames: the consumer was never cut off", frames)
	}
}

// TestUserChannelsCoalesce: a burst of reports (as one Kafka fetch delivers them) reaches a dashboard
// in fewer frames than reports, with nothing lost and nothing reordered: every report on `executions`
// in the order it happened, every order on `orders` ending in its latest state, seq without gaps.
func TestUserChannelsCoalesce(t *testing.T) {
	h, srv := newHub(t, "acct-1")
	c := dial(t, srv, "")
	for _, ch := range []string{"orders", "executions"} {
		c.send(`{"op":"subscribe","channel":"` + ch + `"}`)
		c.next()
		c.next()
	}
	const n = 200
	now := time.Now()
	for i := range n {
		id := order.ID(fmt.Sprintf("o%03d", i))
		r := events.ExecutionReport{ExecID: string(id) + ":1", OrderID: id, ClientOrderID: "c" + string(id), Account: "acct-1", Symbol: "BTC-USD",
			Side: order.Buy, Type: order.Limit, TimeInForce: order.IOC, ExecType: order.ExecNew, Status: order.New, Quantity: d("0.001"),
			Price: d("20000"), LeavesQty: d("0.001"), ReferencePrice: d("20000"), Seq: 1, CreatedAt: now, TransactTime: now}
		h.OnReport(r)
		r.ExecID, r.ExecType, r.Status, r.LeavesQty, r.Seq = string(id)+":2", order.ExecExpired, order.Expired, d("0"), 2
		h.OnReport(r)
	}
	var execIDs []string
	final := map[string]string{}
	seqs := map[string]float64{"orders": 1, "executions": 1}
	frames := 0
	for len(execIDs) < 2*n || len(final) < n || !allExpired(final) {
		f := c.next()
		ch := f["channel"].(string)
		if f["seq"].(float64) != seqs[ch]+1 {
			t.Fatalf("%s: seq %v after %v", ch, f["seq"], seqs[ch])
		}
		seqs[ch]++
		frames++
		data := f["data"].(map[string]any)
		switch ch {
		case "executions":
			for _, r := range data["executions"].([]any) {
				execIDs = append(execIDs, r.(map[string]any)["execId"].(string))
			}
		case "orders":
			for _, o := range data["orders"].([]any) {
				o := o.(map[string]any)
				final[o["orderId"].(string)] = o["status"].(string)
			}
		}
	}
	for i := range n {
		id := fmt.Sprintf("o%03d", i)
		if execIDs[2*i] != id+":1" || execIDs[2*i+1] != id+":2" {
			t.Fatalf("reports out of order or missing around %s: %v", id, execIDs[max(0, 2*i-2):min(len(execIDs), 2*i+4)])
		}
	}
	if len(execIDs) != 2*n {
		t.Fatalf("%d reports delivered, want %d", len(execIDs), 2*n)
	}
	if frames >= 2*n {
		t.Errorf("%d frames for %d reports: nothing was coalesced", frames, 2*n)
	}
	t.Logf("%d reports and %d order updates in %d frames", 2*n, 2*n, frames)
}

func allExpired(m map[string]string) bool {
	for _, s := range m {
		if s != "EXPIRED" {
			return false
		}
	}
	return true
}
