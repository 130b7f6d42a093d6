package kafkabus_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/internal/kafkabus"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
)

// TestReadWholePartition: a fold that needs the whole log is refused once retention has cut its start,
// on the wire (kfake's DeleteRecords), while ReadPartition still reads what is left.
func TestReadWholePartition(t *testing.T) {
	k := testenv.Kafka(t, map[string]int32{"log": 1})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cl, err := kgo.NewClient(kgo.SeedBrokers(k.Addrs()...), kgo.DefaultProduceTopic("log"))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for _, v := range []string{"a", "b", "c", "d"} {
		if err := cl.ProduceSync(ctx, &kgo.Record{Value: []byte(v)}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	read := func(whole bool) (string, error) {
		var got string
		f := kafkabus.ReadPartition
		if whole {
			f = kafkabus.ReadWholePartition
		}
		err := f(ctx, k.Addrs(), "log", 0, func(r *kgo.Record) error { got += string(r.Value); return nil })
		return got, err
	}
	if got, err := read(true); err != nil || got != "abcd" {
		t.Fatalf("whole log: %q %v", got, err)
	}
	if cut, err := kafkabus.TruncatedPartitions(ctx, k.Addrs(), "log"); err != nil || len(cut) != 0 {
		t.Fatalf("whole log reported cut: %v %v", cut, err)
	}
	offsets := kadm.Offsets{}
	offsets.Add(kadm.Offset{Topic: "log", Partition: 0, At: 2})
	if res, err := kadm.NewClient(cl).DeleteRecords(ctx, offsets); err != nil || res.Error() != nil {
		t.Fatalf("delete records: %v %v", err, res.Error())
	}
	if cut, err := kafkabus.TruncatedPartitions(ctx, k.Addrs(), "log"); err != nil || len(cut) != 1 || cut[0] != 2 {
		t.Fatalf("cut log: %v %v, want partition 0 starting at 2", cut, err)
	}
	if got, err := read(true); !errors.Is(err, kafkabus.ErrTruncated) || got != "" {
		t.Fatalf("truncated log: read %q, err %v; want ErrTruncated before reading anything", got, err)
	}
	if got, err := read(false); err != nil || got != "cd" {
		t.Fatalf("ReadPartition after truncation: %q %v", got, err)
	}
}
