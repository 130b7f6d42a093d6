package lambdacheck_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
	"github.com/crypto-oms/crypto-oms/lambdas/lambdatest"
	"github.com/crypto-oms/crypto-oms/lambdas/orderquery"
	"github.com/crypto-oms/crypto-oms/lambdas/projector"
)

// The parts of order-query's responses the checks read.
type (
	orderJSON struct {
		OrderID, ClientOrderID, AccountID, Symbol, Side, OrderType, Status string
		Quantity, CumQty, AvgPrice, LeavesQty, Reason                      string
		Price                                                              *string
		Seq                                                                uint64
		CreatedAt                                                          string
	}
	fillJSON struct {
		ExecID, OrderID, ClientOrderID, Symbol, Side, Quantity, Price, Fee, FeeAsset, Liquidity string
	}
	listJSON struct {
		Orders     []orderJSON
		Fills      []fillJSON
		Positions  []struct{ Symbol, Quantity, AvgEntryPrice, RealizedPnl, Fees string }
		Balances   []struct{ Asset, Total, Locked, Available string }
		NextCursor *string
		Code, Msg  string
		Field      string
	}
)

// invoker sends a request to order-query however the test reaches it (in process, or through the
// runtime emulator). sign makes a fresh signed request for key at the invoker's clock.
type invoker struct {
	invoke func(t *testing.T, req events.ALBTargetGroupRequest) events.ALBTargetGroupResponse
	sign   func(key, pathAndQuery string) events.ALBTargetGroupRequest
}

func (iv invoker) get(t *testing.T, key, pathAndQuery string) (int, listJSON) {
	t.Helper()
	return decodeResponse(t, iv.invoke(t, iv.sign(key, pathAndQuery)))
}

func decodeResponse(t *testing.T, resp events.ALBTargetGroupResponse) (int, listJSON) {
	t.Helper()
	var body listJSON
	if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
		t.Fatalf("response %d is not JSON: %q", resp.StatusCode, resp.Body)
	}
	if ct := resp.Headers["Content-Type"]; ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	return resp.StatusCode, body
}

// latest is each order's newest report in the scenario, by client order id.
func latest(d *lambdatest.Desk) map[string]oms.ExecutionReport {
	out := map[string]oms.ExecutionReport{}
	for _, r := range d.Reports {
		if cur, ok := out[r.ClientOrderID]; !ok || r.Seq > cur.Seq {
			out[r.ClientOrderID] = r
		}
	}
	return out
}

// checkOrders compares listed orders with the scenario's state of those client order ids, in order.
func checkOrders(t *testing.T, d *lambdatest.Desk, got []orderJSON, want ...string) {
	t.Helper()
	var ids []string
	for _, o := range got {
		ids = append(ids, o.ClientOrderID)
	}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Fatalf("orders (-want +got):\n%s", diff)
	}
	st := latest(d)
	for _, o := range got {
		r := st[o.ClientOrderID]
		w := orderJSON{OrderID: string(r.OrderID), ClientOrderID: r.ClientOrderID, AccountID: string(r.Account), Symbol: string(r.Symbol),
			Side: r.Side.String(), OrderType: r.Type.String(), Status: r.Status.String(), Quantity: r.Quantity.String(),
			CumQty: r.CumQty.String(), AvgPrice: r.AvgPrice.String(), LeavesQty: r.LeavesQty.String(), Reason: r.Reason,
			Seq: r.Seq, CreatedAt: r.CreatedAt.Format(time.RFC3339Nano)}
		if !r.Price.IsZero() {
			p := r.Price.String()
			w.Price = &p
		}
		if diff := cmp.Diff(w, o); diff != "" {
			t.Errorf("order %s (-want +got):\n%s", o.ClientOrderID, diff)
		}
	}
}

type queryCase struct {
	fixture string
	status  int
	check   func(t *testing.T, d *lambdatest.Desk, body listJSON, raw string, iv invoker)
}

// singleOrder checks an answer that is one order object.
func singleOrder(clientOrderID string) func(*testing.T, *lambdatest.Desk, listJSON, string, invoker) {
	return func(t *testing.T, d *lambdatest.Desk, _ listJSON, raw string, _ invoker) {
		var o orderJSON
		if err := json.Unmarshal([]byte(raw), &o); err != nil {
			t.Fatal(err)
		}
		checkOrders(t, d, []orderJSON{o}, clientOrderID)
	}
}

func errorCase(fixture string, status int, code, field string) queryCase {
	return queryCase{fixture, status, func(t *testing.T, _ *lambdatest.Desk, b listJSON, _ string, _ invoker) {
		if b.Code != code || b.Field != field || b.Msg == "" {
			t.Errorf("error body %+v, want code %s field %q and a message", b, code, field)
		}
		if len(b.Orders)+len(b.Fills)+len(b.Positions)+len(b.Balances) > 0 {
			t.Errorf("an error that carries data: %+v", b)
		}
	}}
}

// queryCases are the recorded order-query requests and what each must answer over the state the
// projector fixture batch.json leaves.
var queryCases = []queryCase{
	{"orders.json", http.StatusOK, func(t *testing.T, d *lambdatest.Desk, b listJSON, _ string, _ invoker) {
		checkOrders(t, d, b.Orders, "a-5", "a-4", "a-3", "a-2", "a-1")
		if b.NextCursor != nil {
			t.Errorf("a last page with a cursor")
		}
	}},
	{"orders-filtered.json", http.StatusOK, func(t *testing.T, d *lambdatest.Desk, b listJSON, _ string, _ invoker) {
		checkOrders(t, d, b.Orders, "a-1")
	}},
	{"orders-open.json", http.StatusOK, func(t *testing.T, d *lambdatest.Desk, b listJSON, _ string, _ invoker) {
		checkOrders(t, d, b.Orders, "a-5", "a-4")
	}},
	{"orders-time-range.json", http.StatusOK, func(t *testing.T, d *lambdatest.Desk, b listJSON, _ string, _ invoker) {
		checkOrders(t, d, b.Orders, "a-4", "a-3", "a-2") // [T0+4s, T0+9s): a-5 at 9s is out
	}},
	{"orders-page.json", http.StatusOK, func(t *testing.T, d *lambdatest.Desk, b listJSON, _ string, iv invoker) {
		checkOrders(t, d, b.Orders, "a-5", "a-4")
		var rest []orderJSON
		for page := 0; b.NextCursor != nil; page++ {
			if page > 5 {
				t.Fatal("the cursor does not end")
			}
			var code int
			code, b = iv.get(t, "key-a", "/api/orders?limit=2&cursor="+url.QueryEscape(*b.NextCursor))
			if code != http.StatusOK {
				t.Fatalf("next page: %d %+v", code, b)
			}
			rest = append(rest, b.Orders...)
		}
		checkOrders(t, d, rest, "a-3", "a-2", "a-1")
	}},
	{"order-by-id.json", http.StatusOK, singleOrder("a-1")},
	{"order-by-client-id.json", http.StatusOK, singleOrder("a-3")},
	{"fills.json", http.StatusOK, func(t *testing.T, d *lambdatest.Desk, b listJSON, _ string, _ invoker) {
		var want []fillJSON
		for _, r := range d.Reports {
			if r.ExecType == order.ExecTrade && r.Account == lambdatest.AcctA && r.Symbol == "BTC-USD" {
				want = append([]fillJSON{{ExecID: r.ExecID, OrderID: string(r.OrderID), ClientOrderID: r.ClientOrderID, Symbol: string(r.Symbol),
					Side: r.Side.String(), Quantity: r.LastQty.String(), Price: r.LastPrice.String(), Fee: r.Fee.String(),
					FeeAsset: r.FeeAsset, Liquidity: r.Liquidity}}, want...)
			}
		}
		if len(want) != 3 {
			t.Fatalf("scenario has %d BTC fills for acct-a, want 3", len(want))
		}
		if diff := cmp.Diff(want, b.Fills); diff != "" {
			t.Errorf("fills, newest first (-want +got):\n%s", diff)
		}
	}},
	{"positions.json", http.StatusOK, func(t *testing.T, d *lambdatest.Desk, b listJSON, _ string, _ invoker) {
		a := d.Account(lambdatest.AcctA)
		var got, want []string
		for _, p := range b.Positions {
			got = append(got, p.Symbol+" "+p.Quantity+" "+p.AvgEntryPrice+" "+p.RealizedPnl)
		}
		for _, s := range []string{"BTC-USD", "ETH-USD"} {
			p := a.Position(instrument.Symbol(s))
			want = append(want, s+" "+p.Qty.String()+" "+p.AvgEntry.String()+" "+p.Realized.String())
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("positions (-want +got):\n%s", diff)
		}
	}},
	{"balances.json", http.StatusOK, func(t *testing.T, d *lambdatest.Desk, b listJSON, _ string, _ invoker) {
		bals := d.Account(lambdatest.AcctA).Balances()
		if len(b.Balances) != len(bals) {
			t.Fatalf("%d balances, want %d: %+v", len(b.Balances), len(bals), b.Balances)
		}
		// Open orders lock: a-4 sells 0.15 BTC, a-5 buys 3 ETH more at 3380.
		locked := map[string]string{"BTC": "0.15", "USD": "10140", "ETH": "0", "SOL": "0"}
		for _, x := range b.Balances {
			if w := bals[x.Asset].Total.String(); x.Total != w || x.Locked != locked[x.Asset] {
				t.Errorf("balance %s: total %s locked %s, want %s and %s", x.Asset, x.Total, x.Locked, w, locked[x.Asset])
			}
			if w := bals[x.Asset].Total.Sub(mustDec(t, locked[x.Asset])).String(); x.Available != w {
				t.Errorf("balance %s: available %s, want %s", x.Asset, x.Available, w)
			}
		}
	}},
	errorCase("bad-request.json", http.StatusBadRequest, "INVALID_STATUS", "status"),
	errorCase("other-account.json", http.StatusNotFound, "ORDER_NOT_FOUND", ""),
	{"other-account-fills.json", http.StatusOK, func(t *testing.T, _ *lambdatest.Desk, b listJSON, _ string, _ invoker) {
		if len(b.Fills) != 1 || b.Fills[0].ClientOrderID != "c-1" {
			t.Errorf("acct-c's fills: %+v", b.Fills)
		}
	}},
	errorCase("forged-signature.json", http.StatusUnauthorized, "INVALID_SIGNATURE", ""),
}

// runQueryCases runs every recorded request through iv.
func runQueryCases(t *testing.T, d *lambdatest.Desk, iv invoker, fixture func(t *testing.T, name string) events.ALBTargetGroupRequest) {
	for _, tc := range queryCases {
		t.Run(strings.TrimSuffix(tc.fixture, ".json"), func(t *testing.T) {
			req := fixture(t, tc.fixture)
			resp := iv.invoke(t, req)
			code, body := decodeResponse(t, resp)
			if code != tc.status {
				t.Fatalf("status %d, want %d: %s", code, tc.status, resp.Body)
			}
			caller := fixtureKeys(t)[req.Headers["x-oms-key"]].Account
			for _, other := range accounts {
				prefix := `"clientOrderId":"` + strings.TrimPrefix(string(other), "acct-") + "-"
				if other != caller && (strings.Contains(resp.Body, string(other)) || strings.Contains(resp.Body, prefix)) {
					t.Errorf("%s's data in an answer to %s: %s", other, caller, resp.Body)
				}
			}
			tc.check(t, d, body, resp.Body, iv)
		})
	}
}

// TestOrderQueryOnRecordedRequests runs the order-query handler on the recorded ALB requests, at the
// time they were signed, against FerretDB holding what the projector made of batch.json.
func TestOrderQueryOnRecordedRequests(t *testing.T) {
	env := newStoreEnv(t)
	store := env.store(t)
	if err := projector.New(store, nil, nil).Handle(context.Background(), kafkaFixture(t, "batch.json")); err != nil {
		t.Fatal(err)
	}
	keys := fixtureKeys(t)
	h := orderquery.New(orderquery.Config{Reader: store, Keys: keys, Now: func() time.Time { return lambdatest.SignedAt }, Logger: testenv.Logger(t)})
	iv := invoker{
		invoke: func(t *testing.T, req events.ALBTargetGroupRequest) events.ALBTargetGroupResponse {
			t.Helper()
			resp, err := h.Handle(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			return resp
		},
		sign: func(key, pq string) events.ALBTargetGroupRequest {
			req := lambdatest.ALBRequest("GET", pq)
			lambdatest.Sign(&req, keys[key], lambdatest.SignedAt)
			return req
		},
	}
	runQueryCases(t, scenario(t), iv, func(t *testing.T, name string) events.ALBTargetGroupRequest { return albFixture(t, name) })

	// The recorded requests expire: replayed a minute after the clock window, they are refused.
	late := orderquery.New(orderquery.Config{Reader: store, Keys: keys, Now: func() time.Time { return lambdatest.SignedAt.Add(time.Minute) }})
	resp, err := late.Handle(context.Background(), albFixture(t, "orders.json"))
	if err != nil {
		t.Fatal(err)
	}
	if code, b := decodeResponse(t, resp); code != http.StatusUnauthorized || b.Code != "TIMESTAMP_OUT_OF_WINDOW" {
		t.Errorf("replayed request: %d %+v", code, b)
	}
}

func mustDec(t *testing.T, s string) money.Decimal {
	t.Helper()
	d, err := money.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
