package main

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/embedded"
)

var bareBrokers []string

func startBareKafka() (func(), error) {
	k, err := embedded.StartKafka(embedded.KafkaOptions{Addr: "127.0.0.1:0", Topics: map[string]int32{"ceiling": 6}})
	if err != nil {
		return nil, err
	}
	bareBrokers = k.Addrs()
	return k.Close, nil
}

// kafkaRoundTrip produces n records shaped like order commands (acks=all, idempotent) and consumes them.
func kafkaRoundTrip(ctx context.Context, n int) (float64, int) {
	if len(bareBrokers) == 0 {
		return 0, 0
	}
	d := money.MustParse
	s := order.Spec{ID: order.NewID("acct-1", "c1"), ClientOrderID: "c1", Account: "acct-1", Symbol: "BTC-USD", Side: order.Buy, Type: order.Limit, TimeInForce: order.IOC, Quantity: d("0.001"), Price: d("20000")}
	val := events.AppendCommand(nil, events.OrderCommand{Kind: events.CmdNew, CommandID: "c1", Account: "acct-1", OrderID: s.ID, Spec: s, ReceivedAt: time.Now()})
	prod, err := kgo.NewClient(kgo.SeedBrokers(bareBrokers...), kgo.DefaultProduceTopic("ceiling"), kgo.RequiredAcks(kgo.AllISRAcks()), kgo.MaxBufferedRecords(50000))
	if err != nil {
		return 0, 0
	}
	defer prod.Close()
	cons, err := kgo.NewClient(kgo.SeedBrokers(bareBrokers...), kgo.ConsumeTopics("ceiling"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		return 0, 0
	}
	defer cons.Close()
	start := time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		got := 0
		for got < n && ctx.Err() == nil {
			fs := cons.PollFetches(ctx)
			got += fs.NumRecords()
		}
	}()
	for i := 0; i < n; i++ {
		key := []byte(fmt.Sprintf("acct-%d", i%1000))
		prod.Produce(ctx, &kgo.Record{Key: key, Value: val}, nil)
	}
	if err := prod.Flush(ctx); err != nil {
		return 0, len(val)
	}
	select {
	case <-done:
	case <-time.After(60 * time.Second):
	}
	return float64(n) / time.Since(start).Seconds(), len(val)
}
