// Command omsquerybench measures order-query's latency per endpoint with a large read model: it fills
// FerretDB (the local store, on PostgreSQL) with -orders orders of -accounts accounts, produced by the
// processor's own decisions and written by the projector's store code, then calls the order-query
// handler with signed ALB requests and prints p50/p99 per endpoint, and the store's plan for each
// query. Figures are printed (and written to -out), never asserted.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/embedded"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/lambdacheck"
	"github.com/crypto-oms/crypto-oms/lambdas/albapi"
	"github.com/crypto-oms/crypto-oms/lambdas/lambdatest"
	"github.com/crypto-oms/crypto-oms/lambdas/orderquery"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "omsquerybench:", err)
		os.Exit(1)
	}
}

type config struct {
	orders   int
	accounts int
	samples  int
	workers  int
	chunk    int
	out      string
	dir      string
	reuse    bool
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := flag.NewFlagSet("omsquerybench", flag.ContinueOnError)
	fs.IntVar(&c.orders, "orders", 100_000, "orders in the read model")
	fs.IntVar(&c.accounts, "accounts", 100, "accounts the orders belong to (queries pick one at random)")
	fs.IntVar(&c.samples, "samples", 100, "requests per endpoint")
	fs.IntVar(&c.workers, "workers", 2, "parallel loaders")
	fs.IntVar(&c.chunk, "chunk", 250, "orders per projected chunk while loading")
	fs.StringVar(&c.out, "out", "bench-results", "directory for query-latency.md and .json")
	fs.StringVar(&c.dir, "data", "", "data directory for the store (default: a temporary one, removed after)")
	fs.BoolVar(&c.reuse, "reuse", false, "with -data: measure the orders a previous run with the same -orders and -accounts loaded there, without loading again")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.orders < 1 || c.accounts < 1 || c.samples < 1 || c.workers < 1 || c.chunk < 1 {
		return fmt.Errorf("-orders, -accounts, -samples, -workers and -chunk must be positive")
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if c.dir == "" {
		d, err := os.MkdirTemp("", "omsquerybench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		c.dir = d
	}
	st, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: c.dir, NoSync: true, Logger: log})
	if err != nil {
		return err
	}
	defer st.Stop()
	rec := &lambdacheck.Recorder{}
	cl, err := mongo.Connect(options.Client().ApplyURI(st.URI()).SetMonitor(rec.Monitor()).SetMaxPoolSize(uint64(c.workers*2 + 4)))
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() { _ = cl.Disconnect(context.Background()) }()
	funding := map[string]money.Decimal{"USD": money.MustParse("1000000000"), "BTC": money.MustParse("100000"), "ETH": money.MustParse("1000000"), "SOL": money.MustParse("100000000")}
	db := cl.Database("bench")
	store, err := readmodel.New(ctx, db, readmodel.Config{Funding: funding})
	if err != nil {
		return err
	}

	fmt.Fprintf(stdout, "omsquerybench: %d orders of %d accounts in FerretDB (%s backend)\n", c.orders, c.accounts, st.Backend())
	t0 := time.Now()
	ds, err := generate(c, funding)
	if err != nil {
		return err
	}
	var loaded loadStats
	if c.reuse {
		if loaded, err = counts(ctx, db); err != nil {
			return err
		}
		if loaded.orders != int64(c.orders) {
			return fmt.Errorf("-reuse: %s holds %d orders, not %d", c.dir, loaded.orders, c.orders)
		}
		fmt.Fprintf(stdout, "reusing %d orders, %d fills, %d positions in %s\n", loaded.orders, loaded.fills, loaded.positions, c.dir)
	} else {
		if loaded, err = load(ctx, cl, db, store, ds, c, funding); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "loaded %d orders, %d fills, %d positions through readmodel in %s\n", loaded.orders, loaded.fills, loaded.positions, time.Since(t0).Round(time.Second))
	}
	// The store mirrors FerretDB's indexes as GIN indexes in the background; make sure they all exist
	// before measuring (see embedded.Store.MirrorIndexes).
	t1 := time.Now()
	if err := st.MirrorIndexes(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "GIN mirrors of the indexes in place after %s\n", time.Since(t1).Round(time.Millisecond))

	res, err := measure(ctx, store, db, rec, ds, c)
	if err != nil {
		return err
	}
	return report(stdout, c, st.Backend(), loaded, res)
}

// deskData is one account's generated history.
type deskData struct {
	acct    order.AccountID
	key     auth.Key
	orders  []order.ID
	clients []string
	reports [][]oms.ExecutionReport // per order, its reports in order
}

// generate plays each account's orders through the domain's decisions: 60% limit orders filled in one
// or two maker fills, 25% canceled, 10% left resting, 5% market orders filled as taker; sides
// alternate so positions stay within the risk limits. Accounts' orders interleave in time.
func generate(c config, funding map[string]money.Decimal) ([]*deskData, error) {
	per := (c.orders + c.accounts - 1) / c.accounts
	dec := money.MustParse
	syms := []instrument.Symbol{"BTC-USD", "ETH-USD", "SOL-USD"}
	touch := map[instrument.Symbol][2]money.Decimal{"BTC-USD": {dec("97000"), dec("97010")}, "ETH-USD": {dec("3379"), dec("3381")}, "SOL-USD": {dec("240"), dec("240.1")}}
	qty := map[instrument.Symbol]money.Decimal{"BTC-USD": dec("0.01"), "ETH-USD": dec("0.5"), "SOL-USD": dec("10")}
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var out []*deskData
	total := 0
	for a := range c.accounts {
		acct := order.AccountID(fmt.Sprintf("bench-%03d", a))
		desk := lambdatest.NewDesk(funding)
		for _, s := range syms {
			desk.Quote(s, touch[s][0], touch[s][1], base)
		}
		d := &deskData{acct: acct, key: auth.Key{ID: "key-" + string(acct), Secret: []byte("secret-" + string(acct) + "-0123456789"), Account: acct, Scopes: []auth.Scope{auth.ScopeRead}}}
		for i := 0; i < per && total < c.orders; i++ {
			total++
			at := base.Add(time.Duration(i*c.accounts+a) * 10 * time.Millisecond)
			sym := syms[i%len(syms)]
			side := order.Buy
			if (i/len(syms))%2 == 1 {
				side = order.Sell
			}
			bid, ask := touch[sym][0], touch[sym][1]
			cl := fmt.Sprintf("%s-%06d", acct, i)
			s := order.Spec{ClientOrderID: cl, Account: acct, Symbol: sym, Side: side, Type: order.Limit, Quantity: qty[sym]}
			away := bid.Sub(bid.Percent(dec("3")))
			at1, at2 := at.Add(time.Millisecond), at.Add(2*time.Millisecond)
			n := len(desk.Reports)
			var err error
			switch k := i % 20; {
			case k < 12: // filled at the touch, maker
				s.Price = bid
				if side == order.Sell {
					s.Price = ask
				}
				if _, err = desk.Place(s, at); err == nil {
					id := order.NewID(acct, cl)
					if k%2 == 0 {
						half := s.Quantity.Mul(dec("0.5"))
						if _, err = desk.Fill(acct, id, half, s.Price, "MAKER", at1); err == nil {
							_, err = desk.Fill(acct, id, s.Quantity.Sub(half), s.Price, "MAKER", at2)
						}
					} else {
						_, err = desk.Fill(acct, id, s.Quantity, s.Price, "MAKER", at1)
					}
				}
			case k < 17: // rests away from the touch, then canceled
				s.Price = away
				if side == order.Sell {
					s.Price = ask.Add(ask.Percent(dec("3"))).FloorTo(dec("0.01"))
				}
				if _, err = desk.Place(s, at); err == nil {
					_, err = desk.Cancel(acct, order.NewID(acct, cl), at1)
				}
			case k < 19: // rests
				s.Price = away
				if side == order.Sell {
					s.Price = ask.Add(ask.Percent(dec("3"))).FloorTo(dec("0.01"))
				}
				_, err = desk.Place(s, at)
			default: // market, taker
				s.Type, s.TimeInForce = order.Market, order.IOC
				px := ask
				if side == order.Sell {
					px = bid
				}
				if _, err = desk.Place(s, at); err == nil {
					_, err = desk.Fill(acct, order.NewID(acct, cl), s.Quantity, px, "TAKER", at1)
				}
			}
			if err != nil {
				return nil, fmt.Errorf("generate %s: %w", cl, err)
			}
			d.orders = append(d.orders, order.NewID(acct, cl))
			d.clients = append(d.clients, cl)
			d.reports = append(d.reports, slices.Clone(desk.Reports[n:]))
		}
		out = append(out, d)
	}
	return out, nil
}

type loadStats struct{ orders, fills, positions int64 }

// load writes every order through readmodel: chunks of orders are projected into an empty scratch
// database (so that each upsert is cheap) and the documents readmodel wrote there are copied into the
// target as they are; positions and balances are then folded by the projector's own repair path,
// projecting each account's last trade per symbol again, which refolds all stored fills.
// (Projecting 100,000 orders straight into one FerretDB collection takes hours: every upsert scans the
// table, see docs/operations.md.)
func load(ctx context.Context, cl *mongo.Client, db *mongo.Database, target *readmodel.Store, ds []*deskData, c config, funding map[string]money.Decimal) (loadStats, error) {
	type chunk []oms.ExecutionReport
	work := make(chan chunk)
	errs := make(chan error, c.workers)
	var wg sync.WaitGroup
	for w := range c.workers {
		sdb := cl.Database(fmt.Sprintf("scratch%d", w))
		scratch, err := readmodel.New(ctx, sdb, readmodel.Config{Funding: funding})
		if err != nil {
			return loadStats{}, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var failed bool // keep receiving after a failure, so the producer never blocks
			for ch := range work {
				if failed {
					continue
				}
				if err := copyChunk(ctx, scratch, sdb, db, ch); err != nil {
					failed = true
					errs <- err
				}
			}
		}()
	}
	var last []oms.ExecutionReport
	start := time.Now()
	for n, d := range ds {
		if n > 0 && n%max(1, len(ds)/10) == 0 {
			fmt.Fprintf(os.Stderr, "loading: %d of %d accounts queued after %s\n", n, len(ds), time.Since(start).Round(time.Second))
		}
		lastTrade := map[instrument.Symbol]oms.ExecutionReport{}
		var ch chunk
		for i, reps := range d.reports {
			ch = append(ch, reps...)
			for _, r := range reps {
				if r.ExecType == order.ExecTrade {
					lastTrade[r.Symbol] = r
				}
			}
			if (i+1)%c.chunk == 0 {
				work <- ch
				ch = nil
			}
		}
		if len(ch) > 0 {
			work <- ch
		}
		for _, r := range lastTrade {
			last = append(last, r)
		}
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return loadStats{}, err
	default:
	}
	if _, err := target.Project(ctx, last); err != nil {
		return loadStats{}, fmt.Errorf("fold positions: %w", err)
	}
	return counts(ctx, db)
}

func counts(ctx context.Context, db *mongo.Database) (loadStats, error) {
	var st loadStats
	var err error
	if st.orders, err = db.Collection(readmodel.CollOrders).CountDocuments(ctx, bson.D{}); err != nil {
		return st, err
	}
	if st.fills, err = db.Collection(readmodel.CollFills).CountDocuments(ctx, bson.D{}); err != nil {
		return st, err
	}
	st.positions, err = db.Collection(readmodel.CollPositions).CountDocuments(ctx, bson.D{})
	return st, err
}

// copyChunk projects reps into the scratch database and moves the orders and fills readmodel wrote
// there into the target database, unchanged.
func copyChunk(ctx context.Context, scratch *readmodel.Store, sdb, db *mongo.Database, reps []oms.ExecutionReport) error {
	pctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if _, err := scratch.Project(pctx, reps); err != nil {
		return fmt.Errorf("project chunk: %w", err)
	}
	for _, coll := range []string{readmodel.CollOrders, readmodel.CollFills} {
		cur, err := sdb.Collection(coll).Find(ctx, bson.D{})
		if err != nil {
			return fmt.Errorf("copy %s: %w", coll, err)
		}
		var docs []bson.Raw
		if err := cur.All(ctx, &docs); err != nil {
			return fmt.Errorf("copy %s: %w", coll, err)
		}
		if len(docs) > 0 {
			if _, err := db.Collection(coll).InsertMany(ctx, docs); err != nil {
				return fmt.Errorf("copy %s: %w", coll, err)
			}
		}
	}
	for _, coll := range []string{readmodel.CollOrders, readmodel.CollFills, readmodel.CollPositions, readmodel.CollBalances} {
		if _, err := sdb.Collection(coll).DeleteMany(ctx, bson.D{}); err != nil {
			return fmt.Errorf("clear scratch %s: %w", coll, err)
		}
	}
	return nil
}

// endpoint is one order-query request kind; path makes a request for an account.
type endpoint struct {
	name string
	path func(d *deskData, r *rand.Rand) string
}

var endpoints = []endpoint{
	{"list, newest first", func(*deskData, *rand.Rand) string { return "/api/orders" }},
	{"list, status=open", func(*deskData, *rand.Rand) string { return "/api/orders?status=open" }},
	{"by id", func(d *deskData, r *rand.Rand) string {
		return "/api/orders/" + string(d.orders[r.IntN(len(d.orders))])
	}},
	{"by client id", func(d *deskData, r *rand.Rand) string {
		return "/api/orders/by-client-id/" + d.clients[r.IntN(len(d.clients))]
	}},
	{"fills", func(*deskData, *rand.Rand) string { return "/api/fills" }},
	{"positions", func(*deskData, *rand.Rand) string { return "/api/positions" }},
	{"balances", func(*deskData, *rand.Rand) string { return "/api/balances" }},
}

type result struct {
	Endpoint string          `json:"endpoint"`
	Samples  int             `json:"samples"`
	P50      time.Duration   `json:"p50Ns"`
	P99      time.Duration   `json:"p99Ns"`
	Max      time.Duration   `json:"maxNs"`
	Plans    []string        `json:"plans"`
	lat      []time.Duration `json:"-"`
}

// measure calls the handler in process, as the Lambda runtime would, with freshly signed requests.
func measure(ctx context.Context, store *readmodel.Store, db *mongo.Database, rec *lambdacheck.Recorder, ds []*deskData, c config) ([]result, error) {
	keys := albapi.StaticKeys{}
	for _, d := range ds {
		keys[d.key.ID] = d.key
	}
	h := orderquery.New(orderquery.Config{Reader: store, Keys: keys})
	r := rand.New(rand.NewPCG(1, 2))
	call := func(ep endpoint) (time.Duration, error) {
		d := ds[r.IntN(len(ds))]
		req := lambdatest.ALBRequest(http.MethodGet, ep.path(d, r))
		lambdatest.Sign(&req, d.key, time.Now())
		start := time.Now()
		resp, err := h.Handle(ctx, req)
		took := time.Since(start)
		if err != nil {
			return 0, err
		}
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("%s %s: %d %s", req.HTTPMethod, req.Path, resp.StatusCode, resp.Body)
		}
		return took, nil
	}
	var out []result
	for _, ep := range endpoints {
		// One recorded call for the plans, a few to warm up, then the samples.
		rec.Record()
		if _, err := call(ep); err != nil {
			return nil, err
		}
		plans, err := explainAll(ctx, db, rec.Stop())
		if err != nil {
			return nil, err
		}
		for range 3 {
			if _, err := call(ep); err != nil {
				return nil, err
			}
		}
		res := result{Endpoint: ep.name, Samples: c.samples, Plans: plans}
		for range c.samples {
			took, err := call(ep)
			if err != nil {
				return nil, err
			}
			res.lat = append(res.lat, took)
		}
		slices.Sort(res.lat)
		res.P50, res.P99, res.Max = pct(res.lat, 0.50), pct(res.lat, 0.99), res.lat[len(res.lat)-1]
		out = append(out, res)
	}
	return out, nil
}

func explainAll(ctx context.Context, db *mongo.Database, qs []lambdacheck.Query) ([]string, error) {
	var out []string
	for _, q := range qs {
		idx, err := lambdacheck.Indexes(ctx, db.Collection(q.Collection))
		if err != nil {
			return nil, err
		}
		name, ok := lambdacheck.Serving(q, idx)
		if !ok {
			name = "NONE"
		}
		p, err := lambdacheck.Explain(ctx, db, q)
		if err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s -> index %s; FerretDB: %s, filter pushdown %v, sort pushdown %v", q.Shape(), name, p.Stage, p.FilterPushdown, p.SortPushdown))
	}
	return out, nil
}

func pct(sorted []time.Duration, p float64) time.Duration {
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func report(stdout io.Writer, c config, backend string, st loadStats, res []result) error {
	var md strings.Builder
	fmt.Fprintf(&md, "# order-query latency\n\n%d orders (%d fills, %d positions) of %d accounts in FerretDB (%s backend); %d requests per endpoint through the order-query handler (in process, signed, a random account each).\n\n",
		st.orders, st.fills, st.positions, c.accounts, backend, c.samples)
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Fprintf(&md, "Load average after measuring (1, 5, 15 min): %s.\n\n", strings.Join(strings.Fields(string(la))[:3], ", "))
	}
	fmt.Fprintf(&md, "| endpoint | p50 | p99 | max |\n| --- | --- | --- | --- |\n")
	for _, r := range res {
		fmt.Fprintf(&md, "| %s | %s | %s | %s |\n", r.Endpoint, ms(r.P50), ms(r.P99), ms(r.Max))
	}
	fmt.Fprintf(&md, "\nQueries, the readmodel index that serves each (what DocumentDB uses), and FerretDB's plan:\n\n")
	for _, r := range res {
		for _, p := range r.Plans {
			fmt.Fprintf(&md, "- %s: `%s`\n", r.Endpoint, p)
		}
	}
	fmt.Fprint(stdout, md.String())
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(c.out, "query-latency.json"), b, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(c.out, "query-latency.md"), []byte(md.String()), 0o644)
}
