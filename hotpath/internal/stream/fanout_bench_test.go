package stream_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// BenchmarkFanOut feeds an account's order flow (NEW then EXPIRED per order, as omsbench's IOC orders)
// to dashboards of that account over real WebSocket connections and waits until every dashboard has
// every frame: the cost of the fan-out itself, and whether it keeps up without cutting anyone off.
func BenchmarkFanOut(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("dashboards=%d", n), func(b *testing.B) { benchFanOut(b, n) })
	}
}

func benchFanOut(b *testing.B, dashboards int) {
	t := &testing.T{}
	h, srv := newHub(t, "acct-1")
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var frames, cut atomic.Int64
	var wg sync.WaitGroup
	var ready sync.WaitGroup
	var conns []*websocket.Conn
	for range dashboards {
		ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/", nil)
		if err != nil {
			b.Fatal(err)
		}
		ws.SetReadLimit(1 << 20)
		conns = append(conns, ws)
		for _, ch := range []string{"orders", "executions", "balances"} {
			if err := ws.Write(ctx, websocket.MessageText, []byte(`{"op":"subscribe","channel":"`+ch+`"}`)); err != nil {
				b.Fatal(err)
			}
		}
		ready.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			seen := 0
			for {
				// No deadline per read (a timer each, which a browser does not pay); CloseNow ends it.
				_, _, err := ws.Read(context.Background())
				if err != nil {
					if websocket.CloseStatus(err) == websocket.StatusPolicyViolation {
						cut.Add(1)
					}
					if seen < 6 {
						ready.Done()
					}
					return
				}
				if seen++; seen == 6 { // subscribed + snapshot, three times
					ready.Done()
				} else if seen > 6 {
					frames.Add(1)
				}
			}
		}()
	}
	ready.Wait()
	now := time.Now()
	b.ResetTimer()
	// Orders go in bursts of at most a queue's worth of frames, each waiting for the last to be read:
	// the benchmark finds what the fan-out sustains, where an open loop would only find the queue limit.
	const burst = 20 // orders: 120 frames per dashboard, under the 256-frame queue
	sent := int64(0)
	for i := range b.N {
		id := order.ID(fmt.Sprintf("o%d", i))
		r := events.ExecutionReport{ExecID: string(id) + ":1", OrderID: id, ClientOrderID: "c" + string(id), Account: "acct-1", Symbol: "BTC-USD",
			Side: order.Buy, Type: order.Limit, TimeInForce: order.IOC, ExecType: order.ExecNew, Status: order.New, Quantity: d("0.001"),
			Price: d("20000"), LeavesQty: d("0.001"), ReferencePrice: d("20000"), Seq: 1, CreatedAt: now, TransactTime: now}
		h.OnReport(r)
		r.ExecID, r.ExecType, r.Status, r.LeavesQty, r.Seq = string(id)+":2", order.ExecExpired, order.Expired, d("0"), 2
		h.OnReport(r)
		if sent += 6 * int64(dashboards); (i+1)%burst == 0 || i == b.N-1 {
			waitFrames(b, &frames, &cut, sent)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(frames.Load())/b.Elapsed().Seconds(), "frames/s")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "orders/s")
	cancel()
	for _, ws := range conns {
		ws.CloseNow()
	}
	wg.Wait()
}

func waitFrames(b *testing.B, frames, cut *atomic.Int64, want int64) {
	deadline := time.Now().Add(time.Minute)
	for frames.Load() < want {
		if c := cut.Load(); c > 0 {
			b.Fatalf("%d dashboards cut off as slow consumers after %d of %d frames", c, frames.Load(), want)
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d frames after a minute", frames.Load(), want)
		}
		time.Sleep(20 * time.Microsecond)
	}
}
