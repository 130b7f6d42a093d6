package controlbus_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/lambdas/controlbus"
)

func TestPublishIsAcknowledgedAndKeyed(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, events.TopicControl))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p, err := controlbus.New(c.ListenAddrs(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	cmd := events.Control{ID: "cmd-1", Scope: events.ScopeAccount, Target: "acct-1", State: events.Halted, Reason: "test", By: "k1", At: time.Unix(1, 0).UTC()}
	if err := p.PublishControl(context.Background(), cmd); err != nil {
		t.Fatal(err)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.ConsumeTopics(events.TopicControl), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	fs := cl.PollFetches(ctx)
	if err := fs.Err0(); err != nil {
		t.Fatal(err)
	}
	recs := fs.Records()
	if len(recs) != 1 {
		t.Fatalf("%d records on control, want 1", len(recs))
	}
	if string(recs[0].Key) != "TRADING_STATE/ACCOUNT/acct-1" {
		t.Errorf("key = %q", recs[0].Key)
	}
	got, err := events.DecodeControl(recs[0].Value)
	if err != nil || got.ID != "cmd-1" || got.State != events.Halted {
		t.Errorf("record = %+v, %v", got, err)
	}
}

func TestPublishFailsWhenKafkaIsDown(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, events.TopicControl))
	if err != nil {
		t.Fatal(err)
	}
	addrs := c.ListenAddrs()
	c.Close()
	p, err := controlbus.New(addrs, 500*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	start := time.Now()
	err = p.PublishControl(context.Background(), events.Control{ID: "x", Scope: events.ScopeGlobal, State: events.Halted})
	if !errors.Is(err, controlbus.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	t.Logf("publish to a stopped broker failed after %s", time.Since(start).Round(time.Millisecond))
}
