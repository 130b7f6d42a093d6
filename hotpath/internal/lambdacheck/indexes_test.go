package lambdacheck_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crypto-oms/crypto-oms/hotpath/internal/lambdacheck"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
	"github.com/crypto-oms/crypto-oms/lambdas/lambdatest"
	"github.com/crypto-oms/crypto-oms/lambdas/orderquery"
	"github.com/crypto-oms/crypto-oms/lambdas/projector"
)

// TestEveryQueryHasAnIndex records every query the projector and order-query send while they handle
// the recorded events, and checks that an index readmodel created serves each one (equality fields
// first, then the sort). DocumentDB plans from those indexes; FerretDB's plans are logged only: its
// PostgreSQL backend filters with jsonb containment (@>), which its btree expression indexes cannot
// serve, so it scans (see docs/operations.md, "Read model").
func TestEveryQueryHasAnIndex(t *testing.T) {
	st := testenv.Store(t)
	rec := &lambdacheck.Recorder{}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cl, err := mongo.Connect(options.Client().ApplyURI(st.URI()).SetMonitor(rec.Monitor()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Disconnect(context.Background()) })
	db := cl.Database("plans")
	store := openStore(t, db)

	rec.Record()
	h := projector.New(store, nil, nil)
	for _, name := range []string{"batch-1.json", "batch-2.json", "redelivered.json"} {
		if err := h.Handle(ctx, kafkaFixture(t, name)); err != nil {
			t.Fatal(err)
		}
	}
	keys := fixtureKeys(t)
	q := orderquery.New(orderquery.Config{Reader: store, Keys: keys, Now: func() time.Time { return lambdatest.SignedAt }})
	iv := invoker{
		invoke: func(t *testing.T, req events.ALBTargetGroupRequest) events.ALBTargetGroupResponse {
			resp, err := q.Handle(context.Background(), req)
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
	t.Run("queries", func(t *testing.T) {
		runQueryCases(t, scenario(t), iv, func(t *testing.T, name string) events.ALBTargetGroupRequest { return albFixture(t, name) })
	})
	queries := rec.Stop()

	byShape := map[string]lambdacheck.Query{}
	for _, q := range queries {
		if len(q.Filter) > 0 {
			byShape[q.Shape()] = q
		}
	}
	if len(byShape) < 10 {
		t.Fatalf("recorded only %d query shapes: %v", len(byShape), queries)
	}
	shapes := make([]string, 0, len(byShape))
	for s := range byShape {
		shapes = append(shapes, s)
	}
	sort.Strings(shapes)
	for _, s := range shapes {
		q := byShape[s]
		idx, err := lambdacheck.Indexes(ctx, db.Collection(q.Collection))
		if err != nil {
			t.Fatal(err)
		}
		name, ok := lambdacheck.Serving(q, idx)
		if !ok {
			t.Errorf("no index serves %s; indexes: %v", s, idx)
		}
		plan, err := lambdacheck.Explain(ctx, db, q)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-95s index %-24s store plan: %s (filter pushdown %v, sort pushdown %v)", s, name, plan.Stage, plan.FilterPushdown, plan.SortPushdown)
	}
}
