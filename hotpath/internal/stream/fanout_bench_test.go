package stream_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// BenchmarkFanOut feeds an account's order flow (NEW then EXPIRED per order, as omsbench's IOC orders)
// at 2,000 orders/s, in bursts of 50 (one Kafka fetch's worth), to dashboards of that account over real
// WebSocket connections, and waits until every dashboard has every execution report. It fails if any
// dashboard is cut off; it reports the CPU the process spent (cores, clients' reading included) and the
// frames each dashboard got per second (without coalescing: six per order, 12,000).
func BenchmarkFanOut(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("dashboards=%d", n), func(b *testing.B) { benchFanOut(b, n) })
	}
}

func benchFanOut(b *testing.B, dashboards int) {
	h, srv := newHub(&testing.T{}, "acct-1")
	defer srv.Close()
	var frames, reports, cut atomic.Int64
	var wg, ready sync.WaitGroup
	var conns []*websocket.Conn
	execID := []byte(`"execId"`)
	for range dashboards {
		ws, _, err := websocket.Dial(context.Background(), "ws"+strings.TrimPrefix(srv.URL, "http")+"/", nil)
		if err != nil {
			b.Fatal(err)
		}
		ws.SetReadLimit(1 << 24)
		conns = append(conns, ws)
		for _, ch := range []string{"orders", "executions", "balances"} {
			if err := ws.Write(context.Background(), websocket.MessageText, []byte(`{"op":"subscribe","channel":"`+ch+`"}`)); err != nil {
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
				_, msg, err := ws.Read(context.Background())
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
					reports.Add(int64(bytes.Count(msg, execID)))
				}
			}
		}()
	}
	ready.Wait()
	now := time.Now()
	b.ResetTimer()
	const burst, rate = 50, 2000
	cpu0 := cpuTime()
	start := time.Now()
	for i := range b.N {
		id := order.ID(fmt.Sprintf("o%d", i))
		r := events.ExecutionReport{ExecID: string(id) + ":1", OrderID: id, ClientOrderID: "c" + string(id), Account: "acct-1", Symbol: "BTC-USD",
			Side: order.Buy, Type: order.Limit, TimeInForce: order.IOC, ExecType: order.ExecNew, Status: order.New, Quantity: d("0.001"),
			Price: d("20000"), LeavesQty: d("0.001"), ReferencePrice: d("20000"), Seq: 1, CreatedAt: now, TransactTime: now}
		h.OnReport(r)
		r.ExecID, r.ExecType, r.Status, r.LeavesQty, r.Seq = string(id)+":2", order.ExecExpired, order.Expired, d("0"), 2
		h.OnReport(r)
		if (i+1)%burst == 0 {
			time.Sleep(time.Until(start.Add(time.Duration(i+1) * time.Second / rate)))
		}
	}
	awaitReports(b, &reports, &cut, int64(b.N)*2*int64(dashboards))
	b.StopTimer()
	wall := time.Since(start)
	b.ReportMetric((cpuTime()-cpu0).Seconds()/wall.Seconds(), "cpu-cores")
	b.ReportMetric(float64(frames.Load())/float64(dashboards)/wall.Seconds(), "frames/dashboard/s")
	for _, ws := range conns {
		ws.CloseNow()
	}
	wg.Wait()
}

func awaitReports(b *testing.B, reports, cut *atomic.Int64, want int64) {
	deadline := time.Now().Add(time.Minute)
	for reports.Load() < want {
		if c := cut.Load(); c > 0 {
			b.Fatalf("%d dashboards cut off as slow consumers after %d of %d reports", c, reports.Load(), want)
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d reports after a minute", reports.Load(), want)
		}
		time.Sleep(50 * time.Microsecond)
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
