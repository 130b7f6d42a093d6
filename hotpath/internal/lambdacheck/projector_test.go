package lambdacheck_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kgo"

	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/kafkabus"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
	"github.com/crypto-oms/crypto-oms/lambdas/projector"
)

// deadLetter is the envelope projector.TopicDeadLetters writes.
type deadLetter struct {
	Topic     string `json:"topic"`
	Partition int64  `json:"partition"`
	Offset    int64  `json:"offset"`
	Reason    string `json:"reason"`
	Value     string `json:"value"`
}

// readDeadLetters returns the dead-letter topic's records as "partition@offset" of their source.
func readDeadLetters(t testing.TB, brokers []string) ([]string, []deadLetter) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var coords []string
	var all []deadLetter
	err := kafkabus.ReadPartition(ctx, brokers, oms.TopicDLQ, 0, func(r *kgo.Record) error {
		var d deadLetter
		if err := json.Unmarshal(r.Value, &d); err != nil {
			return fmt.Errorf("dead letter %q: %w", r.Value, err)
		}
		if want := fmt.Sprintf("%s-%d", d.Topic, d.Partition); string(r.Key) != want {
			t.Errorf("dead letter keyed %q, want %q", r.Key, want)
		}
		coords = append(coords, fmt.Sprintf("%d@%d", d.Partition, d.Offset))
		all = append(all, d)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(coords)
	return coords, all
}

// TestProjectorOnRecordedBatches runs the projector handler on the recorded MSK batches, in the
// orders an event source can deliver them, against FerretDB, with poison records going to a real
// dead-letter topic. Whatever the delivery, the read model must equal what the processor's own state
// and log say.
func TestProjectorOnRecordedBatches(t *testing.T) {
	env := newStoreEnv(t)
	desk := scenario(t)
	want := expected(desk)
	trades := countTrades(desk)
	tests := []struct {
		name       string
		batches    []string
		wantPoison bool
		wantStale  bool
	}{
		{name: "one batch across partitions", batches: []string{"batch.json"}},
		{name: "consecutive batches", batches: []string{"batch-1.json", "batch-2.json"}},
		{name: "same batch redelivered", batches: []string{"batch.json", "batch.json"}, wantStale: true},
		{name: "retry overlapping both batches", batches: []string{"batch-1.json", "batch-2.json", "redelivered.json"}, wantStale: true},
		{name: "batches out of order", batches: []string{"batch-2.json", "batch-1.json"}, wantStale: true},
		{name: "poison records are dead-lettered and skipped", batches: []string{"poison.json"}, wantPoison: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kafka := testenv.Kafka(t, map[string]int32{oms.TopicDLQ: 1})
			pub, err := kafkabus.NewProducer(kafka.Addrs(), 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(pub.Close)
			store := env.store(t)
			h := projector.New(store, projector.TopicDeadLetters{Pub: pub, Topic: oms.TopicDLQ}, testenv.Logger(t))
			var wantDead []string
			for _, name := range tc.batches {
				ev := kafkaFixture(t, name)
				wantDead = append(wantDead, poisonCoordinates(t, ev)...)
				if err := h.Handle(context.Background(), ev); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
			if diff := cmp.Diff(want, snapshot(t, store)); diff != "" {
				t.Errorf("read model (-want +got):\n%s", diff)
			}
			if got := h.Stats.Fills.Load(); got != trades {
				t.Errorf("fills inserted = %d, want %d (each exec id once)", got, trades)
			}
			if stale := h.Stats.Stale.Load() > 0 || h.Stats.DupFills.Load() > 0; stale != tc.wantStale {
				t.Errorf("stale or duplicate updates seen = %v, want %v", stale, tc.wantStale)
			}
			slices.Sort(wantDead)
			if tc.wantPoison != (len(wantDead) > 0) {
				t.Fatalf("fixture poison records: %v", wantDead)
			}
			gotDead, letters := readDeadLetters(t, kafka.Addrs())
			if diff := cmp.Diff(wantDead, gotDead); diff != "" {
				t.Errorf("dead letters (-want +got):\n%s", diff)
			}
			if got := h.Stats.Poison.Load(); got != int64(len(wantDead)) {
				t.Errorf("poison counted = %d, want %d", got, len(wantDead))
			}
			for _, d := range letters {
				if d.Topic != oms.TopicExecutions || d.Reason == "" {
					t.Errorf("dead letter without its source or reason: %+v", d)
				}
			}
		})
	}
}
