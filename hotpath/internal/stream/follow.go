package stream

import (
	"context"
	"errors"
	"sync"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/kafkabus"
)

// Follow feeds the hub from Kafka until ctx ends: prices from near the end of each partition (recent
// trades and candles; older candles come from the market-data API), executions from the start, because
// every account's balances and positions are folds of its whole history. onTick, when set, also sees
// every tick (omsd's books). It returns the first tail's error, after stopping the other.
func Follow(ctx context.Context, brokers []string, h *Hub, onTick func(events.PriceTick), opts ...kgo.Opt) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	tail := func(i int, topic string, fromStart bool, fn func(*kgo.Record)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if errs[i] = kafkabus.Tail(ctx, brokers, topic, fromStart, fn, opts...); errs[i] != nil {
				cancel()
			}
		}()
	}
	tail(0, events.TopicPrices, false, func(r *kgo.Record) {
		if t, err := events.DecodeTick(r.Value); err == nil {
			if onTick != nil {
				onTick(t)
			}
			h.OnTick(t)
		}
	})
	// Balances and positions here are for display; the processor, which decides with them, refuses a
	// cut log (kafkabus.ReadWholePartition). The stream goes on, and says loudly that it may be wrong.
	if cut, err := kafkabus.TruncatedPartitions(ctx, brokers, events.TopicExecutions, opts...); err != nil {
		h.log.Warn("stream: cannot check that executions is whole", "err", err)
	} else if len(cut) > 0 {
		h.log.Error("stream: executions no longer starts at offset 0 (retention deleted reports): dashboards' balances and positions are folded from part of the history", "partitions", cut)
	}
	tail(1, events.TopicExecutions, true, func(r *kgo.Record) {
		if rep, err := events.DecodeReport(r.Value); err == nil {
			h.OnReport(rep)
		}
	})
	wg.Wait()
	return errors.Join(errs...)
}
