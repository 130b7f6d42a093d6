package edges_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/local"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/processor"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
)

// reports collects every execution report on `executions` by order id.
type reports struct {
	mu   sync.Mutex
	byID map[string][]oms.ExecutionReport
}

func collectReports(t *testing.T, brokers []string) *reports {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(oms.TopicExecutions),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.FetchMaxWait(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	r := &reports{byID: map[string][]oms.ExecutionReport{}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			cl.PollFetches(ctx).EachRecord(func(rec *kgo.Record) {
				if rep, err := oms.DecodeReport(rec.Value); err == nil {
					r.mu.Lock()
					r.byID[string(rep.OrderID)] = append(r.byID[string(rep.OrderID)], rep)
					r.mu.Unlock()
				}
			})
		}
	}()
	t.Cleanup(func() { cancel(); <-done; cl.Close() })
	return r
}

// first waits for the first report of an order: NEW when admitted, DENIED when risk refused it.
func (r *reports) first(t *testing.T, id string) oms.ExecutionReport {
	t.Helper()
	var rep oms.ExecutionReport
	waitFor(t, 15*time.Second, "report of "+id, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		if rs := r.byID[id]; len(rs) > 0 {
			rep = rs[0]
			return true
		}
		return false
	})
	return rep
}

// applied records when the processor applied each control command.
type applied struct {
	mu sync.Mutex
	at map[string][]time.Time
}

func (a *applied) note(c oms.Control) {
	a.mu.Lock()
	a.at[c.ID] = append(a.at[c.ID], time.Now())
	a.mu.Unlock()
}

func (a *applied) times(id string) []time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]time.Time(nil), a.at[id]...)
}

// TestAdminControlsTheProcessor halts, resumes and limits trading through the admin API of a local
// run and watches the real processor obey; then restarts the processor, which must rebuild the limits
// from `control` before it takes an order.
func TestAdminControlsTheProcessor(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sys, err := local.Start(ctx, local.Config{HTTPAddr: "127.0.0.1:0", KafkaAddr: "127.0.0.1:0", DataDir: t.TempDir(), Dev: true, NoProcessor: true,
		RequireReal: testenv.RequireReal(), Ephemeral: true, FeedSeed: 5, Logger: testenv.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sys.Stop)
	hook := &applied{at: map[string][]time.Time{}}
	runProcessor := func() (stop func()) {
		pctx, pcancel := context.WithCancel(context.Background())
		cfg := local.ProcessorConfig(sys.Brokers, "processor-admin-test", testenv.Logger(t))
		cfg.OnControl = hook.note
		done := make(chan error, 1)
		go func() { done <- processor.Run(pctx, cfg) }()
		return func() {
			pcancel()
			if err := <-done; err != nil {
				t.Errorf("processor: %v", err)
			}
		}
	}
	stop := runProcessor()
	defer func() { stop() }()
	reps := collectReports(t, sys.Brokers)

	n := 0
	place := func(qty string) oms.ExecutionReport {
		t.Helper()
		n++
		body := fmt.Sprintf(`{"symbol":"BTC-USD","side":"BUY","orderType":"LIMIT","quantity":"%s","price":"30000"}`, qty)
		code, got := do(t, sys, "POST", "/api/orders", body, "X-Idempotency-Key", fmt.Sprintf("admin-e2e-%d", n))
		if code != http.StatusAccepted {
			t.Fatalf("place: %d %v", code, got)
		}
		return reps.first(t, got["orderId"].(string))
	}
	// command sends an admin request and reports how long the processor took to apply it.
	command := func(method, path, body string, want int) map[string]any {
		t.Helper()
		sent := time.Now()
		code, got := do(t, sys, method, path, body)
		answered := time.Now()
		if code != want {
			t.Fatalf("%s %s: %d %v", method, path, code, got)
		}
		id, _ := got["commandId"].(string)
		if id == "" {
			id = lastCommandID(t, sys)
		}
		var at time.Time
		waitFor(t, 10*time.Second, "processor applies "+id, func() bool {
			ts := hook.times(id)
			if len(ts) > 0 {
				at = ts[0]
			}
			return len(ts) > 0
		})
		t.Logf("%s %s: admin answered %d in %s; processor applied it %s after the request, %s after the answer (negative: before the client had it)",
			method, path, code, answered.Sub(sent).Round(time.Microsecond), at.Sub(sent).Round(time.Microsecond), at.Sub(answered).Round(time.Microsecond))
		return got
	}

	if r := place("0.01"); r.Status.String() != "NEW" {
		t.Fatalf("before any command: %s %s", r.Status, r.Reason)
	}
	halt := command("POST", "/api/admin/trading-state", `{"scope":"GLOBAL","state":"HALTED","reason":"e2e halt"}`, http.StatusAccepted)
	if halt["by"] != "dev:demo" || halt["state"] != "HALTED" {
		t.Errorf("halt answer %v", halt)
	}
	if r := place("0.01"); r.Status.String() != "DENIED" || r.Reason != "TRADING_HALTED" {
		t.Fatalf("while halted: %s %s %s", r.Status, r.Reason, r.Text)
	}
	command("POST", "/api/admin/trading-state", `{"scope":"GLOBAL","state":"ACTIVE","reason":"e2e resume"}`, http.StatusAccepted)
	if r := place("0.01"); r.Status.String() != "NEW" {
		t.Fatalf("after resume: %s %s %s", r.Status, r.Reason, r.Text)
	}
	lim := command("PUT", "/api/admin/accounts/demo/risk-limits", `{"maxOrderNotional":"100"}`, http.StatusOK)
	if lim["source"] != "SET" || lim["maxOrderNotional"] != "100" {
		t.Errorf("limits answer %v", lim)
	}
	if r := place("0.01"); r.Status.String() != "DENIED" || r.Reason != "MAX_NOTIONAL_EXCEEDED" || !strings.Contains(r.Text, "max=100") {
		t.Fatalf("over the new notional limit: %s %s %s", r.Status, r.Reason, r.Text)
	}
	if r := place("0.001"); r.Status.String() != "NEW" {
		t.Fatalf("under the new notional limit: %s %s %s", r.Status, r.Reason, r.Text)
	}

	// Restart: the replay of `control` gates the first order.
	stop()
	replayFrom := time.Now()
	stop = runProcessor()
	if r := place("0.01"); r.Status.String() != "DENIED" || r.Reason != "MAX_NOTIONAL_EXCEEDED" {
		t.Fatalf("after a processor restart: %s %s %s", r.Status, r.Reason, r.Text)
	}
	if ts := hook.times(lastCommandID(t, sys)); len(ts) != 2 || ts[1].Before(replayFrom) {
		t.Errorf("LIMITS applied at %v; want once live and once in the restarted processor's replay", ts)
	}

	code, au := do(t, sys, "GET", "/api/admin/audit?limit=3", "")
	if code != http.StatusOK {
		t.Fatalf("audit: %d %v", code, au)
	}
	var trail []string
	for _, x := range au["entries"].([]any) {
		e := x.(map[string]any)
		trail = append(trail, fmt.Sprint(e["action"], " ", e["result"], " ", e["by"]))
	}
	if want := []string{"SET_RISK_LIMITS OK dev:demo", "SET_TRADING_STATE OK dev:demo", "SET_TRADING_STATE OK dev:demo"}; strings.Join(trail, "|") != strings.Join(want, "|") {
		t.Errorf("audit %v, want %v", trail, want)
	}
}

// lastCommandID is the commandId of the newest audit entry that published one.
func lastCommandID(t *testing.T, sys *local.System) string {
	t.Helper()
	code, au := do(t, sys, "GET", "/api/admin/audit?limit=1", "")
	if code != http.StatusOK {
		t.Fatalf("audit: %d %v", code, au)
	}
	es := au["entries"].([]any)
	if len(es) == 0 {
		t.Fatal("empty audit")
	}
	id, _ := es[0].(map[string]any)["details"].(map[string]any)["commandId"].(string)
	return id
}

// signedWith signs a request with a body, as a client of the gateway and the Lambdas does.
func signedWith(k auth.Key, method, pathAndQuery, body string) []string {
	ts := fmt.Sprint(time.Now().UnixMilli())
	return []string{auth.HeaderKey, k.ID, auth.HeaderTimestamp, ts, auth.HeaderSignature, auth.Sign(k.Secret, ts, method, pathAndQuery, []byte(body))}
}

// TestAPIKeyLifecycleAcrossEdges creates a key through the admin API and uses it at the gateway,
// order-query and admin; then rotates it (the old secret stops working) and revokes it (the key stops
// working), measuring how long each change takes to reach the edges.
func TestAPIKeyLifecycleAcrossEdges(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end")
	}
	sys := startSystem(t)
	if code, got := do(t, sys, "POST", "/api/admin/accounts", `{"accountId":"desk-1","name":"Desk one"}`); code != http.StatusCreated {
		t.Fatalf("create account: %d %v", code, got)
	}
	code, created := do(t, sys, "POST", "/api/admin/api-keys", `{"accountId":"desk-1","scopes":["trade","read"],"label":"e2e"}`)
	if code != http.StatusCreated {
		t.Fatalf("create key: %d %v", code, created)
	}
	k := auth.Key{ID: created["keyId"].(string), Secret: []byte(created["secret"].(string))}
	n := 0
	order := func(k auth.Key) (int, map[string]any) {
		n++
		body := `{"symbol":"ETH-USD","side":"BUY","orderType":"LIMIT","quantity":"0.1","price":"1000"}`
		hdr := append(signedWith(k, "POST", "/api/orders", body), "X-Idempotency-Key", fmt.Sprintf("lifecycle-%d", n))
		return do(t, sys, "POST", "/api/orders", body, hdr...)
	}
	read := func(k auth.Key, path string) (int, map[string]any) {
		return do(t, sys, "GET", path, "", signedWith(k, "GET", path, "")...)
	}

	code, placed := order(k)
	if code != http.StatusAccepted || placed["accountId"] != "desk-1" {
		t.Fatalf("gateway with the new key: %d %v", code, placed)
	}
	id := placed["orderId"].(string)
	waitFor(t, 10*time.Second, "order-query with the new key", func() bool {
		code, got := read(k, "/api/orders/"+id)
		return code == http.StatusOK && got["accountId"] == "desk-1"
	})
	if code, got := read(k, "/api/admin/whoami"); code != http.StatusOK || got["accountId"] != "desk-1" {
		t.Errorf("whoami with the new key: %d %v", code, got)
	}
	if code, got := read(k, "/api/admin/accounts"); code != http.StatusForbidden || got["code"] != "FORBIDDEN" {
		t.Errorf("admin route with a trading key: %d %v", code, got)
	}
	if code, got := read(sys.DemoKey, "/api/admin/trading-state"); code != http.StatusForbidden {
		t.Errorf("admin route with the demo (trade, read) key: %d %v", code, got)
	}

	code, rotated := do(t, sys, "POST", "/api/admin/api-keys/"+k.ID+"/rotate", "")
	if code != http.StatusOK {
		t.Fatalf("rotate: %d %v", code, rotated)
	}
	fresh := auth.Key{ID: k.ID, Secret: []byte(rotated["secret"].(string))}
	start := time.Now()
	waitFor(t, 15*time.Second, "old secret refused at the gateway", func() bool {
		code, got := order(k)
		return code == http.StatusUnauthorized && got["code"] == "INVALID_SIGNATURE"
	})
	t.Logf("rotation reached the gateway after %s", time.Since(start).Round(time.Millisecond))
	if code, got := read(k, "/api/orders/"+id); code != http.StatusUnauthorized || got["code"] != "INVALID_SIGNATURE" {
		t.Errorf("old secret at order-query: %d %v", code, got)
	}
	if code, got := order(fresh); code != http.StatusAccepted {
		t.Errorf("new secret at the gateway: %d %v", code, got)
	}
	if code, got := read(fresh, "/api/orders/"+id); code != http.StatusOK {
		t.Errorf("new secret at order-query: %d %v", code, got)
	}

	if code, got := do(t, sys, "DELETE", "/api/admin/api-keys/"+k.ID, ""); code != http.StatusOK || got["status"] != "REVOKED" {
		t.Fatalf("revoke: %d %v", code, got)
	}
	start = time.Now()
	waitFor(t, 15*time.Second, "revoked key refused at the gateway", func() bool {
		code, got := order(fresh)
		return code == http.StatusUnauthorized && got["code"] == "INVALID_API_KEY"
	})
	t.Logf("revocation reached the gateway after %s", time.Since(start).Round(time.Millisecond))
	for _, path := range []string{"/api/orders/" + id, "/api/admin/whoami"} {
		if code, got := read(fresh, path); code != http.StatusUnauthorized || got["code"] != "INVALID_API_KEY" {
			t.Errorf("revoked key at %s: %d %v", path, code, got)
		}
	}
}
