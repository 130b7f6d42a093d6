package local_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestDashboardStream is the dashboard's view end to end: a marketable order placed over REST shows up
// on the WebSocket orders channel and ends FILLED, never moving backwards (updates are coalesced, so a
// NEW that the fill followed at once may be skipped there), while the executions channel carries every
// report, NEW before the fill.
func TestDashboardStream(t *testing.T) {
	sys := start(t, false)
	tok := call(t, sys, "POST", "/api/ws-token", "")
	if tok.Status != 200 || tok.Body["token"] == "" || tok.Body["accountId"] != "demo" {
		t.Fatalf("ws token: %v", tok)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws://"+sys.HTTPAddr+"/ws?token="+tok.Body["token"].(string), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	send := func(s string) {
		if err := ws.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	send(`{"op":"subscribe","channel":"orders"}`)
	send(`{"op":"subscribe","channel":"executions"}`)
	send(`{"op":"subscribe","channel":"ticker","symbol":"BTC-USD"}`)
	r := call(t, sys, "POST", "/api/orders", `{"symbol":"BTC-USD","side":"BUY","orderType":"MARKET","quantity":"0.01"}`, "X-Idempotency-Key", "ws-1")
	if r.Status != 202 {
		t.Fatalf("place: %v", r)
	}
	id := r.Body["orderId"].(string)
	statuses, execTypes := []string{}, []string{}
	tickers := 0
	lastSeq := map[string]float64{}
	for len(statuses) == 0 || statuses[len(statuses)-1] != "FILLED" || len(execTypes) < 2 {
		_, b, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("read (statuses so far %v): %v", statuses, err)
		}
		var f map[string]any
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		ch, _ := f["channel"].(string)
		if seq, ok := f["seq"].(float64); ok {
			if prev, seen := lastSeq[ch]; seen && seq != prev+1 {
				t.Fatalf("channel %s: seq %v after %v", ch, seq, prev)
			}
			lastSeq[ch] = seq
		}
		switch {
		case ch == "ticker":
			tickers++
		case ch == "orders" && f["type"] == "update":
			for _, o := range f["data"].(map[string]any)["orders"].([]any) {
				if o := o.(map[string]any); o["orderId"] == id {
					statuses = append(statuses, o["status"].(string))
				}
			}
		case ch == "executions" && f["type"] == "update":
			for _, r := range f["data"].(map[string]any)["executions"].([]any) {
				if r := r.(map[string]any); r["orderId"] == id {
					execTypes = append(execTypes, r["execType"].(string))
				}
			}
		}
	}
	if want := []string{"NEW", "FILLED"}; !slices.Equal(statuses, want) && !slices.Equal(statuses, want[1:]) {
		t.Errorf("order statuses %v, want %v or just FILLED", statuses, want)
	}
	if len(execTypes) != 2 || execTypes[0] != "NEW" || execTypes[1] != "TRADE" {
		t.Errorf("execution reports %v, want NEW then TRADE", execTypes)
	}
	if tickers == 0 {
		t.Error("no ticker frames")
	}
	if ins := call(t, sys, "GET", "/api/instruments", ""); ins.Status != 200 || len(ins.Body["instruments"].([]any)) != 3 {
		t.Errorf("instruments: %v", ins)
	}
}
