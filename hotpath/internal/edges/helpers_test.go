package edges_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/embedded"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

var funding = map[string]money.Decimal{"USD": money.MustParse("1000"), "BTC": money.MustParse("10")}

// storeEnv is one FerretDB for a top-level test; each subtest gets its own database.
type storeEnv struct {
	st *embedded.Store
	cl *mongo.Client
	n  atomic.Int64
}

func newStoreEnv(t *testing.T) *storeEnv {
	t.Helper()
	st := testenv.Store(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cl, err := readmodel.Connect(ctx, st.URI())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Disconnect(context.Background()) })
	return &storeEnv{st: st, cl: cl}
}

func (e *storeEnv) store(t *testing.T) *readmodel.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	db := e.cl.Database(fmt.Sprintf("t%d", e.n.Add(1)))
	s, err := readmodel.New(ctx, db, readmodel.Config{Funding: funding})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var t0 = time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)

// rep builds an execution report the way the processor writes them.
type rep struct {
	acct, id           string
	side               order.Side
	typ                order.Type
	qty, price         string
	seq                uint64
	et                 order.ExecType
	st                 order.Status
	cum, avg, last, lp string
	fee                string
	at                 int // seconds after t0
}

func (r rep) report() events.ExecutionReport {
	d := func(s string) money.Decimal {
		if s == "" {
			return money.Zero
		}
		return money.MustParse(s)
	}
	q := d(r.qty)
	return events.ExecutionReport{
		ExecID: fmt.Sprintf("%s:%d", r.id, r.seq), OrderID: order.ID(r.id), ClientOrderID: "c-" + r.id[:8],
		Account: order.AccountID(r.acct), Symbol: "BTC-USD", Side: r.side, Type: r.typ, TimeInForce: order.GTC,
		ExecType: r.et, Status: r.st, Quantity: q, Price: d(r.price),
		LastQty: d(r.last), LastPrice: d(r.lp), CumQty: d(r.cum), AvgPrice: d(r.avg), LeavesQty: q.Sub(d(r.cum)),
		Fee: d(r.fee), FeeAsset: "USD", Seq: r.seq,
		CreatedAt: t0, TransactTime: t0.Add(time.Duration(r.at) * time.Second),
	}
}

func oid(c byte) string { return strings.Repeat(string(c), 32) }

// lifecycle is a small log: account a buys 1 BTC in two fills, sells 0.5, cancels a resting order;
// account b buys 1 BTC.
func lifecycle() []events.ExecutionReport {
	a, b := "acct-a", "acct-b"
	o1, o2, o3, o4 := oid('1'), oid('2'), oid('3'), oid('4')
	rs := []rep{
		{acct: a, id: o1, side: order.Buy, typ: order.Limit, qty: "1", price: "101", seq: 1, et: order.ExecNew, st: order.New, at: 1},
		{acct: a, id: o1, side: order.Buy, typ: order.Limit, qty: "1", price: "101", seq: 2, et: order.ExecTrade, st: order.PartiallyFilled, cum: "0.4", avg: "100", last: "0.4", lp: "100", fee: "0.08", at: 2},
		{acct: a, id: o1, side: order.Buy, typ: order.Limit, qty: "1", price: "101", seq: 3, et: order.ExecTrade, st: order.Filled, cum: "1", avg: "100.6", last: "0.6", lp: "101", fee: "0.1212", at: 3},
		{acct: a, id: o3, side: order.Buy, typ: order.Limit, qty: "2", price: "90", seq: 1, et: order.ExecNew, st: order.New, at: 4},
		{acct: a, id: o2, side: order.Sell, typ: order.Market, qty: "0.5", seq: 1, et: order.ExecNew, st: order.New, at: 5},
		{acct: a, id: o2, side: order.Sell, typ: order.Market, qty: "0.5", seq: 2, et: order.ExecTrade, st: order.Filled, cum: "0.5", avg: "110", last: "0.5", lp: "110", fee: "0.11", at: 6},
		{acct: a, id: o3, side: order.Buy, typ: order.Limit, qty: "2", price: "90", seq: 2, et: order.ExecCanceled, st: order.Canceled, at: 7},
		{acct: b, id: o4, side: order.Buy, typ: order.Limit, qty: "1", price: "100", seq: 1, et: order.ExecNew, st: order.New, at: 1},
		{acct: b, id: o4, side: order.Buy, typ: order.Limit, qty: "1", price: "100", seq: 2, et: order.ExecTrade, st: order.Filled, cum: "1", avg: "100", last: "1", lp: "100", at: 2},
	}
	out := make([]events.ExecutionReport, len(rs))
	for i, r := range rs {
		out[i] = r.report()
	}
	return out
}

// records turns reports into Kafka records on `executions`: account a on partition 0, b on 1.
func records(reps []events.ExecutionReport) []*kgo.Record {
	offs := map[int32]int64{}
	out := make([]*kgo.Record, 0, len(reps))
	for _, r := range reps {
		p := int32(0)
		if r.Account == "acct-b" {
			p = 1
		}
		out = append(out, &kgo.Record{Topic: events.TopicExecutions, Partition: p, Offset: offs[p], Key: []byte(r.Account),
			Value: events.AppendReport(nil, r), Timestamp: r.TransactTime})
		offs[p]++
	}
	return out
}
