package boot_test

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/lambdas/boot"
)

func TestKafkaProducer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	none, err := (&boot.Resolver{Env: env(nil)}).KafkaProducer(ctx)
	if err != nil || none != nil {
		t.Fatalf("without brokers: %v, %v; want no producer", none, err)
	}
	if _, err := (&boot.Resolver{Env: env(map[string]string{"OMS_KAFKA_BROKERS": "127.0.0.1:1", "OMS_KAFKA_AUTH": "kerberos"})}).KafkaProducer(ctx); err == nil {
		t.Fatal("unknown auth mode accepted")
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, "dlq"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p, err := (&boot.Resolver{Env: env(map[string]string{"OMS_KAFKA_BROKERS": c.ListenAddrs()[0]})}).KafkaProducer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Publish(ctx, "dlq", []byte("prices-0"), []byte(`{"offset":7}`)); err != nil {
		t.Fatal(err)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.ConsumeTopics("dlq"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	fs := cl.PollFetches(ctx)
	if recs := fs.Records(); len(recs) != 1 || string(recs[0].Key) != "prices-0" || string(recs[0].Value) != `{"offset":7}` {
		t.Fatalf("read back %v (errors %v)", recs, fs.Errors())
	}
	// A broker that is gone fails the publish instead of hanging.
	c.Close()
	pctx, pcancel := context.WithTimeout(ctx, 2*time.Second)
	defer pcancel()
	if err := p.Publish(pctx, "dlq", nil, []byte("x")); err == nil {
		t.Fatal("publish to a stopped broker succeeded")
	}
}
