package edges_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kgo"

	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/edges"
	"github.com/crypto-oms/crypto-oms/lambdas/projector"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

// snapshot is everything the read model shows for the two accounts, as strings.
func snapshot(t *testing.T, s *readmodel.Store) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	for _, acct := range []order.AccountID{"acct-a", "acct-b"} {
		os, _, err := s.Orders(ctx, readmodel.OrderFilter{Account: acct})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range os {
			out = append(out, fmt.Sprintf("order %s %s %s seq=%d cum=%s avg=%s leaves=%s", acct, o.OrderID[:4], o.Status, o.Seq, o.CumQty, o.AvgPrice, o.LeavesQty))
		}
		fs, _, err := s.Fills(ctx, readmodel.FillFilter{Account: acct})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			out = append(out, fmt.Sprintf("fill %s %s %s %s@%s fee=%s", acct, f.ExecID[30:], f.Side, f.LastQty, f.LastPrice, f.Fee))
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

var want = []string{
	"order acct-a 3333 CANCELED seq=2 cum=0 avg=0 leaves=2",
	"order acct-a 2222 FILLED seq=2 cum=0.5 avg=110 leaves=0",
	"order acct-a 1111 FILLED seq=3 cum=1 avg=100.6 leaves=0",
	"fill acct-a 22:2 SELL 0.5@110 fee=0.11",
	"fill acct-a 11:3 BUY 0.6@101 fee=0.1212",
	"fill acct-a 11:2 BUY 0.4@100 fee=0.08",
	"position acct-a BTC-USD qty=0.5 avg=100.6 realized=4.7 fees=0.3112 fills=3",
	// USD: 1000 - 40 - 0.08 - 60.6 - 0.1212 + 55 - 0.11
	"balance acct-a BTC total=10.5 locked=0",
	"balance acct-a USD total=954.0888 locked=0",
	"order acct-b 4444 FILLED seq=2 cum=1 avg=100 leaves=0",
	"fill acct-b 44:2 BUY 1@100 fee=0",
	"position acct-b BTC-USD qty=1 avg=100 realized=0 fees=0 fills=1",
	"balance acct-b BTC total=11 locked=0",
	"balance acct-b USD total=900 locked=0",
}

// memDLQ records dead letters.
type memDLQ struct {
	mu   sync.Mutex
	recs []events.KafkaRecord
}

func (d *memDLQ) DeadLetter(_ context.Context, rec events.KafkaRecord, _ error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.recs = append(d.recs, rec)
	return nil
}

func TestProjectorIsIdempotent(t *testing.T) {
	env := newStoreEnv(t)
	log := records(lifecycle())
	poison := []*kgo.Record{
		{Topic: oms.TopicExecutions, Partition: 0, Offset: 100, Value: []byte(`{"execId":`)},
		{Topic: oms.TopicExecutions, Partition: 1, Offset: 100, Value: []byte(`{"execId":"x:1","orderId":"x","accountId":"acct-b","execType":"NEW","status":"BOGUS","seq":1}`)},
	}
	chunk := func(rs []*kgo.Record, n int) [][]*kgo.Record {
		var out [][]*kgo.Record
		for i := 0; i < len(rs); i += n {
			out = append(out, rs[i:min(i+n, len(rs))])
		}
		return out
	}
	reversed := func(bs [][]*kgo.Record) [][]*kgo.Record {
		out := slices.Clone(bs)
		slices.Reverse(out)
		return out
	}
	withPoison := slices.Concat(log[:4], poison[:1], log[4:], poison[1:])
	tests := []struct {
		name       string
		batches    [][]*kgo.Record
		wantPoison int64
		wantStale  bool
	}{
		{name: "once", batches: [][]*kgo.Record{log}},
		{name: "same batch twice", batches: [][]*kgo.Record{log, log}, wantStale: true},
		{name: "batches of three, out of order", batches: reversed(chunk(log, 3)), wantStale: true},
		{name: "one record per batch, newest first", batches: reversed(chunk(log, 1)), wantStale: true},
		{name: "redelivered overlapping batches", batches: slices.Concat(chunk(log, 4), chunk(log[2:], 5), [][]*kgo.Record{log}), wantStale: true},
		{name: "poison records are skipped", batches: [][]*kgo.Record{withPoison}, wantPoison: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := env.store(t)
			dlq := &memDLQ{}
			h := projector.New(store, dlq, nil)
			for i, b := range tc.batches {
				if err := h.Handle(context.Background(), edges.KafkaEvent(b, []string{"127.0.0.1:9092"})); err != nil {
					t.Fatalf("batch %d: %v", i, err)
				}
			}
			if diff := cmp.Diff(want, snapshot(t, store)); diff != "" {
				t.Errorf("read model (-want +got):\n%s", diff)
			}
			if got := h.Stats.Poison.Load(); got != tc.wantPoison || int64(len(dlq.recs)) != tc.wantPoison {
				t.Errorf("poison = %d, dead letters = %d, want %d", got, len(dlq.recs), tc.wantPoison)
			}
			if got := h.Stats.Fills.Load(); got != 4 {
				t.Errorf("fills inserted = %d, want 4 (each exec id once)", got)
			}
			if stale := h.Stats.Stale.Load() > 0; stale != tc.wantStale {
				t.Errorf("stale updates seen = %v, want %v", stale, tc.wantStale)
			}
		})
	}
}

// A partial batch that wrote the fills but failed before the position (a crash) is repaired when
// the batch is redelivered: positions are recomputed from the stored fills.
func TestProjectorRepairsAfterPartialWrite(t *testing.T) {
	env := newStoreEnv(t)
	store := env.store(t)
	ctx := context.Background()
	reps := lifecycle()
	// Project only the newest fill of account a first: its position then folds that fill alone.
	if _, err := store.Project(ctx, reps[5:6]); err != nil {
		t.Fatal(err)
	}
	// Older fills arrive later (out of order): the position is recomputed from all fills in key order.
	for range 2 {
		if _, err := store.Project(ctx, reps); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(want, snapshot(t, store)); diff != "" {
		t.Errorf("read model (-want +got):\n%s", diff)
	}
}

func TestDeadLettersGoToTheTopic(t *testing.T) {
	pub := &memPub{}
	d := projector.TopicDeadLetters{Pub: pub, Topic: "dlq"}
	rec := events.KafkaRecord{Topic: "executions", Partition: 2, Offset: 7, Value: "e30="}
	if err := d.DeadLetter(context.Background(), rec, fmt.Errorf("bad")); err != nil {
		t.Fatal(err)
	}
	if len(pub.got) != 1 || pub.got[0][0] != "dlq" || pub.got[0][1] != "executions-2" ||
		!strings.Contains(pub.got[0][2], `"offset":7`) || !strings.Contains(pub.got[0][2], `"value":"e30="`) {
		t.Errorf("published %q", pub.got)
	}
}

type memPub struct{ got [][3]string }

func (p *memPub) Publish(_ context.Context, topic string, key, value []byte) error {
	p.got = append(p.got, [3]string{topic, string(key), string(value)})
	return nil
}
