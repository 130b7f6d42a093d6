package local_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/kafkabus"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/local"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/processor"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
)

// TestProcessorRefusesTruncatedExecutions: account state is the fold of `executions` from its start
// (ADR 0002). When retention has deleted the start of a partition, the processor must stop with an
// error that names it, not run on balances folded from part of the history; and the command waiting on
// `orders` must stay unconsumed for the next owner.
func TestProcessorRefusesTruncatedExecutions(t *testing.T) {
	k := testenv.Kafka(t, map[string]int32{events.TopicOrders: 1, events.TopicExecutions: 1, events.TopicControl: 1, events.TopicPrices: 1, "dlq": 1})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cl, err := kgo.NewClient(kgo.SeedBrokers(k.Addrs()...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for i := 0; i < 3; i++ {
		if err := cl.ProduceSync(ctx, &kgo.Record{Topic: events.TopicExecutions, Value: []byte(`{"old":"report"}`)}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	offsets := kadm.Offsets{}
	offsets.Add(kadm.Offset{Topic: events.TopicExecutions, Partition: 0, At: 2})
	if res, err := kadm.NewClient(cl).DeleteRecords(ctx, offsets); err != nil || res.Error() != nil {
		t.Fatalf("delete records: %v %v", err, res.Error())
	}
	if err := cl.ProduceSync(ctx, &kgo.Record{Topic: events.TopicOrders, Value: []byte(`{"waiting":"command"}`)}).FirstErr(); err != nil {
		t.Fatal(err)
	}

	cfg := local.ProcessorConfig(k.Addrs(), "processor-truncated", testenv.Logger(t))
	err = processor.Run(ctx, cfg)
	if !errors.Is(err, kafkabus.ErrTruncated) {
		t.Fatalf("processor.Run = %v, want an error wrapping kafkabus.ErrTruncated", err)
	}
	t.Logf("the processor stopped with: %v", err)
	committed, err := kadm.NewClient(cl).FetchOffsets(ctx, "processor")
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := committed.Lookup(events.TopicOrders, 0); ok && o.At > 0 {
		t.Fatalf("the processor committed orders up to %d without processing them", o.At)
	}
}
