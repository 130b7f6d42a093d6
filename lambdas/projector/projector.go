// Package projector is the projector Lambda: it consumes MSK event-source batches of the `executions`
// topic and upserts the read model (orders, fills, positions, balances) idempotently. A record that
// cannot be decoded is counted, handed to the dead-letter sink and skipped, so it never blocks its
// partition; any store error fails the whole invocation, and the event source redelivers the batch.
package projector

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/events"

	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

// Store is the read model the projector writes (readmodel.Store in production).
type Store interface {
	Project(ctx context.Context, reps []oms.ExecutionReport) (readmodel.Result, error)
}

// DeadLetters receives poison records (the `dlq` topic in production). A nil DeadLetters only counts
// and logs them.
type DeadLetters interface {
	DeadLetter(ctx context.Context, rec events.KafkaRecord, reason error) error
}

// Stats counts what the projector has done since it started.
type Stats struct {
	Batches  atomic.Int64
	Records  atomic.Int64
	Poison   atomic.Int64
	Orders   atomic.Int64
	Stale    atomic.Int64
	Fills    atomic.Int64
	DupFills atomic.Int64
}

// Handler is the projector.
type Handler struct {
	store Store
	dlq   DeadLetters
	log   *slog.Logger
	// Stats is safe to read while the handler runs.
	Stats Stats
}

// New returns a projector over store. dlq may be nil; log nil discards.
func New(store Store, dlq DeadLetters, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{store: store, dlq: dlq, log: log}
}

// Handle projects one event-source batch. Records are taken in partition order; partitions are
// independent (an account's reports all live on one partition), so their order between each other
// does not matter.
func (h *Handler) Handle(ctx context.Context, ev events.KafkaEvent) error {
	h.Stats.Batches.Add(1)
	keys := make([]string, 0, len(ev.Records))
	for k := range ev.Records {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var reps []oms.ExecutionReport
	for _, k := range keys {
		recs := ev.Records[k]
		sort.SliceStable(recs, func(i, j int) bool { return recs[i].Offset < recs[j].Offset })
		for _, rec := range recs {
			h.Stats.Records.Add(1)
			r, err := decode(rec)
			if err != nil {
				if err := h.poison(ctx, rec, err); err != nil {
					return err
				}
				continue
			}
			reps = append(reps, r)
		}
	}
	res, err := h.store.Project(ctx, reps)
	if err != nil {
		return fmt.Errorf("project batch of %d reports: %w", len(reps), err)
	}
	h.Stats.Orders.Add(int64(res.Orders))
	h.Stats.Stale.Add(int64(res.Stale))
	h.Stats.Fills.Add(int64(res.Fills))
	h.Stats.DupFills.Add(int64(res.DupFills))
	return nil
}

// errPoison classifies undecodable records.
var errPoison = errors.New("poison record")

func decode(rec events.KafkaRecord) (oms.ExecutionReport, error) {
	b, err := base64.StdEncoding.DecodeString(rec.Value)
	if err != nil {
		return oms.ExecutionReport{}, fmt.Errorf("%w: value is not base64: %v", errPoison, err)
	}
	r, err := oms.DecodeReport(b)
	if err != nil {
		return oms.ExecutionReport{}, fmt.Errorf("%w: %w", errPoison, err)
	}
	return r, nil
}

func (h *Handler) poison(ctx context.Context, rec events.KafkaRecord, reason error) error {
	h.Stats.Poison.Add(1)
	h.log.Error("poison record skipped", "topic", rec.Topic, "partition", rec.Partition, "offset", rec.Offset, "err", reason)
	if h.dlq == nil {
		return nil
	}
	if err := h.dlq.DeadLetter(ctx, rec, reason); err != nil {
		// Without the dead letter the record would be lost: fail the batch so it is retried.
		return fmt.Errorf("dead-letter %s-%d@%d: %w", rec.Topic, rec.Partition, rec.Offset, err)
	}
	return nil
}

// Publisher produces one record and returns once the broker acknowledged it.
type Publisher interface {
	Publish(ctx context.Context, topic string, key, value []byte) error
}

// TopicDeadLetters sends poison records to a dead-letter topic as a JSON envelope with the source
// coordinates, the reason and the original value (base64, as the event source delivered it).
type TopicDeadLetters struct {
	Pub   Publisher
	Topic string
}

// DeadLetter publishes rec to the dead-letter topic, keyed by its source partition.
func (d TopicDeadLetters) DeadLetter(ctx context.Context, rec events.KafkaRecord, reason error) error {
	env := struct {
		Topic     string `json:"topic"`
		Partition int64  `json:"partition"`
		Offset    int64  `json:"offset"`
		Reason    string `json:"reason"`
		Value     string `json:"value"`
	}{rec.Topic, rec.Partition, rec.Offset, reason.Error(), rec.Value}
	b, err := json.Marshal(env)
	if err != nil {
		return fmt.Errorf("dead letter: %w", err)
	}
	key := fmt.Sprintf("%s-%d", rec.Topic, rec.Partition)
	if err := d.Pub.Publish(ctx, d.Topic, []byte(key), b); err != nil {
		return fmt.Errorf("dead letter: %w", err)
	}
	return nil
}
