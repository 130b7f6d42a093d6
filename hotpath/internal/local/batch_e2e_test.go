package local_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestBatchEndToEnd drives POST /api/orders/batch through the pipelined Redis path: per-order results,
// replays of the same clientOrderIds, and one report per accepted order.
func TestBatchEndToEnd(t *testing.T) {
	sys := start(t, false)
	reps := collect(t, sys.Brokers)
	var parts []string
	for i := 0; i < 20; i++ {
		parts = append(parts, fmt.Sprintf(`{"symbol":"BTC-USD","side":"BUY","orderType":"LIMIT","quantity":"0.01","price":"%d","clientOrderId":"batch-%d"}`, 30000+i, i))
	}
	parts = append(parts, `{"symbol":"BTC-USD","side":"BUY","orderType":"LIMIT","quantity":"0.01","clientOrderId":"no-price"}`)
	body := `{"orders":[` + strings.Join(parts, ",") + `]}`
	first := call(t, sys, "POST", "/api/orders/batch", body)
	if first.Status != 200 {
		t.Fatalf("batch: %v", first)
	}
	ids := map[string]bool{}
	for i, x := range first.Body["results"].([]any) {
		r := x.(map[string]any)
		if i < 20 {
			if r["status"].(float64) != 202 {
				t.Fatalf("order %d: %v", i, r)
			}
			ids[r["order"].(map[string]any)["orderId"].(string)] = true
		} else if r["status"].(float64) != 400 || r["error"].(map[string]any)["code"] != "PRICE_REQUIRED" {
			t.Fatalf("invalid order: %v", r)
		}
	}
	again := call(t, sys, "POST", "/api/orders/batch", body)
	for i, x := range again.Body["results"].([]any) {
		r := x.(map[string]any)
		if i < 20 && (r["status"].(float64) != 202 || !ids[r["order"].(map[string]any)["orderId"].(string)]) {
			t.Fatalf("replayed order %d: %v", i, r)
		}
	}
	waitFor(t, 10*time.Second, "20 NEW reports", func() bool { return len(reps.snapshot()) >= 20 })
	time.Sleep(300 * time.Millisecond)
	if n := len(reps.snapshot()); n != 20 {
		t.Fatalf("%d reports, want exactly 20 (replays must not create orders)", n)
	}
}
