package lambdacheck_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/embedded"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
	"github.com/crypto-oms/crypto-oms/lambdas/albapi"
	"github.com/crypto-oms/crypto-oms/lambdas/lambdatest"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

// repoRoot is the module root: tests run in this package's directory.
var repoRoot = filepath.Join("..", "..", "..")

func fixturePath(fn, name string) string {
	return filepath.Join(repoRoot, "lambdas", fn, "testdata", name)
}

func readFixture(t testing.TB, fn, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(fixturePath(fn, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// kafkaFixture decodes a recorded batch as the Lambda runtime does: plain encoding/json.
func kafkaFixture(t testing.TB, name string) events.KafkaEvent {
	t.Helper()
	var ev events.KafkaEvent
	if err := json.Unmarshal(readFixture(t, "projector", name), &ev); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ev
}

func albFixture(t testing.TB, name string) events.ALBTargetGroupRequest {
	t.Helper()
	var req events.ALBTargetGroupRequest
	if err := json.Unmarshal(readFixture(t, "orderquery", name), &req); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return req
}

func fixtureKeys(t testing.TB) albapi.StaticKeys {
	t.Helper()
	keys, err := auth.ParseKeyFile(readFixture(t, "orderquery", "keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	return albapi.StaticKeys(keys)
}

// storeEnv is one FerretDB for a top-level test; each store gets its own database.
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

func (e *storeEnv) dbName() string { return fmt.Sprintf("t%d", e.n.Add(1)) }

func openStore(t testing.TB, db *mongo.Database) *readmodel.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := readmodel.New(ctx, db, readmodel.Config{Funding: lambdatest.FundingAmounts()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (e *storeEnv) store(t *testing.T) *readmodel.Store {
	t.Helper()
	return openStore(t, e.cl.Database(e.dbName()))
}

func scenario(t testing.TB) *lambdatest.Desk {
	t.Helper()
	d, err := lambdatest.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var accounts = []order.AccountID{lambdatest.AcctA, lambdatest.AcctB, lambdatest.AcctC}

// expected is what the read model must show after the scenario, computed from the processor's state
// (positions and balances of the domain's accounts) and from the log (each order's newest report, each
// trade once), in the format of snapshot.
func expected(d *lambdatest.Desk) []string {
	latest := map[order.ID]oms.ExecutionReport{}
	var trades []oms.ExecutionReport
	for _, r := range d.Reports {
		if cur, ok := latest[r.OrderID]; !ok || r.Seq > cur.Seq {
			latest[r.OrderID] = r
		}
		if r.ExecType == order.ExecTrade {
			trades = append(trades, r)
		}
	}
	var out []string
	for _, acct := range accounts {
		var os []oms.ExecutionReport
		for _, r := range latest {
			if r.Account == acct {
				os = append(os, r)
			}
		}
		sort.Slice(os, func(i, j int) bool {
			if !os[i].CreatedAt.Equal(os[j].CreatedAt) {
				return os[i].CreatedAt.After(os[j].CreatedAt)
			}
			return os[i].OrderID > os[j].OrderID
		})
		for _, o := range os {
			out = append(out, orderLine(o))
		}
		var fs []oms.ExecutionReport
		fees := map[instrument.Symbol]money.Decimal{}
		fills := map[instrument.Symbol]int64{}
		for _, r := range trades {
			if r.Account == acct {
				fs = append(fs, r)
				fees[r.Symbol] = fees[r.Symbol].Add(r.Fee)
				fills[r.Symbol]++
			}
		}
		slices.Reverse(fs) // the scenario's trades are in time order; reads are newest first
		for _, f := range fs {
			out = append(out, fillLine(f))
		}
		a := d.Account(acct)
		syms := make([]instrument.Symbol, 0, len(fills))
		for s := range fills {
			syms = append(syms, s)
		}
		slices.Sort(syms)
		for _, s := range syms {
			p := a.Position(s)
			out = append(out, fmt.Sprintf("position %s %s qty=%s avg=%s realized=%s fees=%s fills=%d", acct, s, p.Qty, p.AvgEntry, p.Realized, fees[s], fills[s]))
		}
		locked := map[string]money.Decimal{}
		for _, o := range os {
			if !o.Status.Open() {
				continue
			}
			if o.Side == order.Buy {
				locked[o.Symbol.Quote()] = locked[o.Symbol.Quote()].Add(o.LeavesQty.Mul(o.Price))
			} else {
				locked[o.Symbol.Base()] = locked[o.Symbol.Base()].Add(o.LeavesQty)
			}
		}
		bals := a.Balances()
		assets := make([]string, 0, len(bals))
		for asset := range bals {
			assets = append(assets, asset)
		}
		slices.Sort(assets)
		for _, asset := range assets {
			out = append(out, fmt.Sprintf("balance %s %s total=%s locked=%s", acct, asset, bals[asset].Total, locked[asset]))
		}
	}
	return out
}

func orderLine(o oms.ExecutionReport) string {
	return fmt.Sprintf("order %s %s %s seq=%d cum=%s avg=%s leaves=%s reason=%s", o.Account, o.ClientOrderID, o.Status, o.Seq, o.CumQty, o.AvgPrice, o.LeavesQty, o.Reason)
}

func fillLine(f oms.ExecutionReport) string {
	return fmt.Sprintf("fill %s %s %s %s %s@%s fee=%s", f.Account, f.ExecID[len(f.ExecID)-2:], f.ClientOrderID, f.Side, f.LastQty, f.LastPrice, f.Fee)
}

// snapshot is everything the read model shows for the fixture accounts, through the store's queries.
func snapshot(t testing.TB, s *readmodel.Store) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	for _, acct := range accounts {
		os, _, err := s.Orders(ctx, readmodel.OrderFilter{Account: acct, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range os {
			out = append(out, orderLine(o))
		}
		fs, _, err := s.Fills(ctx, readmodel.FillFilter{Account: acct, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			out = append(out, fillLine(f))
		}
		ps, err := s.Positions(ctx, acct)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			out = append(out, fmt.Sprintf("position %s %s qty=%s avg=%s realized=%s fees=%s fills=%d", acct, p.Symbol, p.Qty, p.AvgEntry, p.Realized, p.Fees, p.Fills))
		}
		bs, err := s.Balances(ctx, acct)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bs {
			out = append(out, fmt.Sprintf("balance %s %s total=%s locked=%s", acct, b.Asset, b.Total, b.Locked))
		}
	}
	return out
}

// poisonCoordinates lists "partition@offset" of the records of a fixture whose value is no report.
func poisonCoordinates(t testing.TB, ev events.KafkaEvent) []string {
	t.Helper()
	var out []string
	for _, recs := range ev.Records {
		for _, r := range recs {
			if !decodes(r) {
				out = append(out, fmt.Sprintf("%d@%d", r.Partition, r.Offset))
			}
		}
	}
	slices.Sort(out)
	return out
}

func decodes(r events.KafkaRecord) bool {
	v, err := decodeValue(r.Value)
	if err != nil {
		return false
	}
	_, err = oms.DecodeReport(v)
	return err == nil
}

func countTrades(d *lambdatest.Desk) int64 {
	var n int64
	for _, r := range d.Reports {
		if r.ExecType == order.ExecTrade {
			n++
		}
	}
	return n
}

func decodeValue(v string) ([]byte, error) { return base64.StdEncoding.DecodeString(v) }
