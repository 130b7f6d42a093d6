package lambdacheck_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/kafkabus"
	"github.com/crypto-oms/crypto-oms/lambdas/keystore"
	"github.com/crypto-oms/crypto-oms/lambdas/lambdatest"
	"github.com/crypto-oms/crypto-oms/lambdas/marketingest"
	"github.com/crypto-oms/crypto-oms/lambdas/marketquery"
	"github.com/crypto-oms/crypto-oms/lambdas/marketstore"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

// marketDLQ is market-ingest's dead-letter topic under the emulator, apart from the projector's, so
// each function's poison can be counted on its own.
const marketDLQ = "dlq-market-ingest"

func init() {
	bootstrapCases["market-ingest"] = bootstrapCase{
		env: func(*testing.T, *rig) map[string]string { return map[string]string{"OMS_DLQ_TOPIC": marketDLQ} },
		run: func(t *testing.T, r *rig, fn *function) {
			for _, name := range []string{"batch.json", "poison.json"} {
				if out := fn.invoke(t, readFixture(t, "marketingest", name)); string(out) != "null" {
					t.Fatalf("%s: the function answered %s", name, out)
				}
			}
			// What the bootstrap wrote is what market-query serves: every symbol of the batch has a price.
			resp := inProcessMarketQuery(t, r).invoke(t, marketFixture(t, "prices.json"))
			var body struct {
				Prices []struct{ Symbol, PriceValue string }
			}
			if resp.StatusCode != 200 || json.Unmarshal([]byte(resp.Body), &body) != nil || len(body.Prices) == 0 {
				t.Fatalf("prices after ingest: %d %s", resp.StatusCode, resp.Body)
			}
			for _, p := range body.Prices {
				if p.PriceValue == "" || p.PriceValue == "0" {
					t.Errorf("%s has no price: %s", p.Symbol, resp.Body)
				}
			}
			if n := countRecords(t, r.kafka.Addrs(), marketDLQ); n == 0 {
				t.Errorf("the poison batch left nothing on %s", marketDLQ)
			}
		},
	}
	bootstrapCases["market-query"] = bootstrapCase{
		run: func(t *testing.T, r *rig, fn *function) {
			// The state the requests read: the ingest fixture, folded in process.
			st := openMarketStore(t, r)
			if err := marketingest.New(marketingest.Config{Store: st}).Handle(context.Background(), marketKafkaFixture(t, "batch.json")); err != nil {
				t.Fatal(err)
			}
			inProc := inProcessMarketQuery(t, r)
			want := map[string]int{"prices.json": 200, "candles.json": 200, "candlestick.json": 200, "orderbook.json": 200,
				"trades.json": 200, "price.json": 200, "bad-interval.json": 400, "bad-limit.json": 400, "unknown-parameter.json": 400, "unknown-symbol.json": 404}
			for name, status := range want {
				req := marketFixture(t, name)
				got := albInvoke(t, fn, req)
				ref := inProc.invoke(t, req)
				if got.StatusCode != status || got.StatusCode != ref.StatusCode || got.Body != ref.Body {
					t.Errorf("%s: bootstrap %d %s; handler %d %s; want status %d", name, got.StatusCode, got.Body, ref.StatusCode, ref.Body, status)
				}
			}
		},
	}
	bootstrapCases["admin"] = bootstrapCase{
		env: func(t *testing.T, r *rig) map[string]string {
			kek, err := keystore.NewKEK()
			if err != nil {
				t.Fatal(err)
			}
			keys, err := filepath.Abs(fixturePath("admin", "keys.json"))
			if err != nil {
				t.Fatal(err)
			}
			return map[string]string{"OMS_KEY_ENCRYPTION_KEY": kek, "OMS_API_KEYS_FILE": keys}
		},
		run: func(t *testing.T, r *rig, fn *function) {
			keys, err := auth.ParseKeyFile(readFixture(t, "admin", "keys.json"))
			if err != nil {
				t.Fatal(err)
			}
			call := func(name string) events.ALBTargetGroupResponse {
				var req events.ALBTargetGroupRequest
				if err := json.Unmarshal(readFixture(t, "admin", name), &req); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				lambdatest.Sign(&req, keys[req.Headers["x-oms-key"]], time.Now())
				return albInvoke(t, fn, req)
			}
			expect := func(name string, status int, contains string) {
				t.Helper()
				resp := call(name)
				if resp.StatusCode != status || !strings.Contains(resp.Body, contains) {
					t.Errorf("%s: %d %s, want %d containing %q", name, resp.StatusCode, resp.Body, status, contains)
				}
			}
			expect("whoami.json", 200, `"admin"`)
			expect("halt-by-trader.json", 403, "FORBIDDEN")
			expect("halt-global.json", 202, "HALTED")
			expect("trading-state.json", 200, "HALTED")
			expect("halt-invalid-state.json", 400, "INVALID_STATE")
			expect("resume-global.json", 202, "ACTIVE")
			// Both commands reached the control topic the processor tails, in order.
			var states []string
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if err := kafkabus.ReadPartition(ctx, r.kafka.Addrs(), oms.TopicControl, 0, func(rec *kgo.Record) error {
				c, err := oms.DecodeControl(rec.Value)
				if err != nil {
					return err
				}
				states = append(states, c.State.String())
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if strings.Join(states, ",") != "HALTED,ACTIVE" {
				t.Errorf("control topic holds %v, want HALTED then ACTIVE", states)
			}
			expect("audit.json", 200, "SET_TRADING_STATE")
		},
	}
}

type albFunc func(context.Context, events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error)

func (f albFunc) invoke(t *testing.T, req events.ALBTargetGroupRequest) events.ALBTargetGroupResponse {
	t.Helper()
	resp, err := f(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func albInvoke(t *testing.T, fn *function, req events.ALBTargetGroupRequest) events.ALBTargetGroupResponse {
	t.Helper()
	payload, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	var resp events.ALBTargetGroupResponse
	if out := fn.invoke(t, payload); json.Unmarshal(out, &resp) != nil || resp.StatusCode == 0 {
		t.Fatalf("not an ALB response: %s", out)
	}
	return resp
}

func openMarketStore(t *testing.T, r *rig) *marketstore.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cl, err := readmodel.Connect(ctx, r.store.URI())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Disconnect(context.Background()) })
	st, err := marketstore.New(ctx, cl.Database(r.db), marketstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func inProcessMarketQuery(t *testing.T, r *rig) albFunc {
	return marketquery.New(marketquery.Config{Reader: openMarketStore(t, r)}).Handle
}

func marketFixture(t *testing.T, name string) events.ALBTargetGroupRequest {
	t.Helper()
	var req events.ALBTargetGroupRequest
	if err := json.Unmarshal(readFixture(t, "marketquery", name), &req); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return req
}

func marketKafkaFixture(t *testing.T, name string) events.KafkaEvent {
	t.Helper()
	var ev events.KafkaEvent
	if err := json.Unmarshal(readFixture(t, "marketingest", name), &ev); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ev
}

func countRecords(t *testing.T, brokers []string, topic string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	n := 0
	if err := kafkabus.ReadPartition(ctx, brokers, topic, 0, func(*kgo.Record) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}
