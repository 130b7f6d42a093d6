package edges_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/local"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
)

func startSystem(t *testing.T) *local.System {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sys, err := local.Start(ctx, local.Config{HTTPAddr: "127.0.0.1:0", KafkaAddr: "127.0.0.1:0", DataDir: t.TempDir(), Dev: true,
		RequireReal: testenv.RequireReal(), Ephemeral: true, FeedSeed: 5, Logger: testenv.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sys.Stop)
	return sys
}

func do(t testing.TB, sys *local.System, method, path, body string, hdr ...string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+sys.HTTPAddr+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s %s: non-JSON answer %d %q", method, path, res.StatusCode, raw)
	}
	return res.StatusCode, m
}

func signed(k auth.Key, method, pathAndQuery string) []string {
	ts := fmt.Sprint(time.Now().UnixMilli())
	return []string{auth.HeaderKey, k.ID, auth.HeaderTimestamp, ts, auth.HeaderSignature, auth.Sign(k.Secret, ts, method, pathAndQuery, nil)}
}

func pct(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// TestReadAfterWrite places orders through the gateway and reads each back through the local ALB
// router and the order-query handler, fed by the projector through the local event-source poller.
func TestReadAfterWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end")
	}
	sys := startSystem(t)
	const orders, workers = 200, 8
	lat := make([]time.Duration, orders)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < orders; i += workers {
				body := `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":"0.01","price":"30000"}`
				if i%4 == 0 {
					body = `{"symbol":"BTC-USD","side":"BUY","orderType":"MARKET","quantity":"0.001"}`
				}
				code, placed := do(t, sys, "POST", "/api/orders", body, "X-Idempotency-Key", fmt.Sprintf("raw-%d", i))
				acked := time.Now()
				if code != http.StatusAccepted {
					t.Errorf("place %d: %d %v", i, code, placed)
					return
				}
				id := placed["orderId"].(string)
				for {
					code, got := do(t, sys, "GET", "/api/orders/"+id, "")
					if code == http.StatusOK {
						lat[i] = time.Since(acked)
						if got["orderId"] != id || got["clientOrderId"] != fmt.Sprintf("raw-%d", i) || got["accountId"] != "demo" {
							t.Errorf("order %d read back as %v", i, got)
						}
						break
					}
					if code != http.StatusNotFound || time.Since(acked) > 10*time.Second {
						t.Errorf("order %d: %d %v after %s", i, code, got, time.Since(acked))
						return
					}
					time.Sleep(5 * time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	p50, p99, mx := pct(lat, 0.5), pct(lat, 0.99), slices.Max(lat)
	// A measurement, not an assertion: timing bars belong in benchmarks (a loaded CI machine under -race
	// is not the 1 s target's environment). Every order must still become readable within 10 s.
	t.Logf("read-after-write over %d orders: p50 %s, p99 %s, max %s", orders, p50, p99, mx)

	// The same data through every endpoint, signed with the demo key.
	k := sys.DemoKey
	for _, path := range []string{"/api/orders?status=open&limit=5", "/api/orders/by-client-id/raw-1", "/api/fills?limit=3", "/api/positions", "/api/balances"} {
		code, got := do(t, sys, "GET", path, "", signed(k, "GET", path)...)
		if code != http.StatusOK {
			t.Errorf("GET %s: %d %v", path, code, got)
		}
	}
	// Unsigned requests from loopback act as the demo account only in dev mode; a bad signature never does.
	hdr := signed(k, "GET", "/api/orders")
	hdr[5] = strings.Repeat("0", 64)
	if code, got := do(t, sys, "GET", "/api/orders", "", hdr...); code != http.StatusUnauthorized || got["code"] != "INVALID_SIGNATURE" {
		t.Errorf("bad signature: %d %v", code, got)
	}
	// Writes stay with the gateway.
	if code, got := do(t, sys, "DELETE", "/api/orders/"+strings.Repeat("a", 32), ""); code == http.StatusMethodNotAllowed {
		t.Errorf("DELETE went to order-query: %d %v", code, got)
	}
}
