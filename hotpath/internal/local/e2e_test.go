package local_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/local"
)

// requireReal is set in CI and by `make test`: a missing redis-server then fails the test instead of
// silently running on miniredis.
func requireReal() bool { return os.Getenv("CI") != "" || os.Getenv("OMS_REQUIRE_REAL") == "1" }

func start(t *testing.T, noProcessor bool) *local.System {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sys, err := local.Start(ctx, local.Config{HTTPAddr: "127.0.0.1:0", KafkaAddr: "127.0.0.1:0", DataDir: t.TempDir(), Dev: true,
		RequireReal: requireReal(), NoProcessor: noProcessor, NoStore: true, Ephemeral: true, FeedSeed: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sys.Stop)
	if sys.Redis.Kind() != "redis-server" {
		t.Logf("running on %s: install redis-server for the real thing", sys.Redis.Kind())
	}
	return sys
}

type httpResp struct {
	Status int
	Body   map[string]any
}

func call(t *testing.T, sys *local.System, method, path, body string, hdr ...string) httpResp {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+sys.HTTPAddr+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
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
	return httpResp{res.StatusCode, m}
}

// reports collects the executions topic (read committed) as the processor writes it.
type reports struct {
	mu   sync.Mutex
	all  []events.ExecutionReport
	stop context.CancelFunc
	done chan struct{}
}

func collect(t *testing.T, brokers []string) *reports {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(events.TopicExecutions),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.FetchMaxWait(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &reports{stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		defer cl.Close()
		for ctx.Err() == nil {
			fs := cl.PollFetches(ctx)
			fs.EachRecord(func(rec *kgo.Record) {
				rep, err := events.DecodeReport(rec.Value)
				if err != nil {
					t.Errorf("undecodable report at offset %d: %v", rec.Offset, err)
					return
				}
				r.mu.Lock()
				r.all = append(r.all, rep)
				r.mu.Unlock()
			})
		}
	}()
	t.Cleanup(func() { cancel(); <-r.done })
	return r
}

func (r *reports) forOrder(id string) []events.ExecutionReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []events.ExecutionReport
	for _, x := range r.all {
		if string(x.OrderID) == id {
			out = append(out, x)
		}
	}
	return out
}

func (r *reports) snapshot() []events.ExecutionReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]events.ExecutionReport(nil), r.all...)
}

// waitFor polls until cond holds or fails the test after d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func execTypes(rs []events.ExecutionReport) string {
	var b bytes.Buffer
	for i, r := range rs {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s/%s", r.ExecType, r.Status)
	}
	return b.String()
}

func TestOrderLifecycleEndToEnd(t *testing.T) {
	sys := start(t, false)
	reps := collect(t, sys.Brokers)
	if h := call(t, sys, "GET", "/health", ""); h.Status != 200 || h.Body["status"] != "healthy" {
		t.Fatalf("health: %v", h)
	}
	// A limit buy far below the market rests; then we cancel it.
	r := call(t, sys, "POST", "/api/orders", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":30000}`, "X-Idempotency-Key", "rest-1")
	if r.Status != 202 || r.Body["status"] != "PENDING_NEW" {
		t.Fatalf("place: %v", r)
	}
	id := r.Body["orderId"].(string)
	waitFor(t, 10*time.Second, "NEW report", func() bool { return len(reps.forOrder(id)) >= 1 })
	if got := execTypes(reps.forOrder(id)); got != "NEW/NEW" {
		t.Fatalf("reports %s", got)
	}
	if c := call(t, sys, "DELETE", "/api/orders/"+id, ""); c.Status != 202 {
		t.Fatalf("cancel: %v", c)
	}
	waitFor(t, 10*time.Second, "CANCELED report", func() bool { return len(reps.forOrder(id)) >= 2 })
	if got := execTypes(reps.forOrder(id)); got != "NEW/NEW CANCELED/CANCELED" {
		t.Fatalf("reports %s", got)
	}
	// A marketable order fills against the simulated book.
	r = call(t, sys, "POST", "/api/orders", `{"symbol":"BTC-USD","side":"BUY","orderType":"MARKET","quantity":"0.01"}`, "X-Idempotency-Key", "mkt-1")
	if r.Status != 202 {
		t.Fatalf("market: %v", r)
	}
	mid := r.Body["orderId"].(string)
	waitFor(t, 10*time.Second, "fill", func() bool {
		rs := reps.forOrder(mid)
		return len(rs) > 0 && rs[len(rs)-1].Status.Terminal()
	})
	rs := reps.forOrder(mid)
	if last := rs[len(rs)-1]; last.Status.String() != "FILLED" || !last.CumQty.Equal(last.Quantity) || last.AvgPrice.IsZero() {
		t.Fatalf("market order ended %s", execTypes(rs))
	}
	// Risk denial carries the code and the numbers.
	r = call(t, sys, "POST", "/api/orders", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":60,"price":30000}`, "X-Idempotency-Key", "big-1")
	if r.Status != 202 {
		t.Fatalf("big: %v", r)
	}
	bid := r.Body["orderId"].(string)
	waitFor(t, 10*time.Second, "denial", func() bool { return len(reps.forOrder(bid)) == 1 })
	if d := reps.forOrder(bid)[0]; d.Status.String() != "DENIED" || d.Reason != "MAX_ORDER_QTY_EXCEEDED" || !strings.Contains(d.Text, "quantity=60, max=50") {
		t.Fatalf("denial %+v", d)
	}
	// Halt BTC-USD through the control topic: the processor obeys.
	ctl := events.Control{ID: "h1", Scope: events.ScopeSymbol, Target: "BTC-USD", State: events.Halted, By: "test", At: time.Now()}
	if err := sys.Producer().Publish(context.Background(), events.TopicControl, nil, events.AppendControl(nil, ctl)); err != nil {
		t.Fatal(err)
	}
	var hid string
	waitFor(t, 10*time.Second, "halt to take effect", func() bool {
		r := call(t, sys, "POST", "/api/orders", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":30000}`, "X-Idempotency-Key", fmt.Sprintf("halt-%d", time.Now().UnixNano()))
		hid = r.Body["orderId"].(string)
		var got []events.ExecutionReport
		waitFor(t, 10*time.Second, "report", func() bool { got = reps.forOrder(hid); return len(got) > 0 })
		return got[0].Reason == "TRADING_HALTED"
	})
}

func TestConcurrentDuplicatesCreateOneOrder(t *testing.T) {
	sys := start(t, false)
	reps := collect(t, sys.Brokers)
	body := `{"symbol":"ETH/USD","side":"BUY","orderType":"LIMIT","quantity":1,"price":1000}`
	var wg sync.WaitGroup
	results := make([]httpResp, 50)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = call(t, sys, "POST", "/api/orders", body, "X-Idempotency-Key", "dup-key")
		}()
	}
	wg.Wait()
	ids := map[string]bool{}
	accepted := 0
	for _, r := range results {
		switch r.Status {
		case 202:
			accepted++
			ids[r.Body["orderId"].(string)] = true
		case 409:
			if r.Body["code"] != "REQUEST_IN_FLIGHT" {
				t.Errorf("409 with code %v", r.Body["code"])
			}
		default:
			t.Errorf("unexpected answer %v", r)
		}
	}
	if accepted == 0 || len(ids) != 1 {
		t.Fatalf("accepted %d with order ids %v", accepted, ids)
	}
	var id string
	for k := range ids {
		id = k
	}
	// A late retry replays the same order.
	if r := call(t, sys, "POST", "/api/orders", body, "X-Idempotency-Key", "dup-key"); r.Status != 202 || r.Body["orderId"] != id {
		t.Fatalf("replay %v", r)
	}
	waitFor(t, 10*time.Second, "NEW report", func() bool { return len(reps.forOrder(id)) >= 1 })
	time.Sleep(500 * time.Millisecond) // give a duplicate, if any, time to show up
	news := 0
	for _, r := range reps.snapshot() {
		if r.ExecType.String() == "NEW" || r.Status.String() == "DENIED" {
			news++
		}
	}
	if news != 1 {
		t.Fatalf("%d orders created, want 1", news)
	}
}

func TestRedisDownGives503(t *testing.T) {
	sys := start(t, false)
	body := `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":30000}`
	sys.Redis.Stop()
	r := call(t, sys, "POST", "/api/orders", body, "X-Idempotency-Key", "r1")
	if r.Status != 503 || r.Body["code"] != "IDEMPOTENCY_UNAVAILABLE" {
		t.Fatalf("redis down: %v", r)
	}
	h := call(t, sys, "GET", "/healthz", "")
	deps, _ := h.Body["dependencies"].(map[string]any)
	if h.Status != 503 || !strings.HasPrefix(fmt.Sprint(deps["redis"]), "down") || deps["kafka"] != "up" {
		t.Fatalf("health: %v", h)
	}
	if err := sys.Redis.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "recovery", func() bool {
		return call(t, sys, "POST", "/api/orders", body, "X-Idempotency-Key", "r1").Status == 202
	})
}

func TestKafkaDownGives503(t *testing.T) {
	sys := start(t, false)
	sys.Kafka.Close()
	r := call(t, sys, "POST", "/api/orders", `{"symbol":"BTC/USD","side":"BUY","orderType":"LIMIT","quantity":0.1,"price":30000}`, "X-Idempotency-Key", "k1")
	if r.Status != 503 || r.Body["code"] != "KAFKA_UNAVAILABLE" {
		t.Fatalf("kafka down: %v", r)
	}
	h := call(t, sys, "GET", "/health", "")
	deps, _ := h.Body["dependencies"].(map[string]any)
	if h.Status != 503 || !strings.HasPrefix(fmt.Sprint(deps["kafka"]), "down") {
		t.Fatalf("health: %v", h)
	}
}
