package embedded_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crypto-oms/crypto-oms/hotpath/internal/embedded"
)

// pgPlan is what FerretDB's explain reports from PostgreSQL: the node types of the plan tree and the
// indexes it reads.
type pgPlan struct {
	nodes   []string
	indexes []string
}

func (p pgPlan) String() string {
	return fmt.Sprintf("nodes %v, indexes %v", p.nodes, p.indexes)
}

func (p pgPlan) has(node string) bool {
	for _, n := range p.nodes {
		if n == node {
			return true
		}
	}
	return false
}

// explainFind runs FerretDB's explain of a find, which EXPLAINs the SQL FerretDB itself sends.
func explainFind(ctx context.Context, t *testing.T, db *mongo.Database, coll string, filter bson.D) pgPlan {
	t.Helper()
	out, err := db.RunCommand(ctx, bson.D{{Key: "explain", Value: bson.D{{Key: "find", Value: coll}, {Key: "filter", Value: filter}}}}).Raw()
	if err != nil {
		t.Fatalf("explain %s %v: %v", coll, filter, err)
	}
	root, ok := out.Lookup("queryPlanner", "Plan").DocumentOK()
	if !ok {
		t.Fatalf("explain %s %v: no PostgreSQL plan in %s", coll, filter, out)
	}
	var p pgPlan
	var walk func(bson.Raw)
	walk = func(d bson.Raw) {
		if n, ok := d.Lookup("Node Type").StringValueOK(); ok {
			p.nodes = append(p.nodes, n)
		}
		if n, ok := d.Lookup("Index Name").StringValueOK(); ok {
			p.indexes = append(p.indexes, n)
		}
		if kids, ok := d.Lookup("Plans").ArrayOK(); ok {
			vals, _ := kids.Values()
			for _, v := range vals {
				if sub, ok := v.DocumentOK(); ok {
					walk(sub)
				}
			}
		}
	}
	walk(root)
	return p
}

// fillOrders creates the collection with readmodel-like indexes (compound, unique, and one on a nested
// field that FerretDB does not push down) and enough documents that a scan and an index differ.
func fillOrders(ctx context.Context, t *testing.T, coll *mongo.Collection) {
	t.Helper()
	_, err := coll.Indexes().CreateMany(ctx, []mongo.IndexModel{
		{Keys: bson.D{{Key: "accountId", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("account_created")},
		{Keys: bson.D{{Key: "accountId", Value: 1}, {Key: "open", Value: 1}, {Key: "createdAt", Value: -1}}, Options: options.Index().SetName("account_open_created")},
		{Keys: bson.D{{Key: "orderId", Value: 1}}, Options: options.Index().SetName("orderId").SetUnique(true)},
		{Keys: bson.D{{Key: "meta.venue", Value: 1}}, Options: options.Index().SetName("venue")},
	})
	if err != nil {
		t.Fatal(err)
	}
	docs := make([]any, 0, 3000)
	for i := range cap(docs) {
		docs = append(docs, bson.D{
			{Key: "_id", Value: fmt.Sprintf("o-%05d", i)},
			{Key: "orderId", Value: fmt.Sprintf("o-%05d", i)},
			{Key: "accountId", Value: fmt.Sprintf("a-%02d", i%50)},
			{Key: "open", Value: i%10 == 0},
			{Key: "createdAt", Value: time.UnixMilli(int64(i)).UTC()},
			{Key: "meta", Value: bson.D{{Key: "venue", Value: "v"}}},
		})
	}
	if _, err := coll.InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
}

// TestStoreMirrorsIndexesAsGIN: FerretDB scans for every equality filter until MirrorIndexes gives its
// indexed fields GIN twins; then PostgreSQL reads them, results are unchanged, and a second call is a
// no-op.
func TestStoreMirrorsIndexesAsGIN(t *testing.T) {
	requireReal(t, embedded.PostgresBinDir() == "", "PostgreSQL")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	st, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: t.TempDir(), Backend: embedded.BackendPostgreSQL, NoSync: true, IndexMirrorInterval: -1, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Stop)
	cl, err := mongo.Connect(options.Client().ApplyURI(st.URI()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Disconnect(context.Background()) })
	db := cl.Database("oms")
	coll := db.Collection("orders")
	fillOrders(ctx, t, coll)

	filters := []struct {
		name   string
		filter bson.D
		want   int64
	}{
		{"by _id", bson.D{{Key: "_id", Value: "o-00042"}}, 1},
		{"by _id and account", bson.D{{Key: "_id", Value: "o-00042"}, {Key: "accountId", Value: "a-42"}}, 1},
		{"by unique field", bson.D{{Key: "orderId", Value: "o-00007"}}, 1},
		{"account", bson.D{{Key: "accountId", Value: "a-07"}}, 60},
		{"account, open", bson.D{{Key: "accountId", Value: "a-10"}, {Key: "open", Value: true}}, 60},
		{"account, range", bson.D{{Key: "accountId", Value: "a-07"}, {Key: "createdAt", Value: bson.D{{Key: "$lt", Value: time.UnixMilli(1000)}}}}, 20},
	}
	count := func(f bson.D) int64 {
		t.Helper()
		n, err := coll.CountDocuments(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, f := range filters {
		if p := explainFind(ctx, t, db, "orders", f.filter); !p.has("Seq Scan") {
			t.Fatalf("%s before mirroring: %s; want the Seq Scan FerretDB's btree indexes cause", f.name, p)
		}
	}

	t0 := time.Now()
	if err := st.MirrorIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("MirrorIndexes over %d documents took %v", 3000, time.Since(t0))
	var used []string
	for _, f := range filters {
		p := explainFind(ctx, t, db, "orders", f.filter)
		t.Logf("%s: %s", f.name, p)
		if !p.has("Bitmap Index Scan") || p.has("Seq Scan") {
			t.Errorf("%s after mirroring: %s; want a Bitmap Index Scan", f.name, p)
		}
		for _, ix := range p.indexes {
			if !strings.HasSuffix(ix, "_gin") {
				t.Errorf("%s reads index %s; want a GIN mirror", f.name, ix)
			}
		}
		used = append(used, p.indexes...)
		if n := count(f.filter); n != f.want {
			t.Errorf("%s: count = %d; want %d", f.name, n, f.want)
		}
	}
	// A dotted path is not pushed down by FerretDB 1.24, so it gets no mirror and still answers.
	if n := count(bson.D{{Key: "meta.venue", Value: "v"}}); n != 3000 {
		t.Errorf("nested field: count = %d; want 3000", n)
	}

	if err := st.MirrorIndexes(ctx); err != nil {
		t.Fatalf("second MirrorIndexes: %v", err)
	}
	var again []string
	for _, f := range filters {
		again = append(again, explainFind(ctx, t, db, "orders", f.filter).indexes...)
	}
	if fmt.Sprint(again) != fmt.Sprint(used) {
		t.Errorf("after a second MirrorIndexes the plans read %v; before %v", again, used)
	}

	// The unique btree still enforces uniqueness; the mirror only adds a way to find rows.
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "dup"}, {Key: "orderId", Value: "o-00007"}}); !mongo.IsDuplicateKeyError(err) {
		t.Errorf("duplicate orderId insert: %v; want a duplicate key error", err)
	}
	// Dropping the collection drops its mirrors with it: recreating it starts from FerretDB's btrees.
	if err := coll.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	fillOrders(ctx, t, coll)
	if p := explainFind(ctx, t, db, "orders", bson.D{{Key: "accountId", Value: "a-07"}}); !p.has("Seq Scan") {
		t.Errorf("recreated collection before mirroring: %s; want a Seq Scan", p)
	}
	if err := st.MirrorIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	if p := explainFind(ctx, t, db, "orders", bson.D{{Key: "accountId", Value: "a-07"}}); !p.has("Bitmap Index Scan") {
		t.Errorf("recreated collection after mirroring: %s; want a Bitmap Index Scan", p)
	}
}

// TestStoreMirrorsNewCollectionsInBackground: collections created after start-up (another database
// too) get their mirrors from the background pass without anyone calling MirrorIndexes.
func TestStoreMirrorsNewCollectionsInBackground(t *testing.T) {
	requireReal(t, embedded.PostgresBinDir() == "", "PostgreSQL")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	st, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: t.TempDir(), Backend: embedded.BackendPostgreSQL, NoSync: true, IndexMirrorInterval: 50 * time.Millisecond, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Stop)
	cl, err := mongo.Connect(options.Client().ApplyURI(st.URI()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Disconnect(context.Background()) })
	for _, name := range []string{"first", "second"} {
		db := cl.Database(name)
		fillOrders(ctx, t, db.Collection("orders"))
		t0 := time.Now()
		for {
			p := explainFind(ctx, t, db, "orders", bson.D{{Key: "accountId", Value: "a-07"}})
			if p.has("Bitmap Index Scan") {
				t.Logf("database %s: mirrored within %v of its last insert: %s", name, time.Since(t0), p)
				break
			}
			if time.Since(t0) > 20*time.Second {
				t.Fatalf("database %s: still %s after %v", name, p, time.Since(t0))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}
