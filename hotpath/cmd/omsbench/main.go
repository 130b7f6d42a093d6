// Command omsbench measures crypto-oms from the outside: it starts the system on embedded defaults (or
// targets a running one with -target), drives order entry closed-loop (max throughput) and open-loop
// (constant rate), and reports accepted orders/s with HDR percentiles of the 202 latency and of the
// order → first execution report latency. In the same run it measures the machine's ceiling: a bare
// net/http handler decoding the same body, raw Kafka produce+consume of the same records, and the
// processor core (risk + state machine + paper venue, no I/O) on one goroutine.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/local"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/marketdata"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/processor"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/venue"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "omsbench:", err)
		os.Exit(1)
	}
}

type options struct {
	out         string
	duration    time.Duration
	workers     int
	rate        int
	batch       int
	coreOrders  int
	target      string
	brokers     string
	skipCeiling bool
	dashboards  int
	watching    int
}

// Result is what one run measured; it is written as JSON and markdown.
type Result struct {
	When     time.Time `json:"when"`
	CPUs     int       `json:"cpus"`
	Go       string    `json:"go"`
	Pipeline Phase     `json:"pipelineClosedLoop"`
	Batch    Phase     `json:"pipelineBatch"`
	OpenLoop Phase     `json:"openLoop"`
	OpenWS   Phase     `json:"openLoopWithDashboards"`
	// OpenWSAll is the same with every dashboard on the trading account: the fan-out's worst case.
	OpenWSAll Phase   `json:"openLoopWithDashboardsAllOnAccount"`
	Ceiling   Ceiling `json:"ceiling"`
	Core      Core    `json:"processorCore"`
}

// Phase is one load phase.
type Phase struct {
	Mode          string  `json:"mode"`
	Sent          int64   `json:"sent"`
	Accepted      int64   `json:"accepted"`
	Rejected      int64   `json:"rejected"`
	Reports       int64   `json:"firstReports"`
	Seconds       float64 `json:"seconds"`
	OrdersPerSec  float64 `json:"acceptedOrdersPerSec"`
	PipelinePerS  float64 `json:"pipelineOrdersPerSec"`
	Ack           Pcts    `json:"ackLatencyMs"`
	Report        Pcts    `json:"orderToReportMs"`
	TargetRate    int     `json:"targetRate,omitempty"`
	Workers       int     `json:"workers,omitempty"`
	OrdersPerCall int     `json:"ordersPerCall"`
	// DashboardFrames counts the frames the connected dashboards received during the phase.
	DashboardFrames int64 `json:"dashboardFrames,omitempty"`
	// DashboardsCutOff counts the dashboards the server closed during the phase, by close reason: a
	// fan-out that keeps up closes none.
	DashboardsCutOff map[string]int `json:"dashboardsCutOff,omitempty"`
}

// Pcts are latency percentiles in milliseconds.
type Pcts struct {
	P50, P99, P999, Max float64
	Count               int64
}

// Ceiling is what the machine does without our code in the way.
type Ceiling struct {
	HTTPPerSec      float64 `json:"bareHttpDecodePerSec"`
	KafkaPerSec     float64 `json:"kafkaProduceConsumePerSec"`
	KafkaRecordSize int     `json:"kafkaRecordBytes"`
}

// Core is the processor-core microbenchmark.
type Core struct {
	Orders       int     `json:"orders"`
	OrdersPerSec float64 `json:"ordersPerSec"`
	NsPerOrder   float64 `json:"nsPerOrder"`
}

func run(ctx context.Context, args []string) error {
	var o options
	fs := flag.NewFlagSet("omsbench", flag.ContinueOnError)
	fs.StringVar(&o.out, "out", "bench-results", "directory for the JSON and markdown summaries")
	fs.DurationVar(&o.duration, "duration", 8*time.Second, "length of each load phase")
	fs.IntVar(&o.workers, "workers", 64, "concurrent connections in closed-loop mode")
	fs.IntVar(&o.rate, "rate", 1000, "orders per second in open-loop mode (keep it below the closed-loop throughput, or the phase measures a queue)")
	fs.IntVar(&o.batch, "batch", 50, "orders per call in the batch phase")
	fs.IntVar(&o.coreOrders, "core-orders", 300000, "orders through the processor core microbenchmark")
	fs.StringVar(&o.target, "target", "", "base URL of a running system (default: start one in-process)")
	fs.StringVar(&o.brokers, "brokers", "", "its Kafka brokers, to read executions (with -target)")
	fs.BoolVar(&o.skipCeiling, "skip-ceiling", false, "skip the ceiling measurements")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run (system included when in-process)")
	fs.IntVar(&o.dashboards, "dashboards", 100, "WebSocket dashboards connected during the last open-loop phase (0: skip it)")
	fs.IntVar(&o.watching, "watching", 10, "how many of the dashboards are on the trading account and take its orders, executions and balances (the rest watch the market); a second phase then puts all of them on it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	res := Result{When: time.Now().UTC(), CPUs: runtime.NumCPU(), Go: runtime.Version()}

	fmt.Println("processor core (one goroutine, no I/O)...")
	res.Core = benchCore(o.coreOrders)
	fmt.Printf("  %.0f orders/s (%.0f ns/order)\n", res.Core.OrdersPerSec, res.Core.NsPerOrder)

	base, brokers := o.target, strings.Split(o.brokers, ",")
	if base == "" {
		dir, err := os.MkdirTemp("", "omsbench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		sys, err := local.Start(ctx, local.Config{HTTPAddr: "127.0.0.1:0", KafkaAddr: "127.0.0.1:0", DataDir: dir, Dev: true, NoStore: true, Ephemeral: true, FeedSeed: 9})
		if err != nil {
			return err
		}
		defer sys.Stop()
		base, brokers = "http://"+sys.HTTPAddr, sys.Brokers
	}
	lat := newReportWatcher(brokers)
	if err := lat.start(ctx); err != nil {
		return err
	}
	defer lat.stop()

	fmt.Printf("pipeline, closed loop, %d connections, %s...\n", o.workers, o.duration)
	res.Pipeline = closedLoop(ctx, base, o, 1, lat, "closed")
	printPhase(res.Pipeline)
	fmt.Printf("pipeline, batches of %d, %d connections, %s...\n", o.batch, o.workers/4, o.duration)
	ob := o
	ob.workers = max(1, o.workers/4)
	res.Batch = closedLoop(ctx, base, ob, o.batch, lat, "batch")
	printPhase(res.Batch)
	fmt.Printf("open loop at %d orders/s, %s...\n", o.rate, o.duration)
	res.OpenLoop = openLoop(ctx, base, o, lat)
	printPhase(res.OpenLoop)
	if o.dashboards > 0 {
		var err error
		if res.OpenWS, err = dashboardPhase(ctx, base, o, o.watching, lat); err != nil {
			return err
		}
		if o.watching < o.dashboards {
			if res.OpenWSAll, err = dashboardPhase(ctx, base, o, o.dashboards, lat); err != nil {
				return err
			}
		}
	}

	if !o.skipCeiling {
		fmt.Println("ceiling: bare net/http decoding the same body...")
		res.Ceiling.HTTPPerSec = ceilingHTTP(o)
		fmt.Printf("  %.0f requests/s\n", res.Ceiling.HTTPPerSec)
		fmt.Println("ceiling: raw Kafka produce+consume of the same records...")
		res.Ceiling.KafkaPerSec, res.Ceiling.KafkaRecordSize = ceilingKafka(ctx, 200000)
		fmt.Printf("  %.0f records/s (%d bytes each)\n", res.Ceiling.KafkaPerSec, res.Ceiling.KafkaRecordSize)
	}
	if err := write(o.out, res); err != nil {
		return err
	}
	best := res.Pipeline
	if res.Batch.PipelinePerS > best.PipelinePerS {
		best = res.Batch
	}
	fmt.Printf("summary written to %s\n", o.out)
	fmt.Printf("pipeline_orders_per_s=%.0f p99_ack_ms=%.2f p99_report_ms=%.2f ceiling_http_per_s=%.0f core_orders_per_s=%.0f\n",
		best.PipelinePerS, res.Pipeline.Ack.P99, best.Report.P99, res.Ceiling.HTTPPerSec, res.Core.OrdersPerSec)
	return nil
}

// dashboardPhase runs the open loop with o.dashboards dashboards connected, watching of them on the
// trading account.
func dashboardPhase(ctx context.Context, base string, o options, watching int, lat *reportWatcher) (Phase, error) {
	watching = min(watching, o.dashboards)
	fmt.Printf("open loop at %d orders/s with %d dashboards connected (%d on the trading account), %s...\n", o.rate, o.dashboards, watching, o.duration)
	dash, err := openDashboards(ctx, base, o.dashboards, watching)
	if err != nil {
		return Phase{}, fmt.Errorf("dashboards: %w", err)
	}
	p := openLoop(ctx, base, o, lat)
	p.Mode = fmt.Sprintf("open+%dws(%d on the account)", o.dashboards, watching)
	p.DashboardFrames = dash.frames.Load()
	p.DashboardsCutOff = dash.cutOff()
	dash.close()
	printPhase(p)
	fmt.Printf("  dashboards received %d frames; closed by the server: %v\n", p.DashboardFrames, p.DashboardsCutOff)
	return p, nil
}

func printPhase(p Phase) {
	fmt.Printf("  accepted %d (%.0f/s), rejected %d, first reports %d (pipeline %.0f orders/s)\n", p.Accepted, p.OrdersPerSec, p.Rejected, p.Reports, p.PipelinePerS)
	fmt.Printf("  ack ms  p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n", p.Ack.P50, p.Ack.P99, p.Ack.P999, p.Ack.Max)
	fmt.Printf("  report ms  p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n", p.Report.P50, p.Report.P99, p.Report.P999, p.Report.Max)
}

func pcts(h *hdrhistogram.Histogram) Pcts {
	ms := func(us int64) float64 { return float64(us) / 1000 }
	return Pcts{P50: ms(h.ValueAtQuantile(50)), P99: ms(h.ValueAtQuantile(99)), P999: ms(h.ValueAtQuantile(99.9)), Max: ms(h.Max()), Count: h.TotalCount()}
}

func newHist() *hdrhistogram.Histogram { return hdrhistogram.New(1, 60_000_000, 3) } // µs, up to 60 s

// orderBody is an IOC limit buy far below the market: it is accepted, reported NEW and then EXPIRED, so
// no open orders pile up on the demo account however long the run.
func orderBody(n int64) []byte {
	return []byte(fmt.Sprintf(`{"symbol":"BTC-USD","side":"BUY","orderType":"LIMIT","timeInForce":"IOC","quantity":"0.001","price":"20000","clientOrderId":"b%d-%d"}`, time.Now().UnixNano(), n))
}

func client(conns int) *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, IdleConnTimeout: time.Minute}}
}

type accepted struct {
	OrderID string `json:"orderId"`
}

// post sends one order (or a batch) and returns the accepted order ids.
func post(cl *http.Client, base string, n int64, batch int) ([]string, bool) {
	var body []byte
	path := "/api/orders"
	if batch > 1 {
		parts := make([][]byte, batch)
		for i := range parts {
			parts[i] = orderBody(n*int64(batch) + int64(i))
		}
		body = append(append([]byte(`{"orders":[`), bytes.Join(parts, []byte(","))...), ']', '}')
		path = "/api/orders/batch"
	} else {
		body = orderBody(n)
	}
	resp, err := cl.Post(base+path, "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, false
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if batch <= 1 {
		var a accepted
		if resp.StatusCode != http.StatusAccepted || json.Unmarshal(raw, &a) != nil {
			return nil, false
		}
		return []string{a.OrderID}, true
	}
	var br struct {
		Results []struct {
			Status int      `json:"status"`
			Order  accepted `json:"order"`
		} `json:"results"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &br) != nil {
		return nil, false
	}
	var ids []string
	for _, r := range br.Results {
		if r.Status == http.StatusAccepted {
			ids = append(ids, r.Order.OrderID)
		}
	}
	return ids, len(ids) == batch
}

func closedLoop(ctx context.Context, base string, o options, batch int, w *reportWatcher, mode string) Phase {
	cl := client(o.workers)
	w.reset()
	ack := newHist()
	var mu sync.Mutex
	var sent, ok, bad, seq atomic.Int64
	deadline := time.Now().Add(o.duration)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < o.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t0 := time.Now()
				ids, fine := post(cl, base, seq.Add(1), batch)
				el := time.Since(t0)
				sent.Add(int64(batch))
				ok.Add(int64(len(ids)))
				if !fine {
					bad.Add(int64(batch - len(ids)))
				}
				for _, id := range ids {
					w.expect(id, t0)
				}
				mu.Lock()
				_ = ack.RecordValue(el.Microseconds())
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sendSecs := time.Since(start).Seconds()
	n, rep := w.wait(ok.Load(), 30*time.Second)
	total := time.Since(start).Seconds()
	return Phase{Mode: mode, Sent: sent.Load(), Accepted: ok.Load(), Rejected: bad.Load(), Reports: n, Seconds: sendSecs,
		OrdersPerSec: float64(ok.Load()) / sendSecs, PipelinePerS: float64(n) / total, Ack: pcts(ack), Report: pcts(rep), Workers: o.workers, OrdersPerCall: batch}
}

// openLoop sends at a constant rate and measures latency from each order's intended send time, so a
// stall shows up in the percentiles instead of silently lowering the rate (coordinated omission).
func openLoop(ctx context.Context, base string, o options, w *reportWatcher) Phase {
	cl := client(512)
	w.reset()
	ack := newHist()
	var mu sync.Mutex
	var ok, bad atomic.Int64
	interval := time.Second / time.Duration(o.rate)
	start := time.Now()
	total := int64(o.duration / interval)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 512)
	for i := int64(0); i < total && ctx.Err() == nil; i++ {
		intended := start.Add(time.Duration(i) * interval)
		if d := time.Until(intended); d > 0 {
			time.Sleep(d)
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(i int64) {
			defer wg.Done()
			defer func() { <-sem }()
			ids, fine := post(cl, base, 1_000_000+i, 1)
			el := time.Since(intended)
			if fine {
				ok.Add(1)
				w.expect(ids[0], intended)
			} else {
				bad.Add(1)
			}
			mu.Lock()
			_ = ack.RecordValue(el.Microseconds())
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	sendSecs := time.Since(start).Seconds()
	n, rep := w.wait(ok.Load(), 30*time.Second)
	return Phase{Mode: "open", Sent: total, Accepted: ok.Load(), Rejected: bad.Load(), Reports: n, Seconds: sendSecs,
		OrdersPerSec: float64(ok.Load()) / sendSecs, PipelinePerS: float64(n) / time.Since(start).Seconds(), Ack: pcts(ack), Report: pcts(rep), TargetRate: o.rate, OrdersPerCall: 1}
}

// reportWatcher tails `executions` and records, per expected order, the time to its first report.
type reportWatcher struct {
	brokers []string
	mu      sync.Mutex
	sentAt  map[string]time.Time
	early   map[string]time.Time // reports that arrived before the 202 was processed
	hist    *hdrhistogram.Histogram
	got     int64
	cancel  context.CancelFunc
	done    chan struct{}
}

func newReportWatcher(brokers []string) *reportWatcher {
	return &reportWatcher{brokers: brokers, sentAt: map[string]time.Time{}, early: map[string]time.Time{}, hist: newHist(), done: make(chan struct{})}
}

func (w *reportWatcher) start(ctx context.Context) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(w.brokers...), kgo.ConsumeTopics(events.TopicExecutions),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtEnd()), kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.FetchMaxWait(10*time.Millisecond))
	if err != nil {
		return err
	}
	ctx, w.cancel = context.WithCancel(ctx)
	go func() {
		defer close(w.done)
		defer cl.Close()
		for ctx.Err() == nil {
			fs := cl.PollFetches(ctx)
			now := time.Now()
			fs.EachRecord(func(r *kgo.Record) {
				// Cheap extraction of orderId and seq; full decoding would bias the measurement.
				id, seq1 := peek(r.Value)
				if !seq1 {
					return
				}
				w.mu.Lock()
				if t0, ok := w.sentAt[id]; ok {
					_ = w.hist.RecordValue(now.Sub(t0).Microseconds())
					delete(w.sentAt, id)
					w.got++
				} else {
					w.early[id] = now
				}
				w.mu.Unlock()
			})
		}
	}()
	return nil
}

func peek(v []byte) (string, bool) {
	const key = `"orderId":"`
	i := bytes.Index(v, []byte(key))
	if i < 0 {
		return "", false
	}
	rest := v[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return "", false
	}
	return string(rest[:j]), bytes.Contains(v, []byte(`"seq":1,`))
}

func (w *reportWatcher) expect(id string, t0 time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if at, ok := w.early[id]; ok {
		_ = w.hist.RecordValue(at.Sub(t0).Microseconds())
		delete(w.early, id)
		w.got++
		return
	}
	w.sentAt[id] = t0
}

func (w *reportWatcher) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.hist = newHist()
	w.got = 0
	clear(w.sentAt)
	clear(w.early)
}

// wait returns once n first reports arrived (or after limit) with the latency histogram.
func (w *reportWatcher) wait(n int64, limit time.Duration) (int64, *hdrhistogram.Histogram) {
	deadline := time.Now().Add(limit)
	for {
		w.mu.Lock()
		got := w.got
		w.mu.Unlock()
		if got >= n || time.Now().After(deadline) {
			w.mu.Lock()
			defer w.mu.Unlock()
			return got, w.hist
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (w *reportWatcher) stop() { w.cancel(); <-w.done }

// ceilingHTTP runs the same closed loop against a handler that only decodes the body and answers.
func ceilingHTTP(o options) float64 {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(`{"orderId":"00000000000000000000000000000000","status":"PENDING_NEW"}`))
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	cl := client(o.workers)
	var n atomic.Int64
	deadline := time.Now().Add(o.duration / 2)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < o.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if _, ok := post(cl, "http://"+ln.Addr().String(), n.Load(), 1); ok {
					n.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds()
}

// ceilingKafka produces n command-sized records with acks=all to a fresh embedded broker and consumes
// them back.
func ceilingKafka(ctx context.Context, n int) (float64, int) {
	sys, err := startBareKafka()
	if err != nil {
		return 0, 0
	}
	defer sys()
	return kafkaRoundTrip(ctx, n)
}

// benchCore drives the processor engine directly: 1,000 accounts, IOC limit orders far from the
// market (NEW + EXPIRED) interleaved with resting orders and their cancels.
func benchCore(n int) Core {
	books := marketdata.NewBooks()
	d := money.MustParse
	tick := events.PriceTick{Symbol: "BTC-USD", Seq: 1, Last: d("45000")}
	for i := int64(0); i < 5; i++ {
		tick.Bids = append(tick.Bids, events.Level{Price: d("45000").Sub(money.FromInt(i)), Size: d("1")})
		tick.Asks = append(tick.Asks, events.Level{Price: d("45001").Add(money.FromInt(i)), Size: d("1")})
	}
	books.Update(tick)
	cat := instrument.Default()
	eng := processor.NewEngine(processor.EngineConfig{
		Catalog: cat, Fees: account.Fees{Maker: d("0.001"), Taker: d("0.002")}, InitialBalances: local.DemoFunding(),
		Market: books, Policy: processor.NewStaticPolicy(account.DefaultLimits()),
		NewVenue: func() processor.Venue {
			return venue.NewPaper(func(s instrument.Symbol) money.Decimal { in, _ := cat.Lookup(s); return in.LotSize })
		},
	})
	cmds := make([]events.OrderCommand, n)
	for i := range cmds {
		acct := order.AccountID(fmt.Sprintf("acct-%d", i%1000))
		coid := fmt.Sprintf("c%d", i)
		s := order.Spec{ID: order.NewID(acct, coid), ClientOrderID: coid, Account: acct, Symbol: "BTC-USD", Side: order.Buy, Type: order.Limit, TimeInForce: order.IOC, Quantity: d("0.01"), Price: d("44000")}
		if i%4 == 1 {
			s.TimeInForce = order.GTC
		}
		cmds[i] = events.OrderCommand{Kind: events.CmdNew, Account: acct, OrderID: s.ID, Spec: s}
		if i%4 == 2 { // cancel the resting order placed just before
			prev := cmds[i-1]
			cmds[i] = events.OrderCommand{Kind: events.CmdCancel, CommandID: coid, Account: prev.Account, OrderID: prev.OrderID}
		}
	}
	now := time.Now()
	start := time.Now()
	for _, c := range cmds {
		eng.Handle(c, now)
	}
	el := time.Since(start)
	return Core{Orders: n, OrdersPerSec: float64(n) / el.Seconds(), NsPerOrder: float64(el.Nanoseconds()) / float64(n)}
}

func write(dir string, r Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "bench.json"), b, 0o644); err != nil {
		return err
	}
	var md strings.Builder
	fmt.Fprintf(&md, "# omsbench %s\n\n%d CPUs, %s. Load generator, system and broker share the machine.\n\n", r.When.Format(time.RFC3339), r.CPUs, r.Go)
	fmt.Fprintf(&md, "| phase | accepted/s | pipeline orders/s | ack p50 | ack p99 | ack p99.9 | ack max | report p50 | report p99 | report p99.9 | report max |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, p := range []Phase{r.Pipeline, r.Batch, r.OpenLoop, r.OpenWS, r.OpenWSAll} {
		if p.Mode == "" {
			continue
		}
		fmt.Fprintf(&md, "| %s (x%d) | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n", p.Mode, p.OrdersPerCall, p.OrdersPerSec, p.PipelinePerS,
			p.Ack.P50, p.Ack.P99, p.Ack.P999, p.Ack.Max, p.Report.P50, p.Report.P99, p.Report.P999, p.Report.Max)
	}
	fmt.Fprintf(&md, "\nLatencies in ms. Ceiling: bare net/http decode %.0f req/s; raw Kafka produce+consume %.0f records/s (%d B). Processor core: %.0f orders/s (%.0f ns/order) on one goroutine.\n",
		r.Ceiling.HTTPPerSec, r.Ceiling.KafkaPerSec, r.Ceiling.KafkaRecordSize, r.Core.OrdersPerSec, r.Core.NsPerOrder)
	return os.WriteFile(filepath.Join(dir, "bench.md"), []byte(md.String()), 0o644)
}
